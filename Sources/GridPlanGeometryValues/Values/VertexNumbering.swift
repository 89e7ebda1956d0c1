/// Numbers the distinct positions of line work (exact equality) in the order they first come:
/// the vertices of a graph over segments.
struct VertexNumbering {
    private var numberOf: [Position: Int] = [:]
    /// The positions, by number.
    private(set) var positions: [Position] = []

    var count: Int { positions.count }

    /// The number of `p`, a new one when it has none yet.
    mutating func number(_ p: Position) -> Int {
        if let v = numberOf[p] { return v }
        numberOf[p] = positions.count
        positions.append(p)
        return positions.count - 1
    }
}
