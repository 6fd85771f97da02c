import Crypto
import ExchangeCrypto
import ExchangeProtocol
import Testing

/// The signed feed: a page survives encoding, and any tampering is refused before it is applied.
@Suite struct FeedTamperTests {
    static func event(seq: UInt64, origin: String = "alpha", tokens: [Token]? = nil) -> EntryEvent {
        let tokenizer = KeyedHashTokenizer(key: AllianceTokenKey(epoch: 1, key: .init(repeating: 7, count: 32), created: "t"))
        let identifier = try! SubjectIdentifier(kind: .phone, parsing: "1380013\(String(format: "%04d", Int(seq)))")
        return EntryEvent(origin: origin, seq: seq, entryID: "E\(seq)", version: 1, status: .active, revocationReason: nil,
                          list: .black, category: .brushing, severity: .serious, role: nil,
                          listedOn: Day(parsing: "2026-01-01")!, expiresOn: Day(parsing: "2027-01-01"),
                          scheme: tokenizer.descriptor, tokens: tokens ?? [tokenizer.token(for: identifier)], changedAt: 1)
    }

    static func page(key: P256.Signing.PrivateKey, count: Int = 5) throws -> FeedPage {
        let events = (1...count).map { event(seq: UInt64($0)) }
        let canonical = events.map { $0.canonicalBytes() }
        let batch = try SignedBatch.sign(origin: "alpha", firstSeq: 1, digests: canonical.map { Array(SHA256.hash(data: $0)) }, key: key)
        return FeedPage(origin: "alpha", originCertificateDER: [1, 2, 3], coveredThrough: UInt64(count), hasMore: false,
                        batches: [batch], events: Array(zip(events, canonical)).map { (event: $0.0, canonical: $0.1) })
    }

    @Test func encodedPageRoundTripsAndVerifies() throws {
        let key = P256.Signing.PrivateKey()
        let decoded = try FeedPage(decoding: try Self.page(key: key).encoded())
        #expect(decoded.events.map(\.event) == (1...5).map { Self.event(seq: UInt64($0)) })
        #expect(try FeedVerifier(originKey: key.publicKey).verify(decoded).count == 5)
    }

    @Test func everyFlippedByteOfAnEventIsRefused() throws {
        let key = P256.Signing.PrivateKey()
        let page = try Self.page(key: key, count: 1)
        let canonical = page.events[0].canonical
        // A flip either makes the event undecodable (refused when the page is read) or leaves a decodable
        // event whose digest no longer matches the signed batch (refused by the verifier).
        var reachedTheVerifier = 0
        for position in canonical.indices {
            var tampered = canonical
            tampered[position] ^= 0x01
            let event: EntryEvent
            do {
                event = try EntryEvent(canonical: tampered)
            } catch {
                continue
            }
            reachedTheVerifier += 1
            var copy = page
            copy.events = [(event, tampered)]
            #expect {
                try FeedVerifier(originKey: key.publicKey).verify(copy)
            } throws: { error in
                guard case .badSignature? = error as? WireError else { return false }
                return true
            }
        }
        #expect(reachedTheVerifier > canonical.count / 2, "most flips must decode and be caught by the signature check")
    }

    @Test func aPageReSignedByAnotherKeyIsRefused() throws {
        let page = try Self.page(key: P256.Signing.PrivateKey())
        #expect(throws: WireError.badSignature("batch alpha#1...5")) {
            try FeedVerifier(originKey: P256.Signing.PrivateKey().publicKey).verify(page)
        }
    }

    @Test func anEventOutsideEverySignedBatchIsRefused() throws {
        let key = P256.Signing.PrivateKey()
        var page = try Self.page(key: key, count: 3)
        let extra = Self.event(seq: 4)
        page.events.append((extra, extra.canonicalBytes()))
        #expect(throws: WireError.badSignature("event alpha#4 is not covered by a signed batch")) {
            try FeedVerifier(originKey: key.publicKey).verify(page)
        }
    }

    @Test func truncatedOrWrongVersionPagesAreRefusedWithoutCrashing() throws {
        let bytes = try Self.page(key: P256.Signing.PrivateKey()).encoded()
        for length in stride(from: 0, to: bytes.count, by: 7) {
            #expect {
                try FeedPage(decoding: Array(bytes.prefix(length)))
            } throws: { error in
                switch error as? WireError {
                case .truncated?: true
                case .badMagic?: length < 4
                default: false
                }
            }
        }
        var wrongVersion = bytes
        wrongVersion[5] = 9
        #expect(throws: WireError.unsupportedVersion(9, supported: 1...1)) { try FeedPage(decoding: wrongVersion) }
    }

    @Test func allZeroTokensAreRefused() throws {
        let zero = Token(w0: 0, w1: 0, w2: 0, w3: 0)
        let bytes = Self.event(seq: 1, tokens: [zero]).canonicalBytes()
        #expect(throws: WireError.malformed("all-zero token refused")) { try EntryEvent(canonical: bytes) }
    }

    @Test func dayParsingIsExact() {
        #expect(Day(parsing: "2026-02-29") == nil)
        #expect(Day(parsing: "2024-02-29")?.description == "2024-02-29")
        #expect(Day(parsing: "1970-01-01")?.ordinal == 0)
        #expect(Day(parsing: "20260301")?.adding(days: -1).description == "2026-02-28")
    }

    /// One batch per event, as an origin that revokes entries one by one publishes them: the batches are
    /// checked on both cores, and a bad one among many is still refused, named by the first bad batch.
    @Test func manySmallBatchesVerifyAndTheFirstBadOneIsNamed() throws {
        let key = P256.Signing.PrivateKey(), other = P256.Signing.PrivateKey()
        let events = (1...100).map { Self.event(seq: UInt64($0)) }
        let canonical = events.map { $0.canonicalBytes() }
        func page(badSigners: Set<Int>) throws -> FeedPage {
            let batches = try events.indices.map { index in
                try SignedBatch.sign(origin: "alpha", firstSeq: UInt64(index + 1), digests: [Array(SHA256.hash(data: canonical[index]))],
                                     key: badSigners.contains(index + 1) ? other : key)
            }
            return FeedPage(origin: "alpha", originCertificateDER: [1, 2, 3], coveredThrough: 100, hasMore: false,
                            batches: batches.reversed(), events: Array(zip(events, canonical)).map { (event: $0.0, canonical: $0.1) })
        }
        #expect(try FeedVerifier(originKey: key.publicKey).verify(page(badSigners: [])).count == 100)
        #expect(throws: WireError.badSignature("batch alpha#71...71")) {
            try FeedVerifier(originKey: key.publicKey).verify(try page(badSigners: [71, 90]))
        }
        #expect(throws: WireError.badSignature("batch alpha#3...3")) {
            try FeedVerifier(originKey: key.publicKey).verify(try page(badSigners: [3, 99]))
        }
    }
}
