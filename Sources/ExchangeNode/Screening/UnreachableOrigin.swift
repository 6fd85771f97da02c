import ExchangeProtocol
import ExchangeRuntime
import GRDB

/// A peer that could not mask our queries (down, refusing, over budget, answering garbage): under
/// the pairwise scheme nothing can be learnt of its list without it, so "no match" from it means
/// "not known". Screening goes on with the other origins and reports it.
public struct UnreachableOrigin: Sendable, Hashable, Encodable, CustomStringConvertible {
    public let member: String
    /// Why, as our peer client saw it (never an identifier: the request carries only masked values).
    public let reason: String

    public var description: String { "\(member) could not mask our queries (\(reason)); its entries were not screened" }
}
