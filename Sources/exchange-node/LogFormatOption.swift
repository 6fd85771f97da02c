import ArgumentParser
import ExchangeRuntime

/// `--log-format text|json`, for the serving commands: `json` writes one JSON object per line to
/// standard error, for log shippers.
struct LogFormatOption: ParsableArguments {
    @Option(name: .customLong("log-format"), help: "Log lines as text (default) or json (one JSON object per line).")
    var format: LogFormat?

    /// Switches the process's log lines to the chosen format (before anything is logged).
    func apply() {
        if let format { LogFormat.select(format) }
    }
}

extension LogFormat: ExpressibleByArgument {}
