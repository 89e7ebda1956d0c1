/// Minimum-cost circulation on a network with integer capacities and costs, solved exactly by
/// cost scaling (Goldberg and Tarjan's push–relabel with ε-scaling).
///
/// Costs are multiplied by the node count n, so a circulation that is ε-optimal for ε = 1 in
/// scaled units is 1/n-optimal in the original ones, and with integer costs that means
/// optimal. Each refine phase saturates every arc of negative reduced cost, then discharges
/// the nodes with excess along admissible arcs (reduced cost < 0), relabelling when none is
/// left; ε shrinks by `scaleFactor` per phase. The zero circulation is feasible, so negative
/// cycles (a person → slot → sink → source → person loop with a reward) carry the flow.
struct MinCostFlow {
    private(set) var nodeCount: Int
    // Arc e and its reverse e ^ 1 are stored side by side.
    private var head: [Int32] = []
    private var residual: [Int] = []
    private var cost: [Int] = []
    private var tail: [Int32] = []

    static let scaleFactor = 8

    init(nodes: Int) {
        nodeCount = nodes
    }

    mutating func addNode() -> Int {
        nodeCount += 1
        return nodeCount - 1
    }

    /// Adds an arc `from → to`; returns its id for ``flow(_:)``.
    @discardableResult
    mutating func addArc(from u: Int, to v: Int, capacity: Int, cost c: Int) -> Int {
        precondition(u >= 0 && u < nodeCount && v >= 0 && v < nodeCount && capacity >= 0)
        let id = head.count
        head.append(Int32(v))
        tail.append(Int32(u))
        residual.append(capacity)
        cost.append(c)
        head.append(Int32(u))
        tail.append(Int32(v))
        residual.append(0)
        cost.append(-c)
        return id
    }

    /// Flow on an arc after ``solve()``.
    func flow(_ arc: Int) -> Int { residual[arc ^ 1] }

    var arcCount: Int { head.count / 2 }

    /// Solves in place; returns the total cost Σ flow × cost.
    @discardableResult
    mutating func solve() -> Int {
        let n = nodeCount
        guard n > 0, !head.isEmpty else { return 0 }
        // Adjacency in CSR form, arcs of a node contiguous.
        var start = [Int](repeating: 0, count: n + 1)
        for u in tail { start[Int(u) + 1] += 1 }
        for i in 0..<n { start[i + 1] += start[i] }
        var fill = start
        var order = [Int32](repeating: 0, count: head.count)
        for e in 0..<head.count {
            let u = Int(tail[e])
            order[fill[u]] = Int32(e)
            fill[u] += 1
        }
        let alpha = n + 1
        var scaled = cost.map { $0 * alpha }
        var price = [Int](repeating: 0, count: n)
        var excess = [Int](repeating: 0, count: n)
        var current = Array(start.dropLast())
        var epsilon = scaled.reduce(0) { max($0, abs($1)) }
        var queue: [Int32] = []
        var queued = [Bool](repeating: false, count: n)
        while epsilon > 1 {
            epsilon = max(1, epsilon / Self.scaleFactor)
            // Saturate every residual arc of negative reduced cost.
            for e in 0..<head.count where residual[e] > 0 {
                let u = Int(tail[e]), v = Int(head[e])
                if scaled[e] + price[u] - price[v] < 0 {
                    let delta = residual[e]
                    residual[e] = 0
                    residual[e ^ 1] += delta
                    excess[u] -= delta
                    excess[v] += delta
                }
            }
            queue.removeAll(keepingCapacity: true)
            for v in 0..<n where excess[v] > 0 {
                queue.append(Int32(v))
                queued[v] = true
            }
            for v in 0..<n { current[v] = start[v] }
            var next = 0
            while next < queue.count {
                let v = Int(queue[next])
                next += 1
                queued[v] = false
                // Discharge v.
                while excess[v] > 0 {
                    var i = current[v]
                    let end = start[v + 1]
                    while i < end {
                        let e = Int(order[i])
                        if residual[e] > 0 {
                            let w = Int(head[e])
                            if scaled[e] + price[v] - price[w] < 0 {
                                let delta = min(excess[v], residual[e])
                                residual[e] -= delta
                                residual[e ^ 1] += delta
                                excess[v] -= delta
                                excess[w] += delta
                                if excess[w] > 0 && !queued[w] {
                                    queue.append(Int32(w))
                                    queued[w] = true
                                }
                                if excess[v] == 0 { break }
                            }
                        }
                        i += 1
                    }
                    current[v] = i
                    if excess[v] == 0 { break }
                    // Relabel: the highest price that makes some residual arc admissible.
                    var best = Int.min
                    for j in start[v]..<end {
                        let e = Int(order[j])
                        if residual[e] > 0 { best = max(best, price[Int(head[e])] - scaled[e]) }
                    }
                    precondition(best != Int.min, "a node with excess has no residual arc: the circulation is infeasible")
                    price[v] = best - epsilon
                    current[v] = start[v]
                }
                if next > 1 << 20 {
                    queue.removeFirst(next)
                    next = 0
                }
            }
        }
        scaled.removeAll()
        var total = 0
        for e in stride(from: 0, to: head.count, by: 2) { total += residual[e ^ 1] * cost[e] }
        return total
    }
}
