import Foundation
import GridPlanGeometryValues
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
    /// Optimality certificate over the grids left out of the candidate lists: how many times
    /// it added grids and solved again, and how many (person, grid) pairs it added.
    public var certificateRounds: Int
    public var certificateAddedPairs: Int
    public var rules: StaffingRules
    /// Wall time of the run, filled by the workflow that timed it (engines read no clock).
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
/// The network starts from candidate grids (each person's nearest `candidates_per_person`,
/// each post's nearest people, and current grids); a dual certificate then adds every other
/// grid within `max_distance_km` that could lower the cost, until none can: the result is
/// optimal over all grids within the limit.
public enum StaffingEngine {
    public static func run(
        places: [StaffedPlace], people: [StaffMember], rules: StaffingRules = StaffingRules(),
        current: [CurrentAssignment]? = nil,
        progress: @escaping @Sendable (String) -> Void = { _ in }
    ) -> StaffingResult {
        let problem = StaffingProblem(places: places, people: people, rules: rules, current: current)
        progress("finding candidate grids for \(people.count) people among \(places.count) grids")
        var candidates = problem.candidateGrids()
        let costs = StaffingCosts(
            longestMetres: max(Int(problem.maxMetres.rounded(.up)), candidates.joined().map(\.metres).max() ?? 0),
            tier: rules.tier)
        let groups = problem.groups, placeIndex = problem.placeIndex

        // Components of the role graph (each role joined to the roles it may fill): no arc
        // crosses them, so each is a network of its own, and the certificate re-solves only
        // the component that needs it.
        var assignments: [StaffAssignment] = []
        var filled = [Int](repeating: 0, count: groups.count)
        var isAssigned = [Bool](repeating: false, count: people.count)
        var certificate = (rounds: 0, checked: 0, added: 0)
        var arcTotal = 0
        let cellGrid = CellGrid(cellMetres: problem.maxMetres, latitudes: places.map(\.point.y))
        for roles in Self.roleComponents(rules) {
            let componentGroups = groups.indices.filter { roles.contains(groups[$0].role) }
            let componentPeople = people.indices.filter { people[$0].available && roles.contains(people[$0].role) }
            guard !componentGroups.isEmpty && !componentPeople.isEmpty else { continue }
            let name = roles.map(\.rawValue).joined(separator: ", ")
            var network = StaffingNetwork(
                problem: problem, costs: costs, groups: componentGroups, people: componentPeople, candidates: candidates
            )
            while true {
                network.solve(name, progress: progress)
                let failing = network.failingPairs(
                    candidates: candidates, cells: cellGrid, checked: &certificate.checked)
                if failing.isEmpty { break }
                certificate.rounds += 1
                certificate.added += failing.count
                progress(
                    "certificate: \(failing.count) grids outside the candidate lists could lower the cost; adding them")
                for f in failing {
                    candidates[f.person].append((f.place, f.metres))
                    network.addPosts(person: f.person, place: f.place, metres: f.metres)
                }
            }
            for post in network.posts() {
                filled[post.group] += 1
                isAssigned[post.person] = true
                assignments.append(
                    StaffAssignment(
                        personIndex: post.person, gridCode: places[groups[post.group].place].gridCode,
                        microGridCode: nil,
                        slotRole: groups[post.group].role, metres: post.metres, kept: post.kept))
            }
            arcTotal += network.flow.arcCount
        }
        progress(
            "certificate: optimal over every grid within \(rules.maxDistanceKm.value) km (\(certificate.checked) "
                + "person–post pairs beyond the candidate lists checked)"
        )
        assignMicroGrids(&assignments, people: people, places: places, placeIndex: placeIndex, rules: rules)
        assignments.sort {
            ($0.gridCode, $0.slotRole, people[$0.personIndex].id) < (
                $1.gridCode, $1.slotRole, people[$1.personIndex].id
            )
        }

        // Vacancies, with the nearest surplus people who could fill them.
        // One index per slot role, of the surplus people eligible for it (skills checked on the way).
        let surplus = people.indices.filter { people[$0].available && !isAssigned[$0] }
        var surplusOfRole: [StaffRole: (members: [Int], index: NearestPoints)] = [:]
        var vacancies: [Vacancy] = []
        for (g, group) in groups.enumerated() where filled[g] < group.count {
            if surplusOfRole[group.role] == nil {
                let members = surplus.filter { rules.eligible[people[$0].role]?.contains(group.role) == true }
                surplusOfRole[group.role] = (members, NearestPoints(members.map { people[$0].home }))
            }
            let (members, index) = surplusOfRole[group.role]!
            let place = places[group.place]
            let near = index.nearest(3, to: place.point, within: 500_000) { problem.canFill(people[members[$0]], g) }
            vacancies.append(
                Vacancy(
                    gridCode: place.gridCode, unitCode: place.unitCode, role: group.role,
                    count: group.count - filled[g],
                    nearestSurplus: near.map { (members[$0.index], Int($0.metres.rounded())) }))
        }
        vacancies.sort {
            ((rules.tier[$0.role] ?? 9), $0.gridCode, $0.role) < ((rules.tier[$1.role] ?? 9), $1.gridCode, $1.role)
        }

        var slots: [StaffRole: (total: Int, filled: Int)] = [:]
        for (g, group) in groups.enumerated() {
            let s = slots[group.role] ?? (0, 0)
            slots[group.role] = (s.total + group.count, s.filled + filled[g])
        }
        let moves =
            current.map {
                explainMoves($0, people: people, placeIndex: placeIndex, assignments: assignments, rules: rules)
            } ?? []
        return StaffingResult(
            people: people, places: places, assignments: assignments, vacancies: vacancies, unassigned: surplus,
            unavailable: people.indices.filter { !people[$0].available }, slots: slots, moves: moves,
            kept: assignments.filter(\.kept).count, totalMetres: assignments.reduce(0) { $0 + $1.metres },
            arcs: arcTotal,
            certificateRounds: certificate.rounds, certificateAddedPairs: certificate.added,
            rules: rules, seconds: 0)
    }

