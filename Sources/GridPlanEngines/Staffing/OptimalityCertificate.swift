import Foundation
import GridPlanGeometryValues
import GridPlanModel

/// The certificate for the grids left out of the candidate lists. The final prices of the
/// flow are a dual solution: an arc to any left-out grid (a direct arc to each fillable
/// group, which only relaxes the network) must have reduced cost ≥ −1 under them, and then
/// the flow is optimal over every grid within the distance cap. The staffing engine adds the
/// pairs that fail and solves again, warm, until none does.
extension StaffingNetwork {
    /// (person, grid, metres) pairs outside the candidate lists whose arc would lower the
    /// cost; `checked` counts the person–post pairs looked at.
    ///
    /// An arc v → g fails only if α·metres(v, g) < price(g) − price(v) − 1, and the grids left
    /// out are no nearer than the farthest of v's k nearest; so only groups priced above
    /// price(v) + 1 + α·farthest and within the cap can fail. Groups sit in cells at least the
    /// cap wide, each role's by price, highest first; a person walks the 3 × 3 cells around
    /// home down to that threshold.
    func failingPairs(
        candidates: [[(place: Int, metres: Int)]], cells cellGrid: CellGrid, checked: inout Int
    ) -> [(person: Int, place: Int, metres: Int)] {
        let rules = problem.rules, k = rules.candidatesPerPerson.value
        var cells: [CellKey: [StaffRole: [(price: Int, group: Int)]]] = [:]
        for g in groups {
            let group = problem.groups[g]
            cells[cellGrid.key(problem.places[group.place].point), default: [:]][group.role, default: []].append(
                (flow.price[groupNode[g]!], g))
        }
        for key in cells.keys {
            cells[key] = cells[key]!.mapValues { $0.sorted { ($0.price, $1.group) > ($1.price, $0.group) } }
        }
        var failing: [(person: Int, place: Int, metres: Int)] = []
        for i in people {
            guard let node = personNode[i] else { continue }
            let person = problem.people[i]
            let list = candidates[i]
            // Fewer than k candidates: every fillable grid within the cap is already in.
            guard list.count >= k else { continue }
            let farthest = list.prefix(k).map(\.metres).max() ?? 0
            let ownPrice = flow.price[node]
            let threshold = ownPrice + 1 + flow.scale * farthest
            var inList: Set<Int>?
            var failed: Set<Int> = []
            for key in cellGrid.neighbourhood(person.home) {
                guard let cell = cells[key] else { continue }
                for role in rules.eligible[person.role] ?? [] {
                    for (price, g) in cell[role] ?? [] {
                        guard price > threshold else { break }
                        let place = problem.groups[g].place
                        let metres = problem.metres(i, place)
                        checked += 1
                        guard Double(metres) <= problem.maxMetres, flow.scale * metres < price - ownPrice - 1,
                            problem.canFill(person, g)
                        else {
                            continue
                        }
                        if inList == nil { inList = Set(list.map(\.place)) }
                        if !inList!.contains(place) && failed.insert(place).inserted {
                            failing.append((i, place, metres))
                        }
                    }
                }
            }
        }
        return failing
    }
}
