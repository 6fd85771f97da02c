import Foundation

/// Unicode case mapping and canonical composition for the text kinds' non-ASCII slow path.
/// ASCII input never reaches here.
enum UnicodeNormalization {
    /// Unicode NFC (canonical composition), so that precomposed and decomposed input are equal.
    static func nfc(_ text: String) -> String {
        text.precomposedStringWithCanonicalMapping
    }

    /// Full Unicode lower-casing, then NFC.
    static func lowercasedNFC(_ text: String) -> String {
        text.lowercased().precomposedStringWithCanonicalMapping
    }
}
