import Foundation
import GridPlanGeometry
import GridPlanGeometryValues

/// A graph of atoms (street blocks, building cells) to be grouped into grids.
struct AtomGraph: Sendable {
    /// Households (or any additive weight) of each atom.
    var weights: [Double]
    /// A point of each atom in a metric frame (seeds, tie-breaks).
    var points: [Position]
    /// Neighbours with the price of cutting between them: the shared boundary's length,
    /// discounted when it runs along a barrier (a road is a cheap place for a boundary).
    var neighbours: Adjacency

    var count: Int { weights.count }

    init(weights: [Double], points: [Position], edges: [(Int, Int, Double)]) {
        self.weights = weights
        self.points = points
        neighbours = Adjacency(count: weights.count, edges: edges)
    }

    /// Each atom's neighbours in one flat array (an atom's are a slice of it), by neighbour
    /// index: a graph is rebuilt for every grid and every coarsening, and this is one
    /// allocation instead of one per atom.
    struct Adjacency: Sendable {
        private var start: [Int]
        private var links: [(node: Int, cost: Double)]

        /// Parallel edges are merged (their costs summed in input order); a self-loop is dropped.
        init(count: Int, edges: [(Int, Int, Double)]) {
            // Where each atom's links begin in `raw` (counts, then running sums).
            var offset = [Int](repeating: 0, count: count + 1)
            for (a, b, _) in edges where a != b {
                offset[a + 1] += 1
                offset[b + 1] += 1
            }
            for i in 0..<count { offset[i + 1] += offset[i] }
            // In input order within each atom.
            var raw = [(node: Int, cost: Double)](repeating: (0, 0), count: offset[count])
            var next = offset
            for (a, b, cost) in edges where a != b {
                raw[next[a]] = (b, cost)
                next[a] += 1
                raw[next[b]] = (a, cost)
                next[b] += 1
            }
            start = [0]
            start.reserveCapacity(count + 1)
            links = []
            links.reserveCapacity(raw.count)
            for a in 0..<count {
                let range = offset[a]..<offset[a + 1]
                let first = links.count
                // By neighbour, then input order, so that the sums are the same on every run.
                for i in range.sorted(by: { (raw[$0].node, $0) < (raw[$1].node, $1) }) {
                    if links.count > first && links[links.count - 1].node == raw[i].node {
                        links[links.count - 1].cost += raw[i].cost
                    } else {
                        links.append(raw[i])
                    }
                }
                start.append(links.count)
            }
        }

        subscript(atom: Int) -> ArraySlice<(node: Int, cost: Double)> { links[start[atom]..<start[atom + 1]] }
    }
}

extension AtomGraph {
    /// The subgraph on `nodes` (in their order), so that work on a grid's atoms is in proportion
    /// to the grid, not to the whole unit.
    func induced(by nodes: [Int]) -> AtomGraph {
        var index = [Int](repeating: -1, count: count)
        for (i, a) in nodes.enumerated() { index[a] = i }
        var edges: [(Int, Int, Double)] = []
        for a in nodes {
            for (n, cost) in neighbours[a] where index[n] >= 0 && a < n { edges.append((index[a], index[n], cost)) }
        }
        return AtomGraph(weights: nodes.map { weights[$0] }, points: nodes.map { points[$0] }, edges: edges)
    }
}

/// Groups the atoms of a connected graph into `k` connected parts of balanced weight with short
/// boundaries between them (weighted by ``AtomGraph`` costs, so boundaries follow barriers and
/// parts are compact).
///
/// 1. **Recursive bisection by region growing.** A part of weight W to be cut into k parts is
///    split in the ratio ⌊k/2⌋ : ⌈k/2⌉. From each of eight peripheral seeds (the extreme atoms
///    in eight directions) a region grows by always taking the frontier atom that adds the
///    least new boundary (ties: nearest the seed), and the prefix whose weight is nearest the
///    target is kept. A region whose rest is not connected takes the rest's smaller pieces.
///    The candidate with the best balance, then the cheapest cut, wins.
/// 2. **Pair re-cuts.** A part still out of band or off balance is merged with a neighbouring
///    part and the pair is cut again at its middle, when that helps the pair.
/// 3. **Boundary refinement** (in the spirit of Fiduccia–Mattheyses, with a contiguity guard):
///    atoms on a boundary move to the neighbouring part when that lowers, in order, the
///    weight outside the band, the weight off the balance target, then the cut; a move that
///    would disconnect its part is never made.
///
/// Pure and deterministic: the same graph gives the same parts.
enum GraphPartition {
    struct Targets {
        /// Households a part must hold (the norm's band); nil: no band.
        var band: ClosedRange<Double>?
        /// A part within this share of the mean counts as balanced.
        var balance = 0.08
    }

