import Foundation
import GridPlanGeometry
import GridPlanModel

/// One person in one slot.
public struct StaffAssignment: Sendable, Equatable {
    public var personIndex: Int
    public var gridCode: String
    /// For roles staffed per micro-grid: the micro-grid this person serves.
    public var microGridCode: String?
    public var slotRole: StaffRole
    public var metres: Int
    /// With `--current`: this person already held this post.
    public var kept: Bool
}

/// Unfilled slots of one role in one grid, with the nearest people who could fill them.
public struct Vacancy: Sendable {
    public var gridCode: String
    public var unitCode: String
    public var role: StaffRole
    public var count: Int
    /// Unassigned available people eligible for the role (any distance), nearest first.
    public var nearestSurplus: [(personIndex: Int, metres: Int)]
}

/// A person whose `--current` post was not kept, and why.
public struct Move: Sendable, Equatable {
    public var personID: String
    public var fromGrid: String
    public var role: StaffRole
    public var toGrid: String?
    public var reason: String
}

public struct StaffingResult: Sendable {
    public var people: [StaffMember]
    public var places: [StaffedPlace]
    public var assignments: [StaffAssignment]
    public var vacancies: [Vacancy]
    /// Available people with no post (supply is long), and people marked unavailable.
    public var unassigned: [Int]
    public var unavailable: [Int]
    /// Slots and filled slots per role.
    public var slots: [StaffRole: (total: Int, filled: Int)]
    public var moves: [Move]
    /// Kept posts (with `--current`).
    public var kept: Int
    /// Σ metres of the assignment, and the solver's network size.
    public var totalMetres: Int
    public var arcs: Int
    public var rules: StaffingRules
    public var seconds: Double
}

