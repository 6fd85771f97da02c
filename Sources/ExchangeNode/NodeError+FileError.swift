import AlliancePKI
import ExchangeRuntime

extension NodeError {
    /// A file error of the runtime, as the node reports it.
    package init(_ error: FileError) {
        switch error.code {
        case .unwritable: self = .fileUnwritable(error.path, reason: error.reason, underlying: error.underlying)
        case .insecureMode: self = .insecureKeyFile(error.path, mode: String((error.mode ?? 0) & 0o777, radix: 8))
        default: self = .fileUnreadable(error.path, reason: error.reason, underlying: error.underlying)
        }
    }

    /// Runs a file operation of the runtime, reporting its failure as a node error.
    package static func files<T>(_ body: @autoclosure () throws(FileError) -> T) throws(NodeError) -> T {
        do {
            return try body()
        } catch {
            throw NodeError(error)
        }
    }
}

extension HostPort {
    /// Parses a listen address from the node's configuration.
    package static func node(_ text: String) throws(NodeError) -> HostPort {
        do {
            return try HostPort(parsing: text)
        } catch {
            throw .invalidArgument(error.description)
        }
    }
}

extension NodeError {
    /// A PKI error about a file the node reads (a key, a certificate, the token key), as the node reports it.
    package init(_ error: PKIError) {
        switch error {
        case .fileMissing(let path): self = .fileUnreadable(path, reason: "missing")
        case .keyFileTooPermissive(let path, let mode): self = .insecureKeyFile(path, mode: String(mode & 0o777, radix: 8))
        case .malformedFile(let path, let reason), .fileSystem(let path, let reason): self = .fileUnreadable(path, reason: reason)
        default: self = .configuration(error.description)
        }
    }
}
