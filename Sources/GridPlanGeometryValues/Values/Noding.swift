/// Noding in Swift: line work split wherever two of its segments meet, then put on a precision
/// grid and mended where rounding left a vertex beside a segment. Cheaper than a GEOS union of
/// the same lines (which also builds and labels an overlay graph), for the arrangements the
/// partition traces faces in; ``NativeGeometry/nodedLines(_:gridSize:in:)`` falls back to GEOS
/// when the mending does not settle.
extension Geometry {
    /// `lines` noded and on the grid of `gridSize` (see ``onGrid(_:gridSize:)``): segments meet
    /// only at shared end points. Nil when three passes of ``nodingNearMisses(_:tolerance:)``
    /// after rounding still added vertices (the caller then snap-rounds). With `parallel`, the
    /// noding in doubles and the first mending pass run on two threads; the result is the same.
    public static func noded(_ lines: [[Position]], gridSize: Double, parallel: Bool = false) -> [[Position]]? {
        var rounded = onGrid(nodedInDoubles(lines, parallel: parallel), gridSize: gridSize)
        // The first pass tests every segment; the next ones only the pieces of those that got a vertex.
        var only: Set<SegmentEnds>?
        for _ in 0..<3 {
            let mended = nodingNearMisses(rounded, tolerance: 4 * gridSize, onlyOn: only, parallel: parallel)
            if mended.added == 0 { return rounded }
            (rounded, only) = (mended.lines, mended.pieces)
        }
        return nil
    }