    /// Parts as lists of atom indices (each sorted), in a stable order. `nodes` must induce a
    /// connected subgraph; `k` is capped at the number of atoms.
    static func partition(_ graph: AtomGraph, nodes: [Int], into k: Int, targets: Targets) -> [[Int]] {
        partition(Coarsening(graph, nodes: nodes, into: k), targets: targets)
    }

    /// The atoms to be cut into `k` parts, with those without weight (empty blocks, slivers
    /// along roads) merged into the neighbour they share the most (dearest) boundary with, again
    /// while at least `k` nodes remain: the parts are found on the coarser graph, and an empty
    /// atom can never wall off a part from the moves that would balance it. Holds the recursive
    /// bisection of that graph into `k` parts, which does not depend on the targets: made once
    /// when the same atoms are cut at several balance tolerances (only the refinement differs).
    struct Coarsening: Sendable {
        /// The atoms given.
        let atoms: [Int]
        /// The graph the parts are found on, its nodes, and the atoms of each (nil: the node is the atom).
        let graph: AtomGraph
        let nodes: [Int]
        let members: [[Int]]?
        /// The bisection of `nodes` (before refinement); empty when `k` is 1.
        let bisection: [[Int]]

        init(_ graph: AtomGraph, nodes atoms: [Int], into k: Int) {
            self.atoms = atoms
            let k = max(1, min(k, atoms.count))
            var (graph, nodes, members): (AtomGraph, [Int], [[Int]]?) = (graph, atoms, nil)
            while k > 1 {
                let (coarse, grouped) = GraphPartition.coarsened(graph, nodes: nodes)
                guard coarse.count < nodes.count && coarse.count >= k else { break }
                members = grouped.map { group in group.flatMap { members?[$0] ?? [$0] } }
                (graph, nodes) = (coarse, Array(0..<coarse.count))
            }
            (self.graph, self.nodes, self.members) = (graph, nodes, members)
            var parts: [[Int]] = []
            if k > 1 { GraphPartition.bisect(graph, nodes.sorted(), k, into: &parts) }
            bisection = parts
        }
    }

    /// ``partition(_:nodes:into:targets:)`` of the coarsening's atoms: its bisection, refined
    /// towards `targets`.
    static func partition(_ coarsening: Coarsening, targets: Targets) -> [[Int]] {
        let (graph, parts) = (coarsening.graph, coarsening.bisection.count)
        guard parts > 1 else { return [coarsening.atoms.sorted()] }
        var part = [Int](repeating: -1, count: graph.count)
        for (p, members) in coarsening.bisection.enumerated() { for a in members { part[a] = p } }
        refine(graph, part: &part, parts: parts, targets: targets)
        if rebalancePairs(graph, part: &part, parts: parts, targets: targets) {
            refine(graph, part: &part, parts: parts, targets: targets)
        }
        var result = [[Int]](repeating: [], count: parts)
        for a in coarsening.nodes where part[a] >= 0 { result[part[a]].append(a) }
        let found = result.filter { !$0.isEmpty }.map { $0.sorted() }
        guard let members = coarsening.members else { return found }
        return found.map { $0.flatMap { members[$0] }.sorted() }
    }

    // MARK: Coarsening