/// Assigns people to grid slots exactly: a minimum-cost flow whose optimum fills slots by
/// priority tier first, then keeps `--current` posts, then minimises total home-to-grid
/// distance, subject to one slot per person per grid, `max_grids` per person, roles, skills
/// and availability.
///
/// Costs are whole metres. Each filled slot earns a reward that falls by tier; keeping a
/// current post earns a bonus. The rewards are spaced more than twice the largest distance
/// plus the bonus apart, and the bonus is more than twice the largest distance. Any change
/// from one assignment to another decomposes into alternating chains, each filling at most one
/// slot and emptying at most one. So no chain can trade a higher-tier slot for a lower one, or
/// a kept post for a shorter trip, and the minimum-cost flow is the lexicographic optimum.
/// It is exact over each person's candidate grids (the nearest `candidates_per_person` within
/// `max_distance_km`, plus their current grid).
public enum StaffingEngine {
    public static func run(
        places: [StaffedPlace], people: [StaffMember], rules: StaffingRules = StaffingRules(), current: [CurrentAssignment]? = nil,
        progress: @escaping @Sendable (String) -> Void = { _ in }
    ) -> StaffingResult {
        let start = Date()
        // Slot groups: (place, role) with a count.
        struct SlotGroup {
            var place: Int
            var role: StaffRole
            var count: Int
            var node = 0
        }
        var groups: [SlotGroup] = []
        var groupsOfPlace = [[Int]](repeating: [], count: places.count)
        for (p, place) in places.enumerated() {
            for role in StaffRole.allCases {
                let n = rules.slots(role, kind: place.kind, microGrids: place.microGrids.count, households: place.households)
                if n > 0 {
                    groupsOfPlace[p].append(groups.count)
                    groups.append(SlotGroup(place: p, role: role, count: n))
                }
            }
        }
        func canFill(_ person: StaffMember, _ group: SlotGroup) -> Bool {
            guard rules.eligible[person.role]?.contains(group.role) == true else { return false }
            let needed = rules.requiredSkills[places[group.place].kind]?[group.role] ?? []
            return needed.isSubset(of: person.skills)
        }
        let placeIndex = Dictionary(places.enumerated().map { ($1.gridCode, $0) }, uniquingKeysWith: { a, _ in a })
        var currentOf: [String: [CurrentAssignment]] = [:]
        for c in current ?? [] { currentOf[c.personID, default: []].append(c) }

        // Candidate grids per available person.
        progress("finding candidate grids for \(people.count) people among \(places.count) grids")
        let index = NearestPoints(places.map(\.point))
        let maxMetres = rules.maxDistanceKm.value * 1000
        var candidates = [[(place: Int, metres: Int)]](repeating: [], count: people.count)
        for (i, person) in people.enumerated() where person.available {
            let near = index.nearest(rules.candidatesPerPerson.value, to: person.home, within: maxMetres) { p in
                groupsOfPlace[p].contains { canFill(person, groups[$0]) }
            }
            var list = near.map { (place: $0.index, metres: Int($0.metres.rounded())) }
            for c in currentOf[person.id] ?? [] {
                if let p = placeIndex[c.gridCode], !list.contains(where: { $0.place == p }) {
                    list.append((p, Int(greatCircleMetres(person.home, places[p].point).rounded())))
                }
            }
            candidates[i] = list
        }
        let longest = candidates.joined().map(\.metres).max() ?? 0
        let keepBonus = 2 * longest + 1
        let step = 2 * (longest + keepBonus) + 1
        let lowestTier = max(1, rules.tier.values.max() ?? 1)
        func reward(_ role: StaffRole) -> Int { (lowestTier - (rules.tier[role] ?? lowestTier) + 1) * step }

        // Network: source, sink, people, slot groups (and a node per person and grid when a
        // person may hold several posts that could fall in one grid).
        var flow = MinCostFlow(nodes: 2)
        let source = 0, sink = 1
        for g in groups.indices {
            groups[g].node = flow.addNode()
            flow.addArc(from: groups[g].node, to: sink, capacity: groups[g].count, cost: -reward(groups[g].role))
        }
        var supply = 0
        var postArcs: [(arc: Int, person: Int, group: Int, metres: Int, kept: Bool)] = []
        for (i, person) in people.enumerated() where person.available && !candidates[i].isEmpty {
            let node = flow.addNode()
            flow.addArc(from: source, to: node, capacity: person.maxGrids, cost: 0)
            supply += person.maxGrids
            let heldBefore = Set((currentOf[person.id] ?? []).map { "\($0.gridCode)\u{1F}\($0.role.rawValue)" })
            for (place, metres) in candidates[i] {
                let fillable = groupsOfPlace[place].filter { canFill(person, groups[$0]) }
                guard !fillable.isEmpty else { continue }
                // One post per grid: several fillable roles share a per-grid node of capacity 1.
                var from = node
                if person.maxGrids > 1 && fillable.count > 1 {
                    from = flow.addNode()
                    flow.addArc(from: node, to: from, capacity: 1, cost: 0)
                }
                for g in fillable {
                    let kept = heldBefore.contains("\(places[place].gridCode)\u{1F}\(groups[g].role.rawValue)")
                    let arc = flow.addArc(from: from, to: groups[g].node, capacity: 1, cost: metres - (kept ? keepBonus : 0))
                    postArcs.append((arc, i, g, metres, kept))
                }
            }
        }
        flow.addArc(from: sink, to: source, capacity: supply, cost: 0)
        progress("solving the assignment: \(flow.nodeCount) nodes, \(flow.arcCount) arcs")
        flow.solve()

        var assignments: [StaffAssignment] = []
        var filled = [Int](repeating: 0, count: groups.count)
        var isAssigned = [Bool](repeating: false, count: people.count)
        for post in postArcs where flow.flow(post.arc) > 0 {
            let g = groups[post.group]
            filled[post.group] += 1
            isAssigned[post.person] = true
            assignments.append(
                StaffAssignment(personIndex: post.person, gridCode: places[g.place].gridCode, microGridCode: nil, slotRole: g.role,
                    metres: post.metres, kept: post.kept))
        }
        assignMicroGrids(&assignments, people: people, places: places, placeIndex: placeIndex, rules: rules)
        assignments.sort { ($0.gridCode, $0.slotRole, people[$0.personIndex].id) < ($1.gridCode, $1.slotRole, people[$1.personIndex].id) }

        // Vacancies, with the nearest surplus people who could fill them.
        let surplus = people.indices.filter { people[$0].available && !isAssigned[$0] }
        let surplusIndex = NearestPoints(surplus.map { people[$0].home })
        var vacancies: [Vacancy] = []
        for (g, group) in groups.enumerated() where filled[g] < group.count {
            let place = places[group.place]
            let near = surplusIndex.nearest(3, to: place.point, within: 500_000) { canFill(people[surplus[$0]], group) }
            vacancies.append(
                Vacancy(gridCode: place.gridCode, unitCode: place.unitCode, role: group.role, count: group.count - filled[g],
                    nearestSurplus: near.map { (surplus[$0.index], Int($0.metres.rounded())) }))
        }
        vacancies.sort { ((rules.tier[$0.role] ?? 9), $0.gridCode, $0.role) < ((rules.tier[$1.role] ?? 9), $1.gridCode, $1.role) }

        var slots: [StaffRole: (total: Int, filled: Int)] = [:]
        for (g, group) in groups.enumerated() {
            let s = slots[group.role] ?? (0, 0)
            slots[group.role] = (s.total + group.count, s.filled + filled[g])
        }
        let moves = current.map { explainMoves($0, people: people, placeIndex: placeIndex, assignments: assignments, rules: rules) } ?? []
        return StaffingResult(
            people: people, places: places, assignments: assignments, vacancies: vacancies, unassigned: surplus,
            unavailable: people.indices.filter { !people[$0].available }, slots: slots, moves: moves,
            kept: assignments.filter(\.kept).count, totalMetres: assignments.reduce(0) { $0 + $1.metres }, arcs: flow.arcCount,
            rules: rules, seconds: Date().timeIntervalSince(start))
    }

