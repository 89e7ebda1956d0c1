import Foundation

/// Boundary moves that make parts rounder: an atom on the boundary between two parts moves to
/// the other when that raises the sum of the two parts' Polsby–Popper compactness (4πA/P²,
/// from the atoms' exact areas, shared boundaries and outline lengths), neither part leaves
/// the band or moves farther out of it, neither moves farther from the mean than `tolerance`
/// of it (or than it was), and the part it leaves stays connected. Rounds until no move helps
/// (at most eight). Pure and deterministic.
enum CompactnessPolish {
    static func polished(
        _ parts: [[Int]], atoms: StreetBlockAtoms, graph: AtomGraph, band: ClosedRange<Double>?, tolerance: Double
    ) -> [[Int]] {
        guard parts.count > 1 else { return parts }
        var part = [Int](repeating: -1, count: atoms.count)
        for (p, members) in parts.enumerated() { for a in members { part[a] = p } }
        // True lengths of shared boundary, for the atoms of these parts.
        var links = [[(node: Int, metres: Double)]](repeating: [], count: atoms.count)
        for e in atoms.edges where part[e.a] >= 0 || part[e.b] >= 0 {
            links[e.a].append((e.b, e.metres))
            links[e.b].append((e.a, e.metres))
        }
        var area = [Double](repeating: 0, count: parts.count)
        var perimeter = [Double](repeating: 0, count: parts.count)
        var weight = [Double](repeating: 0, count: parts.count)
        var size = parts.map(\.count)
        for (p, members) in parts.enumerated() {
            for a in members {
                area[p] += atoms.areas[a]
                weight[p] += atoms.weights[a]
                perimeter[p] += atoms.outlines[a]
                for (n, m) in links[a] where part[n] != p { perimeter[p] += m }
            }
        }
        let mean = weight.reduce(0, +) / Double(parts.count)
        func compactness(_ a: Double, _ p: Double) -> Double { p > 0 ? 4 * .pi * a / (p * p) : 0 }
        func outside(_ w: Double) -> Double {
            guard let band else { return 0 }
            return w < band.lowerBound ? band.lowerBound - w : w > band.upperBound ? w - band.upperBound : 0
        }
        func allowed(_ before: Double, _ after: Double) -> Bool {
            outside(after) <= outside(before)
                && abs(after - mean) <= max(abs(before - mean), tolerance * mean)
        }
        // What moving atom `a` from one part to another does to the two perimeters.
        func change(_ a: Int, from: Int, to: Int) -> (from: Double, to: Double) {
            var d = (from: -atoms.outlines[a], to: atoms.outlines[a])
            for (m, metres) in links[a] {
                if part[m] == from {  // now between the two: on both outlines
                    d.from += metres
                    d.to += metres
                } else if part[m] == to {  // now inside `to`: on neither
                    d.from -= metres
                    d.to -= metres
                } else {  // on the outline of `to` instead of `from`'s
                    d.from -= metres
                    d.to += metres
                }
            }
            return d
        }
        var reach = GraphPartition.Reach(count: graph.count)
        let order = parts.flatMap { $0 }.sorted()
        for _ in 0..<8 {
            var moved = false
            for a in order {
                let from = part[a]
                guard size[from] > 1 else { continue }
                let (w, s) = (atoms.weights[a], atoms.areas[a])
                var best: (gain: Double, to: Int)?
                var tried: [Int] = []
                for (n, _) in links[a] {
                    let to = part[n]
                    guard to >= 0, to != from, !tried.contains(to) else { continue }
                    tried.append(to)
                    guard allowed(weight[from], weight[from] - w), allowed(weight[to], weight[to] + w) else { continue }
                    let d = change(a, from: from, to: to)
                    let gain =
                        compactness(area[from] - s, perimeter[from] + d.from)
                        + compactness(area[to] + s, perimeter[to] + d.to)
                        - compactness(area[from], perimeter[from]) - compactness(area[to], perimeter[to])
                    if gain > 1e-9 && (best == nil || gain > best!.gain) { best = (gain, to) }
                }
                guard let choice = best, reach.staysConnected(graph, removing: a, part: part) else { continue }
                let d = change(a, from: from, to: choice.to)
                perimeter[from] += d.from
                perimeter[choice.to] += d.to
                area[from] -= s
                area[choice.to] += s
                weight[from] -= w
                weight[choice.to] += w
                size[from] -= 1
                size[choice.to] += 1
                part[a] = choice.to
                moved = true
            }
            if !moved { break }
        }
        var result = [[Int]](repeating: [], count: parts.count)
        for a in order { result[part[a]].append(a) }
        return result
    }
}