    /// The graph with every weightless atom merged into its dearest-linked neighbour (chains
    /// of them follow), and the original atoms of each coarse node.
    static func coarsened(_ graph: AtomGraph, nodes: [Int]) -> (AtomGraph, [[Int]]) {
        var inSet = [Bool](repeating: false, count: graph.count)
        for a in nodes { inSet[a] = true }
        var sets = UnionFind(count: graph.count)
        func root(_ a: Int) -> Int { sets.root(a) }
        for a in nodes.sorted() where graph.weights[a] <= 0 {
            let links = graph.neighbours[a].filter { inSet[$0.node] }
            guard let best = links.max(by: { ($0.cost, -$0.node) < ($1.cost, -$1.node) }) else { continue }
            sets.join(a, into: best.node)
        }
        var index = [Int](repeating: -1, count: graph.count)
        var members: [[Int]] = []
        for a in nodes.sorted() {
            let r = root(a)
            if index[r] < 0 {
                index[r] = members.count
                members.append([])
            }
            members[index[r]].append(a)
        }
        guard members.count < nodes.count else { return (graph, nodes.map { [$0] }) }
        var weights = [Double](repeating: 0, count: members.count)
        var points = [Position](repeating: Position(x: 0, y: 0), count: members.count)
        for (c, list) in members.enumerated() {
            weights[c] = list.reduce(0) { $0 + graph.weights[$1] }
            // The point of the heaviest member (an atom with buildings when there is one).
            let lead = list.max { (graph.weights[$0], -$0) < (graph.weights[$1], -$1) }!
            points[c] = graph.points[lead]
        }
        var edges: [(Int, Int, Double)] = []
        for a in nodes {
            for (n, cost) in graph.neighbours[a] where inSet[n] && a < n {
                let (ca, cb) = (index[root(a)], index[root(n)])
                if ca != cb { edges.append((ca, cb, cost)) }
            }
        }
        return (AtomGraph(weights: weights, points: points, edges: edges), members)
    }

    // MARK: Bisection

    fileprivate static func bisect(_ graph: AtomGraph, _ nodes: [Int], _ k: Int, into parts: inout [[Int]]) {
        guard k > 1, nodes.count > 1 else {
            parts.append(nodes)
            return
        }
        let k1 = k / 2
        let total = nodes.reduce(0) { $0 + graph.weights[$1] }
        let target = total * Double(k1) / Double(k)
        let region = bestRegion(graph, nodes, target: target, minimumCount: k1, maximumCount: nodes.count - (k - k1))
        let inRegion = Set(region)
        let rest = nodes.filter { !inRegion.contains($0) }
        bisect(graph, region.sorted(), k1, into: &parts)
        bisect(graph, rest, k - k1, into: &parts)
    }

    /// The peripheral atoms: extremes of the atoms' points in eight directions.
    private static func seeds(_ graph: AtomGraph, _ nodes: [Int]) -> [Int] {
        var result: [Int] = []
        for d in 0..<8 {
            let angle = Double(d) * .pi / 4
            let (c, s) = (cos(angle), sin(angle))
            let best = nodes.max { a, b in
                let pa = graph.points[a].x * c + graph.points[a].y * s,
                    pb = graph.points[b].x * c + graph.points[b].y * s
                return (pa, -a) < (pb, -b)
            }!
            if !result.contains(best) { result.append(best) }
        }
        return result
    }

    /// Parts of at least this many atoms grow their seeds' regions in parallel (below it the
    /// threads cost more than they save).
    static let parallelSeedsAbove = 400

    private static func bestRegion(
        _ graph: AtomGraph, _ nodes: [Int], target: Double, minimumCount: Int, maximumCount: Int
    )
        -> [Int]
    {
        var membership = [Bool](repeating: false, count: graph.count)
        for a in nodes { membership[a] = true }
        let inSet = membership
        var best: (score: (Double, Double), region: [Int])?
        // The seeds' regions are independent: on a large part they grow in parallel.
        let starts = seeds(graph, nodes)
        let grown = ConcurrentSlots<[Int]>(count: starts.count)
        @Sendable func candidate(_ i: Int) {
            guard
                let region = grow(
                    graph, from: starts[i], inSet: inSet, target: target, minimumCount: minimumCount,
                    maximumCount: maximumCount)
            else { return }
            grown.set(i, keepRestConnected(graph, region: region, nodes: nodes, inSet: inSet))
        }
        if nodes.count >= parallelSeedsAbove {
            DispatchQueue.concurrentPerform(iterations: starts.count, execute: candidate)
        } else {
            starts.indices.forEach(candidate)
        }
        for i in starts.indices {
            guard let region = grown.get(i), region.count >= minimumCount, region.count <= maximumCount else {
                continue
            }
            let weight = region.reduce(0) { $0 + graph.weights[$1] }
            let cut = cutCost(graph, region: region, inSet: inSet)
            // Balance first (to a hundredth of the target), then the cheapest cut.
            let score = ((abs(weight - target) / max(1e-9, target) * 100).rounded(), cut)
            if best == nil || score < best!.score { best = (score, region) }
        }
        if let best { return best.region }
        // No seed gave a valid region (tiny graphs): take the first atoms in order.
        return Array(nodes.prefix(max(1, minimumCount)))
    }

