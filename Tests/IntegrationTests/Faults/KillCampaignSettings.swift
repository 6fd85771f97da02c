import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Settings of the SIGKILL campaign, from the environment `scripts/faults.sh` sets:
/// `XN_FAULT_KILLS` (kills per phase; the campaign runs only when it is set), `XN_FAULT_ENTRIES`
/// (entries per import file), `XN_FAULT_SEED` (random seed; printed so a run can be repeated) and
/// `XN_FAULT_REPORT` (file the figures are appended to).
struct KillCampaignSettings: Sendable {
    let killsPerPhase: Int
    let entriesPerFile: Int
    let seed: UInt64
    let reportPath: String?

    static let current: KillCampaignSettings? = {
        let environment = ProcessInfo.processInfo.environment
        guard let kills = environment["XN_FAULT_KILLS"].flatMap(Int.init), kills > 0 else { return nil }
        return KillCampaignSettings(
            killsPerPhase: kills,
            entriesPerFile: environment["XN_FAULT_ENTRIES"].flatMap(Int.init) ?? 5_000,
            seed: environment["XN_FAULT_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...999_999),
            reportPath: environment["XN_FAULT_REPORT"])
    }()
}
