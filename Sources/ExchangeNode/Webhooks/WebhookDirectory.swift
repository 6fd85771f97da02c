import ExchangeRuntime
import Foundation

/// The webhook endpoints of a home: `HOME/webhooks/ID.json` and their secrets in `HOME/keys/webhooks/`.
/// Adding one is one atomic file write (the secret first, so a registration never lacks its secret);
/// its delivery state is created by the delivery service the first time it sees it.
package struct WebhookDirectory: Sendable {
    package let registrations: [String: WebhookRegistration]

    package static func load(from home: NodeHome) throws(NodeError) -> WebhookDirectory {
        let directory = home.webhooksDirectory
        guard FileManager.default.fileExists(atPath: directory.path) else { return WebhookDirectory(registrations: [:]) }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw .fileUnreadable(directory.path, reason: "cannot list")
        }
        var registrations: [String: WebhookRegistration] = [:]
        for name in names.sorted() where name.hasSuffix(".json") && !name.hasPrefix(".") {
            let file = directory.appendingPathComponent(name)
            let registration = try NodeError.files(JSONFile.read(WebhookRegistration.self, from: file))
            do {
                try registration.validate()
            } catch {
                throw .fileUnreadable(file.path, reason: "\(error)")
            }
            guard file.deletingPathExtension().lastPathComponent == registration.id else {
                throw .fileUnreadable(file.path, reason: "its id is '\(registration.id)'; the file must be named ID.json")
            }
            registrations[registration.id] = registration
        }
        return WebhookDirectory(registrations: registrations)
    }

    /// Trims the secret and checks its length (16 to 1024 bytes).
    package static func checkedSecret(_ raw: Data) throws(NodeError) -> Data {
        let secret = Data(String(decoding: raw, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).utf8)
        guard secret.count >= 16, secret.count <= 1024 else {
            throw .invalidArgument("the webhook secret must be 16 to 1024 bytes (it is \(secret.count))")
        }
        return secret
    }

    /// Writes a new endpoint; refuses an id that is already registered.
    package static func add(_ registration: WebhookRegistration, secret: Data, to home: NodeHome) throws(NodeError) {
        try registration.validate()
        let file = home.webhookFile(registration.id)
        guard !FileManager.default.fileExists(atPath: file.path) else {
            throw .invalidArgument("webhook '\(registration.id)' is already registered (remove it first)")
        }
        let checked = try checkedSecret(secret)
        try NodeError.files(SecureFile.writeAtomically(checked, to: home.webhookSecretFile(registration.id), mode: 0o600))
        try NodeError.files(JSONFile.write(registration, to: file, mode: 0o600))
    }

    /// The endpoint's signing secret.
    package static func secret(of id: String, in home: NodeHome) throws(NodeError) -> Data {
        try checkedSecret(try NodeError.files(SecureFile.readSecret(home.webhookSecretFile(id))))
    }

    /// Removes an endpoint: its file, its secret, then its delivery state. False if it was not registered.
    @discardableResult
    package static func remove(_ id: String, from home: NodeHome, store: NodeStore) throws(NodeError) -> Bool {
        let file = home.webhookFile(id)
        guard FileManager.default.fileExists(atPath: file.path) else { return false }
        guard unlink(file.path) == 0 else { throw .fileUnwritable(file.path, reason: String(cString: strerror(errno))) }
        unlink(home.webhookSecretFile(id).path)
        try store.write { db in try WebhookStateTable.delete(id, db) }
        return true
    }
}
