import Crypto
import Foundation

/// An order-independent digest of a set of entries: the sum modulo 2²⁵⁶ of one SHA-256 per entry
/// (the additive multiset hash, MSet-Add-Hash). Adding an entry's element and subtracting it again
/// gives back the same sum, so a node keeps the digest of each origin up to date as entries change
/// (``DigestLedger``) instead of hashing every entry on every round.
///
/// It detects accidental divergence (a missed, extra or altered entry), not forgery: events are
/// signed by their origin, and the only party that chooses an origin's entries is the origin, which
/// could answer any digest anyway (docs/threat-model.md).
struct DigestSum: Equatable, Sendable {
    /// Four 64-bit limbs, most significant first.
    private(set) var limbs: (UInt64, UInt64, UInt64, UInt64)

    static let zero = DigestSum(limbs: (0, 0, 0, 0))

    /// Separates this use of SHA-256 from every other hash of the same bytes.
    private static let domain = Array("exchange-node/anti-entropy/v2".utf8)

    init(limbs: (UInt64, UInt64, UInt64, UInt64)) {
        self.limbs = limbs
    }

    /// The 32 big-endian bytes of a stored sum; nil when `bytes` is not 32 bytes long.
    init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 32 else { return nil }
        let array = Array(bytes)
        func limb(_ index: Int) -> UInt64 {
            array[index * 8..<index * 8 + 8].reduce(0) { $0 << 8 | UInt64($1) }
        }
        limbs = (limb(0), limb(1), limb(2), limb(3))
    }

    /// The element of one entry: SHA-256 over the domain, its sequence number and its event digest.
    static func element(seq: UInt64, eventDigest: some DataProtocol) -> DigestSum {
        var hasher = SHA256()
        hasher.update(data: domain)
        var bigEndian = seq.bigEndian
        withUnsafeBytes(of: &bigEndian) { hasher.update(bufferPointer: $0) }
        hasher.update(data: eventDigest)
        return hasher.finalize().withUnsafeBytes { raw in
            func limb(_ index: Int) -> UInt64 { UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)) }
            return DigestSum(limbs: (limb(0), limb(1), limb(2), limb(3)))
        }
    }

    /// The 32 big-endian bytes, as stored and as sent (hex) to peers.
    var bytes: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(32)
        for limb in [limbs.0, limbs.1, limbs.2, limbs.3] {
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: limb >> UInt64(shift))) }
        }
        return out
    }

    static func + (lhs: DigestSum, rhs: DigestSum) -> DigestSum {
        let (d, c3) = lhs.limbs.3.addingReportingOverflow(rhs.limbs.3)
        let (c, c2) = Self.add(lhs.limbs.2, rhs.limbs.2, carry: c3)
        let (b, c1) = Self.add(lhs.limbs.1, rhs.limbs.1, carry: c2)
        let (a, _) = Self.add(lhs.limbs.0, rhs.limbs.0, carry: c1)
        return DigestSum(limbs: (a, b, c, d))
    }

    /// The additive inverse modulo 2²⁵⁶ (two's complement).
    static prefix func - (value: DigestSum) -> DigestSum {
        DigestSum(limbs: (~value.limbs.0, ~value.limbs.1, ~value.limbs.2, ~value.limbs.3)) + DigestSum(limbs: (0, 0, 0, 1))
    }

    static func - (lhs: DigestSum, rhs: DigestSum) -> DigestSum {
        lhs + -rhs
    }

    static func += (lhs: inout DigestSum, rhs: DigestSum) {
        lhs = lhs + rhs
    }

    static func -= (lhs: inout DigestSum, rhs: DigestSum) {
        lhs = lhs - rhs
    }

    static func == (lhs: DigestSum, rhs: DigestSum) -> Bool {
        lhs.limbs == rhs.limbs
    }

    private static func add(_ a: UInt64, _ b: UInt64, carry: Bool) -> (UInt64, Bool) {
        let (sum, overflow) = a.addingReportingOverflow(b)
        guard carry else { return (sum, overflow) }
        let (withCarry, overflowCarry) = sum.addingReportingOverflow(1)
        return (withCarry, overflow || overflowCarry)
    }
}
