/// Every error the node reports to an operator. Messages name the file, line, field and reason
/// and never contain a subject identifier.
public enum NodeError: Error, Sendable, CustomStringConvertible, Equatable {
    case invalidArgument(String)
    case fileUnreadable(String, reason: String)
    case fileUnwritable(String, reason: String)
    case insecureKeyFile(String, mode: String)
    case notInitialised(String)
    case alreadyInitialised(String)
    case importRejected(file: String, problems: [String], total: Int)
    case store(String)
    case unknownEntry(String)
    case peer(member: String, reason: String)
    case protocolViolation(String)
    case configuration(String)

    public var description: String {
        switch self {
        case .invalidArgument(let why): why
        case .fileUnreadable(let path, let reason): "\(path): \(reason)"
        case .fileUnwritable(let path, let reason): "\(path): cannot write: \(reason)"
        case .insecureKeyFile(let path, let mode):
            "\(path): key file has mode \(mode); it must not be readable by group or others (chmod 600)"
        case .notInitialised(let path): "\(path) is not a node home (run `exchange-node init` first)"
        case .alreadyInitialised(let path): "\(path) already holds a node home"
        case .importRejected(let file, let problems, let total):
            "\(file): import rejected, nothing was stored (\(total) problem\(total == 1 ? "" : "s")):\n"
                + problems.joined(separator: "\n")
                + (total > problems.count ? "\n... and \(total - problems.count) more" : "")
        case .store(let why): "store: \(why)"
        case .unknownEntry(let id): "no entry '\(id)'"
        case .peer(let member, let reason): "peer \(member): \(reason)"
        case .protocolViolation(let why): "protocol: \(why)"
        case .configuration(let why): "configuration: \(why)"
        }
    }
}
