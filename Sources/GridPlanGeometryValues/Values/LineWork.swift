/// Line work in doubles, for preparing lines that GEOS then nodes exactly (snap-rounding):
/// clipping lines to a polygon, chaining segments into longer lines, and walks that cover a
/// connected piece of line work in one line.
extension Geometry {
    /// The parts of `lines` inside `polygons` (each a shell then its holes), as polylines.
    /// A piece is kept when its midpoint lies inside (even–odd rule); crossing points are
    /// computed in doubles, so an end lies within rounding (~1e-15 relative) of the outline:
    /// a snap-rounded noding on a coarser grid joins it to the outline exactly, and with
    /// `overshoot` > 0 each end made by a crossing reaches that far past it along its segment,
    /// so that a floating-precision noding, which joins only what meets exactly, finds the
    /// crossing too (the bit beyond is a dangle).
    public static func clip(_ lines: [[Position]], to polygons: [[Ring]], overshoot: Double = 0) -> [[Position]] {
        var edges: [(Position, Position)] = []
        for polygon in polygons {
            for ring in polygon { for (a, b) in zip(ring, ring.dropFirst()) where a != b { edges.append((a, b)) } }
        }
        let tree = STRTree(
            boxes: edges.map { a, b in
                BoundingBox(minX: min(a.x, b.x), minY: min(a.y, b.y), maxX: max(a.x, b.x), maxY: max(a.y, b.y))
            })
        func inside(_ p: Position) -> Bool { polygons.contains { polygonContains($0, p) } }
        var result: [[Position]] = []
        for line in lines {
            var current: [Position] = []
            // Where the piece ends when its last point is a crossing (moved past it), else nil.
            var currentEnd: Position?
            func close() {
                if current.count > 1 {
                    if let currentEnd { current[current.count - 1] = currentEnd }
                    result.append(current)
                }
                (current, currentEnd) = ([], nil)
            }
            for (a, b) in zip(line, line.dropFirst()) where a != b {
                let box = BoundingBox(
                    minX: min(a.x, b.x), minY: min(a.y, b.y), maxX: max(a.x, b.x), maxY: max(a.y, b.y))
                let dx = b.x - a.x, dy = b.y - a.y, length2 = dx * dx + dy * dy
                // Crossings along ab, by their parameter t in (0, 1).
                var cuts: [(t: Double, p: Position)] = [(0, a), (1, b)]
                for i in tree.query(box) {
                    guard let p = segmentIntersection(a, b, edges[i].0, edges[i].1) else { continue }
                    let t = ((p.x - a.x) * dx + (p.y - a.y) * dy) / length2
                    if t > 0 && t < 1 { cuts.append((t, p)) }
                }
                cuts.sort { $0.t < $1.t }
                // A crossing moved `overshoot` along ab (`sign` -1: backwards); an end of ab stays.
                let step = overshoot / length2.squareRoot()
                func past(_ cut: (t: Double, p: Position), _ sign: Double) -> Position? {
                    guard step > 0, cut.t > 0, cut.t < 1 else { return nil }
                    return Position(x: cut.p.x + sign * step * dx, y: cut.p.y + sign * step * dy)
                }
                for (u, v) in zip(cuts, cuts.dropFirst()) where u.p != v.p {
                    if inside(Position(x: (u.p.x + v.p.x) / 2, y: (u.p.y + v.p.y) / 2)) {
                        if current.last != u.p {
                            close()
                            current = [past(u, -1) ?? u.p]
                        }
                        current.append(v.p)
                        currentEnd = past(v, 1)
                    } else {
                        close()
                    }
                }
            }
            close()
        }
        return result
    }

    /// `lines` with every coordinate on the grid of `gridSize` as GEOS's fixed precision model
    /// puts it (`makePrecise`: the value times the scale 1/`gridSize`, rounded half up, divided
    /// by the scale), so that snap-rounding them on that grid leaves each vertex where it is;
    /// repeated vertices are dropped, and lines that shrink to a point.
    public static func onGrid(_ lines: [[Position]], gridSize: Double) -> [[Position]] {
        let scale = (1 / gridSize).rounded()
        func round(_ v: Double) -> Double {
            let n = (v * scale).rounded(.down)
            return (v * scale - n < 0.5 ? n : n + 1) / scale
        }
        return lines.compactMap { line in
            var out: [Position] = []
            out.reserveCapacity(line.count)
            for p in line {
                let q = Position(x: round(p.x), y: round(p.y))
                if out.last != q { out.append(q) }
            }
            return out.count > 1 ? out : nil
        }
    }

