/// The backstop that keeps subject identifiers out of the audit log.
///
/// The real protection is that callers only pass counts, codes, member ids and entry ids (see
/// ``AuditValue``). This guard re-checks every actor, detail key and detail value at append time
/// and replaces anything that is not of the allowed shape with `redacted`:
/// - keys: `[A-Za-z][A-Za-z0-9._-]{0,39}`; actors: `[A-Za-z0-9._:-]{1,64}`;
/// - values: at most 200 characters of `[A-Za-z0-9._:/#,=-]` (so no `@`, `+`, spaces, CJK);
/// - and no value may *look* like an identifier: 11 or more digits once separators are removed
///   (mobile numbers, ID numbers, bank cards — a UUID, an IPv4 address and a lower-case hex digest
///   are exempt), or an 18-character unified social credit code with a valid check character.
///
/// It is a heuristic, not a proof: an account handle or a domain name passed as a "code" would get
/// through. Counts above 10^10 are redacted too (they look like phone numbers); nobody needs one.
enum AuditDetailGuard {
    static let redacted = "redacted"
    static let maxValueLength = 200
    static let maxKeys = 32

    /// Returns the event with every unsafe part replaced, and how many parts were replaced.
    static func sanitize(_ event: AuditEvent) -> (event: AuditEvent, redactions: Int) {
        var clean = event
        var redactions = 0
        if !isSafeActor(event.actor) {
            clean.actor = redacted
            redactions += 1
        }
        if !AuditAction(rawValue: event.action).isWellFormed {
            clean.action = "invalid-action"
            redactions += 1
        }
        var detail: [String: String] = [:]
        var dropped = 0
        for (key, value) in event.detail {
            guard isSafeKey(key), detail.count < maxKeys else {
                dropped += 1
                continue
            }
            if isSafeValue(value) {
                detail[key] = value
            } else {
                detail[key] = redacted
                redactions += 1
            }
        }
        if dropped > 0 {
            detail["droppedFields"] = String(dropped)
            redactions += dropped
        }
        clean.detail = detail
        return (clean, redactions)
    }

    static func isSafeKey(_ key: String) -> Bool {
        let bytes = Array(key.utf8)
        guard let first = bytes.first, bytes.count <= 40, isLetter(first) else { return false }
        return bytes.allSatisfy { isLetter($0) || isDigit($0) || $0 == .dot || $0 == .underscore || $0 == .hyphen }
    }

    static func isSafeActor(_ actor: String) -> Bool {
        let bytes = Array(actor.utf8)
        guard !bytes.isEmpty, bytes.count <= 64 else { return false }
        guard bytes.allSatisfy({ isLetter($0) || isDigit($0) || $0 == .dot || $0 == .underscore || $0 == .hyphen || $0 == .colon })
        else { return false }
        return !looksLikeIdentifier(bytes)
    }

    static func isSafeValue(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard bytes.count <= maxValueLength else { return false }
        guard bytes.allSatisfy({ isLetter($0) || isDigit($0) || isSeparator($0) || $0 == .underscore }) else { return false }
        return !looksLikeIdentifier(bytes)
    }

    /// True when the text contains something shaped like a phone, ID or card number, or a USCC.
    static func looksLikeIdentifier(_ bytes: [UInt8]) -> Bool {
        if isUUID(bytes) || isIPv4(bytes) || isHexDigest(bytes) { return false }
        var run = 0
        for byte in bytes {
            if isDigit(byte) {
                run += 1
                if run >= 11 { return true }
            } else if !isSeparator(byte) {
                run = 0
            }
        }
        // Unified social credit codes hide among letters: check every 18-character alphanumeric run.
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count, isLetter(bytes[end]) || isDigit(bytes[end]) { end += 1 }
            if end - start == 18, isUSCC(Array(bytes[start..<end])) { return true }
            start = end + 1
        }
        return false
    }

    // MARK: - Shapes

    private static let usccAlphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)
    private static let usccWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    /// GB 32100-2015 check character, upper- or lower-case.
    static func isUSCC(_ code: [UInt8]) -> Bool {
        guard code.count == 18 else { return false }
        var values: [Int] = []
        for byte in code {
            let upper = byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 32 : byte
            guard let index = usccAlphabet.firstIndex(of: upper) else { return false }
            values.append(index)
        }
        var sum = 0
        for i in 0..<17 { sum += values[i] * usccWeights[i] }
        let check = (31 - sum % 31) % 31
        return values[17] == check
    }

    static func isUUID(_ bytes: [UInt8]) -> Bool {
        guard bytes.count == 36 else { return false }
        for (i, byte) in bytes.enumerated() {
            if i == 8 || i == 13 || i == 18 || i == 23 {
                guard byte == .hyphen else { return false }
            } else if !isHexDigit(byte) {
                return false
            }
        }
        return true
    }

    static func isIPv4(_ bytes: [UInt8]) -> Bool {
        let parts = bytes.split(separator: .dot, omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        return parts.allSatisfy { part in
            guard (1...3).contains(part.count), part.allSatisfy(isDigit) else { return false }
            return Int(String(decoding: part, as: UTF8.self))! <= 255
        }
    }

    /// Lower-case hex of 32 or more characters with at least one letter: a digest, not a number.
    static func isHexDigest(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 32 && bytes.allSatisfy { isDigit($0) || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "f")) }
            && bytes.contains { !isDigit($0) }
    }

    private static func isLetter(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
    }
    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
    private static func isHexDigit(_ b: UInt8) -> Bool {
        isDigit(b) || (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "f")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "F"))
    }
    private static func isSeparator(_ b: UInt8) -> Bool {
        b == .dot || b == .hyphen || b == .colon || b == UInt8(ascii: "/") || b == UInt8(ascii: "#")
            || b == UInt8(ascii: ",") || b == UInt8(ascii: "=")
    }
}

extension UInt8 {
    fileprivate static let dot = UInt8(ascii: ".")
    fileprivate static let hyphen = UInt8(ascii: "-")
    fileprivate static let underscore = UInt8(ascii: "_")
    fileprivate static let colon = UInt8(ascii: ":")
}
