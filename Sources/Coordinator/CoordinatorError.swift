import AlliancePKI
import ExchangeRuntime

/// Every error the coordinator reports to its operator: a stable ``Code``, a message that names the
/// file, field or argument and the reason (never a value a node sent), and the error underneath when
/// there is one. Two coordinator errors are equal when their codes are.
public struct CoordinatorError: CodedError {
    public typealias Code = ErrorCode<CoordinatorError>

    public let code: Code
    /// What happened, in words for an operator.
    public let message: String
    /// The error underneath, when there is one.
    public let underlying: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }
}

extension ErrorCode<CoordinatorError> {
    /// A command-line argument or parameter that cannot be used.
    public static var invalidArgument: Self { Self("invalid-argument") }
    /// A file is missing, unreadable or not what it must be.
    public static var fileUnreadable: Self { Self("file-unreadable") }
    /// A file or directory cannot be written.
    public static var fileUnwritable: Self { Self("file-unwritable") }
    /// A secret file that group or others may read.
    public static var insecureKeyFile: Self { Self("insecure-key-file") }
    /// The home directory holds no coordinator (run `coordinator init`).
    public static var notInitialised: Self { Self("not-initialised") }
    /// The home directory (or token-key epoch) is already taken.
    public static var alreadyInitialised: Self { Self("already-initialised") }
    /// The report store failed.
    public static var store: Self { Self("store") }
    /// The report store was migrated by a newer version of exchange-node; this one refuses to open it.
    public static var storeFromNewerVersion: Self { Self("store-from-newer-version") }
    /// The coordinator's configuration or key material is not usable.
    public static var configuration: Self { Self("configuration") }
}

extension CoordinatorError {
    public static func invalidArgument(_ why: String, underlying: (any Error & Sendable)? = nil) -> CoordinatorError {
        CoordinatorError(.invalidArgument, why, underlying: underlying)
    }

    public static func fileUnreadable(_ path: String, reason: String, underlying: (any Error & Sendable)? = nil) -> CoordinatorError {
        CoordinatorError(.fileUnreadable, "\(path): \(reason)", underlying: underlying)
    }

    public static func fileUnwritable(_ path: String, reason: String, underlying: (any Error & Sendable)? = nil) -> CoordinatorError {
        CoordinatorError(.fileUnwritable, "\(path): cannot write: \(reason)", underlying: underlying)
    }

    public static func notInitialised(_ path: String) -> CoordinatorError {
        CoordinatorError(.notInitialised, "\(path) is not a coordinator home (run `exchange-node coordinator init` first)")
    }

    public static func alreadyInitialised(_ path: String) -> CoordinatorError {
        CoordinatorError(.alreadyInitialised, "\(path) already holds a coordinator home")
    }

    public static func store(_ why: String, underlying: (any Error & Sendable)? = nil) -> CoordinatorError {
        CoordinatorError(.store, "store: \(why)", underlying: underlying)
    }

    public static func storeFromNewerVersion(_ path: String) -> CoordinatorError {
        CoordinatorError(.storeFromNewerVersion,
                         "store: \(path) was migrated by a newer version of exchange-node; this version refuses to open it (upgrade exchange-node)")
    }

    public static func configuration(_ why: String, underlying: (any Error & Sendable)? = nil) -> CoordinatorError {
        CoordinatorError(.configuration, "configuration: \(why)", underlying: underlying)
    }

    /// A file error of the runtime, as the coordinator reports it.
    init(_ error: FileError) {
        switch error.code {
        case .unwritable: self = .fileUnwritable(error.path, reason: error.reason, underlying: error.underlying)
        case .insecureMode: self = CoordinatorError(.insecureKeyFile, error.description)
        default: self = .fileUnreadable(error.path, reason: error.reason, underlying: error.underlying)
        }
    }

    /// A PKI error about a file the coordinator reads.
    init(_ error: PKIError) {
        switch error {
        case .fileMissing(let path): self = .fileUnreadable(path, reason: "missing")
        case .keyFileTooPermissive: self = CoordinatorError(.insecureKeyFile, error.description)
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
