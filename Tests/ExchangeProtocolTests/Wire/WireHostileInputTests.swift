import Crypto
import ExchangeCrypto
import ExchangeProtocol
import Testing

/// Hostile bytes at the wire decoders and the verifier: every refusal is a `WireError` naming the field,
/// never a crash, and each test targets one defence (removing it makes the test fail).
@Suite("Hostile: wire decoders and feed verifier")
struct WireHostileInputTests {
    static let key = P256.Signing.PrivateKey()

    static func event(seq: UInt64, entryID: String? = nil, version: UInt32 = 1, origin: String = "alpha", expires: Bool = true) -> EntryEvent {
        EntryEvent(origin: origin, seq: seq, entryID: entryID ?? "E\(seq)", version: version, status: .active,
                   revocationReason: nil, list: .black, category: .brushing, severity: .serious, role: nil,
                   listedOn: Day(parsing: "2026-01-01")!, expiresOn: expires ? Day(parsing: "2027-01-01") : nil,
                   scheme: TokenSchemeDescriptor(scheme: .keyedHash, epoch: 1),
                   tokens: [Token32(w0: seq, w1: 1, w2: 2, w3: 3)], changedAt: 1_767_225_600_000)
    }

    /// A page of `events` (in the given order), one batch per event, signed by `signer`.
    static func page(_ events: [EntryEvent], coveredThrough: UInt64? = nil, signer: P256.Signing.PrivateKey = key) throws -> FeedPage {
        let items = events.map { (event: $0, canonical: $0.canonicalBytes()) }
        let batches = try items.map {
            try SignedBatch.sign(origin: "alpha", firstSeq: $0.event.seq, digests: [Array(SHA256.hash(data: $0.canonical))], key: signer)
        }
        return FeedPage(origin: "alpha", originCertificateDER: [0x30, 0x00], coveredThrough: coveredThrough ?? events.map(\.seq).max() ?? 0,
                        hasMore: false, batches: batches, events: items)
    }

    static func decodeError(_ bytes: [UInt8]) -> WireError? {
        do {
            _ = try FeedPage(decoding: bytes)
            return nil
        } catch {
            return error
        }
    }

    // MARK: malformed and truncated

