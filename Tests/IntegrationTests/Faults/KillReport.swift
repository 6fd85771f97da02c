import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Appends campaign figures to the report file (and standard output).
enum KillReport {
    static func write(_ lines: [String], settings: KillCampaignSettings) {
        let text = lines.joined(separator: "\n") + "\n"
        print(text)
        guard let path = settings.reportPath else { return }
        if let handle = FileHandle(forWritingAtPath: path) {
            handle.seekToEndOfFile()
            handle.write(Data(text.utf8))
            try? handle.close()
        } else {
            _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        }
    }
}
