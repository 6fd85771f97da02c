import ExchangeCrypto
import Foundation
import GRDB

/// Watched identifiers sealed in boxes of up to ``slots`` accounts (docs/watch.md, "Sealed
/// identifiers"): one AES-GCM seal per box, where one per account cost more than the rest of a
/// registration (swift-crypto sets up a context and draws a nonce per call: about 4 µs).
///
/// A box (`watch_seals.box`) seals, per slot, the account's ref and its identifier; a blank slot (an
/// account removed, or one a registration did not insert) holds nothing. The account's `watched.sealed`
/// holds a ``Reference`` to its box and slot; opening checks that the slot names the account's ref, so
/// a reference cannot be pointed at another account's identifier. Rows registered before boxes keep a
/// box of their own in `sealed` (`IdentifierSeal`, at least 31 bytes; a reference is 10).
enum WatchSealBox {
    static let slots = 64
    /// The authenticated data of every box.
    static let context = "\u{0}watch-box\u{0}"

    /// Where an account's identifier is sealed: `0xB0 ‖ box id (8 bytes, big endian) ‖ slot`.
    struct Reference: Equatable, Sendable {
        static let size = 10
        static let marker: UInt8 = 0xB0
        let box: Int64
        let slot: Int

        var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

        /// The reference's 10 bytes, without allocating (the registration binds one per account).
        func withUnsafeBytes<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
            var buffer: (UInt64, UInt64) = (0, 0)
            return try Swift.withUnsafeMutableBytes(of: &buffer) { out in
                out[0] = Self.marker
                out.storeBytes(of: UInt64(bitPattern: box).bigEndian, toByteOffset: 1, as: UInt64.self)
                out[9] = UInt8(slot)
                return try body(UnsafeRawBufferPointer(rebasing: out[0..<Self.size]))
            }
        }

        /// The reference `sealed` holds, nil when it is a box of its own (rows from before boxes).
        init?(_ sealed: [UInt8]) {
            guard sealed.count == Self.size, sealed[0] == Self.marker else { return nil }
            box = Int64(bitPattern: sealed[1..<9].reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
            slot = Int(sealed[9])
        }

        init(box: Int64, slot: Int) {
            self.box = box
            self.slot = slot
        }
    }

    /// One slot: the account's ref and identifier, or nil for a blank slot.
    typealias Slot = (ref: String, identifier: SubjectIdentifier)?

    /// The sealed box of `slots`.
    static func seal(_ slots: [Slot], with seal: IdentifierSeal) throws -> [UInt8] {
        var plain: [UInt8] = []
        plain.reserveCapacity(slots.count * 32)
        for slot in slots {
            guard let slot else {
                plain += [0, 0]
                continue
            }
            let ref = Array(slot.ref.utf8)
            plain.append(UInt8(truncatingIfNeeded: ref.count >> 8))
            plain.append(UInt8(truncatingIfNeeded: ref.count))
            plain += ref
            IdentifierSeal.encode(slot.identifier, into: &plain)
        }
        return try seal.sealBytes(plain, context: context)
    }

    /// The slots of a sealed box.
    static func open(_ box: [UInt8], with seal: IdentifierSeal) throws -> [Slot] {
        let opened = try Opened(box, with: seal)
        return try (0..<opened.count).map { try opened.slot($0) }
    }

    /// A box opened, its slots decoded one at a time (a hit on arrival needs one of 64).
    struct Opened {
        private let plain: [UInt8]
        /// Where each slot starts in `plain`.
        private let starts: [Int]

        init(_ box: [UInt8], with seal: IdentifierSeal) throws {
            plain = try seal.openBytes(box, context: WatchSealBox.context)
            var starts: [Int] = []
            var offset = 0
            while offset + 2 <= plain.count {
                starts.append(offset)
                let length = Int(plain[offset]) << 8 | Int(plain[offset + 1])
                offset += 2
                guard length > 0 else { continue }
                offset += length
                guard offset + 3 <= plain.count else { throw NodeError.store("sealed watch box: truncated") }
                offset += 3 + (Int(plain[offset + 1]) << 8 | Int(plain[offset + 2]))
            }
            guard offset == plain.count else { throw NodeError.store("sealed watch box: truncated") }
            self.starts = starts
        }

        var count: Int { starts.count }

        func slot(_ index: Int) throws -> Slot {
            var offset = starts[index]
            let length = Int(plain[offset]) << 8 | Int(plain[offset + 1])
            offset += 2
            guard length > 0 else { return nil }
            let ref = String(decoding: plain[offset..<offset + length], as: UTF8.self)
            offset += length
            return (ref, try IdentifierSeal.decode(plain, at: &offset))
        }
    }
}

