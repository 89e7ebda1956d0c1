import Foundation

/// The street-block engine's choice of partition. How much cheaper a metre of boundary along a
/// barrier is than a metre through a block decides how far boundaries detour to follow roads,
/// and the result of region growing is sensitive to it: on the Helsinki centre (486 real
/// buildings, 2,469 OSM highway lines) single prices gave mean Polsby–Popper 0.31 (price 0.3),
/// 0.38 (0.4), 0.34 (0.5) and 0.39 (0.6), with 86–89 % of the boundary on roads. So the graph
/// partition runs at each of ``prices`` and the result kept is the one with the fewest parts
/// outside the band, then the fewest off the mean by more than half of it, then the highest sum
/// of mean compactness and share of the boundary between parts along barriers, all computed
/// exactly from the atoms (areas, shared and outline lengths).
///
/// The balance the graph partition holds parts to is a second knob: within 8 % of the mean it
/// bends boundaries round single buildings. Micro-grids (a band of 20–100 households, 5:1) are
/// tried at several tolerances (``microBalances``) and judged the same way: on the Helsinki
/// centre without barriers, mean Polsby–Popper of the micro-grids was 0.50 at 8 %, 0.52 at
/// 15 %, 0.55 at 25 % and 0.55 at 40 %, with the same share within half of the mean. The
/// variants are independent and run in parallel.
struct PricedPartition {
    /// Prices of a metre along a barrier (1 is a metre through a block).
    static let prices = [0.4, 0.5, 0.6]
    /// Balance tolerances tried for micro-grids (shares of the mean; see above).
    static let microBalances = [0.08, 0.25, 0.4, 0.6]

    let atoms: StreetBlockAtoms
    /// The atom graph at each price, made once for a unit's grids and their micro-grids; one
    /// graph when no atom edge runs along a barrier (every price then gives the same graph).
    private let graphs: [AtomGraph]

    init(_ atoms: StreetBlockAtoms) {
        self.atoms = atoms
        let prices = atoms.edges.contains { $0.alongBarrier > 0 } ? Self.prices : [Self.prices[0]]
        graphs = prices.map { atoms.graph(barrierPrice: $0) }
    }

    /// Parts of `nodes` (a connected set of atoms), as ``GraphPartition/partition`` returns them:
    /// the best over every price and every tolerance in `balances` (default: `targets.balance`).
    func partition(nodes: [Int], into k: Int, targets: GraphPartition.Targets, balances: [Double]? = nil) -> [[Int]] {
        // On the subgraph of `nodes` (a grid's atoms), renumbered 0..<n.
        let nodes = nodes.sorted()
        guard min(k, nodes.count) > 1 else { return [nodes] }
        let whole = nodes.count == atoms.count
        // Each price's subgraph is coarsened and bisected once for all its tolerances (the
        // prices in parallel); only the refinement depends on the tolerance.
        let made = ConcurrentSlots<GraphPartition.Coarsening>(count: graphs.count)
        DispatchQueue.concurrentPerform(iterations: graphs.count) { [graphs] g in
            made.set(
                g,
                GraphPartition.Coarsening(
                    whole ? graphs[g] : graphs[g].induced(by: nodes), nodes: Array(0..<nodes.count), into: k))
        }
        let coarsenings = graphs.indices.map { made.get($0)! }
        let variants = coarsenings.indices.flatMap { c in
            (balances ?? [targets.balance]).map { (coarsening: c, balance: $0) }
        }
        let results = ConcurrentSlots<[[Int]]>(count: variants.count)
        DispatchQueue.concurrentPerform(iterations: variants.count) { v in
            var variant = targets
            variant.balance = variants[v].balance
            results.set(
                v, GraphPartition.partition(coarsenings[variants[v].coarsening], targets: variant))
        }
        var best: (score: Score, parts: [[Int]])?
        var tried = Set<[[Int]]>()
        for v in variants.indices {
            let parts = results.get(v)!.map { $0.map { nodes[$0] } }
            guard tried.insert(parts).inserted else { continue }
            let score = Score(atoms, parts, targets)
            if best == nil || score < best!.score { best = (score, parts) }
        }
        // Micro-grids without barriers (one graph: see init), boundaries free to move: rounder.
        guard balances != nil, graphs.count == 1 else {
            return best!.parts
        }
        return CompactnessPolish.polished(
            best!.parts, atoms: atoms, graph: graphs[0], band: targets.band, tolerance: 0.4)
    }

    struct Score: Comparable {
        /// Parts whose weight lies outside the band.
        var outside: Int
        /// Parts whose weight is off the mean by more than half of it.
        var unbalanced: Int
        /// −(mean Polsby–Popper + share of the boundary between parts along barriers).
        var quality: Double

        init(_ atoms: StreetBlockAtoms, _ parts: [[Int]], _ targets: GraphPartition.Targets) {
            var part = [Int](repeating: -1, count: atoms.count)
            for (p, members) in parts.enumerated() { for a in members { part[a] = p } }
            var area = [Double](repeating: 0, count: parts.count)
            var perimeter = [Double](repeating: 0, count: parts.count)
            var weight = [Double](repeating: 0, count: parts.count)
            for (p, members) in parts.enumerated() {
                for a in members {
                    area[p] += atoms.areas[a]
                    perimeter[p] += atoms.outlines[a]
                    weight[p] += atoms.weights[a]
                }
            }
            var between = 0.0, along = 0.0
            for e in atoms.edges where part[e.a] != part[e.b] {
                // A part's boundary with atoms outside it (other parts, or the rest of the grid).
                if part[e.a] >= 0 { perimeter[part[e.a]] += e.metres }
                if part[e.b] >= 0 { perimeter[part[e.b]] += e.metres }
                if part[e.a] >= 0 && part[e.b] >= 0 {
                    between += e.metres
                    along += e.alongBarrier
                }
            }
            outside = targets.band.map { band in weight.filter { !band.contains($0) }.count } ?? 0
            let mean = weight.reduce(0, +) / Double(max(1, parts.count))
            unbalanced = weight.filter { abs($0 - mean) > 0.5 * mean }.count
            let compactness =
                parts.indices.reduce(0.0) { sum, p in
                    sum + (perimeter[p] > 0 ? 4 * .pi * area[p] / (perimeter[p] * perimeter[p]) : 0)
                } / Double(max(1, parts.count))
            quality = -(compactness + (between > 0 ? along / between : 0))
        }

        static func < (a: Score, b: Score) -> Bool {
            (a.outside, a.unbalanced, a.quality) < (b.outside, b.unbalanced, b.quality)
        }
    }
}
