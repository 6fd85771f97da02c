import Foundation

/// Reads and writes small JSON files atomically (pretty-printed, sorted keys), with errors that name
/// the file and the field, never a value.
package enum JSONFile {
    package static func read<T: Decodable>(_ type: T.Type, from url: URL) throws(FileError) -> T {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw FileError(.unreadable, path: url.path, reason: "cannot read (\(error.localizedDescription))", underlying: error)
        }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let DecodingError.keyNotFound(key, _) {
            throw FileError(.unreadable, path: url.path, reason: "missing field '\(key.stringValue)'")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw FileError(.unreadable, path: url.path,
                            reason: "field '\(context.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type")
        } catch let DecodingError.dataCorrupted(context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw FileError(.unreadable, path: url.path, reason: field.isEmpty ? "not valid JSON" : "field '\(field)': \(context.debugDescription)")
        } catch {
            throw FileError(.unreadable, path: url.path, reason: "not valid JSON")
        }
    }

    package static func write<T: Encodable>(_ value: T, to url: URL, mode: Int = 0o644) throws(FileError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do {
            data = try encoder.encode(value) + Data("\n".utf8)
        } catch {
            throw FileError(.unwritable, path: url.path, reason: "cannot encode", underlying: error)
        }
        try SecureFile.writeAtomically(data, to: url, mode: mode)
    }
}
