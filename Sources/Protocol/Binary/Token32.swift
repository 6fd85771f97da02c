@_exported import ExchangeCrypto

/// The protocol carries tokens as the crypto module's ``Token``.
public typealias Token32 = Token
