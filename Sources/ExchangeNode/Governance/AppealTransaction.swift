import ExchangeProtocol
import Foundation
import GRDB

/// Transactions for the appeal code: like ``NodeStore/write(_:)``, but an ``AppealError`` thrown
/// inside keeps its type (the transaction is rolled back either way).
package enum AppealTransaction {
    static func write<T>(_ store: NodeStore, _ body: (Database) throws -> T) throws(AppealError) -> T {
        do {
            return try store.pool.write(body)
        } catch let error as AppealError {
            throw error
        } catch let error as NodeError {
            throw .node(error)
        } catch {
            throw .node(.store("a transaction failed", underlying: error))
        }
    }

    package static func read<T>(_ store: NodeStore, _ body: (Database) throws -> T) throws(AppealError) -> T {
        do {
            return try store.pool.read(body)
        } catch let error as AppealError {
            throw error
        } catch let error as NodeError {
            throw .node(error)
        } catch {
            throw .node(.store("a transaction failed", underlying: error))
        }
    }
}
