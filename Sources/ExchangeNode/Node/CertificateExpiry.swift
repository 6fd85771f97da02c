import ExchangeProtocol
import Foundation
import GRDB
import X509

/// How long each certificate a node relies on stays valid: its own, the alliance CA's, and each
/// peer's as last seen on that peer's feed (the store keeps every origin's certificate). `status`,
/// `certs show --home` and `/metrics` report it; ``CertificateExpiryWatch`` warns from
/// ``warningDays`` before.
package struct CertificateExpiry: Codable, Sendable, Equatable {
    package enum Kind: String, Codable, Sendable {
        case node, ca, peer
    }

    /// Days before the end of validity from which a daily warning is logged.
    package static let warningDays = 30

    package let certificate: Kind
    /// The member the certificate names (`ca` for the CA).
    package let member: String
    /// The certificate's notAfter (ISO 8601, UTC).
    package let notAfter: String
    /// Whole days left (negative once expired).
    package let daysLeft: Int
    /// Seconds left, for the metric.
    let secondsLeft: Double

    package init(certificate: Kind, member: String, notValidAfter: Date, now: Date) {
        self.certificate = certificate
        self.member = member
        notAfter = ISO8601.format(seconds: Int64(notValidAfter.timeIntervalSince1970))
        secondsLeft = notValidAfter.timeIntervalSince(now)
        daysLeft = Int((secondsLeft / 86_400).rounded(.down))
    }


    /// Days left with a fraction (the metric's value).
    package var fractionalDaysLeft: Double { secondsLeft / 86_400 }

    /// Within ``warningDays`` of the end (or past it).
    package var needsWarning: Bool { daysLeft < Self.warningDays }

    /// The node's certificate, the CA's, then each peer's last seen certificate, by member id.
    package static func collect(_ context: NodeContext, now: Date = Date()) throws(NodeError) -> [CertificateExpiry] {
        var items = [
            CertificateExpiry(certificate: .node, member: context.member, notValidAfter: context.keys.certificate.notValidAfter, now: now),
            CertificateExpiry(certificate: .ca, member: "ca", notValidAfter: context.keys.caCertificate.notValidAfter, now: now),
        ]
        let peers = Set(context.peers.nodes.map(\.member))
        let stored = try context.store.read { db in
            try GRDB.Row.fetchAll(db, sql: "SELECT origin, der FROM origin_certificates ORDER BY origin").map { row in
                (origin: row["origin"] as String, der: [UInt8](row["der"] as Data))
            }
        }
        for (origin, der) in stored where peers.contains(origin) && origin != context.member {
            // A certificate the store holds was verified when its page was applied; one that no longer
            // parses is left out rather than stopping the report.
            guard let certificate = try? Certificate(derEncoded: der) else { continue }
            items.append(CertificateExpiry(certificate: .peer, member: origin, notValidAfter: certificate.notValidAfter, now: now))
        }
        return items
    }

    /// `node alpha-mall  expires 2028-12-06T10:00:00Z  (730 days left)`.
    package var text: String {
        let name = certificate == .ca ? "ca" : "\(certificate.rawValue) \(member)"
        let left = daysLeft < 0 ? "EXPIRED \(-daysLeft) days ago" : "\(daysLeft) days left"
        return name.padding(toLength: 24, withPad: " ", startingAt: 0) + "expires \(notAfter)  (\(left))"
    }
}
