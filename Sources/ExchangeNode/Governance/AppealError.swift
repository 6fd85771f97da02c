/// Why an appeal operation was refused. Descriptions name fields, positions and ids, never
/// free text or identifiers.
package enum AppealError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The request is malformed (field and why).
    case malformed(String)
    /// The text of `reason` (or a decision) is not acceptable.
    case text(FreeTextGuard.Problem)
    /// No such entry that the caller may see.
    case unknownEntry(String)
    /// The entry is not active (already revoked).
    case entryNotActive(String)
    /// No such appeal (for this caller).
    case unknownAppeal(String)
    /// The appeal id is already used by a different appeal, or the appeal is already decided.
    case conflict(String)
    /// Not allowed for this node or caller (e.g. appealing one's own entry, no match on it).
    case notAllowed(String)
    /// A store, network or peer failure.
    case node(NodeError)

    package var description: String {
        switch self {
        case .malformed(let why): "malformed appeal: \(why)"
        case .text(let problem): problem.description
        case .unknownEntry(let entry): "no entry \(entry) that the caller may see"
        case .entryNotActive(let entry): "entry \(entry) is not active (already revoked)"
        case .unknownAppeal(let id): "no appeal \(id)"
        case .conflict(let why): why
        case .notAllowed(let why): why
        case .node(let error): error.description
        }
    }

    /// The HTTP status the peer listener answers with.
    var httpStatus: Int {
        switch self {
        case .malformed: 400
        case .text: 422
        case .unknownEntry, .unknownAppeal: 404
        case .entryNotActive, .conflict: 409
        case .notAllowed: 403
        case .node: 500
        }
    }
}