    /// `lines` split, in doubles, at every point where two of their segments meet: where they
    /// cross (the crossing is computed once and put into both), where an end of one lies on the
    /// inside of the other, and at the ends of a collinear overlap. Each distinct segment is kept
    /// once (in either direction), in the order the lines give them, as a polyline through the
    /// points put on it. Crossings are computed in doubles, as a floating-precision noding does:
    /// rounding to a grid afterwards needs ``nodingNearMisses(_:tolerance:)``. With `parallel`,
    /// the cells are searched in two runs (each with about half of the cells' entries) on two
    /// threads; the points found are sorted either way, so the result is the same.
    public static func nodedInDoubles(_ lines: [[Position]], parallel: Bool = false) -> [[Position]] {
        var vertices = VertexNumbering(expected: lines.reduce(0) { $0 + $1.count })
        var seen = KeyNumbering(expected: lines.reduce(0) { $0 + $1.count })
        var segments: [(a: Position, b: Position)] = []
        for line in lines {
            for (p, q) in zip(line, line.dropFirst()) where p != q {
                let key = KeyNumbering.pair(vertices.number(p).number, vertices.number(q).number)
                if seen.number(key).inserted { segments.append((p, q)) }
            }
        }
        guard segments.count > 1 else { return segments.map { [$0.a, $0.b] } }
        let cells = SegmentCells(segments, reach: 0)
        // The points put on each segment: (segment, where along it, point), found in `range` of cells.
        func meetings(inCells range: Range<Int>) -> [(s: Int32, t: Double, p: Position)] {
            var cuts: [(s: Int32, t: Double, p: Position)] = []
            func orient(_ a: Position, _ b: Position, _ c: Position) -> Double {
                (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
            }
            func along(_ p: Position, _ s: Int) -> Double {
                let (a, b) = segments[s]
                let (dx, dy) = (b.x - a.x, b.y - a.y)
                return ((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy)
            }
            segments.withUnsafeBufferPointer { segments in
                for cell in range {
                    let members = cells.members(of: cell)
                    guard members.count > 1 else { continue }
                    // A meeting point is recorded in its own cell only (both segments are listed there).
                    func cut(_ s: Int, at p: Position) {
                        guard cells.cell(of: p) == cell else { return }
                        cuts.append((Int32(s), along(p, s), p))
                    }
                    // `p` (an end of the other segment, on the line of segment s) when it lies inside s.
                    func endOn(_ s: Int, _ p: Position) {
                        let (a, b) = segments[s]
                        guard p != a && p != b, p.x >= min(a.x, b.x), p.x <= max(a.x, b.x), p.y >= min(a.y, b.y),
                            p.y <= max(a.y, b.y)
                        else { return }
                        cut(s, at: p)
                    }
                    for m in members.indices {
                        let i = Int(members[m])
                        let (a, b) = segments[i]
                        let (minX, maxX, minY, maxY) = (min(a.x, b.x), max(a.x, b.x), min(a.y, b.y), max(a.y, b.y))
                        for n in (m + 1)..<members.endIndex {
                            let j = Int(members[n])
                            let (c, d) = segments[j]
                            if max(c.x, d.x) < minX || min(c.x, d.x) > maxX || max(c.y, d.y) < minY
                                || min(c.y, d.y) > maxY
                            {
                                continue
                            }
                            let (o1, o2) = (orient(a, b, c), orient(a, b, d))
                            if (o1 > 0 && o2 > 0) || (o1 < 0 && o2 < 0) { continue }
                            let (o3, o4) = (orient(c, d, a), orient(c, d, b))
                            if (o3 > 0 && o4 > 0) || (o3 < 0 && o4 < 0) { continue }
                            if o1 == 0 && o2 == 0 {
                                // Collinear: each end inside the other segment splits it.
                                endOn(i, c)
                                endOn(i, d)
                                endOn(j, a)
                                endOn(j, b)
                            } else if o1 != 0 && o2 != 0 && o3 != 0 && o4 != 0 {
                                // A proper crossing: one point for both.
                                let t = o3 / (o3 - o4)
                                let p = Position(x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y))
                                cut(i, at: p)
                                cut(j, at: p)
                            } else {
                                // An end of one on the other (a T, or two segments sharing an end).
                                if o1 == 0 { endOn(i, c) }
                                if o2 == 0 { endOn(i, d) }
                                if o3 == 0 { endOn(j, a) }
                                if o4 == 0 { endOn(j, b) }
                            }
                        }
                    }
                }
            }
            return cuts
        }
        var cuts: [(s: Int32, t: Double, p: Position)]
        if parallel && cells.count > 1 {
            let middle = cells.middle
            let (first, second) = sideBySide(
                { meetings(inCells: 0..<middle) }, { meetings(inCells: middle..<cells.count) })
            cuts = first + second
        } else {
            cuts = meetings(inCells: 0..<cells.count)
        }
        cuts.sort { ($0.s, $0.t, $0.p.x, $0.p.y) < ($1.s, $1.t, $1.p.x, $1.p.y) }
        var result: [[Position]] = []
        result.reserveCapacity(segments.count)
        var k = 0
        for (s, (a, b)) in segments.enumerated() {
            var line = [a]
            while k < cuts.count && Int(cuts[k].s) == s {
                if line.last != cuts[k].p { line.append(cuts[k].p) }
                k += 1
            }
            if line.last != b { line.append(b) }
            result.append(line)
        }
        return result
    }
}

/// Segments bucketed in a uniform grid of about one segment per cell (at most 4,096 cells a
/// side, none smaller than `reach`): each is listed in every cell that its points, or points
/// within `reach` of them, fall in (walked row by row along the segment, not over its whole box,
/// so that a long diagonal fills a band of cells rather than a square).
struct SegmentCells {
    /// The grid: its lower-left corner, the side of a cell, and how many cells across and up.
    let originX: Double, originY: Double, size: Double
    let columns: Int, rows: Int
    private let start: [Int]
    private let list: [Int32]
    /// The margin the cells were widened by (at least `reach`).
    let margin: Double

    var count: Int { rows * columns }

