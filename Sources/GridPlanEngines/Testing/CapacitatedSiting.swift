/// Capacitated facility location for one town: which candidates open as sampling points and
/// which site each micro-grid walks to.
///
/// For a given number of sites p: the uncapacitated p-median (``PMedianInterchange``) gives
/// the start; ``SingleSourceAssignment`` respects capacities; then a capacitated interchange
/// tries replacing each open site by each of its nearest closed candidates, keeping a swap
/// when fewer people are left out or the cost falls. The number of sites is the smallest p
/// that has room for everyone and brings within the walk limit everyone a candidate can
/// reach (where geometry allows), found by starting from the capacity and set-cover bounds.
enum CapacitatedSiting {
    struct Solution: Sendable {
        var open: [Int]
        var assignment: SingleSourceAssignment.Result
    }

    /// Best solution found with exactly `p` open sites (fewer when there are fewer candidates).
    /// Small towns also get `kicks` perturbations (iterated local search): a quarter of the
    /// sites replaced at random (seeded: the same input gives the same answer), then the
    /// interchange again; the best result is kept.
    static func solve(
        _ problem: SitingProblem, p: Int, swapNeighbours: Int = 12, localSites: Int = 8, kicks: Int? = nil,
        nearby: [[Int]]? = nil
    ) -> Solution {
        let nearby = nearby ?? neighbourTable(problem)
        let start = PMedianInterchange.solve(problem, p: p)
        var best = interchange(
            problem, open: start, swapNeighbours: swapNeighbours, localSites: localSites, nearby: nearby)
        let m = problem.candidateCount
        let size = problem.userCount * start.count
        let kicks = kicks ?? (size <= 400 ? 10 : size <= 2_000 ? 3 : 0)
        if start.count < m && kicks > 0 {
            var state = UInt64(truncatingIfNeeded: problem.userCount &* 7_919 &+ m &* 104_729 &+ p)
            func random(_ bound: Int) -> Int {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Int((state >> 33) % UInt64(bound))
            }
            for _ in 0..<kicks {
                var trial = best.open
                for _ in 0..<max(1, trial.count / 4) {
                    let closed = (0..<m).filter { !trial.contains($0) }
                    trial[random(trial.count)] = closed[random(closed.count)]
                }
                let next = interchange(
                    problem, open: trial, swapNeighbours: swapNeighbours, localSites: localSites, nearby: nearby)
                if next.assignment.isBetter(than: best.assignment) { best = next }
            }
        }
        let polished = SingleSourceAssignment.solve(problem, open: best.open, relaxation: .whenTight, maxPasses: 200)
        if polished.isBetter(than: best.assignment) { best.assignment = polished }
        best.open.sort()
        return best
    }

    /// Replaces open sites by nearby closed candidates while that helps (first improvement).
    /// A swap is judged locally: the users of the closing site and of its `localSites`
    /// nearest open sites (and anyone left out) are reassigned among those sites and the new
    /// one; everyone else keeps their site, so the change in the total is exact.
    /// Don't-look bits: after a round, a site is looked at again only when a swap nearby (among
    /// the 2 × `localSites` open sites nearest to the closed or the opened site) may have
    /// changed its neighbourhood; the search ends when no site is left to look at.
    private static func interchange(
        _ problem: SitingProblem, open start: [Int], swapNeighbours: Int, localSites: Int, nearby: [[Int]]
    ) -> Solution {
        var open = start
        var result = SingleSourceAssignment.solve(problem, open: open, relaxation: .whenTight)
        let m = problem.candidateCount
        guard open.count < m else { return Solution(open: open, assignment: result) }
        func nearest(_ j: Int, _ count: Int, where keep: (Int) -> Bool) -> [Int] {
            var found = nearby[j].lazy.filter(keep).prefix(count).map { $0 }
            if found.count < count && nearby[j].count < m - 1 {
                let byDistance = { (a: Int, b: Int) in (distance2(problem, j, a), a) < (distance2(problem, j, b), b) }
                found = Array((0..<m).filter { $0 != j && keep($0) }.sorted(by: byDistance).prefix(count))
            }
            return Array(found)
        }
        var isOpen = [Bool](repeating: false, count: m)
        for j in open { isOpen[j] = true }
        var look = Set(open)
        var rounds = 0
        while !look.isEmpty && rounds < 20 {
            rounds += 1
            let toLook = look
            look = []
            for slot in open.indices where toLook.contains(open[slot]) {
                let j = open[slot]
                let closed = nearest(j, swapNeighbours) { !isOpen[$0] }
                let neighbours = nearest(j, localSites) { isOpen[$0] }
                var users: [Int] = []
                for u in result.site.indices
                where result.site[u] < 0 || result.site[u] == j || neighbours.contains(result.site[u]) {
                    users.append(u)
                }
                let before = SingleSourceAssignment.Result(
                    site: [], load: [],
                    cost: users.reduce(0) {
                        $0 + (result.site[$1] >= 0 ? problem.weights[$1] * problem.cost($1, result.site[$1]) : 0)
                    },
                    unassignedWeight: users.reduce(0) { $0 + (result.site[$1] < 0 ? problem.weights[$1] : 0) })
                for i in closed {
                    let sites = neighbours + [i]
                    let local = problem.restricted(users: users, candidates: sites)
                    // The relaxation start where its flow is small (up to 300 arcs) or people are left out.
                    let after = SingleSourceAssignment.solve(
                        local, open: Array(sites.indices),
                        relaxation: users.count * sites.count <= 300 ? .whenTight : .whenShort)
                    guard after.isBetter(than: before) else { continue }
                    for (k, u) in users.enumerated() {
                        if result.site[u] >= 0 { result.load[result.site[u]] -= problem.weights[u] }
                        result.site[u] = after.site[k] >= 0 ? sites[after.site[k]] : -1
                        if result.site[u] >= 0 { result.load[result.site[u]] += problem.weights[u] }
                    }
                    result.cost += after.cost - before.cost
                    result.unassignedWeight += after.unassignedWeight - before.unassignedWeight
                    open[slot] = i
                    isOpen[j] = false
                    isOpen[i] = true
                    look.insert(i)
                    for s in nearest(j, 2 * localSites, where: { isOpen[$0] })
                        + nearest(i, 2 * localSites, where: { isOpen[$0] })
                    { look.insert(s) }
                    break
                }
            }
        }
        return Solution(open: open, assignment: result)
    }

