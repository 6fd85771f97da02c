import ExchangeCrypto
import Foundation
import GRDB

/// Watched identifiers sealed in boxes of many accounts (docs/watch.md, "Sealed identifiers"): one
/// AES-GCM seal per box, where one per account cost more than the rest of a registration (swift-crypto
/// sets up a context and draws a nonce per call: about 4 µs).
///
/// A box (`watch_seals.box`) seals, per slot, the account's ref and its identifier; a blank slot (an
/// account removed, or one a registration did not insert) holds nothing. A registration fills each box
/// up to ``maxPlainBytes`` (so a box and its seal fill one 4 KiB page: boxes of a fixed 64 slots left a
/// sixth of every page empty) and at most ``maxSlots`` slots. From v12 an account's id is its box and
/// slot (`WatchLayout`); an account of v8 to v11 has a `watched` row whose `sealed` holds a ``Reference``
/// to them. Opening by ref checks that the slot names that ref, so neither a `watch_refs` row nor a
/// reference can be pointed at another account's identifier. Rows registered before boxes keep a box
/// of their own in `sealed` (`IdentifierSeal`, at least 31 bytes; a reference is at most 10).
enum WatchSealBox {
    /// Most slots in one box: a reference names its slot in one byte.
    static let maxSlots = 255
    /// Most plaintext bytes a registration puts in one box: with the seal's 28 bytes and SQLite's
    /// record and cell headers, one box stays within a 4 KiB page's 4 061 bytes of local payload.
    static let maxPlainBytes = 3_968
    /// The authenticated data of every box.
    static let context = "\u{0}watch-box\u{0}"

    /// The accounts of each box when accounts whose slots take `sizes` bytes (`WatchBoxPlaintext.size`)
    /// are put in boxes in order: each box takes accounts while its plaintext (the format byte and the
    /// slots) holds at most ``maxPlainBytes`` and ``maxSlots`` slots (an account larger than that gets a
    /// box of its own).
    static func boxRanges(slotSizes sizes: [Int]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0, bytes = 1
        for (position, size) in sizes.enumerated() {
            if position > start && (position - start == maxSlots || bytes + size > maxPlainBytes) {
                ranges.append(start..<position)
                start = position
                bytes = 1
            }
            bytes += size
        }
        if start < sizes.count { ranges.append(start..<sizes.count) }
        return ranges
    }

    /// Where an account's identifier is sealed: its box's id and its slot in it.
    ///
    /// Stored as `0xC0 + n ‖ box id (n bytes, big endian, n = 1...8, as few as it needs) ‖ slot`: 5 bytes
    /// for the first 2²⁴ boxes. References written before v11 are `0xB0 ‖ box id (8 bytes) ‖ slot`
    /// and still read.
    struct Reference: Equatable, Sendable {
        /// The largest reference (a box id that needs 8 bytes).
        static let maxSize = 10
        static let legacyMarker: UInt8 = 0xB0
        static let marker: UInt8 = 0xC0
        let box: Int64
        let slot: Int

        var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

        /// How many bytes the box id takes (at least one).
        private var boxBytes: Int {
            max(1, (64 - UInt64(bitPattern: box).leadingZeroBitCount + 7) / 8)
        }

        /// The reference's bytes, without allocating (the registration binds one per account).
        func withUnsafeBytes<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
            var buffer: (UInt64, UInt64) = (0, 0)
            let count = boxBytes
            return try Swift.withUnsafeMutableBytes(of: &buffer) { out in
                out[0] = Self.marker + UInt8(count)
                var rest = UInt64(bitPattern: box)
                for index in stride(from: count, through: 1, by: -1) {
                    out[index] = UInt8(truncatingIfNeeded: rest)
                    rest >>= 8
                }
                out[count + 1] = UInt8(slot)
                return try body(UnsafeRawBufferPointer(rebasing: out[0..<count + 2]))
            }
        }

        /// The reference `sealed` holds, nil when it is a box of its own (rows from before boxes).
        init?(_ sealed: [UInt8]) {
            guard let first = sealed.first, sealed.count >= 3, sealed.count <= Self.maxSize else { return nil }
            let count = sealed.count - 2
            guard first == Self.marker + UInt8(count) || (first == Self.legacyMarker && count == 8) else { return nil }
            box = Int64(bitPattern: sealed[1...count].reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
            slot = Int(sealed[count + 1])
        }

        init(box: Int64, slot: Int) {
            self.box = box
            self.slot = slot
        }
    }

    /// One slot: the account's ref and identifier, or nil for a blank slot.
    typealias Slot = (ref: String, identifier: SubjectIdentifier)?

