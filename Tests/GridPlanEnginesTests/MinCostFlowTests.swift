import GridPlanTestSupport
import Testing

@testable import GridPlanEngines

/// Minimum-cost circulation by negative-cycle cancelling (Bellman–Ford): slow, simple and
/// independent of the cost-scaling solver. Arcs: (from, to, capacity, cost).
func cycleCancellingCost(nodes n: Int, arcs: [(Int, Int, Int, Int)]) -> Int {
    var to: [Int] = [], residual: [Int] = [], cost: [Int] = [], from: [Int] = []
    for (u, v, c, w) in arcs {
        from += [u, v]
        to += [v, u]
        residual += [c, 0]
        cost += [w, -w]
    }
    while true {
        // Bellman–Ford from a virtual source joined to every node at cost 0.
        var dist = [Int](repeating: 0, count: n), pred = [Int](repeating: -1, count: n)
        var touched = -1
        for _ in 0..<n {
            touched = -1
            for e in to.indices where residual[e] > 0 && dist[from[e]] + cost[e] < dist[to[e]] {
                dist[to[e]] = dist[from[e]] + cost[e]
                pred[to[e]] = e
                touched = to[e]
            }
            if touched < 0 { break }
        }
        guard touched >= 0 else { break }
        var v = touched
        for _ in 0..<n { v = from[pred[v]] }  // step back onto the cycle
        var cycle: [Int] = [], u = v
        repeat {
            cycle.append(pred[u])
            u = from[pred[u]]
        } while u != v
        let delta = cycle.map { residual[$0] }.min()!
        for e in cycle {
            residual[e] -= delta
            residual[e ^ 1] += delta
        }
    }
    return stride(from: 0, to: to.count, by: 2).reduce(0) { $0 + residual[$1 + 1] * cost[$1] }
}

@Suite struct MinCostFlowTests {
    @Test func matchesCycleCancellingOnRandomNetworks() {
        var rng = SeededGenerator(seed: 11)
        var withNegativeCycles = 0
        for trial in 0..<300 {
            let n = Int.random(in: 2...7, using: &rng)
            var arcs: [(Int, Int, Int, Int)] = []
            for _ in 0..<Int.random(in: 1...14, using: &rng) {
                let u = Int.random(in: 0..<n, using: &rng), v = Int.random(in: 0..<n, using: &rng)
                guard u != v else { continue }
                arcs.append((u, v, Int.random(in: 0...4, using: &rng), Int.random(in: -20...20, using: &rng)))
            }
            var flow = MinCostFlow(nodes: n)
            let ids = arcs.map { flow.addArc(from: $0.0, to: $0.1, capacity: $0.2, cost: $0.3) }
            let total = flow.solve()
            if total < 0 { withNegativeCycles += 1 }
            #expect(total == cycleCancellingCost(nodes: n, arcs: arcs), "trial \(trial): \(arcs)")
            // Capacities and conservation hold, and the reported cost is the flow's.
            var balance = [Int](repeating: 0, count: n)
            var recomputed = 0
            for (arc, id) in zip(arcs, ids) {
                let f = flow.flow(id)
                #expect(f >= 0 && f <= arc.2)
                balance[arc.0] -= f
                balance[arc.1] += f
                recomputed += f * arc.3
            }
            #expect(balance.allSatisfy { $0 == 0 } && recomputed == total)
        }
        #expect(withNegativeCycles > 50)  // the networks are not trivially optimal at zero flow
    }

    /// Solve, add arcs (and sometimes a node), solve again warm: the result must equal a cold
    /// solve of the whole network, and the prices must certify it (every residual arc ≥ −1).
    @Test func warmSolveAfterAddingArcsMatchesColdSolve() {
        var rng = SeededGenerator(seed: 23)
        var changed = 0
        for trial in 0..<200 {
            var n = Int.random(in: 3...7, using: &rng)
            func randomArcs(_ count: Int, nodes: Int) -> [(Int, Int, Int, Int)] {
                (0..<count).compactMap { _ in
                    let u = Int.random(in: 0..<nodes, using: &rng), v = Int.random(in: 0..<nodes, using: &rng)
                    return u == v
                        ? nil : (u, v, Int.random(in: 0...4, using: &rng), Int.random(in: -20...20, using: &rng))
                }
            }
            var arcs = randomArcs(Int.random(in: 1...12, using: &rng), nodes: n)
            var warm = MinCostFlow(nodes: n)
            var ids = arcs.map { warm.addArc(from: $0.0, to: $0.1, capacity: $0.2, cost: $0.3) }
            let first = warm.solve()
            if Bool.random(using: &rng) {
                n = warm.addNode() + 1
            }
            let more = randomArcs(Int.random(in: 1...5, using: &rng), nodes: n)
            ids += more.map { warm.addArc(from: $0.0, to: $0.1, capacity: $0.2, cost: $0.3) }
            arcs += more
            let second = warm.solve()
            let expected = cycleCancellingCost(nodes: n, arcs: arcs)
            #expect(second == expected, "trial \(trial)")
            if second != first { changed += 1 }
            for (a, id) in zip(arcs, ids) {
                // ε-optimality with ε = 1: an arc with room left has reduced cost ≥ −1, an arc
                // with flow has reduced cost ≤ 1 (its reverse ≥ −1).
                let reduced = warm.reducedCost(from: a.0, to: a.1, cost: a.3)
                #expect(warm.flow(id) == a.2 || reduced >= -1, "trial \(trial)")
                #expect(warm.flow(id) == 0 || reduced <= 1, "trial \(trial)")
            }
        }
        #expect(changed > 40)  // the added arcs often change the optimum
    }

    @Test func assignmentMatchesBruteForce() {
        // 5 people, 4 slots, random costs: the best way to fill every slot, by enumeration.
        var rng = SeededGenerator(seed: 5)
        for _ in 0..<50 {
            let c = (0..<5).map { _ in (0..<4).map { _ in Int.random(in: 0...1000, using: &rng) } }
            var best = Int.max
            func search(_ slot: Int, _ used: Set<Int>, _ sum: Int) {
                if slot == 4 {
                    best = min(best, sum)
                    return
                }
                for p in 0..<5 where !used.contains(p) { search(slot + 1, used.union([p]), sum + c[p][slot]) }
            }
            search(0, [], 0)
            // source 0, people 1...5, slots 6...9, sink 10; reward 10,000 per filled slot.
            var flow = MinCostFlow(nodes: 11)
            for p in 0..<5 {
                flow.addArc(from: 0, to: 1 + p, capacity: 1, cost: 0)
                for s in 0..<4 { flow.addArc(from: 1 + p, to: 6 + s, capacity: 1, cost: c[p][s]) }
            }
            for s in 0..<4 { flow.addArc(from: 6 + s, to: 10, capacity: 1, cost: -10_000) }
            flow.addArc(from: 10, to: 0, capacity: 5, cost: 0)
            #expect(flow.solve() == best - 40_000)
        }
    }
}
