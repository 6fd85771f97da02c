import ExchangeRuntime

/// Why an alliance PKI operation failed. Each message names the file, field or argument and the
/// reason; none ever contains key material.
public enum PKIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A command-line or request argument that cannot be used (which one, and why).
    case invalidArgument(String)
    /// A file the operation would replace already exists.
    case alreadyExists(path: String, hint: String)
    /// A file the operation needs is missing.
    case fileMissing(path: String)
    /// A private-key file that group or others may access (`st_mode & 0o077 != 0`).
    case keyFileTooPermissive(path: String, mode: UInt32)
    /// Reading, writing or renaming a file failed.
    case fileSystem(path: String, reason: String)
    /// A file was read but its content is not what it must be.
    case malformedFile(path: String, reason: String)
    /// The revocation list's signature does not verify against the alliance CA.
    case revocationListSignatureInvalid(path: String)
    /// Building, signing or encoding a certificate failed.
    case certificateCreation(reason: String)
    /// A TLS configuration could not be turned into a usable context.
    case tlsConfiguration(reason: String)

    public var description: String {
        switch self {
        case .invalidArgument(let why):
            why
        case .alreadyExists(let path, let hint):
            "\(path) already exists; \(hint)"
        case .fileMissing(let path):
            "\(path): file not found"
        case .keyFileTooPermissive(let path, let mode):
            "\(path): private key file has mode \(String(mode & 0o7777, radix: 8)); "
                + "group and others must have no access (chmod 600 \(path))"
        case .fileSystem(let path, let reason):
            "\(path): \(reason)"
        case .malformedFile(let path, let reason):
            "\(path): \(reason)"
        case .revocationListSignatureInvalid(let path):
            "\(path): signature does not verify against the alliance CA; the file was altered or signed by another CA"
        case .certificateCreation(let reason):
            "cannot create certificate: \(reason)"
        case .tlsConfiguration(let reason):
            "TLS configuration: \(reason)"
        }
    }
}

extension PKIError {
    /// The PKI's reading of a file error of the runtime.
    init(_ error: FileError) {
        switch error.code {
        case .missing: self = .fileMissing(path: error.path)
        case .insecureMode: self = .keyFileTooPermissive(path: error.path, mode: error.mode ?? 0)
        default: self = .fileSystem(path: error.path, reason: error.reason)
        }
    }
}
