import AlliancePKI
import ExchangeRuntime

/// Every error the coordinator reports to its operator. Messages name the file, field or argument
/// and the reason, never a value a node sent.
public enum CoordinatorError: Error, Sendable, CustomStringConvertible, Equatable {
    case invalidArgument(String)
    case fileUnreadable(String, reason: String)
    case fileUnwritable(String, reason: String)
    case notInitialised(String)
    case alreadyInitialised(String)
    case store(String)
    case configuration(String)

    public var description: String {
        switch self {
        case .invalidArgument(let why): why
        case .fileUnreadable(let path, let reason): "\(path): \(reason)"
        case .fileUnwritable(let path, let reason): "\(path): cannot write: \(reason)"
        case .notInitialised(let path): "\(path) is not a node home (run `exchange-node init` first)"
        case .alreadyInitialised(let path): "\(path) already holds a node home"
        case .store(let why): "store: \(why)"
        case .configuration(let why): "configuration: \(why)"
        }
    }

    /// A file error of the runtime, as the coordinator reports it.
    init(_ error: FileError) {
        switch error.code {
        case .unwritable: self = .fileUnwritable(error.path, reason: error.reason)
        default: self = .fileUnreadable(error.path, reason: error.description.hasPrefix(error.path + ": ")
                                          ? String(error.description.dropFirst(error.path.count + 2)) : error.reason)
        }
    }

    /// A PKI error about a file the coordinator reads.
    init(_ error: PKIError) {
        switch error {
        case .fileMissing(let path): self = .fileUnreadable(path, reason: "missing")
        case .malformedFile(let path, let reason), .fileSystem(let path, let reason): self = .fileUnreadable(path, reason: reason)
        default: self = .configuration(error.description)
        }
    }

    /// Runs a file operation of the runtime, reporting its failure as a coordinator error.
    static func files<T>(_ body: @autoclosure () throws(FileError) -> T) throws(CoordinatorError) -> T {
        do {
            return try body()
        } catch {
            throw CoordinatorError(error)
        }
    }
}
