/// A listen address that is not `HOST:PORT`.
package struct HostPortError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text given (an address from the command line or a configuration file).
    package let text: String
    package let reason: String

    package var description: String { "'\(text)' \(reason)" }
}
