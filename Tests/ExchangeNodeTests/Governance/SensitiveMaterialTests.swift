import AllianceTestSupport
import Crypto
import ExchangeCrypto
import Foundation
import NodeTestSupport
import Testing

@testable import ExchangeNode

/// Issue 8 §4: node private keys and the token key are read only from files of mode 0600 (the node
/// refuses to start otherwise), are never logged or sent, and `status` shows fingerprints only.
@Suite("Sensitive material", .serialized)
struct SensitiveMaterialTests {
    static let member = "alpha-mall"

    /// The secret files of a home, with what a leak of each would look like in text or bytes.
    static func secrets(_ home: NodeHome) throws -> [(name: String, needles: [String])] {
        let keyPEM = try String(contentsOf: home.nodeKeyFile, encoding: .utf8)
        let keyBody = keyPEM.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        let tokenKey = try JSONDecoder().decode(AllianceTokenKey.self, from: Data(contentsOf: home.tokenKeyFile))
        let seal = try Data(contentsOf: home.sealKeyFile)
        let internalToken = try String(contentsOf: home.internalTokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let signingKey = try P256.Signing.PrivateKey(pemRepresentation: keyPEM)
        return [
            ("node key (PEM body)", [String(keyBody.prefix(40))]),
            ("node key (raw scalar, hex)", [signingKey.rawRepresentation.map { String(format: "%02x", $0) }.joined()]),
            ("token key", [tokenKey.key.base64EncodedString(), tokenKey.key.map { String(format: "%02x", $0) }.joined()]),
            ("seal key", [seal.base64EncodedString(), seal.map { String(format: "%02x", $0) }.joined()]),
            ("internal API token", [internalToken]),
        ]
    }

    @Test("a node key, token key, seal key or API token readable by others is refused, naming the file and the fix")
    func refusesLooseModes() throws {
        let alliance = try TestAlliance("governance", nodes: [Self.member])
        defer { alliance.shutdown() }
        let home = alliance.home(Self.member)
        for file in [home.nodeKeyFile, home.tokenKeyFile, home.sealKeyFile] {
            for mode in [0o644, 0o640, 0o604] {
                chmod(file.path, mode_t(mode))
                do {
                    _ = try NodeKeys.load(from: home)
                    Issue.record("loaded keys with \(file.lastPathComponent) at mode \(String(mode, radix: 8))")
                } catch {
                    #expect(error.description == NodeError.insecureKeyFile(file.path, mode: String(mode, radix: 8)).description)
                    #expect(error.description.contains("chmod 600"))
                }
                #expect(throws: NodeError.insecureKeyFile(file.path, mode: String(mode, radix: 8))) { _ = try NodeContext(home: home) }
            }
            chmod(file.path, 0o600)
            _ = try NodeKeys.load(from: home)
        }
        // The internal API token is read when the internal listener is built.
        chmod(home.internalTokenFile.path, 0o644)
        let runtime = try NodeRuntime(context: NodeContext(home: home))
        #expect(throws: NodeError.insecureKeyFile(home.internalTokenFile.path, mode: "644")) {
            _ = try InternalServer.application(runtime, screening: ScreeningService(context: runtime.context))
        }
    }

    @Test("status shows fingerprints, never key material")
    func statusFingerprintsOnly() throws {
        let alliance = try TestAlliance("governance", nodes: [Self.member])
        defer { alliance.shutdown() }
        let context = alliance.context(Self.member)
        let status = try NodeStatus.collect(context)
        let json = String(decoding: try JSONEncoder().encode(status), as: UTF8.self)
        #expect(status.text.contains(context.keys.signingKeyFingerprint))
        #expect(status.text.contains(context.keys.tokenKey.fingerprint))
        #expect(context.keys.signingKeyFingerprint.count == 32 && context.keys.tokenKey.fingerprint.count == 16)
        for (name, needles) in try Self.secrets(context.home) {
            for needle in needles {
                #expect(!status.text.contains(needle), "status text shows the \(name)")
                #expect(!json.contains(needle), "status JSON shows the \(name)")
            }
        }
    }

    @Test("after an exchange, an appeal and screening, no file outside keys/ and nothing sent holds key material")
    func nothingLeaks() async throws {
        let alliance = try TestAlliance("governance", nodes: ["alpha-mall", "beta-rides"])
        defer { alliance.shutdown() }
        try alliance.importEntries("beta-rides", ["BR-1,black,brushing,1,phone,13912340001"])
        let sent: [UInt8] = try await alliance.withServers(["alpha-mall", "beta-rides"]) { runtimes in
            try await alliance.syncAll(runtimes, ["alpha-mall"])
            _ = try await alliance.screen("alpha-mall", ["a-1,phone,13912340001"])
            let client = runtimes["alpha-mall"]!.makePeerClient()
            _ = try await AppealFiler(context: alliance.context("alpha-mall"), client: client)
                .file(entry: "beta-rides", "BR-1", reason: "the holder changed in 2025")
            let feed = try await client.call(.GET, alliance.url("beta-rides") + "/v1/feed?after=0")
            let digest = try await client.call(.GET, alliance.url("beta-rides") + "/v1/digest")
            await client.shutdown()
            return feed.body + digest.body
        }
        for member in ["alpha-mall", "beta-rides"] {
            let context = alliance.context(member)
            try context.audit.flush()
            let secrets = try Self.secrets(context.home)
            let files = FileManager.default.enumerator(atPath: context.home.path)!.compactMap { $0 as? String }
                .filter { !$0.hasPrefix("keys/") && !$0.hasPrefix("keys") }
            #expect(files.contains { $0.hasPrefix("audit/") })
            for file in files {
                guard let data = FileManager.default.contents(atPath: context.home.root.appendingPathComponent(file).path) else { continue }
                let text = String(decoding: data, as: UTF8.self)
                for (name, needles) in secrets {
                    for needle in needles { #expect(!text.contains(needle), "\(member)/\(file) holds the \(name)") }
                }
                let rawToken = try JSONDecoder().decode(AllianceTokenKey.self, from: Data(contentsOf: context.home.tokenKeyFile)).key
                #expect(data.range(of: rawToken) == nil, "\(member)/\(file) holds the raw token key")
            }
        }
        let origin = alliance.context("beta-rides")
        let sentText = String(decoding: sent, as: UTF8.self)
        for (name, needles) in try Self.secrets(origin.home) {
            for needle in needles { #expect(!sentText.contains(needle), "the feed or digest carries the \(name)") }
        }
        #expect(Data(sent).range(of: origin.keys.tokenKey.key) == nil)
        #expect(Data(sent).range(of: origin.keys.signingKey.rawRepresentation) == nil)
    }
}
