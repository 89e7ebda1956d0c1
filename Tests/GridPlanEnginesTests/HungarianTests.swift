import Testing

@testable import GridPlanEngines

@Suite struct HungarianTests {
    /// All injective maps rows → columns, by brute force.
    func bruteForce(_ cost: [[Double]]) -> Double {
        let n = cost.count, m = cost[0].count
        var best = Double.infinity
        func go(_ row: Int, _ used: Set<Int>, _ sum: Double) {
            if row == n {
                best = min(best, sum)
                return
            }
            for c in 0..<m where !used.contains(c) { go(row + 1, used.union([c]), sum + cost[row][c]) }
        }
        go(0, [], 0)
        return best
    }

    @Test func optimalAgainstBruteForceOnRandomMatrices() {
        var state: UInt64 = 99
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1
            return Double(state >> 40) / Double(1 << 24)
        }
        for trial in 0..<300 {
            let n = 1 + trial % 6, m = n + (trial / 6) % 3
            let cost = (0..<n).map { _ in (0..<m).map { _ in (next() * 20).rounded() - 5 } }
            let assignment = Hungarian.solve(cost)
            #expect(Set(assignment).count == n && assignment.allSatisfy { (0..<m).contains($0) })
            let total = assignment.enumerated().reduce(0) { $0 + cost[$1.offset][$1.element] }
            #expect(abs(total - bruteForce(cost)) < 1e-9, "trial \(trial): \(cost)")
        }
    }
}
