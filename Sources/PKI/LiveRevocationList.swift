import Foundation
import X509

/// The revocation list a running node enforces, shared between TLS handshakes on every event
/// loop and whatever reloads `revoked.json`. Reads and replacements are thread-safe; a
/// replacement that is older than the current list (by `issued`) is refused, so a stale file
/// cannot silently un-revoke a certificate.
public final class LiveRevocationList: @unchecked Sendable {
    // @unchecked: `list` is only touched while holding `lock`.
    private let lock = NSLock()
    private var list: RevocationList?

    /// Starts with `list`, or with nothing revoked if nil.
    public init(_ list: RevocationList? = nil) {
        self.list = list
    }

    /// The list currently enforced (nil: nothing revoked yet).
    public var current: RevocationList? {
        lock.withLock { list }
    }

    /// Whether a serial (canonical hex, see ``CertificateSerial``) is revoked.
    public func isRevoked(serialHex: String) -> Bool {
        lock.withLock { list?.contains(serialHex: serialHex) ?? false }
    }

    /// Enforces `newList` from now on, unless it was issued before the current one.
    /// - Returns: whether the list was replaced.
    @discardableResult
    public func replace(with newList: RevocationList) -> Bool {
        lock.withLock {
            if let existing = list, let old = existing.issuedDate, let new = newList.issuedDate, new < old {
                return false
            }
            list = newList
            return true
        }
    }

    /// Loads and verifies `path` against `caCertificate` and enforces it (see ``replace(with:)``).
    @discardableResult
    public func reload(path: String, caCertificate: Certificate) throws(PKIError) -> Bool {
        replace(with: try RevocationList.load(path: path, caCertificate: caCertificate))
    }
}