    @Test("every truncation of a valid page and of a valid event is refused with a WireError")
    func truncations() throws {
        let bytes = try Self.page([Self.event(seq: 1), Self.event(seq: 2)]).encoded()
        // A prefix of a page is refused for being short (truncated), or, when it cuts the magic, for not
        // being a page at all; an event's prefix always ends before its fields do.
        for length in 0..<bytes.count {
            #expect {
                try FeedPage(decoding: Array(bytes[..<length]))
            } throws: { error in
                switch error as? WireError {
                case .truncated?: true
                case .badMagic?: length < 4
                default: false
                }
            }
        }
        let event = Self.event(seq: 9).canonicalBytes()
        for length in 0..<event.count {
            #expect {
                try EntryEvent(canonical: Array(event[..<length]))
            } throws: { error in
                guard case .truncated? = error as? WireError else { return false }
                return true
            }
        }
    }

    @Test("a varint padded with a zero group is refused (one meaning, one encoding)")
    func nonMinimalVarint() throws {
        // Event count 1 written as 0x81 0x00 instead of 0x01: same number, different bytes.
        let page = try Self.page([Self.event(seq: 1)])
        var bytes = page.encoded()
        let eventLength = page.events[0].canonical.count
        let countIndex = bytes.count - eventLength - 2  // varint(1) then varint(length) (< 128) then the event
        #expect(bytes[countIndex] == 1 && Int(bytes[countIndex + 1]) == eventLength)
        bytes.replaceSubrange(countIndex...countIndex, with: [0x81, 0x00])
        #expect(Self.decodeError(bytes) == .malformed("event count: varint is not minimally encoded"))
    }

    @Test("an event without expiry but with a non-zero expires_on field is refused")
    func nonCanonicalExpiry() throws {
        var bytes = Self.event(seq: 1, expires: false).canonicalBytes()
        // ... | i32 listed_on | u8 has_expiry | i32 expires_on | u8 scheme | u32 epoch | u64 changed_at | varint n | n × 32
        let expiresAt = bytes.count - 32 - 1 - 8 - 4 - 1 - 4
        #expect(bytes[expiresAt - 1] == 0 && bytes[expiresAt..<expiresAt + 4].allSatisfy { $0 == 0 })
        bytes[expiresAt + 3] = 1
        #expect(throws: WireError.malformed("expires_on must be zero when there is no expiry")) { try EntryEvent(canonical: bytes) }
    }

    @Test("sequence numbers beyond 2^63-1 are refused in events, batches and covered_through")
    func sequencesBeyondTheStoreRange() throws {
        let huge = UInt64(Int64.max) + 1
        #expect(throws: WireError.malformed("seq exceeds 2^63-1")) {
            try EntryEvent(canonical: Self.event(seq: huge).canonicalBytes())
        }
        let covered = try Self.page([Self.event(seq: 1)], coveredThrough: UInt64.max).encoded()
        #expect(Self.decodeError(covered) == .malformed("covered-through sequence exceeds 2^63-1"))
        let batch = try SignedBatch.sign(origin: "alpha", firstSeq: UInt64(Int64.max), digests: [[UInt8](repeating: 1, count: 32), [UInt8](repeating: 2, count: 32)], key: Self.key)
        let page = FeedPage(origin: "alpha", originCertificateDER: [], coveredThrough: 1, hasMore: false, batches: [batch], events: [])
        #expect(Self.decodeError(page.encoded()) == .malformed("batch sequence out of range"))
    }

    // MARK: oversized

    @Test("oversized pages, counts, tokens and fields are refused before they are allocated")
    func oversized() throws {
        #expect(Self.decodeError([UInt8](repeating: 0, count: WireLimits.default.maxPageBytes + 1))
                == .oversized("feed page", limit: WireLimits.default.maxPageBytes))
        // A header claiming more events than a page may hold.
        var writer = ByteWriter()
        writer.raw(FeedPage.magic)
        writer.u16(1)
        writer.string("alpha")
        writer.data([UInt8]())
        writer.u64(1)
        writer.u8(0)
        writer.varint(0)
        writer.varint(UInt64(WireLimits.default.maxEventsPerPage) + 1)
        #expect(Self.decodeError(writer.bytes) == .oversized("events per page", limit: WireLimits.default.maxEventsPerPage))
        let tooManyTokens = EntryEvent(
            origin: "alpha", seq: 1, entryID: "E", version: 1, status: .active, revocationReason: nil, list: .black,
            category: .brushing, severity: .general, role: nil, listedOn: Day(ordinal: 1), expiresOn: nil,
            scheme: TokenSchemeDescriptor(scheme: .keyedHash, epoch: 1),
            tokens: (1...65).map { Token32(w0: UInt64($0), w1: 0, w2: 0, w3: 0) }, changedAt: 0)
        #expect(throws: WireError.oversized("tokens per entry", limit: 64)) { try EntryEvent(canonical: tooManyTokens.canonicalBytes()) }
        let longID = Self.event(seq: 1, entryID: String(repeating: "x", count: 129)).canonicalBytes()
        #expect(throws: WireError.oversized("entry_id", limit: 128)) { try EntryEvent(canonical: longID) }
    }

    // MARK: deeply nested / wrong version

    @Test("wrong versions are refused: page version, event encoding")
    func wrongVersions() throws {
        var bytes = try Self.page([Self.event(seq: 1)]).encoded()
        bytes[5] = 9  // u16 version after the 4-byte magic
        #expect(Self.decodeError(bytes) == .unsupportedVersion(9, supported: 1...1))
        var event = Self.event(seq: 1).canonicalBytes()
        event[0] = 2
        #expect(throws: WireError.unsupportedVersion(2, supported: 1...1)) { try EntryEvent(canonical: event) }
        #expect(Self.decodeError(Array("XNFQ".utf8) + [0, 1]) == .badMagic)
    }

    @Test("a page nesting an event of another origin is refused")
    func foreignEventInPage() throws {
        let mallory = Self.event(seq: 1, origin: "mallory")
        let page = FeedPage(origin: "alpha", originCertificateDER: [], coveredThrough: 1, hasMore: false, batches: [],
                            events: [(mallory, mallory.canonicalBytes())])
        #expect(Self.decodeError(page.encoded()) == .wrongSigner(expected: "alpha", actual: "mallory"))
    }

    // MARK: forged signatures

    @Test("forged signatures: another key, a non-DER signature, a digest swapped under a valid signature")
    func forgedSignatures() throws {
        let events = [Self.event(seq: 1), Self.event(seq: 2)]
        let verifier = FeedVerifier(originKey: Self.key.publicKey)
        let good = try FeedPage(decoding: try Self.page(events).encoded())
        #expect(try verifier.verify(good).count == 2)

        let otherKey = try FeedPage(decoding: try Self.page(events, signer: P256.Signing.PrivateKey()).encoded())
        #expect(throws: WireError.badSignature("batch alpha#1...1")) { try verifier.verify(otherKey) }

        var garbled = good
        garbled.batches[1] = SignedBatch(origin: "alpha", firstSeq: 2, digests: good.batches[1].digests, signature: [0x30, 0x02, 0x01])
        #expect(throws: WireError.badSignature("batch alpha#2: signature is not DER")) { try verifier.verify(garbled) }

        // The attacker changes event 2 and puts its new digest in the batch; the signature no longer covers it.
        let forged = Self.event(seq: 2, version: 7)
        var swapped = good
        swapped.events[1] = (forged, forged.canonicalBytes())
        swapped.batches[1] = SignedBatch(origin: "alpha", firstSeq: 2, digests: [Array(SHA256.hash(data: forged.canonicalBytes()))],
                                         signature: good.batches[1].signature)
        #expect(throws: WireError.badSignature("batch alpha#2...2")) { try verifier.verify(swapped) }

        // Keeping the signed digest but changing the event: the digest check refuses it.
        var altered = good
        altered.events[1] = (forged, forged.canonicalBytes())
        #expect(throws: WireError.badSignature("event alpha#2 does not match its signed digest")) { try verifier.verify(altered) }
    }

    // MARK: replays inside a page

    @Test("an event replayed within a page, or events out of order, are refused by the verifier")
    func replayWithinPage() throws {
        let one = Self.event(seq: 1), two = Self.event(seq: 2)
        let verifier = FeedVerifier(originKey: Self.key.publicKey)
        var replayed = try Self.page([one, two])
        replayed.events.append(replayed.events[1])
        #expect(throws: WireError.malformed("events out of order or replayed within the page")) { try verifier.verify(replayed) }
        let reversed = try Self.page([two, one])
        #expect(throws: WireError.malformed("events out of order or replayed within the page")) { try verifier.verify(reversed) }
    }
}
