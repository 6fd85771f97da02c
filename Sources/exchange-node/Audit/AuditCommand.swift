import ArgumentParser

/// `exchange-node audit`: check and read the node's hash-chained audit log (`HOME/audit/`).
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Verify or read the node's tamper-evident audit log.",
        discussion: """
            Every exchange request served or made, screen batch, import, revocation, appeal,
            certificate or peer change and refused request is recorded in HOME/audit/audit.log,
            each record committing to the hash of the one before, with checkpoints signed by the
            node key. Records hold counts, codes, member ids and entry ids, never identifiers.
            """,
        subcommands: [AuditVerifyCommand.self, AuditShowCommand.self]
    )

    init() {}
}
