import ArgumentParser
import ExchangeNode
import Foundation

/// `exchange-node restore FILE --home NEW`: a new node home from a backup file.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup into a new home; the node then recovers its own feed from its peers before publishing.",
        discussion: """
            Refuses a home that exists and is not empty. Checks every file against the manifest's SHA-256, \
            the store, and the key against its certificate; nothing is left behind when it refuses. The \
            restored node takes back from its peers the events it published after the backup (on its next \
            `serve` or `sync`) and refuses to publish until every peer has answered (`status` shows it).
            """
    )

    @Argument(help: "The backup file.")
    var file: String

    @OptionGroup var options: HomeOption

    func run() async throws {
        let summary = try NodeRestore(archive: file, home: options.nodeHome).run()
        let manifest = summary.manifest
        print("restored \(manifest.member) from the backup of \(manifest.createdAt) into \(options.home): \(summary.files) files, "
              + "\(manifest.store.entries) entries, own feed through #\(manifest.store.ownSeq)")
        if !summary.auditIntact {
            FileHandle.standardError.write(Data(("warning: the restored audit log does not verify:\n"
                                                 + summary.auditReport.joined(separator: "\n") + "\n").utf8))
        }
        print("next: start the node; it recovers its own feed from its peers before it publishes anything (see `exchange-node status`)")
    }
}
