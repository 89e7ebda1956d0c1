/// Minimum-cost assignment (Kuhn–Munkres with potentials, O(n²m)) for a rectangular cost
/// matrix with rows ≤ columns: every row gets a distinct column, total cost minimal.
enum Hungarian {
    /// `cost[r][c]`; returns the column of each row.
    static func solve(_ cost: [[Double]]) -> [Int] {
        let n = cost.count
        guard n > 0 else { return [] }
        let m = cost[0].count
        precondition(m >= n, "Hungarian.solve needs rows ≤ columns")
        // 1-based arrays as in the classic formulation; column 0 is a sentinel.
        var u = [Double](repeating: 0, count: n + 1), v = [Double](repeating: 0, count: m + 1)
        var owner = [Int](repeating: 0, count: m + 1), way = [Int](repeating: 0, count: m + 1)
        for row in 1...n {
            owner[0] = row
            var column0 = 0
            var minimum = [Double](repeating: .infinity, count: m + 1)
            var used = [Bool](repeating: false, count: m + 1)
            repeat {
                used[column0] = true
                let r0 = owner[column0]
                var delta = Double.infinity, column1 = 0
                for c in 1...m where !used[c] {
                    let reduced = cost[r0 - 1][c - 1] - u[r0] - v[c]
                    if reduced < minimum[c] {
                        minimum[c] = reduced
                        way[c] = column0
                    }
                    if minimum[c] < delta {
                        delta = minimum[c]
                        column1 = c
                    }
                }
                for c in 0...m {
                    if used[c] {
                        u[owner[c]] += delta
                        v[c] -= delta
                    } else {
                        minimum[c] -= delta
                    }
                }
                column0 = column1
            } while owner[column0] != 0
            repeat {
                let column1 = way[column0]
                owner[column0] = owner[column1]
                column0 = column1
            } while column0 != 0
        }
        var assignment = [Int](repeating: -1, count: n)
        for c in 1...m where owner[c] > 0 { assignment[owner[c] - 1] = c - 1 }
        return assignment
    }
}
