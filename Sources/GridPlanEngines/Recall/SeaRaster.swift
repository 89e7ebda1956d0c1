import Foundation
import GridPlanGeometryValues

/// Open water as a raster of square cells in a local metric frame, for routes that never
/// cross land. A cell is open when no land edge passes through it and its centre is not on
/// land, and (when sea areas are given) when it lies wholly inside them; so a straight line
/// through open cells only (``lineOfSight``) touches no land at all. Shortest paths run on
/// the 16-neighbour cell graph (moves of (1,0), (1,1) and (2,1) and their mirrors, each
/// allowed only when every cell its segment passes through is open), which overestimates a
/// straight open-water distance by at most 2.7 %; routes are then straightened by line of
/// sight, so a reported route is never longer than its raster path.
struct SeaRaster: Sendable {
    let frame: LocalFrame
    let cellMetres: Double
    /// Frame coordinates of the lower-left corner of cell (0, 0).
    let originX: Double
    let originY: Double
    let columns: Int
    let rows: Int
    private(set) var open: [Bool]

    /// The local frame of `extent`, its south-west corner in it, and the raster's columns and
    /// rows (as Doubles, so an absurd extent can be judged before any Int is made of them).
    private static func layout(
        extent: BoundingBox, cellMetres: Double
    ) -> (frame: LocalFrame, low: Position, columns: Double, rows: Double) {
        let frame = LocalFrame(around: extent)
        let low = frame.forward(Position(x: extent.minX, y: extent.minY)),
            high = frame.forward(Position(x: extent.maxX, y: extent.maxY))
        return (
            frame, low, max(1, ((high.x - low.x) / cellMetres).rounded(.up)),
            max(1, ((high.y - low.y) / cellMetres).rounded(.up))
        )
    }

    /// How many cells a raster of `extent` has (to refuse one too large before building it).
    static func cellCount(extent: BoundingBox, cellMetres: Double) -> Int {
        let l = layout(extent: extent, cellMetres: cellMetres)
        let count = l.columns * l.rows
        return count.isFinite && count < Double(Int.max / 2) ? Int(count) : Int.max / 2
    }

    /// - Parameters:
    ///   - land: polygons (lon/lat) no route may enter.
    ///   - sea: polygons (lon/lat) routes must stay inside, or nil for "anywhere not land".
    ///   - extent: lon/lat box the raster covers.
    init(land: [[Ring]], sea: [[Ring]]?, extent: BoundingBox, cellMetres: Double) {
        let l = Self.layout(extent: extent, cellMetres: cellMetres)
        let frame = l.frame
        let grid: GridSpec = (l.low.x, l.low.y, cellMetres, Int(l.columns), Int(l.rows))
        let count = grid.columns * grid.rows
        var landTouched = [Bool](repeating: false, count: count), landInside = [Bool](repeating: false, count: count)
        for polygon in land {
            Self.rasterize(
                polygon.map { $0.map(frame.forward) }, grid: grid, touched: &landTouched, inside: &landInside)
        }
        var open = (0..<count).map { !landTouched[$0] && !landInside[$0] }
        if let sea {
            var seaTouched = [Bool](repeating: false, count: count), seaInside = [Bool](repeating: false, count: count)
            for polygon in sea {
                Self.rasterize(
                    polygon.map { $0.map(frame.forward) }, grid: grid, touched: &seaTouched, inside: &seaInside)
            }
            for i in 0..<count where open[i] { open[i] = seaInside[i] && !seaTouched[i] }
        }
        self.frame = frame
        self.cellMetres = cellMetres
        originX = grid.originX
        originY = grid.originY
        columns = grid.columns
        rows = grid.rows
        self.open = open
    }

    var openCellCount: Int { open.reduce(0) { $0 + ($1 ? 1 : 0) } }

    func isOpen(_ column: Int, _ row: Int) -> Bool {
        column >= 0 && row >= 0 && column < columns && row < rows && open[row * columns + column]
    }

    /// Grid coordinates (cell units) of a lon/lat position.
    func gridPoint(_ p: Position) -> (x: Double, y: Double) {
        let f = frame.forward(p)
        return ((f.x - originX) / cellMetres, (f.y - originY) / cellMetres)
    }

    func cell(of p: Position) -> Int? {
        let g = gridPoint(p)
        let c = Int(g.x.rounded(.down)), r = Int(g.y.rounded(.down))
        return c >= 0 && r >= 0 && c < columns && r < rows ? r * columns + c : nil
    }

    /// Lon/lat of a cell's centre.
    func centre(_ cell: Int) -> Position {
        let c = cell % columns, r = cell / columns
        return frame.inverse(
            Position(x: originX + (Double(c) + 0.5) * cellMetres, y: originY + (Double(r) + 0.5) * cellMetres))
    }

