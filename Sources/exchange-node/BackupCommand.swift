import ArgumentParser
import ExchangeNode

/// `exchange-node backup --home HOME --out FILE|DIR`: one consistent snapshot of a node, while it serves.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write one consistent backup of a node (store, configuration, peers, keys, audit log), even while it serves.",
        discussion: """
            The file (mode 0600) is a tar archive whose first member, manifest.json, lists every other file \
            with its SHA-256. It holds the node's private keys: store it encrypted, off the host. With a \
            directory as --out, the file is DIR/exchange-node-MEMBER-YYYYMMDDTHHMMSSZ.xnbk. An existing \
            file is never replaced. Restore it with `exchange-node restore FILE --home NEW`.
            """
    )

    @OptionGroup var options: HomeOption

    @Option(name: .long, help: "The backup file to write, or an existing directory to write it in.")
    var out: String

    func run() async throws {
        let context = try NodeContext(home: options.nodeHome)
        let summary = try NodeBackup(context: context).write(to: out)
        print("backup \(summary.path): \(summary.bytes) bytes, \(summary.manifest.files.count) files, "
              + "\(summary.manifest.store.entries) entries, own feed through #\(summary.manifest.store.ownSeq)")
    }
}