    init(_ segments: [(a: Position, b: Position)], reach: Double) {
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        for (p, q) in segments {
            minX = min(minX, p.x, q.x)
            minY = min(minY, p.y, q.y)
            maxX = max(maxX, p.x, q.x)
            maxY = max(maxY, p.y, q.y)
        }
        if segments.isEmpty { (minX, minY, maxX, maxY) = (0, 0, 0, 0) }
        // A margin for rounding: a point computed on a segment lies in a cell it is listed in.
        let margin = max(reach, 1e-9 * max(maxX - minX, maxY - minY, abs(minX), abs(maxX), abs(minY), abs(maxY)))
        let (width, height) = (maxX - minX + 2 * margin, maxY - minY + 2 * margin)
        let size = max(
            (width * height / Double(max(1, segments.count))).squareRoot(), max(width, height) / 4096, margin,
            .leastNormalMagnitude)
        let (originX, originY) = (minX - margin, minY - margin)
        let columns = Int((width / size).rounded(.up)) + 1
        let rows = Int((height / size).rounded(.up)) + 1
        func column(_ x: Double) -> Int { min(columns - 1, max(0, Int(((x - originX) / size).rounded(.down)))) }
        func row(_ y: Double) -> Int { min(rows - 1, max(0, Int(((y - originY) / size).rounded(.down)))) }
        // The cells of segment ab: per row its stretch of x (widened by the margin).
        func forEachCell(_ a: Position, _ b: Position, _ body: (Int) -> Void) {
            let (low, high) = a.y <= b.y ? (a, b) : (b, a)
            for r in row(low.y - margin)...row(high.y + margin) {
                var x0 = min(a.x, b.x), x1 = max(a.x, b.x)
                if high.y > low.y {
                    // The part of the segment with y in this row's band (widened).
                    let y0 = max(low.y, originY + Double(r) * size - margin)
                    let y1 = min(high.y, originY + Double(r + 1) * size + margin)
                    let slope = (high.x - low.x) / (high.y - low.y)
                    let (u, v) = (low.x + (y0 - low.y) * slope, low.x + (y1 - low.y) * slope)
                    (x0, x1) = (max(x0, min(u, v)), min(x1, max(u, v)))
                }
                for c in column(x0 - margin)...column(max(x0, x1) + margin) { body(r * columns + c) }
            }
        }
        var start = [Int](repeating: 0, count: rows * columns + 1)
        for (a, b) in segments { forEachCell(a, b) { start[$0 + 1] += 1 } }
        for c in 0..<rows * columns { start[c + 1] += start[c] }
        var list = [Int32](repeating: 0, count: start[rows * columns])
        var next = start
        for (s, (a, b)) in segments.enumerated() {
            forEachCell(a, b) {
                list[next[$0]] = Int32(s)
                next[$0] += 1
            }
        }
        (self.originX, self.originY, self.size, self.columns, self.rows) = (originX, originY, size, columns, rows)
        (self.start, self.list, self.margin) = (start, list, margin)
    }

    /// The cell a point falls in.
    func cell(of p: Position) -> Int {
        let c = min(columns - 1, max(0, Int(((p.x - originX) / size).rounded(.down))))
        let r = min(rows - 1, max(0, Int(((p.y - originY) / size).rounded(.down))))
        return r * columns + c
    }

    /// Whether `p` lies within the grid's extent (its cells reach `margin` past the segments).
    func covers(_ p: Position) -> Bool {
        p.x >= originX && p.y >= originY && p.x <= originX + Double(columns) * size
            && p.y <= originY + Double(rows) * size
    }

    /// The segments listed in a cell, in index order.
    func members(of cell: Int) -> ArraySlice<Int32> { list[start[cell]..<start[cell + 1]] }

    /// The first cell of the second half, cells in order, when they are cut where about half
    /// of the entries lie on each side.
    var middle: Int {
        let half = list.count / 2
        var low = 0, high = count
        // The first cell whose entries start at or past the half.
        while low < high {
            let mid = (low + high) / 2
            if start[mid] < half { low = mid + 1 } else { high = mid }
        }
        return max(1, min(count - 1, low))
    }

    /// The segments listed in the cell at `row`, `column`.
    func members(row: Int, column: Int) -> ArraySlice<Int32> { members(of: row * columns + column) }
}
