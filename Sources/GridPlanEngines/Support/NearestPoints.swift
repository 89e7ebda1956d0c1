import Foundation
import GridPlanGeometryValues

/// Great-circle distance in metres (haversine on the WGS84 mean radius): at the scale of a
/// city it differs from the ellipsoidal distance by under 0.5 %.
func greatCircleMetres(_ a: Position, _ b: Position) -> Double {
    let r = 6_371_008.8
    let phi1 = a.y * .pi / 180, phi2 = b.y * .pi / 180
    let dPhi = phi2 - phi1, dLambda = (b.x - a.x) * .pi / 180
    let h = sin(dPhi / 2) * sin(dPhi / 2) + cos(phi1) * cos(phi2) * sin(dLambda / 2) * sin(dLambda / 2)
    return 2 * r * asin(min(1, h.squareRoot()))
}

/// The k nearest of a fixed set of lon/lat points within a radius, by boxes that grow until
/// they hold k points inside the circle (then nothing outside the box can be nearer).
struct NearestPoints: Sendable {
    let points: [Position]
    private let tree: STRTree

    init(_ points: [Position]) {
        self.points = points
        tree = STRTree(boxes: points.map { BoundingBox(minX: $0.x, minY: $0.y, maxX: $0.x, maxY: $0.y) })
    }

    /// Up to `k` points within `maxMetres` of `p` that pass `accept`, nearest first (ties by index).
    func nearest(
        _ k: Int, to p: Position, within maxMetres: Double, where accept: (Int) -> Bool = { _ in true }
    ) -> [(index: Int, metres: Double)] {
        guard k > 0, !points.isEmpty else { return [] }
        var radius = min(maxMetres, 500)
        while true {
            var found: [(index: Int, metres: Double)] = []
            for i in tree.query(Self.box(around: p, metres: radius)) where accept(i) {
                let d = greatCircleMetres(p, points[i])
                if d <= radius { found.append((i, d)) }
            }
            if found.count >= k || radius >= maxMetres {
                found.sort { ($0.metres, $0.index) < ($1.metres, $1.index) }
                return Array(found.prefix(k))
            }
            radius = min(maxMetres, radius * 2)
        }
    }

    /// Every point within `maxMetres` of `p`, in index order.
    func all(within maxMetres: Double, of p: Position) -> [(index: Int, metres: Double)] {
        tree.query(Self.box(around: p, metres: maxMetres)).sorted().compactMap { i in
            let d = greatCircleMetres(p, points[i])
            return d <= maxMetres ? (i, d) : nil
        }
    }

    /// A lon/lat box around the circle, 2 % wider: the parallels converge towards its pole side.
    private static func box(around p: Position, metres: Double) -> BoundingBox {
        let dLat = 1.02 * metres / Degrees.metresOfLatitude
        let dLon =
            1.02 * metres / max(0.01 * Degrees.metresOfLongitudeAtEquator, Degrees.metresOfLongitude(atLatitude: p.y))
        return BoundingBox(minX: p.x - dLon, minY: p.y - dLat, maxX: p.x + dLon, maxY: p.y + dLat)
    }
}

/// The nearest of a fixed set of points in the plane (squared Euclidean distance, ties to the
/// lowest index, as a scan in index order finds it), by a uniform grid of about two points per
/// cell searched in growing rings of cells until no cell further out can hold a nearer point.
struct PlanarNearest {
    private let points: [Position]
    private let minX: Double, minY: Double, size: Double
    private let columns: Int, rows: Int
    private let start: [Int]
    private let list: [Int32]

    init(_ points: [Position]) {
        self.points = points
        var (minX, minY, maxX, maxY) = (Double.infinity, Double.infinity, -Double.infinity, -Double.infinity)
        for p in points {
            (minX, minY) = (min(minX, p.x), min(minY, p.y))
            (maxX, maxY) = (max(maxX, p.x), max(maxY, p.y))
        }
        if points.isEmpty { (minX, minY, maxX, maxY) = (0, 0, 0, 0) }
        let (width, height) = (maxX - minX, maxY - minY)
        let size = max(
            (width * height / max(1, Double(points.count) / 2)).squareRoot(), max(width, height) / 1024, 1e-9)
        let columns = Int(width / size) + 1, rows = Int(height / size) + 1
        func cell(_ p: Position) -> Int {
            min(rows - 1, Int((p.y - minY) / size)) * columns + min(columns - 1, Int((p.x - minX) / size))
        }
        var start = [Int](repeating: 0, count: rows * columns + 1)
        for p in points { start[cell(p) + 1] += 1 }
        for c in 0..<rows * columns { start[c + 1] += start[c] }
        var list = [Int32](repeating: 0, count: points.count)
        var next = start
        for (i, p) in points.enumerated() {
            list[next[cell(p)]] = Int32(i)
            next[cell(p)] += 1
        }
        (self.minX, self.minY, self.size, self.columns, self.rows) = (minX, minY, size, columns, rows)
        (self.start, self.list) = (start, list)
    }

    /// The index of the point nearest to `q` (nil when there are none).
    func nearest(to q: Position) -> Int? {
        guard !points.isEmpty else { return nil }
        let c0 = min(columns - 1, max(0, Int(((q.x - minX) / size).rounded(.down))))
        let r0 = min(rows - 1, max(0, Int(((q.y - minY) / size).rounded(.down))))
        var best = -1, bestDistance = Double.infinity
        for ring in 0...max(columns, rows) {
            for r in max(0, r0 - ring)...min(rows - 1, r0 + ring) {
                let edge = r == r0 - ring || r == r0 + ring
                // Inner rows of the ring: only its two end columns.
                let cs = edge ? Array(max(0, c0 - ring)...min(columns - 1, c0 + ring)) : [c0 - ring, c0 + ring]
                for c in cs where c >= 0 && c < columns {
                    for m in list[start[r * columns + c]..<start[r * columns + c + 1]] {
                        let (i, p) = (Int(m), points[Int(m)])
                        let d = (p.x - q.x) * (p.x - q.x) + (p.y - q.y) * (p.y - q.y)
                        if d < bestDistance || (d == bestDistance && i < best) { (best, bestDistance) = (i, d) }
                    }
                }
            }
            // Every point outside the rings searched is at least this far from q.
            let gap = min(
                q.x - (minX + Double(c0 - ring) * size), minX + Double(c0 + ring + 1) * size - q.x,
                q.y - (minY + Double(r0 - ring) * size), minY + Double(r0 + ring + 1) * size - q.y)
            if best >= 0 && gap > 0 && gap * gap > bestDistance { break }
        }
        return best
    }
}
