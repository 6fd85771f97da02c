import ExchangeRuntime

/// Every error the node reports to an operator or a caller: a stable ``Code`` (what tests and callers
/// check), a message that names the file, line, field, peer or entry and the reason, never a subject
/// identifier, and the error underneath when there is one (kept as a value, shown after the message).
///
/// Two node errors are equal when their codes are: `#expect(throws: NodeError.store(""))` checks that
/// a store failure happened, whatever its message.
///
/// ```swift
/// throw .store("cannot open \(path)", underlying: error)
/// throw .peer(member: peer.member, reason: "feed answered HTTP \(status)")
/// ```
public struct NodeError: CodedError {
    public typealias Code = ErrorCode<NodeError>

    public let code: Code
    /// What happened, in words for an operator; never a subject identifier.
    public let message: String
    /// The error underneath (a SQLite, TLS, file or decoding error), when there is one.
    public let underlying: (any Error & Sendable)?
    /// For ``Code/importRejected``: the first problems, each `FILE:LINE: field: reason`.
    public let problems: [String]
    /// Where the error was made.
    public let file: String
    public let line: UInt

    public init(_ code: Code, _ message: String, underlying: (any Error & Sendable)? = nil, problems: [String] = [],
                file: String = #fileID, line: UInt = #line) {
        self.code = code
        self.message = message
        self.underlying = underlying
        self.problems = problems
        self.file = file
        self.line = line
    }
}

extension ErrorCode<NodeError> {
    /// A command-line or request argument that cannot be used.
    public static var invalidArgument: Self { Self("invalid-argument") }
    /// A file is missing, unreadable or not what it must be.
    public static var fileUnreadable: Self { Self("file-unreadable") }
    /// A file or directory cannot be written.
    public static var fileUnwritable: Self { Self("file-unwritable") }
    /// A secret file that group or others may read.
    public static var insecureKeyFile: Self { Self("insecure-key-file") }
    /// The home directory holds no node (run `init`).
    public static var notInitialised: Self { Self("not-initialised") }
    /// The home directory already holds a node.
    public static var alreadyInitialised: Self { Self("already-initialised") }
    /// An import refused as a whole (its rows' problems are in ``NodeError/problems``).
    public static var importRejected: Self { Self("import-rejected") }
    /// A watch registration or removal refused as a whole (its rows' problems are in ``NodeError/problems``).
    public static var registrationRejected: Self { Self("registration-rejected") }
    /// The store failed (SQLite, or a row that does not decode).
    public static var store: Self { Self("store") }
    /// The store was migrated by a newer version of exchange-node; this one refuses to open it.
    public static var storeFromNewerVersion: Self { Self("store-from-newer-version") }
    /// No such entry.
    public static var unknownEntry: Self { Self("unknown-entry") }
    /// A peer (or the coordinator) could not be reached or answered wrongly.
    public static var peer: Self { Self("peer") }
    /// Data from a peer or a file breaks the protocol (bad signature, wrong origin, unknown cursor, ...).
    public static var protocolViolation: Self { Self("protocol-violation") }
    /// The node's configuration or key material is not usable.
    public static var configuration: Self { Self("configuration") }
    /// The node was restored from a backup and has not yet taken its own feed back from every peer:
    /// it publishes nothing (import, revoke, appeal decisions, key rotation) until it has.
    public static var feedRecoveryPending: Self { Self("feed-recovery-pending") }
    /// A backup file that cannot be restored (format, manifest, checksum, unsafe path).
    public static var backupInvalid: Self { Self("backup-invalid") }
    /// A certificate refused for this node (another key or member, not from the node's CA, not valid now).
    public static var certificateRefused: Self { Self("certificate-refused") }
}

extension NodeError {
    public static func invalidArgument(_ why: String, file: String = #fileID, line: UInt = #line) -> NodeError {
        NodeError(.invalidArgument, why, file: file, line: line)
    }

    public static func fileUnreadable(_ path: String, reason: String, underlying: (any Error & Sendable)? = nil,
                                      file: String = #fileID, line: UInt = #line) -> NodeError {
        NodeError(.fileUnreadable, "\(path): \(reason)", underlying: underlying, file: file, line: line)
    }

    public static func fileUnwritable(_ path: String, reason: String, underlying: (any Error & Sendable)? = nil,
                                      file: String = #fileID, line: UInt = #line) -> NodeError {
        NodeError(.fileUnwritable, "\(path): cannot write: \(reason)", underlying: underlying, file: file, line: line)
    }

