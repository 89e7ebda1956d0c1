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
        // Greedy: open the candidate that lowers the cost most, p times. Lazily: a candidate's
        // gain only falls as sites open, so an old gain is an upper bound, and a candidate whose
        // fresh gain still tops every bound is the greedy choice (Minoux's accelerated greedy).
        var best = [Int](repeating: Int.max, count: n)
        var bound = [Int](repeating: Int.max, count: m)
        func cost(_ c: Int) -> Int {
            var total = 0
            for u in 0..<n { total += problem.weights[u] * min(best[u], problem.cost(u, c)) }
            return total
        }
        // First pick: every candidate evaluated; gains are measured against that cost.
        var current = Int.max
        for _ in 0..<p {
            if open.isEmpty {
                var pick = 0, pickCost = Int.max
                for c in 0..<m {
                    let total = cost(c)
                    if total < pickCost { pick = c; pickCost = total }
                }
                isOpen[pick] = true
                open.append(pick)
                current = pickCost
            } else {
                while true {
                    var top = -1
                    for c in 0..<m where !isOpen[c] && (top < 0 || bound[c] > bound[top]) { top = c }
                    let gain = current - cost(top)
                    bound[top] = gain
                    var next = -1
                    for c in 0..<m where !isOpen[c] && c != top && (next < 0 || bound[c] > bound[next]) { next = c }
                    if next < 0 || gain >= bound[next] {
                        isOpen[top] = true
                        open.append(top)
                        current -= gain
                        break
                    }
                }
            }
            let pick = open.last!
            for u in 0..<n { best[u] = min(best[u], problem.cost(u, pick)) }
        }
        // Nearest and second-nearest open candidate of each user.
        var near1 = [Int](repeating: -1, count: n), near2 = [Int](repeating: -1, count: n)
        var d1 = [Int](repeating: Int.max, count: n), d2 = [Int](repeating: Int.max / 4, count: n)
        func refresh(only users: [Int]? = nil) {
            for u in users ?? Array(0..<n) {
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
                    // Only users that lost one of their two nearest need a full rescan; the
                    // others just compare with the new site.
                    var rescan: [Int] = []
                    for u in 0..<n {
                        if near1[u] == closed || near2[u] == closed {
                            rescan.append(u)
                            continue
                        }
                        let d = problem.cost(u, i)
                        if d < d1[u] || (d == d1[u] && i < near1[u]) {
                            near2[u] = near1[u]; d2[u] = d1[u]; near1[u] = i; d1[u] = d
                        } else if d < d2[u] {
                            near2[u] = i; d2[u] = d
                        }
                    }
                    refresh(only: rescan)
                    swaps += 1
                    improved = true
                }
            }
        }
        return open.sorted()
    }
}
