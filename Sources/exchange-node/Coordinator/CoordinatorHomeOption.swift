import ArgumentParser
import ExchangeCoordinator

/// `--home HOME` of a coordinator.
struct CoordinatorHomeOption: ParsableArguments {
    @Option(name: .long, help: "The coordinator's home directory.")
    var home: String

    var coordinatorHome: CoordinatorHome { CoordinatorHome(home) }
}
