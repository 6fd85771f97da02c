/// What can go wrong opening, writing or reading the audit log. Messages name the file and the
/// reason; audit records hold no identifiers, and no message quotes record content anyway.
public enum AuditError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file or directory could not be opened or created.
    case cannotOpen(path: String, reason: String)
    /// A read failed.
    case cannotRead(path: String, reason: String)
    /// A write, sync, truncate or rename failed.
    case cannotWrite(path: String, reason: String)
    /// The last complete line of the log is not a valid record, so the chain cannot be continued.
    case corruptTail(path: String, reason: String)
    /// There is no audit log in the directory.
    case noLog(path: String)
    /// The log was closed.
    case closed
    /// A key file or certificate could not be used.
    case badKey(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "\(path): cannot open: \(reason)"
        case .cannotRead(let path, let reason): "\(path): cannot read: \(reason)"
        case .cannotWrite(let path, let reason): "\(path): cannot write: \(reason)"
        case .corruptTail(let path, let reason):
            "\(path): \(reason); the log was left untouched — run `exchange-node audit verify`, and move the file aside to start a new chain"
        case .noLog(let path): "\(path): no audit log here"
        case .closed: "the audit log is closed"
        case .badKey(let path, let reason): "\(path): \(reason)"
        }
    }
}