    /// Grows a region from `seed`, always taking the frontier atom that adds the least
    /// boundary, and returns the prefix whose weight is nearest the target.
    ///
    /// A frontier atom's key changes only when one of its neighbours is taken, so only the
    /// taken atom's neighbours are priced again and pushed on a heap; entries whose key has
    /// since changed are skipped when they come up. An atom's link to the outside is summed
    /// when it first reaches the frontier and lowered by each neighbour taken after that.
    /// Keys end with the atom's index, so the pick is the one a scan of the frontier would make.
    private static func grow(
        _ graph: AtomGraph, from seed: Int, inSet: [Bool], target: Double, minimumCount: Int, maximumCount: Int
    )
        -> [Int]?
    {
        var taken = [Bool](repeating: false, count: graph.count)
        var linkToRegion = [Double](repeating: 0, count: graph.count)
        // Each frontier atom's links to atoms not taken (NaN: not summed yet).
        var linkOutside = [Double](repeating: .nan, count: graph.count)
        // The current key of each frontier atom (nil: not on the frontier).
        var key = [GrowthKey?](repeating: nil, count: graph.count)
        var heap = MinHeap<GrowthKey>()
        var order: [Int] = []
        var weight = 0.0
        var bestPrefix = 0
        var bestGap = Double.infinity
        var current = seed
        let origin = graph.points[seed]
        while true {
            taken[current] = true
            key[current] = nil
            order.append(current)
            weight += graph.weights[current]
            for (n, c) in graph.neighbours[current] where inSet[n] && !taken[n] {
                linkToRegion[n] += c
                if linkOutside[n].isNaN {
                    var outside = 0.0
                    for (m, c) in graph.neighbours[n] where !taken[m] { outside += c }
                    linkOutside[n] = outside
                } else {
                    linkOutside[n] -= c
                }
                // Its boundary with the outside grows by this much when taken (its link to the
                // region counts as boundary removed); ties go to the atom nearest the seed.
                let dx = graph.points[n].x - origin.x, dy = graph.points[n].y - origin.y
                let k = GrowthKey(
                    growth: linkOutside[n] - linkToRegion[n], distance: dx * dx + dy * dy, atom: n)
                if key[n] != k {
                    key[n] = k
                    heap.push(k)
                }
            }
            if order.count >= minimumCount && order.count <= maximumCount {
                let gap = abs(weight - target)
                if gap < bestGap {
                    bestGap = gap
                    bestPrefix = order.count
                }
            }
            if weight >= target && order.count >= minimumCount || order.count >= maximumCount {
                break
            }
            var pick: Int?
            while let top = heap.pop() {
                if key[top.atom] == top {
                    pick = top.atom
                    break
                }
            }
            guard let pick else { break }
            current = pick
        }
        return bestPrefix > 0 ? Array(order.prefix(bestPrefix)) : nil
    }

    /// The order in which ``grow`` takes frontier atoms: least new boundary, then nearest the
    /// seed, then the lower index.
    private struct GrowthKey: Comparable {
        var growth: Double
        var distance: Double
        var atom: Int

        static func < (a: GrowthKey, b: GrowthKey) -> Bool {
            (a.growth, a.distance, a.atom) < (b.growth, b.distance, b.atom)
        }
    }

    /// When the atoms outside the region fall apart, the pieces other than the heaviest join
    /// the region (they touch it, and a region with a hole-free rest is what the caller needs).
    private static func keepRestConnected(_ graph: AtomGraph, region: [Int], nodes: [Int], inSet: [Bool]) -> [Int] {
        var inRegion = [Bool](repeating: false, count: graph.count)
        for a in region { inRegion[a] = true }
        let rest = nodes.filter { !inRegion[$0] }
        let pieces = components(graph, rest, inSet: inSet)
        guard pieces.count > 1 else { return region }
        let heaviest = pieces.indices.max { a, b in
            let wa = pieces[a].reduce(0) { $0 + graph.weights[$1] }, wb = pieces[b].reduce(0) { $0 + graph.weights[$1] }
            return (wa, pieces[a].count, -a) < (wb, pieces[b].count, -b)
        }!
        var grown = region
        for (i, piece) in pieces.enumerated() where i != heaviest { grown += piece }
        return grown
    }

