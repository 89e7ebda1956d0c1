/// Voronoi edges from a Delaunay triangulation, in doubles. GEOS 3.11 builds the same diagram but
/// clips its edges to the envelope with a full overlay, which took ten times as long as the
/// triangulation itself on a unit of 9,434 buildings; here every edge is clipped to the box alone.
extension Geometry {
    /// The edges of the Voronoi diagram of the vertices of `triangles` (a Delaunay triangulation:
    /// each triangle given by its three corners), within `box`, as two-point lines. The edge dual
    /// to a triangle edge shared by two triangles joins their circumcentres; the one dual to a hull
    /// edge runs from its triangle's circumcentre away from the triangle, to the box.
    /// Deterministic: edges come in the order the triangles give them.
    public static func voronoiEdges(delaunay triangles: [[Position]], within box: BoundingBox) -> [[Position]] {
        struct Edge: Hashable { let a: Position, b: Position }
        func key(_ p: Position, _ q: Position) -> Edge { (p.x, p.y) < (q.x, q.y) ? Edge(a: p, b: q) : Edge(a: q, b: p) }
        var centres: [Position] = []
        var first: [Edge: Int] = [:]
        // Triangle edges in order of first sight: (edge, its first triangle, that triangle's third corner, second
        // triangle).
        var seen: [(edge: Edge, triangle: Int, opposite: Position, other: Int?)] = []
        first.reserveCapacity(2 * triangles.count + 8)
        seen.reserveCapacity(2 * triangles.count + 8)
        centres.reserveCapacity(triangles.count)
        func side(_ u: Position, _ v: Position, _ w: Position, of t: Int) {
            let k = key(u, v)
            if let i = first[k] {
                seen[i].other = t
            } else {
                first[k] = seen.count
                seen.append((k, t, w, nil))
            }
        }
        for corners in triangles where corners.count >= 3 {
            let (p, q, r) = (corners[0], corners[1], corners[2])
            guard let centre = circumcentre(p, q, r) else { continue }
            let t = centres.count
            centres.append(centre)
            side(p, q, r, of: t)
            side(q, r, p, of: t)
            side(r, p, q, of: t)
        }
        let reach = 2 * ((box.maxX - box.minX) + (box.maxY - box.minY))
        var result: [[Position]] = []
        for e in seen {
            let start = centres[e.triangle]
            var end: Position
            if let other = e.other {
                end = centres[other]
            } else {
                // A hull edge: outward along the perpendicular bisector, far enough to leave the box.
                var n = (x: -(e.edge.b.y - e.edge.a.y), y: e.edge.b.x - e.edge.a.x)
                if n.x * (e.opposite.x - e.edge.a.x) + n.y * (e.opposite.y - e.edge.a.y) > 0 { n = (-n.x, -n.y) }
                let length = (n.x * n.x + n.y * n.y).squareRoot()
                guard length > 0 else { continue }
                let far = reach + abs(start.x - box.minX) + abs(start.y - box.minY)
                end = Position(x: start.x + n.x / length * far, y: start.y + n.y / length * far)
            }
            if let clipped = clip(start, end, to: box), clipped.0 != clipped.1 {
                result.append([clipped.0, clipped.1])
            }
        }
        return result
    }

    /// The centre of the circle through three points, or nil when they are on one line.
    static func circumcentre(_ a: Position, _ b: Position, _ c: Position) -> Position? {
        // Relative to a, for precision.
        let (bx, by, cx, cy) = (b.x - a.x, b.y - a.y, c.x - a.x, c.y - a.y)
        let d = 2 * (bx * cy - by * cx)
        guard d != 0 else { return nil }
        let (b2, c2) = (bx * bx + by * by, cx * cx + cy * cy)
        return Position(x: a.x + (cy * b2 - by * c2) / d, y: a.y + (bx * c2 - cx * b2) / d)
    }

    /// The part of segment pq inside `box` (Liang–Barsky), or nil.
    static func clip(_ p: Position, _ q: Position, to box: BoundingBox) -> (Position, Position)? {
        let (dx, dy) = (q.x - p.x, q.y - p.y)
        var (t0, t1) = (0.0, 1.0)
        for (denominator, numerator) in [
            (-dx, p.x - box.minX), (dx, box.maxX - p.x), (-dy, p.y - box.minY), (dy, box.maxY - p.y),
        ] {
            if denominator == 0 {
                if numerator < 0 { return nil }
                continue
            }
            let t = numerator / denominator
            if denominator < 0 { t0 = max(t0, t) } else { t1 = min(t1, t) }
            if t0 > t1 { return nil }
        }
        let start = t0 == 0 ? p : Position(x: p.x + t0 * dx, y: p.y + t0 * dy)
        let end = t1 == 1 ? q : Position(x: p.x + t1 * dx, y: p.y + t1 * dy)
        return (start, end)
    }
}
