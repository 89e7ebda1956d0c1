import Foundation

/// The street-block engine's choice of partition. How much cheaper a metre of boundary along a
/// barrier is than a metre through a block decides how far boundaries detour to follow roads,
/// and the result of region growing is sensitive to it: on the Helsinki centre (486 real
/// buildings, 2,469 OSM highway lines) single prices gave mean Polsby–Popper 0.31 (price 0.3),
/// 0.38 (0.4), 0.34 (0.5) and 0.39 (0.6), with 86–89 % of the boundary on roads. So the graph
/// partition runs at each of ``prices`` and the result kept is the one with the fewest parts
/// outside the band, then the highest sum of mean compactness and share of the boundary between
/// parts along barriers, both computed exactly from the atoms (areas, shared and outline lengths).
struct PricedPartition {
    /// Prices of a metre along a barrier (1 is a metre through a block).
    static let prices = [0.4, 0.5, 0.6]

    let atoms: StreetBlockAtoms
    /// The atom graph at each price, made once for a unit's grids and their micro-grids; one
    /// graph when no atom edge runs along a barrier (every price then gives the same graph).
    private let graphs: [AtomGraph]

    init(_ atoms: StreetBlockAtoms) {
        self.atoms = atoms
        let prices = atoms.edges.contains { $0.alongBarrier > 0 } ? Self.prices : [Self.prices[0]]
        graphs = prices.map { atoms.graph(barrierPrice: $0) }
    }

    /// Parts of `nodes` (a connected set of atoms), as ``GraphPartition/partition`` returns them.
    func partition(nodes: [Int], into k: Int, targets: GraphPartition.Targets) -> [[Int]] {
        var best: (score: Score, parts: [[Int]])?
        var tried = Set<[[Int]]>()
        for graph in graphs {
            let parts = GraphPartition.partition(graph, nodes: nodes, into: k, targets: targets)
            guard tried.insert(parts).inserted else { continue }
            let score = Score(atoms, parts, targets)
            if best == nil || score < best!.score { best = (score, parts) }
        }
        return best!.parts
    }

    struct Score: Comparable {
        /// Parts whose weight lies outside the band.
        var outside: Int
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
            let compactness = parts.indices.reduce(0.0) { sum, p in
                sum + (perimeter[p] > 0 ? 4 * .pi * area[p] / (perimeter[p] * perimeter[p]) : 0)
            } / Double(max(1, parts.count))
            quality = -(compactness + (between > 0 ? along / between : 0))
        }

        static func < (a: Score, b: Score) -> Bool { (a.outside, a.quality) < (b.outside, b.quality) }
    }
}