    /// Connected components of `members` (within `inSet`).
    static func components(_ graph: AtomGraph, _ members: [Int], inSet: [Bool]) -> [[Int]] {
        var isMember = [Bool](repeating: false, count: graph.count)
        for a in members where inSet[a] { isMember[a] = true }
        var seen = [Bool](repeating: false, count: graph.count)
        var result: [[Int]] = []
        for start in members where isMember[start] && !seen[start] {
            var stack = [start]
            seen[start] = true
            var piece: [Int] = []
            while let a = stack.popLast() {
                piece.append(a)
                for (n, _) in graph.neighbours[a] where isMember[n] && !seen[n] {
                    seen[n] = true
                    stack.append(n)
                }
            }
            result.append(piece)
        }
        return result
    }

    private static func cutCost(_ graph: AtomGraph, region: [Int], inSet: [Bool]) -> Double {
        var inRegion = [Bool](repeating: false, count: graph.count)
        for a in region { inRegion[a] = true }
        var cut = 0.0
        for a in region { for (n, c) in graph.neighbours[a] where inSet[n] && !inRegion[n] { cut += c } }
        return cut
    }

    // MARK: Refinement

    /// (Households outside the band, households beyond the balance margin) of a part's weight.
    private static func penalty(_ w: Double, mean: Double, targets: Targets) -> (Double, Double) {
        var band = 0.0
        if let b = targets.band { band = max(0, b.lowerBound - w) + max(0, w - b.upperBound) }
        return (band, max(0, abs(w - mean) - targets.balance * mean))
    }

    /// Re-cuts a part that misses its targets together with a neighbouring part, when the two
    /// new halves miss less. Returns whether anything changed.
    private static func rebalancePairs(_ graph: AtomGraph, part: inout [Int], parts: Int, targets: Targets) -> Bool {
        var weight = [Double](repeating: 0, count: parts)
        for a in 0..<graph.count where part[a] >= 0 { weight[part[a]] += graph.weights[a] }
        let mean = weight.reduce(0, +) / Double(parts)
        func cost(_ w: Double) -> (Double, Double) { penalty(w, mean: mean, targets: targets) }
        func add(_ a: (Double, Double), _ b: (Double, Double)) -> (Double, Double) { (a.0 + b.0, a.1 + b.1) }
        var changed = false
        for _ in 0..<3 {
            var improved = false
            let offenders = (0..<parts).filter { cost(weight[$0]) > (0, 0) }.sorted { a, b in
                let ca = cost(weight[a]), cb = cost(weight[b])
                return ca != cb ? ca > cb : a < b
            }
            for p in offenders where cost(weight[p]) > (0, 0) {
                var touching = Set<Int>()
                for a in 0..<graph.count where part[a] == p {
                    for (n, _) in graph.neighbours[a] where part[n] >= 0 && part[n] != p { touching.insert(part[n]) }
                }
                var best: (penalty: (Double, Double), region: [Int], q: Int, members: [Int])?
                for q in touching.sorted() {
                    let members = (0..<graph.count).filter { part[$0] == p || part[$0] == q }
                    guard members.count >= 2 else { continue }
                    let total = weight[p] + weight[q]
                    let region = bestRegion(
                        graph, members, target: total / 2, minimumCount: 1, maximumCount: members.count - 1)
                    let w = region.reduce(0) { $0 + graph.weights[$1] }
                    let after = add(cost(w), cost(total - w))
                    if after < add(cost(weight[p]), cost(weight[q])), best == nil || after < best!.penalty {
                        best = (after, region, q, members)
                    }
                }
                guard let best else { continue }
                let inRegion = Set(best.region)
                for a in best.members { part[a] = inRegion.contains(a) ? p : best.q }
                weight[p] = best.region.reduce(0) { $0 + graph.weights[$1] }
                weight[best.q] = best.members.reduce(0) { $0 + graph.weights[$1] } - weight[p]
                improved = true
                changed = true
            }
            if !improved { break }
        }
        return changed
    }

