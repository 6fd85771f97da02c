import ExchangeCrypto
public enum Placeholder {}
