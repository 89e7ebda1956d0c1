/// The nearest of a fixed set of points in the plane (squared Euclidean distance, ties to the
/// lowest index, as a scan in index order finds it): the points in a ``SegmentCells`` grid (as
/// segments of no length), searched in growing rings of cells around the query until no cell
/// further out can hold a nearer point.
public struct PlanarNearest {
    private let points: [Position]
    private let cells: SegmentCells

    public init(_ points: [Position]) {
        self.points = points
        cells = SegmentCells(points.map { ($0, $0) }, reach: 0)
    }

    /// The index of the point nearest to `q` (nil when there are none).
    public func nearest(to q: Position) -> Int? {
        guard !points.isEmpty else { return nil }
        let (columns, rows, size) = (cells.columns, cells.rows, cells.size)
        let home = cells.cell(of: q)
        let (c0, r0) = (home % columns, home / columns)
        var best = -1, bestDistance = Double.infinity
        for ring in 0...max(columns, rows) {
            for r in max(0, r0 - ring)...min(rows - 1, r0 + ring) {
                let edge = r == r0 - ring || r == r0 + ring
                // Inner rows of the ring: only its two end columns.
                let cs = edge ? Array(max(0, c0 - ring)...min(columns - 1, c0 + ring)) : [c0 - ring, c0 + ring]
                for c in cs where c >= 0 && c < columns {
                    for m in cells.members(row: r, column: c) {
                        let (i, p) = (Int(m), points[Int(m)])
                        let d = (p.x - q.x) * (p.x - q.x) + (p.y - q.y) * (p.y - q.y)
                        if d < bestDistance || (d == bestDistance && i < best) { (best, bestDistance) = (i, d) }
                    }
                }
            }
            // Every point outside the rings searched (each is listed at least in its own cell)
            // is at least this far from q.
            let gap = min(
                q.x - (cells.originX + Double(c0 - ring) * size), cells.originX + Double(c0 + ring + 1) * size - q.x,
                q.y - (cells.originY + Double(r0 - ring) * size), cells.originY + Double(r0 + ring + 1) * size - q.y)
            if best >= 0 && gap > 0 && gap * gap > bestDistance { break }
        }
        return best
    }
}
