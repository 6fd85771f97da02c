import Foundation
import Synchronization

/// The peers a running node works with: `HOME/peers/` as it is now, without the members the
/// coordinator expelled. Re-read when the directory changes (its modification time, looked at most
/// every 250 ms), so `peers add` takes effect on a running `serve` for its sync loop and its listener
/// alike, with no restart (docs/membership.md, 3).
final class LivePeerDirectory: Sendable {
    let home: NodeHome
    private struct State {
        var directory: PeerDirectory
        var modified: Date?
        var checkedAt: ContinuousClock.Instant
        var expelled: Set<String>
    }
    private let state: Mutex<State>
    static let recheckInterval: Duration = .milliseconds(250)

    init(home: NodeHome, expelled: Set<String> = []) throws(NodeError) {
        self.home = home
        let modified = Self.modificationDate(home)
        let directory = try PeerDirectory.load(from: home)
        state = Mutex(State(directory: directory, modified: modified, checkedAt: .now, expelled: expelled))
    }

    /// The peers now (expelled members left out). A directory that changed is re-read; one that
    /// cannot be read keeps the last good copy (and the next call tries again).
    var current: PeerDirectory {
        let (directory, expelled, due) = state.withLock { state in
            (state.directory, state.expelled, ContinuousClock.now - state.checkedAt >= Self.recheckInterval)
        }
        if due { return refresh() }
        return directory.excluding(expelled)
    }

    /// Re-reads the directory if it changed since the last read (or always, with `force`: a sync round
    /// does, in case two changes fell within one tick of the file system's clock), and returns the peers.
    @discardableResult
    func refresh(force: Bool = false) -> PeerDirectory {
        let modified = Self.modificationDate(home)
        let unchanged = state.withLock { state -> Bool in
            state.checkedAt = .now
            return state.modified == modified
        }
        if force || !unchanged, let reloaded = try? PeerDirectory.load(from: home) {
            state.withLock { state in
                state.directory = reloaded
                state.modified = modified
            }
        }
        return state.withLock { $0.directory.excluding($0.expelled) }
    }

    /// The members whose peer files are ignored from now on. `announce` (the audit records of the
    /// expulsions) runs under the same lock: a ``unlessExpelled(_:_:)`` that ran before saw the old set and
    /// recorded before it, one that runs after sees the new set.
    func setExpelled(_ members: Set<String>, announce: () -> Void = {}) {
        state.withLock { state in
            state.expelled = members
            announce()
        }
    }

    /// Runs `body` (the audit record of a successful exchange with `member`) unless `member` is expelled,
    /// with the expelled set held still meanwhile, so that no success with a member is ever recorded after
    /// its expulsion was. Returns false, without running `body`, when it is expelled.
    func unlessExpelled(_ member: String, _ body: () -> Void) -> Bool {
        state.withLock { state in
            guard !state.expelled.contains(member) else { return false }
            body()
            return true
        }
    }

    var expelled: Set<String> { state.withLock { $0.expelled } }

    private static func modificationDate(_ home: NodeHome) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: home.peersDirectory.path))?[.modificationDate] as? Date
    }
}

extension PeerDirectory {
    /// The same directory without `members`.
    func excluding(_ members: Set<String>) -> PeerDirectory {
        members.isEmpty ? self : PeerDirectory(peers: peers.filter { !members.contains($0.key) })
    }
}
