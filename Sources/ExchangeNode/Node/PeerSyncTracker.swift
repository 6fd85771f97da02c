import ExchangeRuntime
import Foundation
import Synchronization

/// What a running `serve` knows of its sync rounds with each peer: when the last one succeeded, how
/// many failed since, and when the next one is due. The sync loop writes it; `/v1/ready` and
/// `/metrics` read it.
///
/// Backoff is per peer: after `n` failed rounds in a row a peer's next round waits
/// `interval × 2^n` (n at most 6, the wait at most ``maximumDelay``), while every other peer keeps the
/// normal interval. Jitter
/// only shortens a wait (×0.8–1.0): a change at a peer is applied, and matched against the watched
/// base, at most one interval plus one round after it was made.
package final class PeerSyncTracker: Sendable {
    /// One peer's rounds.
    package struct PeerState: Sendable, Equatable {
        /// When the last successful round ended (Unix milliseconds); nil before the first.
        package var lastSuccessMillis: Int64?
        /// Failed rounds since the last success.
        package var failures = 0
        /// The code of the last failure's error, for readiness reasons (never a peer's free text).
        package var lastFailure: String?
    }

    /// The longest wait between two rounds with a peer that keeps failing (seconds)...
    package static let maximumDelay = 600.0
    /// ...and at most this many doublings of the interval (64×).
    package static let maximumDoublings = 6

    /// When this process started tracking (Unix milliseconds): the reference before a peer's first success.
    package let startedMillis: Int64
    private let state = Mutex<[String: PeerState]>([:])

    package init(startedMillis: Int64 = NodeClock.nowMillis()) {
        self.startedMillis = startedMillis
    }

    /// Records a round's outcome with `peer`.
    package func record(peer: String, succeeded: Bool, failure: String? = nil, at millis: Int64 = NodeClock.nowMillis()) {
        state.withLock { peers in
            var peerState = peers[peer] ?? PeerState()
            if succeeded {
                peerState.lastSuccessMillis = millis
                peerState.failures = 0
                peerState.lastFailure = nil
            } else {
                peerState.failures += 1
                peerState.lastFailure = failure
            }
            peers[peer] = peerState
        }
    }

    /// `peer`'s rounds so far.
    package func state(of peer: String) -> PeerState { state.withLock { $0[peer] ?? PeerState() } }

    /// Seconds since the last successful round with `peer` (since start when there was none).
    package func syncAge(of peer: String, now millis: Int64 = NodeClock.nowMillis()) -> Double {
        let reference = state(of: peer).lastSuccessMillis ?? startedMillis
        return Double(max(0, millis - reference)) / 1000
    }

    /// How long to wait before the next round with `peer`, given the sync interval (seconds).
    package func delay(for peer: String, interval: Double) -> Double {
        let failures = min(state(of: peer).failures, Self.maximumDoublings)
        return min(interval * pow(2, Double(failures)), max(interval, Self.maximumDelay)) * Double.random(in: 0.8...1.0)
    }
}
