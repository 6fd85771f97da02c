/// The characters a numeric kind keeps (`isSignificant`) and the separators it drops.
/// Spaces of every sort are always dropped.
protocol CompactAlphabet {
    static var kind: IdentifierKind { get }
    static func isSignificant(_ byte: UInt8) -> Bool
    static func isSeparator(_ byte: UInt8) -> Bool
}
