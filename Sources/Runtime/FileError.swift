/// Why reading or writing a file failed: a stable code, the path and the reason (never the
/// file's content), and the system's error when there was one.
package struct FileError: Error, Sendable, CustomStringConvertible {
    package typealias Code = ErrorCode<FileError>

    package let code: Code
    package let path: String
    /// What went wrong, e.g. `missing field 'member'`; never a value read from the file.
    package let reason: String
    /// For ``Code/insecureMode``: the file's `st_mode`.
    package let mode: UInt32?
    /// The system or decoding error behind it, if any.
    package let underlying: (any Error & Sendable)?

    package init(_ code: Code, path: String, reason: String, mode: UInt32? = nil, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.path = path
        self.reason = reason
        self.mode = mode
        self.underlying = underlying
    }

    package var description: String {
        switch code {
        case .unwritable: "\(path): cannot write: \(reason)"
        case .insecureMode:
            "\(path): key file has mode \(String((mode ?? 0) & 0o777, radix: 8)); it must not be readable by group or others (chmod 600)"
        default: "\(path): \(reason)"
        }
    }
}

extension ErrorCode<FileError> {
    /// The file does not exist.
    package static var missing: Self { Self("missing") }
    /// It exists but cannot be read, or is not what it must be (not JSON, not a regular file, ...).
    package static var unreadable: Self { Self("unreadable") }
    /// It (or its directory) cannot be written.
    package static var unwritable: Self { Self("unwritable") }
    /// A secret that group or others may access (`st_mode & 0o077 != 0`).
    package static var insecureMode: Self { Self("insecure-mode") }
}
