/// A set of entry row ids as a bitmap: one bit per row id up to the largest inserted.
struct RowBitmap {
    private var words: [UInt64] = []

    mutating func insert(_ row: UInt32) {
        let word = Int(row >> 6)
        if word >= words.count { words.append(contentsOf: repeatElement(0, count: word + 1 - words.count)) }
        words[word] |= 1 << UInt64(row & 63)
    }

    func contains(_ row: UInt32) -> Bool {
        let word = Int(row >> 6)
        return word < words.count && words[word] & (1 << UInt64(row & 63)) != 0
    }
}
