import ArgumentParser
import ExchangeNode

/// `exchange-node webhooks add --home H --url URL --secret-file F [--types match,retraction]`.
struct WebhooksAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Register an endpoint (HOME/webhooks/ID.json); a running serve picks it up within a second."
    )

    @OptionGroup var options: HomeOption

    @Option(name: .long, help: "The endpoint: https://HOST[:PORT]/PATH (plain http only to a loopback address).")
    var url: String

    @Option(name: .long, help: "A file holding the signing secret (16 to 1024 bytes); it is copied into the home (0600).")
    var secretFile: String

    @Option(name: .long, help: "Record types to deliver (comma-separated: match,retraction,appeal-decided). Default: all.")
    var types: String = "match,retraction,appeal-decided"

    @Option(name: .long, help: "The endpoint's id ([a-z0-9][a-z0-9-]{0,62}). Default: wh- and a hash of the URL.")
    var id: String?

    @Option(name: .long, help: "Where delivery starts: start (the whole outbox), now (new records only) or an outbox seq.")
    var from: String = "start"

    @Option(name: .long, help: "At most this many records per request (1-1000).")
    var batchSize: Int = 100

    @Option(name: .long, help: "Consecutive failed attempts after which the endpoint is marked failing.")
    var maxAttempts: Int = 10

    @Option(name: .long, help: "The longest wait between attempts, in seconds (also the retry period once failing).")
    var maxBackoff: Double = 300

    func run() async throws {
        guard let start = WebhookAdministration.Start(from) else {
            throw ValidationError("--from must be start, now or an outbox sequence number")
        }
        let context = try NodeContext(home: options.nodeHome)
        let registration = try WebhookAdministration.add(
            context: context, url: url, secretFile: secretFile,
            types: types.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }, id: id, start: start,
            batchSize: batchSize, maxAttempts: maxAttempts, maxBackoffSeconds: maxBackoff)
        print("webhook \(registration.id) → \(registration.displayURL) (types \(registration.types.joined(separator: ",")); "
              + "from outbox seq \(registration.startAfter + 1))")
    }
}
