import GridPlanTestSupport
import Testing

@testable import GridPlanGeometryValues

/// The grid search finds what a scan in index order finds (the nearest point, ties to the
/// lowest index), for queries inside, on and far outside the points' box.
@Suite struct PlanarNearestTests {
    @Test func nearestIsTheScansNearest() {
        var random = SeededGenerator(seed: 8)
        for count in [1, 2, 7, 300, 3_000] {
            var points = (0..<count).map { _ in
                Position(x: Double.random(in: 0..<900, using: &random), y: Double.random(in: 0..<400, using: &random))
            }
            // Repeated points and points on a line, for ties.
            points += points.prefix(count / 3)
            points += (0..<(count / 10)).map { Position(x: Double($0) * 10, y: 200) }
            let nearest = PlanarNearest(points)
            for _ in 0..<500 {
                let q = Position(
                    x: Double.random(in: -2_000..<3_000, using: &random),
                    y: Double.random(in: -1_000..<1_500, using: &random))
                let onGrid = Position(x: (q.x / 10).rounded() * 10, y: 200)
                for query in [q, onGrid] {
                    var best = 0, bestDistance = Double.infinity
                    for (i, p) in points.enumerated() {
                        let d = (p.x - query.x) * (p.x - query.x) + (p.y - query.y) * (p.y - query.y)
                        if d < bestDistance { (best, bestDistance) = (i, d) }
                    }
                    #expect(nearest.nearest(to: query) == best, "\(count) points, query \(query)")
                }
            }
        }
        #expect(PlanarNearest([]).nearest(to: Position(x: 0, y: 0)) == nil)
    }
}
