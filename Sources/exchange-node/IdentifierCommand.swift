import ArgumentParser
import ExchangeCrypto

/// `exchange-node identifier --kind KIND VALUE...`: the operator's tool for "why was row 150 rejected".
struct IdentifierCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identifier",
        abstract: "Print each value's canonical form, or why it is invalid.",
        discussion: """
            Kinds: \(IdentifierKind.allCases.map(\.rawValue).joined(separator: ", ")).
            Prints one line per value: `ok<TAB>CANONICAL` or `invalid<TAB>REASON`.
            Exits with status 1 if any value is invalid. Runs locally; nothing is stored or sent.
            """
    )

    @Option(name: .long, help: "Identifier kind.")
    var kind: String

    @Argument(help: "Values as people type them (quote values with spaces).")
    var values: [String]

    func run() throws {
        guard let parsedKind = IdentifierKind(rawValue: kind.lowercased()) else {
            throw ValidationError("unknown kind '\(kind)'; expected one of \(IdentifierKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var invalid = 0
        for value in values {
            do {
                let identifier = try SubjectIdentifier(kind: parsedKind, parsing: value)
                print("ok\t\(identifier.canonical)")
            } catch {
                invalid += 1
                print("invalid\t\(error.description)")
            }
        }
        if invalid > 0 { throw ExitCode(1) }
    }
}
