/// Line work in doubles, for preparing lines that GEOS then nodes: clipping lines to a polygon,
/// putting vertices on a precision grid as GEOS does, and chaining segments into longer lines.
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

    /// `lines` with every vertex that lies within `tolerance` of a segment it does not end
    /// added to that segment (in order along it), and how many were added: where line work
    /// that was noded and then rounded may no longer be noded. Rounding moves a vertex by up
    /// to half a grid step, so a vertex that close to a segment may end up across it; two
    /// segments that do not cross are nearest at an end of one of them, so after rounding by
    /// less than a third of `tolerance` they can cross only where a vertex is this near. This
    /// is what snap-rounding does at its hot pixels, for the few vertices that need it.
    /// Each vertex is tested against the segments listed in its cell of a ``SegmentCells`` grid.
    public static func nodingNearMisses(_ lines: [[Position]], tolerance: Double) -> (lines: [[Position]], added: Int) {
        let mended = nodingNearMisses(lines, tolerance: tolerance, onlyOn: nil)
        return (mended.lines, mended.added)
    }

    /// ``nodingNearMisses(_:tolerance:)`` testing only the segments in `only` (every segment
    /// when nil), with the pieces the segments that got vertices were cut into. The vertices
    /// added are vertices of the line work already, so after a pass over every segment only
    /// those pieces can have a vertex near them: the next pass need test nothing else.
    /// With `parallel`, a pass over every segment runs on two threads (the result is the same).
    static func nodingNearMisses(
        _ lines: [[Position]], tolerance: Double, onlyOn only: Set<SegmentEnds>?, parallel: Bool = false
    ) -> (lines: [[Position]], added: Int, pieces: Set<SegmentEnds>) {
        var segments: [(line: Int, index: Int, a: Position, b: Position)] = []
        // The box of the segments in `only`: a segment with an end outside it is not one of them.
        let onlyBox = only.flatMap { BoundingBox(around: $0.lazy.flatMap { [$0.a, $0.b] }) }
        for (l, line) in lines.enumerated() {
            for (k, (p, q)) in zip(line, line.dropFirst()).enumerated() where p != q {
                if let only {
                    guard let box = onlyBox, p.x >= box.minX, p.x <= box.maxX, p.y >= box.minY, p.y <= box.maxY,
                        only.contains(SegmentEnds(p, q))
                    else { continue }
                }
                segments.append((l, k, p, q))
            }
        }
        guard segments.count > (only == nil ? 1 : 0) else { return (lines, 0, []) }
        let cells = SegmentCells(segments.map { ($0.a, $0.b) }, reach: tolerance)
        let tolerance2 = tolerance * tolerance
        // The vertices to add to each segment, with where along it they lie: those of the
        // segments in `range` (every line's vertices when `only` is given) tested.
        func nearMisses(ofSegments range: Range<Int>) -> [Int: [(t: Double, p: Position)]] {
            var added: [Int: [(t: Double, p: Position)]] = [:]
            var tested = VertexNumbering(expected: range.count)
            segments.withUnsafeBufferPointer { segments in
                func test(_ v: Position) {
                    // Outside the cells (they reach `tolerance` past the segments), or in a cell
                    // without segments (most vertices, in a pass over a few pieces): nothing near.
                    guard cells.covers(v) else { return }
                    let near = cells.members(of: cells.cell(of: v))
                    guard !near.isEmpty, tested.number(v).inserted else { return }
                    for m in near {
                        let (a, b) = (segments[Int(m)].a, segments[Int(m)].b)
                        if v == a || v == b { continue }
                        if v.x < min(a.x, b.x) - tolerance || v.x > max(a.x, b.x) + tolerance
                            || v.y < min(a.y, b.y) - tolerance || v.y > max(a.y, b.y) + tolerance
                        {
                            continue
                        }
                        // Only a vertex beside the segment's inside: one nearest an end is near that
                        // end, which is near any segment it is near to.
                        let (dx, dy) = (b.x - a.x, b.y - a.y)
                        let t = ((v.x - a.x) * dx + (v.y - a.y) * dy) / (dx * dx + dy * dy)
                        guard t > 0 && t < 1 else { continue }
                        let (ex, ey) = (a.x + t * dx - v.x, a.y + t * dy - v.y)
                        if ex * ex + ey * ey <= tolerance2 { added[Int(m), default: []].append((t, v)) }
                    }
                }
                if only == nil {
                    for s in segments[range] {
                        test(s.a)
                        test(s.b)
                    }
                } else {
                    for line in lines { for v in line { test(v) } }
                }
            }
            return added
        }
        var added: [Int: [(t: Double, p: Position)]]
        if parallel && only == nil {
            // A vertex tested on both threads is found twice: the points are sorted and
            // repeats dropped below, so the result is the same as on one.
            let middle = segments.count / 2
            let (first, second) = sideBySide(
                { nearMisses(ofSegments: 0..<middle) }, { nearMisses(ofSegments: middle..<segments.count) })
            added = first
            for (m, points) in second { added[m, default: []] += points }
        } else {
            added = nearMisses(ofSegments: 0..<segments.count)
        }
        guard !added.isEmpty else { return (lines, 0, []) }
        var out = lines
        var count = 0
        var pieces = Set<SegmentEnds>()
        // Later segments of a line first, so that the earlier ones' indices still hold.
        for m in added.keys.sorted(by: >) {
            let s = segments[m]
            var points: [Position] = []
            for (_, p) in added[m]!.sorted(by: { ($0.t, $0.p.x, $0.p.y) < ($1.t, $1.p.x, $1.p.y) })
            where points.last != p {
                points.append(p)
            }
            out[s.line].insert(contentsOf: points, at: s.index + 1)
            count += points.count
            let chain = [s.a] + points + [s.b]
            for (p, q) in zip(chain, chain.dropFirst()) { pieces.insert(SegmentEnds(p, q)) }
        }
        return (out, count, pieces)
    }

    /// `lines` joined end to end where one ends at another's end (each used once, reversed if
    /// needed), in a deterministic order. Noding engines handle each input line separately
    /// (GEOS 3.11's snap-rounding seeds a random shuffle per line), so thousands of two-point
    /// lines, as a Voronoi diagram's edges are, cost far more than the same segments in chains.
    public static func chained(_ lines: [[Position]]) -> [[Position]] {
        // The lines at each end point (by number), in the order a scan of the lines meets them:
        // `atEnd[endStart[v]..<endStart[v + 1]]`.
        var vertices = VertexNumbering(expected: 2 * lines.count)
        var ends = [(first: Int, last: Int)](repeating: (-1, -1), count: lines.count)
        for (i, line) in lines.enumerated() where line.count > 1 {
            ends[i] = (vertices.number(line[0]).number, vertices.number(line[line.count - 1]).number)
        }
        var endStart = [Int](repeating: 0, count: vertices.count + 1)
        for (first, last) in ends where first >= 0 {
            endStart[first + 1] += 1
            endStart[last + 1] += 1
        }
        for v in 0..<vertices.count { endStart[v + 1] += endStart[v] }
        var atEnd = [Int](repeating: 0, count: endStart[vertices.count])
        var filled = endStart
        for (i, (first, last)) in ends.enumerated() where first >= 0 {
            atEnd[filled[first]] = i
            filled[first] += 1
            atEnd[filled[last]] = i
            filled[last] += 1
        }
        var used = [Bool](repeating: false, count: lines.count)
        // An unused line ending at vertex v (its first line in scan order).
        func next(from v: Int) -> Int? {
            for i in atEnd[endStart[v]..<endStart[v + 1]] where !used[i] {
                used[i] = true
                return i
            }
            return nil
        }
        // Appends to `path` the unused lines met one after another from vertex v, each oriented
        // to start where the last one ended.
        func walk(from v: Int, into path: inout [Position]) {
            var v = v
            while let j = next(from: v) {
                if ends[j].first == v {
                    path += lines[j].dropFirst()
                    v = ends[j].last
                } else {
                    path += lines[j].reversed().dropFirst()
                    v = ends[j].first
                }
            }
        }
        var result: [[Position]] = []
        var head: [Position] = []
        for (i, line) in lines.enumerated() where !used[i] && line.count > 1 {
            used[i] = true
            var chain = line
            walk(from: ends[i].last, into: &chain)
            // Back from the first vertex the same way; the pieces found go in front, reversed.
            head.removeAll(keepingCapacity: true)
            walk(from: ends[i].first, into: &head)
            result.append(head.isEmpty ? chain : head.reversed() + chain)
        }
        return result
    }
}

/// A segment's two ends, in either direction: `a` is the first in (x, y) order.
public struct SegmentEnds: Hashable, Sendable {
    public let a: Position, b: Position
    public init(_ p: Position, _ q: Position) { (a, b) = (p.x, p.y) < (q.x, q.y) ? (p, q) : (q, p) }
}
