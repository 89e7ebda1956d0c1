/// Minimum-cost circulation on a network with integer capacities and costs, solved exactly by
/// cost scaling (Goldberg and Tarjan's push–relabel with ε-scaling).
///
/// Costs are multiplied by α > n, so a circulation that is ε-optimal for ε = 1 in scaled units
/// is 1/α-optimal in the original ones; every cycle has at most n arcs, so its cost is above
/// −1 and, being an integer, not negative: the circulation is optimal. Each refine
/// phase saturates every arc of negative reduced cost, then discharges the nodes with excess
/// along admissible arcs (reduced cost < 0), relabelling when none is left; ε shrinks by
/// `scaleFactor` per phase. The zero circulation is feasible, so negative cycles (a person →
/// slot → sink → source → person loop with a reward) carry the flow.
///
/// Solving again after adding arcs starts warm: from the last flow and prices, at the ε of
/// the worst reduced cost, which is cheap when only a few arcs violate optimality.
///
/// Speed comes from global price updates (Goldberg 1997): a Dial search backwards from the
/// nodes with a deficit, over residual arcs of length ⌊reduced cost / ε⌋ + 1, lowers every
/// price by ε × its distance. That keeps ε-optimality and gives every node with excess an
/// admissible path towards a deficit, which saves the long chains of small relabels that
/// push–relabel otherwise spends walking prices down.
struct MinCostFlow {
    private(set) var nodeCount: Int
    // Arc e and its reverse e ^ 1 are stored side by side.
    private var head: [Int32] = []
    private var residual: [Int32] = []
    private var cost: [Int] = []
    private var tail: [Int32] = []
    /// Scaled prices after ``solve()``: the optimality certificate (see ``reducedCost``).
    private(set) var price: [Int] = []

    static let scaleFactor = 8

    /// Solver counters of the last ``solve()``, for benchmarks.
    struct Statistics: Sendable {
        var phases = 0
        var pushes = 0
        var relabels = 0
        var priceUpdates = 0
    }
    private(set) var statistics = Statistics()

    init(nodes: Int) {
        nodeCount = nodes
    }

    mutating func addNode() -> Int {
        if !price.isEmpty { price.append(Int.min) }  // set by the next solve
        nodeCount += 1
        return nodeCount - 1
    }

    /// Adds an arc `from → to`; returns its id for ``flow(_:)``.
    @discardableResult
    mutating func addArc(from u: Int, to v: Int, capacity: Int, cost c: Int) -> Int {
        precondition(u >= 0 && u < nodeCount && v >= 0 && v < nodeCount && capacity >= 0 && capacity <= Int(Int32.max))
        let id = head.count
        head.append(Int32(v))
        tail.append(Int32(u))
        residual.append(Int32(capacity))
        cost.append(c)
        head.append(Int32(u))
        tail.append(Int32(v))
        residual.append(0)
        cost.append(-c)
        return id
    }

    /// Flow on an arc after ``solve()``.
    func flow(_ arc: Int) -> Int { Int(residual[arc ^ 1]) }

    var arcCount: Int { head.count / 2 }

    /// The cost multiplier α of the scaled prices: set by the first solve with room for
    /// nodes added before a warm solve.
    private(set) var scale = 0

    /// Reduced cost, in scaled units, that an arc `from → to` of cost `c` would have under the
    /// final prices. A solved circulation stays optimal with such an extra arc (flow 0) when
    /// this is at least −1: the network is then still 1/α-optimal.
    func reducedCost(from u: Int, to v: Int, cost c: Int) -> Int {
        c * scale + price[u] - price[v]
    }