    /// The open cell nearest to `p` within `maxMetres`, and its centre's distance; `p`'s own
    /// cell when it is open.
    func nearestOpenCell(to p: Position, within maxMetres: Double) -> (cell: Int, metres: Double)? {
        let g = gridPoint(p)
        let c0 = Int(g.x.rounded(.down)), r0 = Int(g.y.rounded(.down))
        if isOpen(c0, r0) { return (r0 * columns + c0, greatCircleMetres(p, centre(r0 * columns + c0))) }
        let reach = Int((maxMetres / cellMetres).rounded(.up)) + 1
        var best: (cell: Int, d2: Double)?
        for ring in 1...max(1, reach) {
            // Every cell of this ring is at least (ring − 1) cells away; stop once that beats the best.
            if let b = best, Double(ring - 1) * Double(ring - 1) > b.d2 { break }
            for r in (r0 - ring)...(r0 + ring) {
                let edgeRow = r == r0 - ring || r == r0 + ring
                for c in stride(from: c0 - ring, through: c0 + ring, by: edgeRow ? 1 : 2 * ring) where isOpen(c, r) {
                    let dx = Double(c) + 0.5 - g.x, dy = Double(r) + 0.5 - g.y
                    let d2 = dx * dx + dy * dy
                    if best == nil || d2 < best!.d2 || (d2 == best!.d2 && r * columns + c < best!.cell) {
                        best = (r * columns + c, d2)
                    }
                }
            }
        }
        guard let best else { return nil }
        let metres = greatCircleMetres(p, centre(best.cell))
        return metres <= maxMetres + cellMetres ? (best.cell, metres) : nil
    }

    /// True when the segment between two lon/lat points passes through open cells only.
    func lineOfSight(_ a: Position, _ b: Position) -> Bool {
        let p = gridPoint(a), q = gridPoint(b)
        return Self.traverse(from: p, to: q) { c, r in isOpen(c, r) }
    }

    // MARK: Shortest paths

    /// The 16 moves with their length in cells and the cells (offsets) their segment crosses.
    static let moves: [(dc: Int, dr: Int, length: Float, crossed: [(Int, Int)])] = {
        var result: [(Int, Int, Float, [(Int, Int)])] = []
        for (dc, dr) in [
            (1, 0), (0, 1), (-1, 0), (0, -1), (1, 1), (1, -1), (-1, 1), (-1, -1),
            (2, 1), (1, 2), (-1, 2), (-2, 1), (-2, -1), (-1, -2), (1, -2), (2, -1),
        ] {
            var crossed: [(Int, Int)] = []
            _ = traverse(from: (0.5, 0.5), to: (0.5 + Double(dc), 0.5 + Double(dr))) { c, r in
                if (c, r) != (0, 0) { crossed.append((c, r)) }
                return true
            }
            result.append((dc, dr, Float((Double(dc * dc + dr * dr)).squareRoot()), crossed))
        }
        return result
    }()

    /// Distances (metres) from `source` to every cell over open water, and each cell's
    /// predecessor towards the source (−1 at the source and for cells not reached).
    func shortestPaths(from source: Int) -> (metres: [Float], towards: [Int32]) {
        let count = columns * rows
        var dist = [Float](repeating: .infinity, count: count)
        var towards = [Int32](repeating: -1, count: count)
        guard open[source] else { return (dist, towards) }
        var heap = MinHeap<SeaStep>()
        dist[source] = 0
        heap.push(SeaStep(metres: 0, cell: Int32(source)))
        let cell = Float(cellMetres)
        while let step = heap.pop() {
            let (d, u) = (step.metres, Int(step.cell))
            if d > dist[u] { continue }
            let c = u % columns, r = u / columns
            for move in Self.moves {
                let nc = c + move.dc, nr = r + move.dr
                guard nc >= 0, nr >= 0, nc < columns, nr < rows else { continue }
                let v = nr * columns + nc
                guard open[v] else { continue }
                var clear = true
                for (oc, or) in move.crossed where !isOpen(c + oc, r + or) {
                    clear = false
                    break
                }
                guard clear else { continue }
                let nd = d + move.length * cell
                if nd < dist[v] {
                    dist[v] = nd
                    towards[v] = Int32(u)
                    heap.push(SeaStep(metres: nd, cell: Int32(v)))
                }
            }
        }
        return (dist, towards)
    }

    /// The cells from `start` to the source of `towards`, start first.
    static func path(from start: Int, towards: [Int32]) -> [Int] {
        var cells = [start]
        var at = start
        while towards[at] >= 0 {
            at = Int(towards[at])
            cells.append(at)
        }
        return cells
    }

