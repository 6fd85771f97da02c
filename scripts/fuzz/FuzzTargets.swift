import Crypto
import ExchangeInput
import ExchangeProtocol

/// The three fuzz targets: the binary feed-page decoder (with the signature verifier behind it), the
/// canonical event decoder, and the CSV/JSONL reader. Each must refuse bad input with an error and never
/// crash; each also checks a property that would catch a decoder that accepts more than it should.
enum FuzzTarget: String, CaseIterable, Sendable {
    case feed, event, csv

    func run(_ bytes: [UInt8]) {
        switch self {
        case .feed: FeedPageFuzz.run(bytes)
        case .event: EntryEventFuzz.run(bytes)
        case .csv: InputFuzzEntry.parse(bytes: bytes)
        }
    }
}

/// `FeedPage(decoding:)` under default and tiny limits, then `FeedVerifier` against the seed key.
enum FeedPageFuzz {
    /// Tiny bounds that make the oversized paths reachable with short inputs.
    static let tiny: WireLimits = {
        var limits = WireLimits.default
        limits.maxNameBytes = 8
        limits.maxTokensPerEntry = 2
        limits.maxEventsPerPage = 3
        limits.maxBatchesPerPage = 2
        limits.maxEventsPerBatch = 3
        limits.maxPageBytes = 2_048
        return limits
    }()

    static func run(_ bytes: [UInt8]) {
        for limits in [WireLimits.default, tiny] {
            guard let page = try? FeedPage(decoding: bytes, limits: limits) else { continue }
            // Canonical form: a page the decoder accepts re-encodes to exactly the bytes it came from,
            // so no two byte strings carry the same page (and nothing is silently dropped).
            check(page.encoded() == bytes, "feed page does not re-encode to its input")
            check(page.events.count <= limits.maxEventsPerPage && page.batches.count <= limits.maxBatchesPerPage,
                         "feed page limits not enforced")
            var previous: UInt64 = 0
            if let digests = try? FeedVerifier(originKey: FuzzSeeds.signingKey.publicKey).verify(page) {
                check(digests.count == page.events.count, "verifier returned the wrong number of digests")
                for (item, digest) in zip(page.events, digests) {
                    check(item.event.seq > previous, "verifier accepted events out of order")
                    previous = item.event.seq
                    check(Array(SHA256.hash(data: item.canonical)) == digest, "verifier returned a wrong digest")
                }
            }
        }
    }
}

/// `EntryEvent(canonical:)`: what it accepts is canonical and re-decodes to the same event.
enum EntryEventFuzz {
    static func run(_ bytes: [UInt8]) {
        for limits in [WireLimits.default, FeedPageFuzz.tiny] {
            guard let event = try? EntryEvent(canonical: bytes, limits: limits) else { continue }
            let canonical = event.canonicalBytes()
            check(canonical == bytes, "event does not re-encode to its input")
            check(event.tokens.count <= limits.maxTokensPerEntry, "token limit not enforced")
            check(event.tokens.allSatisfy { !$0.isZero }, "all-zero token accepted")
            check((try? EntryEvent(canonical: canonical, limits: limits)) == event, "re-decoding differs")
            _ = event.digest
        }
    }
}

/// Like `precondition`, but the message survives an optimised build, so a crash log says what broke.
@inline(__always)
func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}
