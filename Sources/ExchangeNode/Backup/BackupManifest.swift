import Foundation

/// `manifest.json`, the first member of a backup archive (docs/operations.md, "Design: backup file
/// format"): who and when, what the store held, and every other member with its size, mode and SHA-256.
package struct BackupManifest: Codable, Sendable, Equatable {
    package static let formatName = "exchange-node-backup"
    package static let currentVersion = 1
    package static let fileName = "manifest.json"
    /// The largest manifest a restore reads.
    static let maxBytes = 4 << 20

    /// One member file of the archive.
    package struct File: Codable, Sendable, Equatable {
        package let path: String
        package let size: UInt64
        /// Octal, e.g. `0600`.
        package let mode: String
        package let sha256: String
    }

    /// What the store held at the snapshot.
    package struct Store: Codable, Sendable, Equatable {
        package let migrations: [String]
        /// The node's own feed head (`own_seq`).
        package let ownSeq: UInt64
        package let entries: Int
        /// The highest outbox sequence number.
        package let outboxSeq: Int64

        enum CodingKeys: String, CodingKey {
            case migrations, entries
            case ownSeq = "own_seq"
            case outboxSeq = "outbox_seq"
        }
    }

    /// The audit log's chain end at the copy.
    package struct Audit: Codable, Sendable, Equatable {
        package let files: [String]
    }

    package let format: String
    package let version: Int
    package let createdAt: String
    package let member: String
    package let alliance: String
    package let scheme: String
    package let store: Store
    package let audit: Audit
    package let files: [File]

    enum CodingKeys: String, CodingKey {
        case format, version, member, alliance, scheme, store, audit, files
        case createdAt = "created_at"
    }

    /// The mode a restored file gets: the recorded one, without group or other write or any execute bit.
    static func restoredMode(_ text: String) -> UInt32? {
        guard let mode = UInt32(text, radix: 8), mode <= 0o7777 else { return nil }
        return mode & 0o644 | 0o600
    }

    /// A member path a restore accepts: relative, of plain names (letters, digits, `.`, `_`, `-`), no `.` or `..`.
    static func isSafe(_ path: String) -> Bool {
        guard !path.isEmpty, path.utf8.count <= TarHeader.maxPathBytes, path != fileName else { return false }
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        return components.allSatisfy { component in
            !component.isEmpty && component != "." && component != ".."
                && component.utf8.allSatisfy { byte in
                    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                        || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
                }
        }
    }
}
