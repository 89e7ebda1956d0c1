import GridPlanGeometryValues
import GridPlanModel

/// Keeps the barrier lines of one unit to a number of crossings the engines handle quickly.
///
/// Street blocks come from noding the lines: n lines that cross each other k times make about k
/// blocks, and the cost of noding, polygonizing and grouping grows with k. A real street
/// network has up to a few thousand crossings and junctions per community (data/helsinki: 4,546
/// for 2,469 road lines and 1,416 blocks); 2,000 random segments over 1 km² have ~10⁶ and once
/// took 24 GB. Lines are taken longest first (a main road is long, a footway or a random stub
/// short) while the crossings among the kept lines stay within the budget; the rest are left out.
///
/// Crossings are counted exactly, segment against segment, with a bucket grid: a pair is
/// counted in the one bucket that holds its intersection point (touching ends count too,
/// as they make junctions).
enum BarrierThinning {
    struct Outcome: Equatable {
        /// The lines kept, in their input order.
        var lines: [[Position]]
        /// Crossings among the kept lines.
        var crossings: Int
        /// Lines left out.
        var dropped: Int
    }

    static func thin(_ lines: [[Position]], within box: BoundingBox, budget: Int) -> Outcome {
        // Segments meeting the box, per line.
        var segments: [[(Position, Position)]] = lines.map { _ in [] }
        var total = 0
        for (l, line) in lines.enumerated() {
            for (a, b) in zip(line, line.dropFirst()) where meets(a, b, box) {
                segments[l].append((a, b))
            }
            total += segments[l].count
        }
        guard total > 0 else { return Outcome(lines: [], crossings: 0, dropped: lines.count) }
        // Buckets of about 4 segments' share of the box, at most 512 × 512.
        let width = max(box.maxX - box.minX, 1e-9), height = max(box.maxY - box.minY, 1e-9)
        let side = min(512, max(1, Int((Double(total) / 4).squareRoot().rounded(.up))))
        let cellW = width / Double(side), cellH = height / Double(side)
        func column(_ x: Double) -> Int { min(side - 1, max(0, Int((x - box.minX) / cellW))) }
        func row(_ y: Double) -> Int { min(side - 1, max(0, Int((y - box.minY) / cellH))) }
        var buckets = [[(line: Int, a: Position, b: Position)]](repeating: [], count: side * side)

        let lengths = segments.map(length)
        let order = lines.indices.sorted { (lengths[$0], $1) > (lengths[$1], $0) }
        var kept = Set<Int>()
        var crossings = 0
        for l in order where !segments[l].isEmpty {
            // Crossings of this line with the lines kept so far, and with itself.
            var added = 0
            var cellsOfLine: [(Int, (Position, Position))] = []
            for (a, b) in segments[l] {
                for c in column(min(a.x, b.x))...column(max(a.x, b.x)) {
                    for r in row(min(a.y, b.y))...row(max(a.y, b.y)) {
                        cellsOfLine.append((r * side + c, (a, b)))
                    }
                }
            }
            for (cell, (a, b)) in cellsOfLine {
                for other in buckets[cell] {
                    guard let p = Geometry.segmentIntersection(a, b, other.a, other.b),
                        row(p.y) * side + column(p.x) == cell
                    else { continue }
                    added += 1
                }
                if added > budget { break }
            }
            // Self-crossings of a winding line (its consecutive segments only touch).
            let own = segments[l]
            if own.count > 2 && added <= budget {
                // Pairs whose boxes are apart cannot meet, and are not tested (in doubles, two
                // collinear pieces of a straight road apart could "meet" by rounding).
                let boxes = own.map { a, b in (min(a.x, b.x), max(a.x, b.x), min(a.y, b.y), max(a.y, b.y)) }
                for i in own.indices where i + 2 < own.count {
                    let p = boxes[i]
                    for j in (i + 2)..<own.count where !(i == 0 && j == own.count - 1 && own[0].0 == own[j].1) {
                        let q = boxes[j]
                        if q.1 < p.0 || q.0 > p.1 || q.3 < p.2 || q.2 > p.3 { continue }
                        if Geometry.segmentIntersection(own[i].0, own[i].1, own[j].0, own[j].1) != nil { added += 1 }
                    }
                    if added > budget { break }
                }
            }
            guard crossings + added <= budget else { continue }
            crossings += added
            kept.insert(l)
            for (cell, (a, b)) in cellsOfLine { buckets[cell].append((l, a, b)) }
        }
        let keptLines = lines.indices.filter { kept.contains($0) }.map { lines[$0] }
        return Outcome(lines: keptLines, crossings: crossings, dropped: lines.count - keptLines.count)
    }

    private static func length(_ segments: [(Position, Position)]) -> Double {
        segments.reduce(0) {
            $0 + (($1.1.x - $1.0.x) * ($1.1.x - $1.0.x) + ($1.1.y - $1.0.y) * ($1.1.y - $1.0.y)).squareRoot()
        }
    }

    private static func meets(_ a: Position, _ b: Position, _ box: BoundingBox) -> Bool {
        max(a.x, b.x) >= box.minX && min(a.x, b.x) <= box.maxX && max(a.y, b.y) >= box.minY && min(a.y, b.y) <= box.maxY
    }
}
