import AllianceHTTP

/// The request context of the coordinator's mTLS listener: the alliance mTLS context, carrying the
/// caller ``CoordinatorAuthorization`` resolved.
typealias CoordinatorRequestContext = AllianceRequestContext<CoordinatorCaller>
