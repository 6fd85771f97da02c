import AllianceTestSupport

/// An HTTP reply as curl printed it with `--write-out "\n%{http_code}"`: the body, then the status code.
struct E2EHTTPReply: Sendable {
    /// The arguments that make curl print the status code on its own last line.
    static let statusArguments = ["--write-out", "\n%{http_code}"]

    let status: Int
    let body: String

    /// Splits curl's stdout; `nil` when curl itself failed (no HTTP exchange happened).
    init?(_ result: ProcessResult) {
        guard result.succeeded, let newline = result.stdout.lastIndex(of: "\n"),
              let status = Int(result.stdout[result.stdout.index(after: newline)...])
        else { return nil }
        self.status = status
        body = String(result.stdout[..<newline])
    }
}