    /// Solves in place; returns the total cost Σ flow × cost.
    @discardableResult
    mutating func solve() -> Int {
        let n = nodeCount
        statistics = Statistics()
        if price.isEmpty || scale <= n {
            // Cold: zero flow, zero prices.
            scale = 2 * (n + 1)
            price = [Int](repeating: 0, count: n)
            for e in stride(from: 0, to: head.count, by: 2) {
                residual[e] += residual[e + 1]
                residual[e + 1] = 0
            }
        }
        guard n > 0, !head.isEmpty else { return 0 }
        // The arcs in CSR order (a node's arcs contiguous, so scans are sequential), each
        // with the position of its reverse.
        var start = [Int](repeating: 0, count: n + 1)
        for u in tail { start[Int(u) + 1] += 1 }
        for i in 0..<n { start[i + 1] += start[i] }
        var position = [Int32](repeating: 0, count: head.count)
        do {
            var fill = start
            for e in 0..<head.count {
                let u = Int(tail[e])
                position[e] = Int32(fill[u])
                fill[u] += 1
            }
        }
        let m = head.count
        let alpha = scale
        var to = [Int32](repeating: 0, count: m)
        var mate = [Int32](repeating: 0, count: m)
        var capacity = [Int32](repeating: 0, count: m)
        var scaled = [Int](repeating: 0, count: m)
        for e in 0..<m {
            let k = Int(position[e])
            to[k] = head[e]
            mate[k] = position[e ^ 1]
            capacity[k] = residual[e]
            scaled[k] = cost[e] * alpha
        }
        // Nodes added since the last solve: the lowest price that keeps their own residual
        // arcs free of negative reduced cost.
        for v in 0..<n where price[v] == Int.min {
            var p: Int?
            for k in start[v]..<start[v + 1] where capacity[k] > 0 && price[Int(to[k])] != Int.min {
                p = max(p ?? Int.min, price[Int(to[k])] - scaled[k])
            }
            price[v] = p ?? 0
        }
        // The flow is ε-optimal for the worst negative reduced cost (1 means optimal).
        var epsilon = 1
        for u in 0..<n {
            for k in start[u]..<start[u + 1] where capacity[k] > 0 {
                epsilon = max(epsilon, -(scaled[k] + price[u] - price[Int(to[k])]))
            }
        }
        var excess = [Int](repeating: 0, count: n)
        var current = Array(start.dropLast())
        var queue: [Int32] = []
        var queued = [Bool](repeating: false, count: n)
        var search = PriceSearch(nodes: n)
        // A global update after every n/2 relabels: measured best among n/8…n on the issue #4
        // benchmark (fewer relabels with more updates did not pay for the updates).
        let updateEvery = max(64, n / 2)
        while epsilon > 1 {
            epsilon = max(1, epsilon / Self.scaleFactor)
            statistics.phases += 1
            // Saturate the residual arcs whose reduced cost is below −ε: then every arc is
            // ε-optimal, which is all that pushes (along reduced cost < 0) and relabels (to
            // the highest price leaving some arc at −ε) need to keep. Arcs at −ε…0 stay as
            // they are, so a warm solve only disturbs the arcs that really violate.
            for u in 0..<n {
                let pu = price[u]
                for k in start[u]..<start[u + 1] where capacity[k] > 0 {
                    let v = Int(to[k])
                    if scaled[k] + pu - price[v] < -epsilon {
                        let delta = Int(capacity[k])
                        capacity[k] = 0
                        capacity[Int(mate[k])] += Int32(delta)
                        excess[u] -= delta
                        excess[v] += delta
                    }
                }
            }
            queue.removeAll(keepingCapacity: true)
            for v in 0..<n where excess[v] > 0 {
                queue.append(Int32(v))
                queued[v] = true
            }
            var relabelsSinceUpdate = updateEvery
            var next = 0
            while next < queue.count {
                if relabelsSinceUpdate >= updateEvery {
                    search.update(
                        price: &price, epsilon: epsilon, excess: excess, start: start, to: to, mate: mate,
                        capacity: capacity, scaled: scaled)
                    statistics.priceUpdates += 1
                    for v in 0..<n { current[v] = start[v] }
                    relabelsSinceUpdate = 0
                }
                let v = Int(queue[next])
                next += 1
                queued[v] = false
                // Discharge v.
                while excess[v] > 0 {
                    var k = current[v]
                    let end = start[v + 1]
                    let pv = price[v]
                    while k < end {
                        if capacity[k] > 0 {
                            let w = Int(to[k])
                            if scaled[k] + pv - price[w] < 0 {
                                let delta = min(excess[v], Int(capacity[k]))
                                capacity[k] -= Int32(delta)
                                capacity[Int(mate[k])] += Int32(delta)
                                excess[v] -= delta
                                excess[w] += delta
                                statistics.pushes += 1
                                if excess[w] > 0 && !queued[w] {
                                    queue.append(Int32(w))
                                    queued[w] = true
                                }
                                if excess[v] == 0 { break }
                            }
                        }
                        k += 1
                    }
                    current[v] = k
                    if excess[v] == 0 { break }
                    // Relabel: the highest price that makes some residual arc admissible.
                    var best = Int.min
                    for j in start[v]..<end where capacity[j] > 0 {
                        best = max(best, price[Int(to[j])] - scaled[j])
                    }
                    precondition(
                        best != Int.min, "a node with excess has no residual arc: the circulation is infeasible")
                    price[v] = best - epsilon
                    current[v] = start[v]
                    statistics.relabels += 1
                    relabelsSinceUpdate += 1
                }
                if next > 1 << 20 {
                    queue.removeFirst(next)
                    next = 0
                }
            }
        }
        for e in 0..<m { residual[e] = capacity[Int(position[e])] }
        var total = 0
        for e in stride(from: 0, to: m, by: 2) { total += Int(residual[e ^ 1]) * cost[e] }
        return total
    }
}

