import Foundation
import Synchronization

/// Per-caller token buckets for the peer-facing endpoints.
package final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: Double
    }

    private let buckets = Mutex<[String: Bucket]>([:])

    package init() {}

    /// Takes one token from `key`'s bucket (capacity = 2 s of `perSecond`); false when empty.
    package func allow(_ key: String, perSecond: Double, now: Double = Date().timeIntervalSinceReferenceDate) -> Bool {
        buckets.withLock { buckets in
            let capacity = max(1, perSecond * 2)
            var bucket = buckets[key] ?? Bucket(tokens: capacity, updated: now)
            bucket.tokens = min(capacity, bucket.tokens + (now - bucket.updated) * perSecond)
            bucket.updated = now
            guard bucket.tokens >= 1 else {
                buckets[key] = bucket
                return false
            }
            bucket.tokens -= 1
            buckets[key] = bucket
            return true
        }
    }
}