    public static func insecureKeyFile(_ path: String, mode: String, file: String = #fileID, line: UInt = #line) -> NodeError {
        NodeError(.insecureKeyFile, "\(path): key file has mode \(mode); it must not be readable by group or others (chmod 600)",
                  file: file, line: line)
    }

    public static func notInitialised(_ path: String, file: String = #fileID, line: UInt = #line) -> NodeError {
        NodeError(.notInitialised, "\(path) is not a node home (run `exchange-node init` first)", file: file, line: line)
    }

    public static func alreadyInitialised(_ path: String, file: String = #fileID, line: UInt = #line) -> NodeError {
        NodeError(.alreadyInitialised, "\(path) already holds a node home", file: file, line: line)
    }

    /// `problems` are the first rows' problems (`FILE:LINE: field: reason`), `total` how many there were.
    public static func importRejected(file path: String, problems: [String], total: Int) -> NodeError {
        let message = "\(path): import rejected, nothing was stored (\(total) problem\(total == 1 ? "" : "s")):\n"
            + problems.joined(separator: "\n")
            + (total > problems.count ? "\n... and \(total - problems.count) more" : "")
        return NodeError(.importRejected, message, problems: problems)
    }

    /// A watch registration (or removal) refused as a whole: nothing was registered.
    public static func registrationRejected(file path: String, problems: [String], total: Int) -> NodeError {
        let message = "\(path): registration rejected, nothing was registered (\(total) problem\(total == 1 ? "" : "s")):\n"
            + problems.joined(separator: "\n")
            + (total > problems.count ? "\n... and \(total - problems.count) more" : "")
        return NodeError(.registrationRejected, message, problems: problems)
    }

    public static func store(_ why: String, underlying: (any Error & Sendable)? = nil,
                             file: String = #fileID, line: UInt = #line) -> NodeError {
        NodeError(.store, "store: \(why)", underlying: underlying, file: file, line: line)
    }

    public static func storeFromNewerVersion(_ path: String, file: String = #fileID, line: UInt = #line) -> NodeError {
        NodeError(.storeFromNewerVersion,
                  "store: \(path) was migrated by a newer version of exchange-node; this version refuses to open it (upgrade exchange-node)",
                  file: file, line: line)
    }

    public static func unknownEntry(_ id: String, file: String = #fileID, line: UInt = #line) -> NodeError {
        NodeError(.unknownEntry, "no entry '\(id)'", file: file, line: line)
    }

    public static func peer(member: String, reason: String, underlying: (any Error & Sendable)? = nil,
                            file: String = #fileID, line: UInt = #line) -> NodeError {
        NodeError(.peer, "peer \(member): \(reason)", underlying: underlying, file: file, line: line)
    }

    public static func protocolViolation(_ why: String, underlying: (any Error & Sendable)? = nil,
                                         file: String = #fileID, line: UInt = #line) -> NodeError {
        NodeError(.protocolViolation, "protocol: \(why)", underlying: underlying, file: file, line: line)
    }

    public static func configuration(_ why: String, underlying: (any Error & Sendable)? = nil,
                                     file: String = #fileID, line: UInt = #line) -> NodeError {
        NodeError(.configuration, "configuration: \(why)", underlying: underlying, file: file, line: line)
    }

    public static func feedRecoveryPending(waitingFor peers: [String], file: String = #fileID, line: UInt = #line) -> NodeError {
        NodeError(.feedRecoveryPending, "this node was restored from a backup and is recovering its own feed from its peers"
                  + (peers.isEmpty ? "" : " (waiting for \(peers.joined(separator: ", ")))")
                  + "; nothing can be published until every peer has answered (see `exchange-node status`)",
                  file: file, line: line)
    }

    public static func backupInvalid(_ path: String, _ why: String, underlying: (any Error & Sendable)? = nil,
                                     file: String = #fileID, line: UInt = #line) -> NodeError {
        NodeError(.backupInvalid, "\(path): \(why)", underlying: underlying, file: file, line: line)
    }

    public static func certificateRefused(_ path: String, _ why: String, file: String = #fileID, line: UInt = #line) -> NodeError {
        NodeError(.certificateRefused, "\(path): \(why)", file: file, line: line)
    }
}
