import ArgumentParser
import ExchangeNode
import ExchangeProtocol
import ExchangeRuntime
import Foundation

/// A buffered output file, or standard output / standard error.
final class OutputFile: @unchecked Sendable {
    private let handle: FileHandle
    private let owned: Bool

    init(path: String?, fallbackToStandardError: Bool = false) throws {
        if let path {
            guard FileManager.default.createFile(atPath: path, contents: nil) , let handle = FileHandle(forWritingAtPath: path) else {
                throw NodeError.fileUnwritable(path, reason: "cannot create")
            }
            self.handle = handle
            owned = true
        } else {
            handle = fallbackToStandardError ? .standardError : .standardOutput
            owned = false
        }
    }

    func write(_ text: String) throws {
        var line = text
        if !line.hasSuffix("\n") { line += "\n" }
        try handle.write(contentsOf: Data(line.utf8))
    }

    func close() throws {
        if owned { try handle.close() }
    }
}
