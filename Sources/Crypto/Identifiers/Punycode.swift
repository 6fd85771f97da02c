/// Punycode (RFC 3492), the Bootstring encoding IDNA uses to write a Unicode label in the
/// letters, digits and hyphen DNS allows. A text encoding, no cryptography.
enum Punycode {
    private static let base = 36
    private static let tMin = 1
    private static let tMax = 26
    private static let skew = 38
    private static let damp = 700
    private static let initialBias = 72
    private static let initialN = 0x80
    /// Arithmetic limit; inputs that would overflow 32-bit signed arithmetic are refused (RFC 3492 §6.4).
    private static let maxInt = Int(Int32.max)

    /// Encodes code points (basic ones copied, the rest as deltas). Returns nil on overflow.
    /// The output uses lower-case letters; basic code points keep their case.
    static func encode(_ input: [Unicode.Scalar]) -> String? {
        var output: [UInt8] = []
        output.reserveCapacity(input.count * 2)
        for scalar in input where scalar.value < 0x80 {
            output.append(UInt8(scalar.value))
        }
        let basicCount = output.count
        var handled = basicCount
        if basicCount > 0 { output.append(0x2D) }
        var n = initialN
        var delta = 0
        var bias = initialBias
        while handled < input.count {
            var next = Int.max
            for scalar in input where Int(scalar.value) >= n && Int(scalar.value) < next {
                next = Int(scalar.value)
            }
            guard (next - n) <= (maxInt - delta) / (handled + 1) else { return nil }
            delta += (next - n) * (handled + 1)
            n = next
            for scalar in input {
                let value = Int(scalar.value)
                if value < n {
                    delta += 1
                    guard delta <= maxInt else { return nil }
                }
                guard value == n else { continue }
                var q = delta
                var k = base
                while true {
                    let t = threshold(k, bias)
                    if q < t { break }
                    output.append(digit(t + (q - t) % (base - t)))
                    q = (q - t) / (base - t)
                    k += base
                }
                output.append(digit(q))
                bias = adapt(delta, handled + 1, firstTime: handled == basicCount)
                delta = 0
                handled += 1
            }
            delta += 1
            n += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes Punycode (letters of either case) back to code points, or nil if it is not valid.
    static func decode(_ input: some Collection<UInt8>) -> [Unicode.Scalar]? {
        let bytes = Array(input)
        let delimiter = bytes.lastIndex(of: 0x2D) ?? 0
        var output: [Unicode.Scalar] = []
        for byte in bytes[0..<delimiter] {
            guard byte < 0x80 else { return nil }
            output.append(Unicode.Scalar(byte))
        }
        var position = delimiter > 0 ? delimiter + 1 : 0
        var n = initialN
        var i = 0
        var bias = initialBias
        while position < bytes.count {
            let oldI = i
            var weight = 1
            var k = base
            while true {
                guard position < bytes.count, let value = digitValue(bytes[position]) else { return nil }
                position += 1
                guard value <= (maxInt - i) / weight else { return nil }
                i += value * weight
                let t = threshold(k, bias)
                if value < t { break }
                guard weight <= maxInt / (base - t) else { return nil }
                weight *= base - t
                k += base
            }
            let length = output.count + 1
            bias = adapt(i - oldI, length, firstTime: oldI == 0)
            guard i / length <= maxInt - n else { return nil }
            n += i / length
            i %= length
            guard n >= initialN, let scalar = Unicode.Scalar(UInt32(n)) else { return nil }
            output.insert(scalar, at: i)
            i += 1
        }
        return output
    }

    @inline(__always)
    private static func threshold(_ k: Int, _ bias: Int) -> Int {
        k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
    }

    private static func adapt(_ delta: Int, _ pointCount: Int, firstTime: Bool) -> Int {
        var delta = firstTime ? delta / damp : delta / 2
        delta += delta / pointCount
        var k = 0
        while delta > ((base - tMin) * tMax) / 2 {
            delta /= base - tMin
            k += base
        }
        return k + (base - tMin + 1) * delta / (delta + skew)
    }

    /// 0-25 as a-z, 26-35 as 0-9.
    @inline(__always)
    private static func digit(_ value: Int) -> UInt8 {
        value < 26 ? UInt8(0x61 + value) : UInt8(0x30 + value - 26)
    }

    @inline(__always)
    private static func digitValue(_ byte: UInt8) -> Int? {
        switch byte {
        case 0x61...0x7A: Int(byte - 0x61)
        case 0x41...0x5A: Int(byte - 0x41)
        case 0x30...0x39: Int(byte - 0x30) + 26
        default: nil
        }
    }
}
