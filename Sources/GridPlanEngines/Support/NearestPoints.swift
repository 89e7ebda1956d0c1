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
