import ArgumentParser
import Crypto
import ExchangeAudit
import Foundation

/// Writes a line to standard error (diagnostics that must not mix with the report on stdout).
enum AuditStandardError {
    static func print(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
