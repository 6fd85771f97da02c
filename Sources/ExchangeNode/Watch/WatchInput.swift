import ExchangeCrypto

/// The watch's input rows: `ref,kind,identifier`, as `screen` reads them, with a ref the store can
/// keep (1–256 characters, no control characters).
enum WatchInput {
    static let maxRefCharacters = 256

    static func parse(_ row: Row, file: String) -> Result<Screener.Account, BatchScreening.Rejection> {
        if let ref = row.values[0], let problem = refProblem(ref) {
            return .failure(BatchScreening.Rejection(reason: "\(file):\(row.line): ref: \(problem)"))
        }
        return BatchScreening.parse(row, file: file)
    }

    /// Why a ref cannot be registered, or nil.
    static func refProblem(_ ref: String) -> String? {
        if ref.isEmpty { return "is required" }
        if ref.unicodeScalars.count > maxRefCharacters || ref.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) {
            return "must be 1-\(maxRefCharacters) characters without control characters"
        }
        return nil
    }
}
