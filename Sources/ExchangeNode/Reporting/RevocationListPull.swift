import AllianceHTTP
import AlliancePKI
import ExchangeAudit
import ExchangeRuntime
import Foundation

/// Fetches the alliance revocation list the coordinator publishes (`GET /v1/revocations`),
/// verifies it against the alliance CA, and when it is newer than the node's own copy, installs
/// it as `HOME/keys/revoked.json` and enforces it at once on the node's listener.
package struct RevocationListPull {
    let context: NodeContext
    let coordinatorURL: String
    let client: PeerClient
    /// The list the node's listener enforces, if it is running.
    var live: LiveRevocationList?

    package init(context: NodeContext, coordinatorURL: String, client: PeerClient, live: LiveRevocationList? = nil) {
        self.context = context
        self.coordinatorURL = coordinatorURL
        self.client = client
        self.live = live
    }

    /// Returns the number of revoked serials when a newer list was installed, nil when the node's copy is current.
    package func run() async throws(NodeError) -> Int? {
        let (status, body) = try await client.call(.GET, coordinatorURL + "/v1/revocations", limit: 4 << 20)
        guard status == 200 else {
            throw .peer(member: "coordinator", reason: "revocations answered HTTP \(status): \(ErrorBody.message(in: body))")
        }
        let target = context.home.revocationListFile
        let incoming = target.deletingLastPathComponent().appendingPathComponent(".revoked.incoming.json")
        try NodeError.files(SecureFile.writeAtomically(Data(body), to: incoming, mode: 0o644))
        defer { unlink(incoming.path) }
        let list: RevocationList
        do {
            list = try RevocationList.load(path: incoming.path, caCertificate: context.keys.caCertificate)
        } catch {
            throw .peer(member: "coordinator", reason: "the revocation list it published does not verify", underlying: error)
        }
        if FileManager.default.fileExists(atPath: target.path),
           let current = try? RevocationList.load(path: target.path, caCertificate: context.keys.caCertificate),
           let currentDate = current.issuedDate, let newDate = list.issuedDate, newDate <= currentDate {
            return nil
        }
        guard rename(incoming.path, target.path) == 0 else {
            throw .fileUnwritable(target.path, reason: String(cString: strerror(errno)))
        }
        live?.replace(with: list)
        context.audit.append(AuditEvent(actor: AuditEvent.localActor, role: .internal, action: "revocations.update", outcome: .ok,
                                        detail: ["revoked": .count(list.serials.count)]))
        context.logger.notice("installed a newer revocation list from the coordinator", metadata: ["revoked": "\(list.serials.count)"])
        return list.serials.count
    }
}
