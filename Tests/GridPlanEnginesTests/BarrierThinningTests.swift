import Foundation
import GridPlanGeometryValues
import GridPlanTestSupport
import Testing

@testable import GridPlanEngines

/// Barrier thinning (issue 15: dense barriers took 24 GB): crossings counted with the bucket
/// grid equal a brute-force count over every pair of segments, kept lines stay within the
/// budget, and a real street network is left whole.
@Suite struct BarrierThinningTests {
    let box = BoundingBox(minX: 0, minY: 0, maxX: 1, maxY: 1)

    func randomLines(_ n: Int, seed: UInt64) -> [[Position]] {
        var rng = SeededGenerator(seed: seed)
        return (0..<n).map { _ in
            (0..<Int.random(in: 2...4, using: &rng)).map { _ in
                Position(x: Double.random(in: 0...1, using: &rng), y: Double.random(in: 0...1, using: &rng))
            }
        }
    }

    /// Every pair of segments of different lines, and non-adjacent segments of one line.
    func bruteForceCrossings(_ lines: [[Position]]) -> Int {
        let segments = lines.enumerated().flatMap { l, line in
            zip(line, line.dropFirst()).enumerated().map { (l, $0, $1.0, $1.1) }
        }
        var n = 0
        for i in segments.indices {
            for j in (i + 1)..<segments.count {
                let (l1, k1, a, b) = segments[i], (l2, k2, c, d) = segments[j]
                if l1 == l2 && abs(k1 - k2) < 2 { continue }
                if Geometry.segmentIntersection(a, b, c, d) != nil { n += 1 }
            }
        }
        return n
    }

    @Test func countsMatchBruteForceWithinBudget() {
        for seed in UInt64(1)...5 {
            let lines = randomLines(60, seed: seed)
            let all = BarrierThinning.thin(lines, within: box, budget: .max)
            #expect(all.dropped == 0 && all.crossings == bruteForceCrossings(lines), "seed \(seed)")
            let budget = all.crossings / 3
            let thinned = BarrierThinning.thin(lines, within: box, budget: budget)
            #expect(thinned.dropped > 0 && thinned.crossings <= budget)
            #expect(
                thinned.crossings == bruteForceCrossings(thinned.lines),
                "seed \(seed): counted crossings of the kept lines")
            // Longest first: the longest line is always kept.
            let length = { (l: [Position]) in
                zip(l, l.dropFirst()).reduce(0.0) { $0 + hypot($1.1.x - $1.0.x, $1.1.y - $1.0.y) }
            }
            let longest = lines.max { length($0) < length($1) }!
            #expect(thinned.lines.contains(longest))
        }
    }

    /// The real OSM roads of data/helsinki (2,469 lines) are under both budgets: never thinned.
    @Test func aRealStreetNetworkIsKeptWhole() throws {
        let url = RealData.root.deletingLastPathComponent().appendingPathComponent("helsinki/roads.geojson")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        var lines: [[Position]] = []
        for feature in json["features"] as! [[String: Any]] {
            guard let geometry = feature["geometry"] as? [String: Any] else { continue }
            let coordinates = geometry["coordinates"]
            let parts: [[[Double]]] =
                geometry["type"] as? String == "LineString"
                ? [coordinates as! [[Double]]] : (coordinates as? [[[Double]]]) ?? []
            for part in parts { lines.append(part.map { Position(x: $0[0], y: $0[1]) }) }
        }
        // HEL-KAARTINKAUPUNKI, 1.9 km²
        let unitBox = BoundingBox(minX: 24.9341773, minY: 60.1636551, maxX: 24.9544055, maxY: 60.1796068)
        let outcome = BarrierThinning.thin(lines, within: unitBox, budget: .max)
        let perArea = Int(UnitPartitioner.crossingsPerSquareKilometre * 1.9)
        #expect(
            outcome.crossings
                < min(UnitPartitioner.bisectionCrossingBudget, UnitPartitioner.blockCrossingBudget, perArea),
            "\(outcome.crossings) crossings")
    }
}
