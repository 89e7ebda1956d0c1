import Foundation
import GridPlanModel

/// The minimum-cost flow of one role component (roles joined when a person of one may fill a
/// post of the other): source → people → posts → sink, with the reward of each post on its
/// arc to the sink and the trip's metres on the person's arc.
///
/// A person who could fill several roles in one grid reaches them through a shared node per
/// (grid, set of fillable groups): the person's single arc into it (capacity 1) keeps them to
/// one post per grid, and everyone entering it pays the same for each of its groups, so any
/// split of its flow among them is optimal. People holding a `--current` post in the grid get
/// their own arcs instead, since only they earn the keep bonus.
struct StaffingNetwork {
    struct Choice {
        var arc: Int
        var person: Int
        var place: Int
        var metres: Int
        /// Direct arcs: one group, and whether it is a kept post. Shared: the shared node.
        var group: Int?
        var kept: Bool
        var shared: Int?
    }

    let problem: StaffingProblem
    let costs: StaffingCosts
    let groups: [Int]
    let people: [Int]
    private(set) var flow = MinCostFlow(nodes: 2)
    private(set) var groupNode: [Int: Int] = [:]
    private(set) var personNode: [Int: Int] = [:]
    private var choices: [Choice] = []
    private var sharedArcs: [Int: [(group: Int, arc: Int)]] = [:]
    private var sharedNodes: [[Int]: Int] = [:]

    init(
        problem: StaffingProblem, costs: StaffingCosts, groups: [Int], people: [Int],
        candidates: [[(place: Int, metres: Int)]]
    ) {
        self.problem = problem
        self.costs = costs
        self.groups = groups
        self.people = people
        let source = 0, sink = 1
        for g in groups {
            groupNode[g] = flow.addNode()
            flow.addArc(
                from: groupNode[g]!, to: sink, capacity: problem.groups[g].count,
                cost: -costs.reward(problem.groups[g].role))
        }
        var supply = 0
        for i in people where !candidates[i].isEmpty {
            let person = problem.people[i]
            let node = flow.addNode()
            personNode[i] = node
            flow.addArc(from: source, to: node, capacity: person.maxGrids, cost: 0)
            supply += person.maxGrids
            let heldBefore = Set((problem.currentOf[person.id] ?? []).map { "\($0.gridCode)\u{1F}\($0.role.rawValue)" })
            for (place, metres) in candidates[i] {
                addPosts(person: i, place: place, metres: metres, heldBefore: heldBefore)
            }
        }
        flow.addArc(from: sink, to: source, capacity: supply, cost: 0)
    }

    /// Arcs from a person to the posts they could fill in one grid.
    mutating func addPosts(person i: Int, place: Int, metres: Int, heldBefore: Set<String> = []) {
        guard let node = personNode[i] else { return }
        let person = problem.people[i]
        let fillable = problem.groupsOfPlace[place].filter { problem.canFill(person, $0) }
        guard !fillable.isEmpty else { return }
        let held = fillable.map {
            heldBefore.contains("\(problem.places[place].gridCode)\u{1F}\(problem.groups[$0].role.rawValue)")
        }
        if fillable.count > 1 && !held.contains(true) {
            let shared: Int
            if let known = sharedNodes[fillable] {
                shared = known
            } else {
                shared = flow.addNode()
                sharedNodes[fillable] = shared
                sharedArcs[shared] = fillable.map {
                    ($0, flow.addArc(from: shared, to: groupNode[$0]!, capacity: problem.groups[$0].count, cost: 0))
                }
            }
            let arc = flow.addArc(from: node, to: shared, capacity: 1, cost: metres)
            choices.append(
                Choice(arc: arc, person: i, place: place, metres: metres, group: nil, kept: false, shared: shared))
            return
        }
        // One post per grid: several direct arcs share a per-grid node of capacity 1.
        var from = node
        if person.maxGrids > 1 && fillable.count > 1 {
            from = flow.addNode()
            flow.addArc(from: node, to: from, capacity: 1, cost: 0)
        }
        for (g, kept) in zip(fillable, held) {
            let arc = flow.addArc(
                from: from, to: groupNode[g]!, capacity: 1, cost: metres - (kept ? costs.keepBonus : 0))
            choices.append(Choice(arc: arc, person: i, place: place, metres: metres, group: g, kept: kept, shared: nil))
        }
    }

    /// Solves (warm after the first time), reporting the solver's counters.
    mutating func solve(_ name: String, progress: (String) -> Void) {
        progress("solving for \(name): \(flow.nodeCount) nodes, \(flow.arcCount) arcs")
        flow.solve()
        let s = flow.statistics
        progress(
            "solved: \(s.phases) phases, \(s.pushes) pushes, \(s.relabels) relabels, \(s.priceUpdates) price updates")
    }

    /// The posts of the solved flow: (person, group, metres, kept), people in id order. A
    /// shared node's flow goes to its groups in tier order.
    func posts() -> [(person: Int, group: Int, metres: Int, kept: Bool)] {
        let tier = problem.rules.tier
        var sharedLeft: [Int: [(group: Int, count: Int)]] = [:]
        for (node, arcs) in sharedArcs {
            sharedLeft[node] = arcs.map { ($0.group, flow.flow($0.arc)) }
                .sorted {
                    ((tier[problem.groups[$0.group].role] ?? 9), $0.group) < (
                        (tier[problem.groups[$1.group].role] ?? 9), $1.group
                    )
                }
        }
        let used = choices.filter { flow.flow($0.arc) > 0 }
            .sorted { (problem.people[$0.person].id, $0.place) < (problem.people[$1.person].id, $1.place) }
        var out: [(person: Int, group: Int, metres: Int, kept: Bool)] = []
        for choice in used {
            var g = choice.group
            if let shared = choice.shared, var left = sharedLeft[shared],
                let k = left.firstIndex(where: { $0.count > 0 })
            {
                g = left[k].group
                left[k].count -= 1
                sharedLeft[shared] = left
            }
            if let g { out.append((choice.person, g, choice.metres, choice.kept)) }
        }
        return out
    }
}
