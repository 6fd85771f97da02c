import Foundation
import GRDB
import GRDBSQLite

/// A thin, allocation-free binding layer over a GRDB-managed statement, for the bulk paths
/// (import, sync) where GRDB's boxed `StatementArguments` would dominate the cost.
struct RawStatement {
    let statement: Statement
    private var handle: OpaquePointer { statement.sqliteStatement }
    private let connection: OpaquePointer

    init(_ db: Database, _ sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
        connection = db.sqliteConnection!
    }

    func bind(_ index: Int32, _ value: Int64) { sqlite3_bind_int64(handle, index, value) }
    func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    func bind(_ index: Int32, _ value: String) {
        var copy = value
        copy.withUTF8 { utf8 in
            utf8.withMemoryRebound(to: CChar.self) { chars in
                _ = sqlite3_bind_text(handle, index, chars.baseAddress ?? UnsafePointer(bitPattern: 1), Int32(chars.count), SQLITE_TRANSIENT_POINTER)
            }
        }
    }

    func bind(_ index: Int32, blob: UnsafeRawBufferPointer) {
        sqlite3_bind_blob(handle, index, blob.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(blob.count), SQLITE_TRANSIENT_POINTER)
    }

    func bind(_ index: Int32, blob: [UInt8]) { blob.withUnsafeBytes { bind(index, blob: $0) } }

    func bindNull(_ index: Int32) { sqlite3_bind_null(handle, index) }

    /// Steps once; returns true when a row is available.
    @discardableResult
    func step() throws -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let message = String(cString: sqlite3_errmsg(connection))
            sqlite3_reset(handle)
            throw NodeError.store("SQLite error \(code): \(message)")
        }
    }

    /// Rows the connection's most recent INSERT, UPDATE or DELETE changed.
    var changedRows: Int32 { sqlite3_changes(connection) }

    /// The row id of the connection's most recent successful INSERT.
    var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(connection) }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    /// The column's bytes (empty for NULL), copied out of SQLite's buffer.
    func blob(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let base = sqlite3_column_blob(handle, column) else { return [] }
        return [UInt8](UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Calls `body` with the column's bytes in SQLite's buffer (valid only during the call).
    func withBlob<T>(_ column: Int32, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        let count = Int(sqlite3_column_bytes(handle, column))
        return try body(UnsafeRawBufferPointer(start: count > 0 ? sqlite3_column_blob(handle, column) : nil, count: count))
    }

    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Runs a statement expected to return no row.
    func run() throws {
        defer { reset() }
        try step()
    }
}

/// SQLITE_TRANSIENT: SQLite copies the bound bytes.
private let SQLITE_TRANSIENT_POINTER = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