    /// A polyline through `points` (consecutive points in line of sight) shortened greedily:
    /// from each kept point, the farthest later point still in sight, found by doubling then
    /// bisection. Every kept segment is in line of sight.
    func straightened(_ points: [Position]) -> [Position] {
        guard points.count > 2 else { return points }
        var result = [points[0]]
        var i = 0
        while i < points.count - 1 {
            var good = i + 1, step = 1
            // Doubling: the sight line usually reaches far in open water.
            while good + step < points.count, lineOfSight(points[i], points[good + step]) {
                good += step
                step *= 2
            }
            var high = min(points.count - 1, good + step)
            if high > good, lineOfSight(points[i], points[high]) { good = high }
            while high - good > 1 {
                let mid = (good + high) / 2
                if lineOfSight(points[i], points[mid]) { good = mid } else { high = mid }
            }
            result.append(points[good])
            i = good
        }
        return result
    }

    // MARK: Rasterizing

    typealias GridSpec = (originX: Double, originY: Double, cell: Double, columns: Int, rows: Int)

    /// Marks the cells a polygon's edges pass through (`touched`) and those whose centre lies
    /// inside it by the even–odd rule over its rings (`inside`).
    static func rasterize(_ polygon: [Ring], grid: GridSpec, touched: inout [Bool], inside: inout [Bool]) {
        var crossings = [[Double]](repeating: [], count: grid.rows)
        for ring in polygon where ring.count >= 2 {
            for k in 0..<(ring.count - 1) {
                let a = ring[k], b = ring[k + 1]
                let p = ((a.x - grid.originX) / grid.cell, (a.y - grid.originY) / grid.cell)
                let q = ((b.x - grid.originX) / grid.cell, (b.y - grid.originY) / grid.cell)
                _ = traverse(from: p, to: q) { c, r in
                    if c >= 0, r >= 0, c < grid.columns, r < grid.rows { touched[r * grid.columns + c] = true }
                    return true
                }
                // Row centres at y = r + 0.5 crossed by this edge (half-open on y, as the even–odd rule needs).
                let (y0, y1) = (min(p.1, q.1), max(p.1, q.1))
                guard y1 > y0 else { continue }
                let first = max(0, Int((y0 - 0.5).rounded(.up))),
                    last = min(grid.rows - 1, Int((y1 - 0.5).rounded(.up)) - 1)
                if first > last { continue }
                for r in first...last {
                    let y = Double(r) + 0.5
                    guard y >= y0, y < y1 else { continue }
                    crossings[r].append(p.0 + (y - p.1) / (q.1 - p.1) * (q.0 - p.0))
                }
            }
        }
        for r in 0..<grid.rows where crossings[r].count >= 2 {
            let xs = crossings[r].sorted()
            var k = 0
            while k + 1 < xs.count {
                // Cells whose centre c + 0.5 lies in [xs[k], xs[k+1]).
                let from = max(0, Int((xs[k] - 0.5).rounded(.up))),
                    to = min(grid.columns - 1, Int((xs[k + 1] - 0.5).rounded(.up)) - 1)
                if from <= to { for c in from...to { inside[r * grid.columns + c] = true } }
                k += 2
            }
        }
    }

    /// Visits every cell a segment (in cell units) passes through, in order; where it passes
    /// exactly through a corner, both side cells too. Stops early when `visit` returns false.
    @discardableResult
    static func traverse(from p: (Double, Double), to q: (Double, Double), _ visit: (Int, Int) -> Bool) -> Bool {
        var c = Int(p.0.rounded(.down)), r = Int(p.1.rounded(.down))
        let endC = Int(q.0.rounded(.down)), endR = Int(q.1.rounded(.down))
        let dx = q.0 - p.0, dy = q.1 - p.1
        let stepC = dx > 0 ? 1 : -1, stepR = dy > 0 ? 1 : -1
        var tMaxX = dx != 0 ? ((dx > 0 ? Double(c + 1) : Double(c)) - p.0) / dx : .infinity
        var tMaxY = dy != 0 ? ((dy > 0 ? Double(r + 1) : Double(r)) - p.1) / dy : .infinity
        let tDeltaX = dx != 0 ? 1 / abs(dx) : .infinity, tDeltaY = dy != 0 ? 1 / abs(dy) : .infinity
        var remaining = abs(endC - c) + abs(endR - r)
        guard visit(c, r) else { return false }
        while remaining > 0 {
            if abs(tMaxX - tMaxY) < 1e-12 {
                // Through a corner: the two side cells are touched too.
                guard visit(c + stepC, r), visit(c, r + stepR) else { return false }
                c += stepC
                r += stepR
                tMaxX += tDeltaX
                tMaxY += tDeltaY
                remaining -= 2
            } else if tMaxX < tMaxY {
                c += stepC
                tMaxX += tDeltaX
                remaining -= 1
            } else {
                r += stepR
                tMaxY += tDeltaY
                remaining -= 1
            }
            guard visit(c, r) else { return false }
        }
        return true
    }
}

/// A step of Dijkstra's search: ordered by distance, then by cell.
private struct SeaStep: Comparable {
    var metres: Float
    var cell: Int32

    static func < (a: SeaStep, b: SeaStep) -> Bool { (a.metres, a.cell) < (b.metres, b.cell) }
}
