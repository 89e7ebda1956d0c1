/// Which shelter port each vessel goes to, exactly, as one minimum-cost flow: vessels →
/// ports (one berth each, at most the port's free berths) or → "no berth". The objective is
/// lexicographic: first the fewest vessels without a berth, then the fewest sent to a port
/// they cannot reach in time, then the least total distance by sea.
///
/// Why the spaced costs below give exactly that: if another assignment were lexicographically
/// better, their difference splits into simple cycles of the residual network, and one of
/// them would improve the first level that differs without making an earlier one worse. A
/// simple cycle passes each port, the sink and the source at most once, so it re-routes at
/// most P + 2 vessels, and its distance changes by at most (P + 2) × the longest option. A
/// late arrival costs more than that, and a missing berth more than (P + 2) × (late + longest),
/// so such a cycle would have negative cost, and the flow would not be optimal. The costs stay
/// small (P ports, not the vessel count, multiplies them), so distances are exact to the metre.
enum BerthAssignment {
    struct Option: Sendable, Equatable {
        var port: Int
        var metres: Int
        var late: Bool
    }

    /// - Parameters:
    ///   - options: for each vessel, the ports it can reach by sea (any order).
    ///   - berths: free berths per port.
    /// - Returns: the port of each vessel, or nil for "no berth".
    static func solve(options: [[Option]], berths: [Int]) -> [Int?] {
        let vessels = options.count
        guard vessels > 0 else { return [] }
        let unit = unitMetres(options: options, ports: berths.count)
        let longest = (options.joined().map(\.metres).max() ?? 0) / unit + 1
        let lateCost = (berths.count + 2) * longest + 1
        let noBerthCost = (berths.count + 2) * (lateCost + longest) + 1
        let reward = noBerthCost + 1
        let source = vessels + berths.count, sink = source + 1
        var flow = MinCostFlow(nodes: sink + 1)
        var arcs: [[(port: Int, arc: Int)]] = []
        for (v, list) in options.enumerated() {
            flow.addArc(from: source, to: v, capacity: 1, cost: -reward)
            var mine: [(Int, Int)] = []
            // One arc per port: the best option if a port is listed twice.
            var best: [Int: Option] = [:]
            for o in list where best[o.port].map({ ($0.late ? 1 : 0, $0.metres) > (o.late ? 1 : 0, o.metres) }) ?? true
            { best[o.port] = o }
            for (port, o) in best.sorted(by: { $0.key < $1.key }) {
                mine.append(
                    (
                        port,
                        flow.addArc(
                            from: v, to: vessels + port, capacity: 1,
                            cost: (o.metres + unit / 2) / unit + (o.late ? lateCost : 0))
                    ))
            }
            flow.addArc(from: v, to: sink, capacity: 1, cost: noBerthCost)
            arcs.append(mine)
        }
        for (p, free) in berths.enumerated() where free > 0 {
            flow.addArc(from: vessels + p, to: sink, capacity: free, cost: 0)
        }
        flow.addArc(from: sink, to: source, capacity: vessels, cost: 0)
        flow.solve()
        return arcs.map { list in list.first { flow.flow($0.arc) > 0 }?.port }
    }

    /// The distance unit (1 m, or 10, 100, … for continent-sized cases) that keeps the spaced
    /// costs, times the flow's scale factor and the 3n bound on price moves per phase, below 2^61.
    static func unitMetres(options: [[Option]], ports: Int) -> Int {
        let vessels = Double(options.count), nodes = vessels + Double(ports) + 2, spread = Double(ports + 2)
        let longest = Double(options.joined().map(\.metres).max() ?? 0)
        var unit = 1.0
        while true {
            let l = (longest / unit + 1).rounded(.down)
            let late = spread * l + 1, noBerth = spread * (late + l) + 1
            if (noBerth + 1) * 2 * (nodes + 1) * 3 * nodes < 2.3e18 || unit >= 1e6 { return Int(unit) }
            unit *= 10
        }
    }
}
