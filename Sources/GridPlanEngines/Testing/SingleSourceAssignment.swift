/// Capacitated single-source assignment for a fixed set of open sites: every user (a
/// micro-grid) goes whole to one site, no site takes more people than its capacity, and
/// Σ weight × cost is as small as this heuristic finds. (The exact problem is the generalised
/// assignment problem, NP-hard.)
///
/// Starts: a regret greedy (users whose second choice costs most more than their first go
/// first, to their nearest site with room) and, when asked, the transportation relaxation
/// solved exactly by ``MinCostFlow`` (people may split between sites), rounded to each
/// user's largest share and repaired where a site overflows. Each start then gets a local
/// search until no move helps: shifts to a site with room, swaps of two users, chains (a user
/// to a full site whose user moves on to a third), and, for a user that fits nowhere, an
/// ejection that moves one user out of a nearby site to make room. The better result wins.
enum SingleSourceAssignment {
    struct Result: Sendable {
        /// Candidate index per user, −1 when no open site had room.
        var site: [Int]
        /// People assigned per candidate index.
        var load: [Int]
        var cost: Int
        var unassignedWeight: Int

        /// Fewer people left out first, then lower cost.
        func isBetter(than other: Result) -> Bool {
            (unassignedWeight, cost) < (other.unassignedWeight, other.cost)
        }
    }

    /// When the relaxation start is tried besides the greedy one: it costs a flow, and pays off
    /// only when room is short.
    enum Relaxation {
        case never
        /// When the greedy start leaves people out.
        case whenShort
        /// When the greedy start leaves people out or the sites are at least 85 % full.
        case whenTight
    }

    static func solve(
        _ problem: SitingProblem, open: [Int], relaxation: Relaxation = .never, nearest k: Int = 12, maxPasses: Int = 50
    ) -> Result {
        let greedy = improve(problem, open: open, start: nil, nearest: k, maxPasses: maxPasses)
        let room = open.reduce(0) { $0 + problem.capacities[$1] }
        let tight = 100 * problem.weights.reduce(0, +) >= 85 * room
        guard !open.isEmpty, relaxation != .never, greedy.unassignedWeight > 0 || (relaxation == .whenTight && tight)
        else { return greedy }
        let rounded = improve(
            problem, open: open, start: roundedRelaxation(problem, open: open, nearest: k), nearest: k,
            maxPasses: maxPasses)
        return rounded.isBetter(than: greedy) ? rounded : greedy
    }

    /// The transportation relaxation over each user's k nearest open sites, each user sent
    /// whole to the site that got most of its people.
    static func roundedRelaxation(_ problem: SitingProblem, open: [Int], nearest k: Int) -> [Int] {
        let n = problem.userCount
        let source = n + open.count, sink = source + 1
        var flow = MinCostFlow(nodes: sink + 1)
        let total = problem.weights.reduce(0, +)
        // A reward per person larger than any cost: the most people are placed, then cheapest.
        let reward = SitingProblem.penaltyMetres * 4
        var arcs: [[(site: Int, arc: Int)]] = Array(repeating: [], count: n)
        for u in 0..<n {
            flow.addArc(from: source, to: u, capacity: problem.weights[u], cost: 0)
            let ranked = open.indices.sorted { (problem.cost(u, open[$0]), $0) < (problem.cost(u, open[$1]), $1) }
                .prefix(k)
            for s in ranked {
                arcs[u].append(
                    (
                        open[s],
                        flow.addArc(from: u, to: n + s, capacity: problem.weights[u], cost: problem.cost(u, open[s]))
                    ))
            }
        }
        for (s, c) in open.enumerated() {
            flow.addArc(from: n + s, to: sink, capacity: problem.capacities[c], cost: -reward)
        }
        flow.addArc(from: sink, to: source, capacity: total, cost: 0)
        flow.solve()
        return (0..<n).map { u in
            var best = -1, bestFlow = 0
            for (c, arc) in arcs[u] where flow.flow(arc) > bestFlow { best = c; bestFlow = flow.flow(arc) }
            return best
        }
    }