    /// Moves boundary atoms between neighbouring parts while that lowers (band excess,
    /// imbalance, cut), never disconnecting a part or emptying it.
    private static func refine(_ graph: AtomGraph, part: inout [Int], parts: Int, targets: Targets) {
        var weight = [Double](repeating: 0, count: parts)
        var size = [Int](repeating: 0, count: parts)
        for a in 0..<graph.count where part[a] >= 0 {
            weight[part[a]] += graph.weights[a]
            size[part[a]] += 1
        }
        let mean = weight.reduce(0, +) / Double(parts)
        func penalty(_ w: Double) -> (Double, Double) { GraphPartition.penalty(w, mean: mean, targets: targets) }
        var atoms = (0..<graph.count).filter { part[$0] >= 0 }
        atoms.sort()
        // Cost of an atom's links to each neighbouring part, summed in neighbour order.
        var link: [(part: Int, cost: Double)] = []
        var reach = Reach(count: graph.count)
        for _ in 0..<12 {
            var moved = false
            for a in atoms {
                let from = part[a]
                guard size[from] > 1 else { continue }
                link.removeAll(keepingCapacity: true)
                for (n, c) in graph.neighbours[a] where part[n] >= 0 {
                    if let i = link.firstIndex(where: { $0.part == part[n] }) {
                        link[i].cost += c
                    } else {
                        link.append((part[n], c))
                    }
                }
                link.sort { $0.part < $1.part }
                let own = link.first { $0.part == from }?.cost ?? 0
                let w = graph.weights[a]
                var best: (key: (Double, Double, Double), to: Int)?
                let before = (penalty(weight[from]), cut: 0.0)
                for (to, toCost) in link where to != from {
                    let pFrom = penalty(weight[from] - w), pTo = penalty(weight[to] + w)
                    let bandChange = pFrom.0 + pTo.0 - before.0.0 - penalty(weight[to]).0
                    let balanceChange = pFrom.1 + pTo.1 - before.0.1 - penalty(weight[to]).1
                    let cutChange = own - toCost
                    let key = (bandChange, balanceChange, cutChange)
                    // Improves when it lowers the first non-zero term.
                    let improves =
                        key.0 < -1e-9
                        || (abs(key.0) <= 1e-9 && (key.1 < -1e-9 || (abs(key.1) <= 1e-9 && key.2 < -1e-9)))
                    guard improves else { continue }
                    if best == nil || key < best!.key { best = (key, to) }
                }
                guard let choice = best, reach.staysConnected(graph, removing: a, part: part) else { continue }
                part[a] = choice.to
                weight[from] -= w
                weight[choice.to] += w
                size[from] -= 1
                size[choice.to] += 1
                moved = true
            }
            if !moved { break }
        }
    }

    /// Whether a part's atoms stay connected without one of them: a search from one of its
    /// neighbours in the part until it reaches all the others, with marks kept between calls
    /// (a stamp per search) so that a call costs what it visits, not the size of the graph.
    struct Reach {
        private var seen: [Int]
        private var needed: [Int]
        private var stamp = 0

        init(count: Int) {
            seen = [Int](repeating: 0, count: count)
            needed = [Int](repeating: 0, count: count)
        }

        /// Whether the atoms of `a`'s part other than `a` stay connected.
        mutating func staysConnected(_ graph: AtomGraph, removing a: Int, part: [Int]) -> Bool {
            let p = part[a]
            stamp += 1
            var wanted = 0
            var first = -1
            for (n, _) in graph.neighbours[a] where part[n] == p && needed[n] != stamp {
                needed[n] = stamp
                wanted += 1
                if first < 0 { first = n }
            }
            guard wanted > 1 else { return true }
            seen[a] = stamp
            seen[first] = stamp
            var stack = [first]
            var reached = 1
            while let x = stack.popLast() {
                for (n, _) in graph.neighbours[x] where part[n] == p && seen[n] != stamp {
                    seen[n] = stamp
                    stack.append(n)
                    if needed[n] == stamp {
                        reached += 1
                        if reached == wanted { return true }
                    }
                }
            }
            return reached == wanted
        }
    }
}