/// Opens watched accounts' identifiers inside a caller's transaction or read, from their box (the
/// last box opened is kept: accounts read in id order share boxes) or their own legacy box.
final class WatchSealOpener {
    private let seal: IdentifierSeal
    private let read: RawStatement
    private var cached: (id: Int64, box: WatchSealBox.Opened)?

    init(_ db: Database, seal: IdentifierSeal) throws {
        self.seal = seal
        read = try RawStatement(db, "SELECT box FROM watch_seals WHERE id = ?")
    }

    /// The identifier of the account `ref` whose `watched.sealed` is `sealed`.
    func identifier(ref: String, sealed: [UInt8]) throws(NodeError) -> SubjectIdentifier {
        guard let reference = WatchSealBox.Reference(sealed) else { return try Self.openOwnBox(sealed, ref: ref, seal: seal) }
        let box = try opened(reference.box, ref: ref)
        let slot: WatchSealBox.Slot
        do {
            slot = reference.slot < box.count ? try box.slot(reference.slot) : nil
        } catch {
            throw .store("watched account \(ref): its sealed box does not open", underlying: error)
        }
        guard let slot, slot.ref == ref else { throw .store("watched account \(ref): its sealed identifier is not in its box") }
        return slot.identifier
    }

    private func opened(_ box: Int64, ref: String) throws(NodeError) -> WatchSealBox.Opened {
        if let cached, cached.id == box { return cached.box }
        do {
            defer { read.reset() }
            read.bind(1, box)
            guard try read.step() else { throw NodeError.store("watched account \(ref): its sealed box is missing") }
            let opened = try WatchSealBox.Opened(read.blob(0), with: seal)
            cached = (box, opened)
            return opened
        } catch let error as NodeError {
            throw error
        } catch {
            throw .store("watched account \(ref): its sealed box does not open", underlying: error)
        }
    }

    /// An account registered before boxes: its identifier in a box of its own, the ref authenticated.
    static func openOwnBox(_ sealed: [UInt8], ref: String, seal: IdentifierSeal) throws(NodeError) -> SubjectIdentifier {
        do {
            guard let identifier = try seal.open(sealed, entryID: ownBoxContext(ref)).first else {
                throw NodeError.store("watched account \(ref): empty sealed identifier")
            }
            return identifier
        } catch let error as NodeError {
            throw error
        } catch {
            throw .store("watched account \(ref): its sealed identifier does not open", underlying: error)
        }
    }

    /// The authenticated data of an account's own box: never an entry id (those have no NUL).
    static func ownBoxContext(_ ref: String) -> String { "\u{0}watch\u{0}" + ref }
}

/// Slots to blank, collected over a transaction and applied once per box at its end: each box is
/// opened, its released slots blanked and sealed again (a removed account's identifier does not stay
/// behind, even sealed), or deleted when no slot is left.
struct WatchSealReleases {
    private var slots: [Int64: Set<Int>] = [:]

    var isEmpty: Bool { slots.isEmpty }

    /// Releases the slot `sealed` refers to (nothing for a legacy box of its own: its row is gone).
    mutating func release(_ sealed: [UInt8]) {
        guard let reference = WatchSealBox.Reference(sealed) else { return }
        slots[reference.box, default: []].insert(reference.slot)
    }

    mutating func release(box: Int64, slot: Int) {
        slots[box, default: []].insert(slot)
    }

    func apply(_ db: Database, seal: IdentifierSeal) throws {
        guard !slots.isEmpty else { return }
        let read = try RawStatement(db, "SELECT box FROM watch_seals WHERE id = ?")
        let update = try RawStatement(db, "UPDATE watch_seals SET box = ? WHERE id = ?")
        let delete = try RawStatement(db, "DELETE FROM watch_seals WHERE id = ?")
        for (box, released) in slots.sorted(by: { $0.key < $1.key }) {
            read.bind(1, box)
            guard try read.step() else {
                read.reset()
                continue
            }
            var contents = try WatchSealBox.open(read.blob(0), with: seal)
            read.reset()
            for slot in released where slot < contents.count { contents[slot] = nil }
            if contents.allSatisfy({ $0 == nil }) {
                delete.bind(1, box)
                try delete.run()
            } else {
                update.bind(1, blob: try WatchSealBox.seal(contents, with: seal))
                update.bind(2, box)
                try update.run()
            }
        }
    }
}