/// The backward Dial search of a global price update, with its buffers kept between updates.
private struct PriceSearch {
    var distance: [Int]
    var scanned: [Bool]
    // Buckets of equal tentative distance as doubly linked lists through the nodes.
    var first: [Int32] = []
    var nextInBucket: [Int32]
    var previousInBucket: [Int32]
    var touched: [Int32] = []

    init(nodes: Int) {
        distance = [Int](repeating: Int.max, count: nodes)
        scanned = [Bool](repeating: false, count: nodes)
        nextInBucket = [Int32](repeating: -1, count: nodes)
        previousInBucket = [Int32](repeating: -1, count: nodes)
    }

    private mutating func insert(_ v: Int, at level: Int) {
        let f = first[level]
        nextInBucket[v] = f
        previousInBucket[v] = -1
        if f >= 0 { previousInBucket[Int(f)] = Int32(v) }
        first[level] = Int32(v)
    }

    private mutating func remove(_ v: Int, from level: Int) {
        let p = previousInBucket[v], q = nextInBucket[v]
        if p >= 0 { nextInBucket[Int(p)] = q } else { first[level] = q }
        if q >= 0 { previousInBucket[Int(q)] = p }
    }

    /// Lowers each price by ε × d(v), d(v) the length of the shortest residual path from v to a
    /// node with a deficit (arc length ⌊reduced cost / ε⌋ + 1 ≥ 0 under ε-optimality). The
    /// search stops once every node with excess is scanned, or at level `limit`; the nodes it
    /// did not scan take the last level reached, which is at most their true distance, so
    /// ε-optimality holds on every arc. Arcs longer than `limit` are left out; they cannot
    /// break it since no assigned distance exceeds the limit.
    mutating func update(
        price: inout [Int], epsilon: Int, excess: [Int], start: [Int], to: [Int32], mate: [Int32], capacity: [Int32],
        scaled: [Int]
    ) {
        let n = price.count
        let limit = min(n, 1 << 16)
        if first.count < limit + 1 { first = [Int32](repeating: -1, count: limit + 1) }
        var toReach = 0
        for v in 0..<n where excess[v] > 0 { toReach += 1 }
        guard toReach > 0 else { return }
        for v in 0..<n where excess[v] < 0 {
            distance[v] = 0
            touched.append(Int32(v))
            insert(v, at: 0)
        }
        var level = 0
        var lastLevel = 0
        search: while level <= limit {
            while first[level] >= 0 {
                let w = Int(first[level])
                remove(w, from: level)
                scanned[w] = true
                lastLevel = level
                if excess[w] > 0 {
                    toReach -= 1
                    if toReach == 0 { break search }
                }
                // Arcs v → w with residual capacity are the reverses of w's arcs.
                let pw = price[w]
                for k in start[w]..<start[w + 1] {
                    let back = Int(mate[k])
                    guard capacity[back] > 0 else { continue }
                    let v = Int(to[k])
                    if scanned[v] { continue }
                    let reduced = scaled[back] + price[v] - pw
                    let d = level + (reduced >= 0 ? reduced / epsilon + 1 : 0)
                    let old = distance[v]
                    if d <= limit && d < old {
                        if old == Int.max { touched.append(Int32(v)) } else { remove(v, from: old) }
                        distance[v] = d
                        insert(v, at: d)
                    }
                }
            }
            level += 1
        }
        for v in 0..<n {
            price[v] -= (scanned[v] ? distance[v] : lastLevel) * epsilon
        }
        for v in touched {
            let v = Int(v)
            if !scanned[v] && distance[v] != Int.max { remove(v, from: distance[v]) }
            distance[v] = Int.max
            scanned[v] = false
        }
        touched.removeAll(keepingCapacity: true)
    }
}