    /// `lines` joined end to end where one ends at another's end (each used once, reversed if
    /// needed), in a deterministic order. Noding engines handle each input line separately
    /// (GEOS 3.11's snap-rounding seeds a random shuffle per line), so thousands of two-point
    /// lines, as a Voronoi diagram's edges are, cost far more than the same segments in chains.
    public static func chained(_ lines: [[Position]]) -> [[Position]] {
        var ends: [Position: [Int]] = [:]
        for (i, line) in lines.enumerated() where line.count > 1 {
            ends[line[0], default: []].append(i)
            ends[line[line.count - 1], default: []].append(i)
        }
        var used = [Bool](repeating: false, count: lines.count)
        // An unused line ending at `p`, oriented to start there.
        func next(from p: Position) -> [Position]? {
            guard let candidates = ends[p] else { return nil }
            for i in candidates where !used[i] {
                used[i] = true
                return lines[i][0] == p ? lines[i] : lines[i].reversed()
            }
            return nil
        }
        var result: [[Position]] = []
        for (i, line) in lines.enumerated() where !used[i] && line.count > 1 {
            used[i] = true
            var chain = line
            while let more = next(from: chain[chain.count - 1]) { chain += more.dropFirst() }
            var head: [Position] = []
            while let more = next(from: head.last ?? chain[0]) { head += more.dropFirst() }
            result.append(head.reversed() + chain)
        }
        return result
    }

    /// Lines that together trace every segment of `lines`, one per connected piece of the line
    /// work: a trail takes unused segments while it can, and when it is stuck walks back along
    /// its own path to the last vertex that still has some (those steps repeat segments, at most
    /// once each, so the result has at most twice the segments). For noding, where GEOS 3.11's
    /// snap-rounding pays a fixed cost per input line (it constructs a `std::random_device` to
    /// shuffle each: 21–29 µs measured on a 2-core VM) and a repeated segment only
    /// costs its share of the work: the noded result is the same segments. Zero-length
    /// segments are dropped; deterministic for a given input order.
    public static func walks(covering lines: [[Position]]) -> [[Position]] {
        var vertices = VertexNumbering()
        var incident: [[(edge: Int, to: Int)]] = []
        var edgeCount = 0
        for line in lines {
            for (p, q) in zip(line, line.dropFirst()) where p != q {
                let (a, b) = (vertices.number(p), vertices.number(q))
                while incident.count < vertices.count { incident.append([]) }
                incident[a].append((edgeCount, b))
                incident[b].append((edgeCount, a))
                edgeCount += 1
            }
        }
        let positions = vertices.positions
        var used = [Bool](repeating: false, count: edgeCount)
        // The next incident edge of each vertex to look at (the ones before it are used).
        var cursor = [Int](repeating: 0, count: positions.count)
        func unusedEdge(at v: Int) -> (edge: Int, to: Int)? {
            while cursor[v] < incident[v].count {
                let next = incident[v][cursor[v]]
                if !used[next.edge] { return next }
                cursor[v] += 1
            }
            return nil
        }
        var result: [[Position]] = []
        for start in positions.indices where unusedEdge(at: start) != nil {
            var walk = [positions[start]]
            var trail = [start]
            // The walk up to its last new segment (steps back after it repeat segments for nothing).
            var kept = 1
            while let v = trail.last {
                if let (edge, to) = unusedEdge(at: v) {
                    used[edge] = true
                    trail.append(to)
                    walk.append(positions[to])
                    kept = walk.count
                } else {
                    // Stuck: a step back along the trail, towards a vertex with unused segments.
                    trail.removeLast()
                    if let back = trail.last { walk.append(positions[back]) }
                }
            }
            result.append(Array(walk.prefix(kept)))
        }
        return result
    }
}