    /// Each candidate's nearest other candidates (80, nearest first): enough for the closed
    /// ones near a site and its nearest open ones in all but the sparsest towns, where the
    /// interchange falls back to a full sort. Computed once per town.
    static func neighbourTable(_ problem: SitingProblem, reach: Int = 80) -> [[Int]] {
        let m = problem.candidateCount
        return (0..<m).map { j in
            let byDistance = { (a: Int, b: Int) in (distance2(problem, j, a), a) < (distance2(problem, j, b), b) }
            return Array((0..<m).filter { $0 != j }.sorted(by: byDistance).prefix(min(m - 1, reach)))
        }
    }

    /// The number of sites chosen and the solution: see the type's description.
    static func solve(_ problem: SitingProblem) -> Solution {
        let m = problem.candidateCount, n = problem.userCount
        guard m > 0, n > 0 else {
            return Solution(open: [], assignment: SingleSourceAssignment.solve(problem, open: []))
        }
        let total = problem.weights.reduce(0, +)
        let largest = problem.capacities.max() ?? 1
        let byCapacity = (total + largest - 1) / max(1, largest)
        var p = min(m, max(1, byCapacity, coverBound(problem)))
        // The search for p uses a quick interchange; the p chosen then gets the full one. (A
        // full interchange at the first, tightest p cost the largest towns most of their time.)
        let nearby = neighbourTable(problem)
        func quick(_ p: Int) -> Solution { solve(problem, p: p, swapNeighbours: 4, kicks: 0, nearby: nearby) }
        var best = quick(p)
        // More sites while people are left out (capacity), or while one more site brings
        // more people within the walk limit (at most three times: each costs a site).
        var coverageTries = 0
        while p < m {
            let short = best.assignment.unassignedWeight
            if short > 0 {
                p = min(m, p + max(1, (short + largest - 1) / largest))
                best = quick(p)
                continue
            }
            let uncovered = uncoveredCoverable(problem, best.assignment.site)
            guard uncovered > 0, coverageTries < 3 else { break }
            coverageTries += 1
            let next = quick(p + 1)
            guard next.assignment.unassignedWeight == 0, uncoveredCoverable(problem, next.assignment.site) < uncovered
            else { break }
            best = next
            p += 1
        }
        let full = solve(problem, p: p, nearby: nearby)
        return full.assignment.isBetter(than: best.assignment)
            && uncoveredCoverable(problem, full.assignment.site)
                <= uncoveredCoverable(problem, best.assignment.site)
            ? full : best
    }

    /// People assigned beyond the walk limit although some candidate lies within it.
    static func uncoveredCoverable(_ problem: SitingProblem, _ site: [Int]) -> Int {
        var total = 0
        for u in site.indices
        where site[u] >= 0 && problem.metres(u, site[u]) > problem.walkLimit && problem.coverable(u) {
            total += problem.weights[u]
        }
        return total
    }

    /// Sites a greedy set cover needs so that every coverable user has one within the walk limit.
    static func coverBound(_ problem: SitingProblem) -> Int {
        let n = problem.userCount, m = problem.candidateCount
        var covers = [[Int]](repeating: [], count: m), coveredBy = [[Int]](repeating: [], count: n)
        for u in 0..<n {
            for c in 0..<m where problem.metres(u, c) <= problem.walkLimit {
                covers[c].append(u)
                coveredBy[u].append(c)
            }
        }
        // gain[c]: users c would newly cover; kept up to date as users get covered.
        var gain = covers.map(\.count)
        var covered = [Bool](repeating: false, count: n)
        var count = 0
        while true {
            var pick = 0
            for c in 1..<max(1, m) where gain[c] > gain[pick] { pick = c }
            guard m > 0, gain[pick] > 0 else { break }
            for u in covers[pick] where !covered[u] {
                covered[u] = true
                for c in coveredBy[u] { gain[c] -= 1 }
            }
            count += 1
        }
        return count
    }

    private static func distance2(_ problem: SitingProblem, _ a: Int, _ b: Int) -> Double {
        let p = problem.candidatePoints[a], q = problem.candidatePoints[b]
        return (p.x - q.x) * (p.x - q.x) + (p.y - q.y) * (p.y - q.y)
    }
}