    /// Roles joined when a person of one may fill a post of the other, in tier order.
    static func roleComponents(_ rules: StaffingRules) -> [[StaffRole]] {
        var component = Dictionary(uniqueKeysWithValues: StaffRole.allCases.map { ($0, $0) })
        func root(_ r: StaffRole) -> StaffRole { component[r] == r ? r : root(component[r]!) }
        for (role, fillable) in rules.eligible {
            for other in fillable { component[root(other)] = root(role) }
        }
        let grouped = Dictionary(grouping: StaffRole.allCases, by: root)
        return grouped.values.map { $0.sorted() }.sorted { $0[0] < $1[0] }
    }

    /// Whether a person may take a post of `role` in a grid of `kind`: eligibility and skills.
    static func canFill(_ person: StaffMember, _ role: StaffRole, in kind: GridKind, rules: StaffingRules) -> Bool {
        guard rules.eligible[person.role]?.contains(role) == true else { return false }
        let needed = rules.requiredSkills[kind]?[role] ?? []
        return needed.isSubset(of: person.skills)
    }

    /// Roles staffed per micro-grid: within each grid, its people of that role go to its
    /// micro-grids (each taking `per_microgrid` people) by an exact assignment on distance.
    static func assignMicroGrids(
        _ assignments: inout [StaffAssignment], people: [StaffMember], places: [StaffedPlace],
        placeIndex: [String: Int],
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
                    c < columns.count
                        ? greatCircleMetres(people[assignments[i].personIndex].home, columns[c]!.point) : 1e12
                }
            }
            for (row, column) in Hungarian.solve(cost).enumerated() where column < columns.count {
                assignments[members[row]].microGridCode = columns[column]!.code
            }
        }
    }

    static func explainMoves(
        _ current: [CurrentAssignment], people: [StaffMember], placeIndex: [String: Int],
        assignments: [StaffAssignment],
        rules: StaffingRules
    ) -> [Move] {
        let byID = Dictionary(people.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        var posts: [Int: [StaffAssignment]] = [:]
        for a in assignments { posts[a.personIndex, default: []].append(a) }
        var moves: [Move] = []
        for c in current.sorted(by: { ($0.personID, $0.gridCode) < ($1.personID, $1.gridCode) }) {
            guard let i = byID[c.personID] else {
                moves.append(
                    Move(
                        personID: c.personID, fromGrid: c.gridCode, role: c.role, toGrid: nil,
                        reason: "no longer on the roster"))
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
