/// Uncapacitated p-median: open `p` candidates so that Σ weight × cost to the nearest open
/// one is least. Greedy opening, then Whitaker's fast interchange (Teitz–Bart swaps): for
/// each closed candidate, the gain of opening it and the loss of closing each open one are
/// found in one pass over the users from their nearest and second-nearest open sites; the best
/// improving swap is taken, until none improves. A local optimum, used as the start of
/// ``CapacitatedSiting``.
enum PMedianInterchange {
    static func solve(_ problem: SitingProblem, p: Int, maxSwaps: Int = 100_000) -> [Int] {
        let n = problem.userCount, m = problem.candidateCount
        let p = min(p, m)
        guard p > 0, n > 0 else { return [] }
        var isOpen = [Bool](repeating: false, count: m)
        var open: [Int] = []
        // Greedy: open the candidate that lowers the cost most, p times.
        var best = [Int](repeating: Int.max, count: n)
        for _ in 0..<p {
            var pick = -1, pickCost = Int.max
            for c in 0..<m where !isOpen[c] {
                var total = 0
                for u in 0..<n { total += problem.weights[u] * min(best[u], problem.cost(u, c)) }
                if total < pickCost { pick = c; pickCost = total }
            }
            isOpen[pick] = true
            open.append(pick)
            for u in 0..<n { best[u] = min(best[u], problem.cost(u, pick)) }
        }
        // Nearest and second-nearest open candidate of each user.
        var near1 = [Int](repeating: -1, count: n), near2 = [Int](repeating: -1, count: n)
        var d1 = [Int](repeating: Int.max, count: n), d2 = [Int](repeating: Int.max / 4, count: n)
        func refresh() {
            for u in 0..<n {
                var a = -1, b = -1, da = Int.max, db = Int.max / 4
                for c in open {
                    let d = problem.cost(u, c)
                    if d < da || (d == da && c < a) { b = a; db = da; a = c; da = d } else if d < db { b = c; db = d }
                }
                near1[u] = a; d1[u] = da; near2[u] = b; d2[u] = db
            }
        }
        refresh()
        var slot = [Int](repeating: -1, count: m)  // position of an open candidate in `open`
        for (k, c) in open.enumerated() { slot[c] = k }
        var loss = [Int](repeating: 0, count: p)
        var swaps = 0
        var improved = true
        while improved && swaps < maxSwaps {
            improved = false
            for i in 0..<m where !isOpen[i] {
                var gain = 0
                for k in 0..<p { loss[k] = 0 }
                for u in 0..<n {
                    let w = problem.weights[u], d = problem.cost(u, i)
                    if d < d1[u] {
                        gain += w * (d1[u] - d)
                    } else {
                        loss[slot[near1[u]]] += w * (min(d2[u], d) - d1[u])
                    }
                }
                var out = 0
                for k in 1..<p where loss[k] < loss[out] { out = k }
                if loss[out] - gain < 0 {
                    let closed = open[out]
                    isOpen[closed] = false
                    slot[closed] = -1
                    isOpen[i] = true
                    open[out] = i
                    slot[i] = out
                    refresh()
                    swaps += 1
                    improved = true
                }
            }
        }
        return open.sorted()
    }
}
