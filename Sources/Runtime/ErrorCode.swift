/// A stable error code of one error type (`Domain`): what tests and callers check, and what logs show
/// (kebab-case). Each error type declares its codes as static members of `ErrorCode<ItsType>`.
public struct ErrorCode<Domain>: Hashable, Sendable, CustomStringConvertible {
    private let name: String

    public init(_ name: String) { self.name = name }

    public var description: String { name }
}