    /// The sealed box of `slots` (`WatchBoxPlaintext`, format 2).
    static func seal(_ slots: [Slot], with seal: IdentifierSeal) throws -> [UInt8] {
        try seal.sealBytes(WatchBoxPlaintext.encode(slots), context: context)
    }

    /// The slots of a sealed box.
    static func open(_ box: [UInt8], with seal: IdentifierSeal) throws -> [Slot] {
        let opened = try Opened(box, with: seal)
        return try (0..<opened.count).map { try opened.slot($0) }
    }

    /// A box opened, its slots decoded one at a time (a hit on arrival needs one of many).
    struct Opened {
        private let plain: [UInt8]
        /// Where each slot starts in `plain`.
        private let starts: [Int]

        init(_ box: [UInt8], with seal: IdentifierSeal) throws {
            plain = try seal.openBytes(box, context: WatchSealBox.context)
            starts = try WatchBoxPlaintext.slotStarts(plain)
        }

        var count: Int { starts.count }

        func slot(_ index: Int) throws -> Slot {
            try WatchBoxPlaintext.slot(plain, at: starts[index])
        }
    }
}

/// Opens watched accounts' identifiers inside a caller's transaction or read, from their box (the
/// last box opened is kept: accounts read in id order share boxes) or their own legacy box.
final class WatchSealOpener {
    private let seal: IdentifierSeal
    private let read: RawStatement
    private var cached: (id: Int64, box: WatchSealBox.Opened?)?

    init(_ db: Database, seal: IdentifierSeal) throws {
        self.seal = seal
        read = try RawStatement(db, "SELECT box FROM watch_seals WHERE id = ?")
    }

    /// The contents of `slot` in box `box`: nil when the box is gone or the slot is blank (the
    /// account was removed, or never inserted).
    func slot(box: Int64, slot: Int) throws(NodeError) -> WatchSealBox.Slot {
        guard let opened = try opened(box), slot < opened.count else { return nil }
        do {
            return try opened.slot(slot)
        } catch {
            throw .store("sealed watch box \(box) does not open", underlying: error)
        }
    }

    /// The identifier of the account `ref` registered before v12, whose `watched.sealed` is `sealed`:
    /// a reference to a slot that must name `ref` (a reference pointed at another account's slot does
    /// not open), or a box of its own.
    func identifier(ref: String, sealed: [UInt8]) throws(NodeError) -> SubjectIdentifier {
        guard let reference = WatchSealBox.Reference(sealed) else { return try Self.openOwnBox(sealed, ref: ref, seal: seal) }
        guard try opened(reference.box) != nil else { throw .store("watched account \(ref): its sealed box is missing") }
        guard let slot = try slot(box: reference.box, slot: reference.slot), slot.ref == ref else {
            throw .store("watched account \(ref): its sealed identifier is not in its box")
        }
        return slot.identifier
    }

    private func opened(_ box: Int64) throws(NodeError) -> WatchSealBox.Opened? {
        if let cached, cached.id == box { return cached.box }
        do {
            defer { read.reset() }
            read.bind(1, box)
            let opened = try read.step() ? try WatchSealBox.Opened(read.blob(0), with: seal) : nil
            cached = (box, opened)
            return opened
        } catch {
            throw .store("sealed watch box \(box) does not open", underlying: error)
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

    /// Releases the slot of the watched account `id` (`WatchLayout`). An account of before v12 also
    /// loses its `watched` row here, and the slot its reference names is released.
    mutating func release(account id: Int64, layout: WatchLayout, _ db: Database) throws {
        guard layout.isLegacy(id) else {
            let place = WatchLayout.place(of: id)
            release(box: place.box, slot: place.slot)
            return
        }
        let delete = try RawStatement(db, "DELETE FROM watched WHERE id = ? RETURNING sealed")
        defer { delete.reset() }
        delete.bind(1, id)
        if try delete.step() { release(delete.blob(0)) }
        while try delete.step() {}
    }

    func apply(_ db: Database, seal: IdentifierSeal) throws {
        guard !slots.isEmpty else { return }
        let read = try RawStatement(db, "SELECT box FROM watch_seals WHERE id = ?")
        let update = try RawStatement(db, "UPDATE watch_seals SET box = ? WHERE id = ?")
        let delete = try RawStatement(db, "DELETE FROM watch_seals WHERE id = ?")
        for (box, released) in slots.sorted(by: { $0.key < $1.key }) {
            read.bind(1, box)
            let sealed = try read.step() ? read.blob(0) : nil
            read.reset()
            guard let sealed else { continue }
            var contents = try WatchSealBox.open(sealed, with: seal)
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
