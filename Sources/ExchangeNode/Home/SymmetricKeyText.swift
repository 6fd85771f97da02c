import ExchangeCrypto

/// Random bearer tokens for local APIs.
enum SymmetricKeyText {
    static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return Hex.encode((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }
}