    /// Local search from a start (nil: the regret greedy); a start may overfill sites, and users
    /// are then moved off the overfull ones, cheapest move first.
    private static func improve(
        _ problem: SitingProblem, open: [Int], start: [Int]?, nearest k: Int, maxPasses: Int
    ) -> Result {
        let n = problem.userCount
        let w = problem.weights
        var load = [Int](repeating: 0, count: problem.candidateCount)
        var site = [Int](repeating: -1, count: n)
        guard !open.isEmpty else {
            return Result(site: site, load: load, cost: 0, unassignedWeight: w.reduce(0, +))
        }
        func room(_ c: Int) -> Int { problem.capacities[c] - load[c] }
        // Each user's k nearest open sites, nearest first (all of them only when none has room).
        let near: [[Int]] = (0..<n).map { u in
            var best: [(cost: Int, site: Int)] = []
            best.reserveCapacity(k + 1)
            for c in open {
                let entry = (problem.cost(u, c), c)
                if best.count == k, let last = best.last, entry >= last { continue }
                let at = best.firstIndex { entry < $0 } ?? best.count
                best.insert(entry, at: at)
                if best.count > k { best.removeLast() }
            }
            return best.map(\.site)
        }
        func ranked(_ u: Int) -> [Int] {
            open.count <= k ? near[u] : open.sorted { (problem.cost(u, $0), $0) < (problem.cost(u, $1), $1) }
        }
        func firstWithRoom(_ u: Int) -> Int? {
            near[u].first { room($0) >= w[u] } ?? (open.count > k ? ranked(u).first { room($0) >= w[u] } : nil)
        }
        var members = [[Int]](repeating: [], count: problem.candidateCount)
        func place(_ u: Int, _ c: Int) {
            if site[u] >= 0 {
                load[site[u]] -= w[u]
                members[site[u]].removeAll { $0 == u }
            }
            site[u] = c
            if c >= 0 {
                load[c] += w[u]
                members[c].append(u)
            }
        }
        // Regret greedy.
        let regret = (0..<n).map { u in
            near[u].count < 2 ? Int.max / 2 : w[u] * (problem.cost(u, near[u][1]) - problem.cost(u, near[u][0]))
        }
        let order = (0..<n).sorted { a, b in (regret[a], w[a], -a) > (regret[b], w[b], -b) }
        if let start {
            for u in 0..<n where start[u] >= 0 { place(u, start[u]) }
            // Repair: move users off overfull sites, the cheapest move per person first.
            for c in open where room(c) < 0 {
                while room(c) < 0 {
                    var pick: (user: Int, to: Int, extra: Int)?
                    for u in members[c] {
                        if let d = near[u].first(where: { $0 != c && room($0) >= w[u] }) {
                            let extra = problem.cost(u, d) - problem.cost(u, c)
                            if pick == nil || extra < pick!.extra { pick = (u, d, extra) }
                        }
                    }
                    if let pick { place(pick.user, pick.to) } else { place(members[c].max { w[$0] < w[$1] }!, -1) }
                }
            }
        } else {
            for u in order {
                if let c = firstWithRoom(u) { place(u, c) }
            }
        }
        // Local search.
        for _ in 0..<maxPasses {
            var improved = false
            for u in 0..<n {
                let a = site[u]
                if a < 0 {
                    // A user left out: a site with room now, or room made by moving one user out.
                    if let c = firstWithRoom(u) {
                        place(u, c)
                        improved = true
                        continue
                    }
                    ejection: for c in near[u] {
                        for v in members[c] where room(c) + w[v] >= w[u] {
                            if let d = near[v].first(where: { $0 != c && room($0) >= w[v] }) {
                                place(v, d)
                                place(u, c)
                                improved = true
                                break ejection
                            }
                        }
                    }
                    continue
                }
                let here = problem.cost(u, a)
                // Shift to a nearer site with room.
                if let c = near[u].first(where: { problem.cost(u, $0) < here && room($0) >= w[u] }) {
                    place(u, c)
                    improved = true
                    continue
                }
                // Swap with a user of a nearer site.
                swap: for b in near[u] where problem.cost(u, b) < here {
                    for v in members[b] {
                        let delta =
                            w[u] * (problem.cost(u, b) - here) + w[v] * (problem.cost(v, a) - problem.cost(v, b))
                        if delta < 0 && room(b) + w[v] >= w[u] && room(a) + w[u] >= w[v] {
                            place(u, -1)
                            place(v, a)
                            place(u, b)
                            improved = true
                            break swap
                        }
                    }
                }
                if site[u] != a { continue }
                // Chain: u to a nearer full site b, one user v of b on to a third site c.
                chain: for b in near[u] where problem.cost(u, b) < here && room(b) < w[u] {
                    for v in members[b] where room(b) + w[v] >= w[u] {
                        for c in near[v] where c != b && c != a && room(c) >= w[v] {
                            let delta =
                                w[u] * (problem.cost(u, b) - here) + w[v] * (problem.cost(v, c) - problem.cost(v, b))
                            if delta < 0 {
                                place(v, c)
                                place(u, b)
                                improved = true
                                break chain
                            }
                        }
                    }
                }
            }
            if !improved { break }
        }
        var unassigned = 0
        for u in 0..<n where site[u] < 0 { unassigned += w[u] }
        return Result(site: site, load: load, cost: problem.objective(site), unassignedWeight: unassigned)
    }
}
