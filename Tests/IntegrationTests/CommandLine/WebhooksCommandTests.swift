import AllianceTestSupport
import Foundation
import Testing

/// `exchange-node webhooks add|list|remove`, run as the binary: what lands in the home, what is refused.
@Suite("Webhooks: command line")
struct WebhooksCommandTests {
    static func mode(_ url: URL) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test("add writes the registration and a copy of the secret (0600), list shows it new, remove takes both away")
    func addListRemove() async throws {
        let alliance = try TestAlliance("webhooks-cli")
        defer { alliance.shutdown() }
        try await alliance.createCA()
        let node = try await alliance.createNode("alpha")
        let secret = try alliance.write("  a-secret-of-more-than-16-bytes \n", to: "secret.txt")
        let home = node.home.path

        let added = try await alliance.run(["webhooks", "add", "--home", home, "--url", "https://enforce.example/hooks?k=v",
                                            "--secret-file", secret.path, "--types", "match,retraction", "--id", "enforcement"])
        #expect(added.succeeded && added.stdout.contains("webhook enforcement → https://enforce.example/hooks"), "\(added)")
        let registration = node.home.appending(path: "webhooks/enforcement.json")
        let secretCopy = node.home.appending(path: "keys/webhooks/enforcement.secret")
        #expect(try Self.mode(registration) == 0o600 && Self.mode(secretCopy) == 0o600)
        #expect(try String(contentsOf: secretCopy, encoding: .utf8) == "a-secret-of-more-than-16-bytes")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: registration)) as? [String: Any]
        #expect(object?["types"] as? [String] == ["match", "retraction"] && object?["batch_size"] as? Int == 100
                && object?["max_attempts"] as? Int == 10 && object?["start_after"] as? Int == 0)
        #expect(!(String(data: try Data(contentsOf: registration), encoding: .utf8) ?? "").contains("secret-of"))

        let list = try await alliance.run(["webhooks", "list", "--home", home])
        // No query string in what is shown (it may carry a token of the receiver's).
        #expect(list.stdout.hasPrefix("enforcement\tnew\thttps://enforce.example/hooks\t") && !list.stdout.contains("k=v"), "\(list)")

        let again = try await alliance.run(["webhooks", "add", "--home", home, "--url", "https://other.example/",
                                            "--secret-file", secret.path, "--id", "enforcement"])
        #expect(!again.succeeded && again.stderr.contains("already registered"), "\(again)")
        let plain = try await alliance.run(["webhooks", "add", "--home", home, "--url", "http://enforce.example/hooks",
                                            "--secret-file", secret.path])
        #expect(!plain.succeeded && plain.stderr.contains("loopback"), "\(plain)")
        let short = try alliance.write("short\n", to: "short.txt")
        let weak = try await alliance.run(["webhooks", "add", "--home", home, "--url", "https://enforce.example/x",
                                           "--secret-file", short.path])
        #expect(!weak.succeeded && weak.stderr.contains("16 to 1024 bytes"), "\(weak)")

        let removed = try await alliance.run(["webhooks", "remove", "--home", home, "--id", "enforcement"])
        #expect(removed.succeeded && removed.stdout.contains("webhook enforcement removed"), "\(removed)")
        #expect(!FileManager.default.fileExists(atPath: registration.path) && !FileManager.default.fileExists(atPath: secretCopy.path))
        let twice = try await alliance.run(["webhooks", "remove", "--home", home, "--id", "enforcement"])
        #expect(!twice.succeeded && twice.stderr.contains("no webhook endpoint 'enforcement'"), "\(twice)")
        let empty = try await alliance.run(["webhooks", "list", "--home", home, "--json"])
        let endpoints = try JSONSerialization.jsonObject(with: Data(empty.stdout.utf8)) as? [Any]
        #expect(empty.succeeded && endpoints?.isEmpty == true, "\(empty)")
    }
}