    /// Roles staffed per micro-grid: within each grid, its people of that role go to its
    /// micro-grids (each taking `per_microgrid` people) by an exact assignment on distance.
    static func assignMicroGrids(
        _ assignments: inout [StaffAssignment], people: [StaffMember], places: [StaffedPlace], placeIndex: [String: Int],
        rules: StaffingRules
    ) {
        var byGridRole: [String: [Int]] = [:]
        for (i, a) in assignments.enumerated() where (rules.headcount[a.slotRole]?.perMicroGrid.value ?? 0) > 0 {
            byGridRole["\(a.gridCode)\u{1F}\(a.slotRole.rawValue)", default: []].append(i)
        }
        for key in byGridRole.keys.sorted() {
            let members = byGridRole[key]!
            let a0 = assignments[members[0]]
            guard let p = placeIndex[a0.gridCode] else { continue }
            let micro = places[p].microGrids
            let per = rules.headcount[a0.slotRole]!.perMicroGrid.value
            guard !micro.isEmpty else { continue }
            // Columns: each micro-grid `per` times, plus dummy columns for posts beyond them.
            let columns = micro.flatMap { m in Array(repeating: Optional(m), count: per) }
            let width = max(columns.count, members.count)
            let cost = members.map { i in
                (0..<width).map { c in
                    c < columns.count ? greatCircleMetres(people[assignments[i].personIndex].home, columns[c]!.point) : 1e12
                }
            }
            for (row, column) in Hungarian.solve(cost).enumerated() where column < columns.count {
                assignments[members[row]].microGridCode = columns[column]!.code
            }
        }
    }

    static func explainMoves(
        _ current: [CurrentAssignment], people: [StaffMember], placeIndex: [String: Int], assignments: [StaffAssignment],
        rules: StaffingRules
    ) -> [Move] {
        let byID = Dictionary(people.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        var posts: [Int: [StaffAssignment]] = [:]
        for a in assignments { posts[a.personIndex, default: []].append(a) }
        var moves: [Move] = []
        for c in current.sorted(by: { ($0.personID, $0.gridCode) < ($1.personID, $1.gridCode) }) {
            guard let i = byID[c.personID] else {
                moves.append(Move(personID: c.personID, fromGrid: c.gridCode, role: c.role, toGrid: nil, reason: "no longer on the roster"))
                continue
            }
            let now = posts[i] ?? []
            if now.contains(where: { $0.gridCode == c.gridCode && $0.slotRole == c.role }) { continue }
            let to = now.first { !$0.kept }?.gridCode
            let reason: String
            if !people[i].available {
                reason = "marked unavailable"
            } else if placeIndex[c.gridCode] == nil {
                reason = "grid \(c.gridCode) is not in the new plan"
            } else if rules.eligible[people[i].role]?.contains(c.role) != true {
                reason = "a \(people[i].role.rawValue) may not hold a \(c.role.rawValue) post"
            } else if to != nil {
                reason = "moved to fill a post the optimum needs more (priority, or a grid that lost its slot)"
            } else {
                reason = "the grid has fewer \(c.role.rawValue) posts now, or a higher-priority post needed the place"
            }
            moves.append(Move(personID: c.personID, fromGrid: c.gridCode, role: c.role, toGrid: to, reason: reason))
        }
        return moves
    }
}
