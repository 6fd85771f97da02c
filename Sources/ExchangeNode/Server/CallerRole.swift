/// The roles of the authority model (docs/authority.md).
enum CallerRole: String, Sendable, CaseIterable {
    case peer
    case coordinator
    case `internal`
    case `operator`
}
