/// Why a watch operation failed. A rejected file or request names every bad row as
/// `FILE:LINE: field: reason` (never the identifier) and nothing was registered.
package enum WatchError: Error, Sendable, Equatable, CustomStringConvertible {
    case rejected(file: String, problems: [String], total: Int)
    case failed(NodeError)

    static let maxReportedProblems = 200

    package var description: String {
        switch self {
        case .rejected(let file, let problems, let total):
            "\(file): registration rejected, nothing was registered (\(total) problem\(total == 1 ? "" : "s")):\n"
                + problems.joined(separator: "\n")
                + (total > problems.count ? "\n... and \(total - problems.count) more" : "")
        case .failed(let error): error.description
        }
    }

    /// Maps whatever a store transaction threw.
    static func from(_ error: any Error) -> WatchError {
        if let error = error as? WatchError { return error }
        if let error = error as? NodeError { return .failed(error) }
        return .failed(.store("\(error)"))
    }
}
