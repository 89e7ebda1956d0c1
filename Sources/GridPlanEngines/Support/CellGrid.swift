import GridPlanGeometryValues

/// A cell of a ``CellGrid``.
struct CellKey: Hashable {
    var column: Int
    var row: Int
}

/// Square-ish lon/lat cells at least `cellMetres` wide everywhere in the latitudes given (plus
/// a margin), so every point within `cellMetres` of a point lies in its 3 × 3 neighbourhood.
struct CellGrid {
    let dLon: Double
    let dLat: Double

    init(cellMetres: Double, latitudes: [Double]) {
        let highest = min(89, (latitudes.map(abs).max() ?? 0) + 1)
        dLat = 1.02 * cellMetres / Degrees.metresOfLatitude
        dLon = 1.02 * cellMetres / Degrees.metresOfLongitude(atLatitude: highest)
    }

    func key(_ p: Position) -> CellKey {
        CellKey(column: Int((p.x / dLon).rounded(.down)), row: Int((p.y / dLat).rounded(.down)))
    }

    func neighbourhood(_ p: Position) -> [CellKey] {
        let k = key(p)
        return (-1...1).flatMap { dx in (-1...1).map { dy in CellKey(column: k.column + dx, row: k.row + dy) } }
    }
}
