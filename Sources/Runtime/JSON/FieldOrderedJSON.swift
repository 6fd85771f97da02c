/// A value whose JSON form keeps its fields in the order its `encode(to:)` writes them (a documented
/// order consumers may rely on). Answers that are not marked so are written with sorted keys.
package protocol FieldOrderedJSON: Encodable {}
