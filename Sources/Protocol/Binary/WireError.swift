/// Why a message from the network was refused. Descriptions name the field and the problem,
/// never a value (values are tokens or metadata, but we keep the habit everywhere).
public enum WireError: Error, Sendable, Equatable, CustomStringConvertible {
    case truncated(String)
    case oversized(String, limit: Int)
    case malformed(String)
    case badMagic
    case unsupportedVersion(Int, supported: ClosedRange<Int>)
    case badSignature(String)
    case wrongSigner(expected: String, actual: String)
    case unknownCode(field: String, code: Int)

    public var description: String {
        switch self {
        case .truncated(let field): "message truncated while reading \(field)"
        case .oversized(let field, let limit): "\(field) exceeds the limit of \(limit)"
        case .malformed(let why): "malformed message: \(why)"
        case .badMagic: "not an exchange-node message (bad magic)"
        case .unsupportedVersion(let version, let supported):
            "protocol version \(version) is not supported (this node speaks \(supported.lowerBound)...\(supported.upperBound))"
        case .badSignature(let what): "signature check failed: \(what)"
        case .wrongSigner(let expected, let actual): "signed by \(actual), expected \(expected)"
        case .unknownCode(let field, let code): "unknown \(field) code \(code)"
        }
    }
}
