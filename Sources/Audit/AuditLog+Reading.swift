import Crypto

extension AuditLog {
    /// Checks the whole log in `directory` against the node's public key. Throws only when the log
    /// cannot be read at all; damage is reported in the result's `problem`.
    public static func verify(directory: String, publicKey: P256.Signing.PublicKey) throws(AuditError) -> AuditVerification {
        try verify(directory: directory, publicKeys: [publicKey])
    }

    /// The same, accepting checkpoints and heads signed by any of `publicKeys` (the current node
    /// key and any earlier ones it replaced).
    public static func verify(directory: String, publicKeys: [P256.Signing.PublicKey]) throws(AuditError) -> AuditVerification {
        try AuditVerifier(publicKeys: publicKeys).verify(directory: directory)
    }

    /// The records in `directory` that match `filter`, oldest first. Lines that do not parse are
    /// skipped and counted in the result (run `verify` to learn why).
    public static func records(directory: String, filter: AuditFilter) throws(AuditError) -> AuditSelection {
        try AuditQuery.select(directory: directory, filter: filter)
    }
}
