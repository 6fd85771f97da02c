/// Why a test helper could not do its job (as opposed to a product behaviour under test).
package struct HarnessError: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}
