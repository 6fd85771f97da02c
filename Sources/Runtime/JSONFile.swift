import Foundation

/// Reads and writes small JSON files atomically, with errors that name the file.
enum JSONFile {
    static func read<T: Decodable>(_ type: T.Type, from url: URL) throws(NodeError) -> T {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .fileUnreadable(url.path, reason: "cannot read (\(error.localizedDescription))")
        }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let DecodingError.keyNotFound(key, _) {
            throw .fileUnreadable(url.path, reason: "missing field '\(key.stringValue)'")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw .fileUnreadable(url.path, reason: "field '\(context.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type")
        } catch let DecodingError.dataCorrupted(context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw .fileUnreadable(url.path, reason: field.isEmpty ? "not valid JSON" : "field '\(field)': \(context.debugDescription)")
        } catch {
            throw .fileUnreadable(url.path, reason: "not valid JSON")
        }
    }

    static func write<T: Encodable>(_ value: T, to url: URL, mode: Int = 0o644) throws(NodeError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            let data = try encoder.encode(value) + Data("\n".utf8)
            try SecureFile.writeAtomically(data, to: url, mode: mode)
        } catch let error as NodeError {
            throw error
        } catch {
            throw .fileUnwritable(url.path, reason: "\(error)")
        }
    }
}

/// Atomic writes with an explicit mode (0600 for secrets), and the mode check secrets are read with.
enum SecureFile {
    static func writeAtomically(_ data: Data, to url: URL, mode: Int) throws(NodeError) {
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw .fileUnwritable(directory.path, reason: "cannot create directory")
        }
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UInt32.random(in: 0...UInt32.max)).tmp")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL, mode_t(mode))
        guard fd >= 0 else { throw .fileUnwritable(temporary.path, reason: String(cString: strerror(errno))) }
        let written = data.withUnsafeBytes { raw -> Int in
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n <= 0 { return -1 }
                offset += n
            }
            return offset
        }
        fchmod(fd, mode_t(mode))
        fsync(fd)
        close(fd)
        guard written == data.count else {
            unlink(temporary.path)
            throw .fileUnwritable(url.path, reason: "short write")
        }
        guard rename(temporary.path, url.path) == 0 else {
            unlink(temporary.path)
            throw .fileUnwritable(url.path, reason: String(cString: strerror(errno)))
        }
    }

    /// Reads a secret, refusing a file that group or others may access.
    static func readSecret(_ url: URL) throws(NodeError) -> Data {
        var info = stat()
        guard stat(url.path, &info) == 0 else { throw .fileUnreadable(url.path, reason: "missing") }
        guard info.st_mode & 0o077 == 0 else {
            throw .insecureKeyFile(url.path, mode: String(Int(info.st_mode & 0o777), radix: 8))
        }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw .fileUnreadable(url.path, reason: "cannot read")
        }
    }
}
