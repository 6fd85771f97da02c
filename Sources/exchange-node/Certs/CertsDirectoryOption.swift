import AlliancePKI
import ArgumentParser

/// `--dir DIR`, shared by the `certs` subcommands.
struct CertsDirectoryOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The alliance CA folder.", valueName: "DIR"))
    var dir: String

    var directory: AllianceDirectory { AllianceDirectory(dir) }
}
