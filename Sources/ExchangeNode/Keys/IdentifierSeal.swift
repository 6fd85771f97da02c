import Crypto
import ExchangeCrypto
import Foundation

/// Seals an entry's identifiers with the node-local key (AES-GCM), so the node can re-tokenise
/// its own entries after a token-key rotation without keeping them in plaintext.
struct IdentifierSeal: Sendable {
    let key: SymmetricKey

    func seal(_ identifiers: [SubjectIdentifier], entryID: String) throws -> [UInt8] {
        var plain = [UInt8]()
        for identifier in identifiers {
            let value = identifier.canonicalUTF8
            plain.append(identifier.kind.code)
            plain.append(UInt8(truncatingIfNeeded: value.count >> 8))
            plain.append(UInt8(truncatingIfNeeded: value.count))
            plain.append(contentsOf: value)
        }
        // The entry id is authenticated data: a box cannot be moved to another entry.
        let box = try AES.GCM.seal(plain, using: key, authenticating: Array(entryID.utf8))
        return Array(box.combined!)
    }

    func open(_ sealed: [UInt8], entryID: String) throws -> [SubjectIdentifier] {
        let box = try AES.GCM.SealedBox(combined: sealed)
        let plain = [UInt8](try AES.GCM.open(box, using: key, authenticating: Array(entryID.utf8)))
        var identifiers = [SubjectIdentifier]()
        var offset = 0
        while offset + 3 <= plain.count {
            guard let kind = IdentifierKind(code: plain[offset]) else { throw NodeError.store("sealed identifiers: unknown kind") }
            let length = Int(plain[offset + 1]) << 8 | Int(plain[offset + 2])
            offset += 3
            guard offset + length <= plain.count else { throw NodeError.store("sealed identifiers: truncated") }
            identifiers.append(SubjectIdentifier(kind: kind, uncheckedCanonical: String(decoding: plain[offset..<offset + length], as: UTF8.self)))
            offset += length
        }
        return identifiers
    }
}
