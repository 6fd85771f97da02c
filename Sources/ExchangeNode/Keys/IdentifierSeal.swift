import Crypto
import ExchangeCrypto
import Foundation

/// Seals identifiers with the node-local key (AES-256-GCM, `nonce ‖ ciphertext ‖ tag`), so the node
/// can re-tokenise its own entries (and re-derive its watched accounts) after a token-key rotation
/// without keeping them in plaintext. The context (an entry id, or a watch box's) is authenticated
/// data: a box cannot be moved to another entry.
struct IdentifierSeal: Sendable {
    let key: SymmetricKey

    func seal(_ identifiers: [SubjectIdentifier], entryID: String) throws -> [UInt8] {
        var plain = [UInt8]()
        for identifier in identifiers { Self.encode(identifier, into: &plain) }
        return try sealBytes(plain, context: entryID)
    }

    func open(_ sealed: [UInt8], entryID: String) throws -> [SubjectIdentifier] {
        let plain = try openBytes(sealed, context: entryID)
        var identifiers = [SubjectIdentifier]()
        var offset = 0
        while offset + 3 <= plain.count { identifiers.append(try Self.decode(plain, at: &offset)) }
        return identifiers
    }

    func sealBytes(_ plain: [UInt8], context: String) throws -> [UInt8] {
        Array(try AES.GCM.seal(plain, using: key, authenticating: Array(context.utf8)).combined!)
    }

    func openBytes(_ sealed: [UInt8], context: String) throws -> [UInt8] {
        let box = try AES.GCM.SealedBox(combined: sealed)
        return [UInt8](try AES.GCM.open(box, using: key, authenticating: Array(context.utf8)))
    }

    /// `kind ‖ length (2 bytes) ‖ canonical UTF-8`.
    static func encode(_ identifier: SubjectIdentifier, into plain: inout [UInt8]) {
        let value = identifier.canonicalUTF8
        plain.append(identifier.kind.code)
        plain.append(UInt8(truncatingIfNeeded: value.count >> 8))
        plain.append(UInt8(truncatingIfNeeded: value.count))
        plain.append(contentsOf: value)
    }

    static func decode(_ plain: [UInt8], at offset: inout Int) throws -> SubjectIdentifier {
        guard offset + 3 <= plain.count, let kind = IdentifierKind(code: plain[offset]) else {
            throw NodeError.store("sealed identifiers: unknown kind")
        }
        let length = Int(plain[offset + 1]) << 8 | Int(plain[offset + 2])
        offset += 3
        guard offset + length <= plain.count else { throw NodeError.store("sealed identifiers: truncated") }
        defer { offset += length }
        return SubjectIdentifier(kind: kind, uncheckedCanonical: String(decoding: plain[offset..<offset + length], as: UTF8.self))
    }
}
