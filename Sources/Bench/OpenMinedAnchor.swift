import ExchangeCrypto
import ExchangeDemo
import ExchangeNode
import ExchangeProtocol
import Foundation

/// Runs `scripts/openmined_psi_anchor.py` with python3 and reads its JSON line.
enum OpenMinedAnchor {
    struct Result: Decodable {
        let intersection: Int
        let total: Double
        /// The server's setup message: masking its own set once (reusable for further requests).
        let setup: Double
        enum CodingKeys: String, CodingKey {
            case intersection
            case total = "total_s"
            case setup = "setup_s"
        }
    }

    static func run(count: Int) -> Result? {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("scripts/openmined_psi_anchor.py")
        let candidates = [script.path, FileManager.default.currentDirectoryPath + "/scripts/openmined_psi_anchor.py"]
        guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", path, String(count)]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return try? JSONDecoder().decode(Result.self, from: data)
    }
}
