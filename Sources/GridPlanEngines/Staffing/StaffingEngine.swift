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
    /// Optimality certificate over the grids left out of the candidate lists: how many times
    /// it added grids and solved again, and how many (person, grid) pairs it added.
    public var certificateRounds: Int
    public var certificateAddedPairs: Int
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
/// The network starts from candidate grids (each person's nearest `candidates_per_person`,
/// each post's nearest people, and current grids); a dual certificate then adds every other
/// grid within `max_distance_km` that could lower the cost, until none can: the result is
/// optimal over all grids within the limit.
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
            Self.canFill(person, group.role, in: places[group.place].kind, rules: rules)
        }
        let placeIndex = Dictionary(places.enumerated().map { ($1.gridCode, $0) }, uniquingKeysWith: { a, _ in a })
        var currentOf: [String: [CurrentAssignment]] = [:]
        for c in current ?? [] { currentOf[c.personID, default: []].append(c) }

        // Candidate grids per available person: the nearest with a post they could fill, plus
        // their current grids. Two halves of the roster on two threads.
        progress("finding candidate grids for \(people.count) people among \(places.count) grids")
        let index = NearestPoints(places.map(\.point))
        let maxMetres = rules.maxDistanceKm.value * 1000
        let rolesOfPlace = groupsOfPlace.map { $0.map { groups[$0].role } }
        let kinds = places.map(\.kind)
        let currentByPerson = currentOf
        @Sendable func canFillSome(_ person: StaffMember, _ place: Int) -> Bool {
            rolesOfPlace[place].contains { Self.canFill(person, $0, in: kinds[place], rules: rules) }
        }
        var candidates = [[(place: Int, metres: Int)]](repeating: [], count: people.count)
        candidates.withUnsafeMutableBufferPointer { buffer in
            // Each thread writes only its own rows.
            nonisolated(unsafe) let out = buffer
            let halves = 2
            DispatchQueue.concurrentPerform(iterations: halves) { half in
                for i in stride(from: half, to: people.count, by: halves) where people[i].available {
                    let person = people[i]
                    let near = index.nearest(rules.candidatesPerPerson.value, to: person.home, within: maxMetres) { canFillSome(person, $0) }
                    var list = near.map { (place: $0.index, metres: Int($0.metres.rounded())) }
                    for c in currentByPerson[person.id] ?? [] {
                        if let p = placeIndex[c.gridCode], !list.contains(where: { $0.place == p }) {
                            list.append((p, Int(greatCircleMetres(person.home, places[p].point).rounded())))
                        }
                    }
                    out[i] = list
                }
            }
        }
        // And from the grid side: each slot group's `candidates_per_slot` × (count + 1) nearest
        // eligible people, so that
        // where supply is short, people beyond their k nearest grids are in the network from
        // the start (the certificate would add them anyway, one round at a time).
        var eligibleFor: [StaffRole: (members: [Int], index: NearestPoints)] = [:]
        for role in Set(groups.map(\.role)) {
            let members = people.indices.filter { people[$0].available && rules.eligible[people[$0].role]?.contains(role) == true }
            eligibleFor[role] = (members, NearestPoints(members.map { people[$0].home }))
        }
        for group in groups {
            let (members, memberIndex) = eligibleFor[group.role]!
            let near = memberIndex.nearest(rules.candidatesPerSlot.value * (group.count + 1), to: places[group.place].point, within: maxMetres) {
                canFill(people[members[$0]], group)
            }
            for found in near where !candidates[members[found.index]].contains(where: { $0.place == group.place }) {
                candidates[members[found.index]].append((group.place, Int(found.metres.rounded())))
            }
        }
        // The rewards use the distance cap, not the longest candidate, so that arcs the
        // certificate adds later fit the same spacing.
        let longest = max(Int(maxMetres.rounded(.up)), candidates.joined().map(\.metres).max() ?? 0)
        let keepBonus = 2 * longest + 1
        let step = 2 * (longest + keepBonus) + 1
        let lowestTier = max(1, rules.tier.values.max() ?? 1)
        func reward(_ role: StaffRole) -> Int { (lowestTier - (rules.tier[role] ?? lowestTier) + 1) * step }

        // Network: source, sink, people and slot groups. A person who could fill several roles
        // in one grid reaches them through a shared node per (grid, set of fillable groups):
        // the person's single arc into it (capacity 1) keeps them to one post per grid, and
        // everyone entering it pays the same for each of its groups, so any split of its
        // flow among them is optimal. People holding a `--current` post in the grid get
        // their own arcs instead, since only they earn the keep bonus.
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
        // Components of the role graph (each role joined to the roles it may fill): no arc
        // crosses them, so each is a network of its own, and the certificate re-solves only
        // the component that needs it.
        var assignments: [StaffAssignment] = []
        var filled = [Int](repeating: 0, count: groups.count)
        var isAssigned = [Bool](repeating: false, count: people.count)
        var certificate = (rounds: 0, checkedPeople: 0, addedArcs: 0)
        var arcTotal = 0
        let cellGrid = CellGrid(cellMetres: maxMetres, latitudes: places.map(\.point.y))
        for roles in Self.roleComponents(rules) {
            let componentGroups = groups.indices.filter { roles.contains(groups[$0].role) }
            let componentPeople = people.indices.filter { people[$0].available && roles.contains(people[$0].role) }
            guard !componentGroups.isEmpty && !componentPeople.isEmpty else { continue }
            let names = roles.map(\.rawValue).joined(separator: ", ")
            var flow = MinCostFlow(nodes: 2)
            var choices: [Choice] = []
            var sharedArcs: [Int: [(group: Int, arc: Int)]] = [:]
            var sharedNodes: [[Int]: Int] = [:]
            let source = 0, sink = 1
            for g in componentGroups {
                groups[g].node = flow.addNode()
                flow.addArc(from: groups[g].node, to: sink, capacity: groups[g].count, cost: -reward(groups[g].role))
            }
            /// Arcs from a person to the posts they could fill in one grid.
            func addPosts(person i: Int, node: Int, place: Int, metres: Int, heldBefore: Set<String>) {
                let person = people[i]
                let fillable = groupsOfPlace[place].filter { canFill(person, groups[$0]) }
                guard !fillable.isEmpty else { return }
                let held = fillable.map { heldBefore.contains("\(places[place].gridCode)\u{1F}\(groups[$0].role.rawValue)") }
                if fillable.count > 1 && !held.contains(true) {
                    let shared: Int
                    if let known = sharedNodes[fillable] {
                        shared = known
                    } else {
                        shared = flow.addNode()
                        sharedNodes[fillable] = shared
                        sharedArcs[shared] = fillable.map {
                            ($0, flow.addArc(from: shared, to: groups[$0].node, capacity: groups[$0].count, cost: 0))
                        }
                    }
                    let arc = flow.addArc(from: node, to: shared, capacity: 1, cost: metres)
                    choices.append(Choice(arc: arc, person: i, place: place, metres: metres, group: nil, kept: false, shared: shared))
                    return
                }
                // One post per grid: several direct arcs share a per-grid node of capacity 1.
                var from = node
                if person.maxGrids > 1 && fillable.count > 1 {
                    from = flow.addNode()
                    flow.addArc(from: node, to: from, capacity: 1, cost: 0)
                }
                for (g, kept) in zip(fillable, held) {
                    let arc = flow.addArc(from: from, to: groups[g].node, capacity: 1, cost: metres - (kept ? keepBonus : 0))
                    choices.append(Choice(arc: arc, person: i, place: place, metres: metres, group: g, kept: kept, shared: nil))
                }
            }
            var personNode = [Int](repeating: -1, count: people.count)
            var supply = 0
            for i in componentPeople where !candidates[i].isEmpty {
                let person = people[i]
                let node = flow.addNode()
                personNode[i] = node
                flow.addArc(from: source, to: node, capacity: person.maxGrids, cost: 0)
                supply += person.maxGrids
                let heldBefore = Set((currentOf[person.id] ?? []).map { "\($0.gridCode)\u{1F}\($0.role.rawValue)" })
                for (place, metres) in candidates[i] {
                    addPosts(person: i, node: node, place: place, metres: metres, heldBefore: heldBefore)
                }
            }
            flow.addArc(from: sink, to: source, capacity: supply, cost: 0)

            // Solve; then the certificate for the grids left out of the candidate lists: an arc to
            // any of them (a direct arc to each fillable group, which only relaxes the network)
            // must have reduced cost ≥ −1 under the final prices, and then the flow is optimal over
            // every grid within the distance cap. Grids whose arcs fail are added and the solver
            // goes on warm from its flow and prices.
            let roleGroups = Dictionary(grouping: componentGroups, by: { groups[$0].role })
            while true {
                progress("solving for \(names): \(flow.nodeCount) nodes, \(flow.arcCount) arcs")
                let solveStart = Date()
                flow.solve()
                let stats = flow.statistics
                progress(
                    String(
                        format: "solved in %.1f s: %d phases, %d pushes, %d relabels, %d price updates", Date().timeIntervalSince(solveStart),
                        stats.phases, stats.pushes, stats.relabels, stats.priceUpdates))
                // An arc v → g fails only if α·metres(v, g) < price(g) − price(v) − 1, and the grids
                // left out are no nearer than the farthest of v's k nearest; so only groups priced
                // above price(v) + 1 + α·farthest and within the distance cap can fail. Groups sit
                // in cells at least the cap wide, each role's by price, highest first; a person
                // walks the 3 × 3 cells around home down to that threshold.
                var cells: [CellKey: [StaffRole: [(price: Int, group: Int)]]] = [:]
                for g in componentGroups {
                    cells[cellGrid.key(places[groups[g].place].point), default: [:]][groups[g].role, default: []].append((flow.price[groups[g].node], g))
                }
                for key in cells.keys {
                    cells[key] = cells[key]!.mapValues { $0.sorted { ($0.price, $1.group) > ($1.price, $0.group) } }
                }
                var failing: [(person: Int, place: Int, metres: Int)] = []
                for i in componentPeople where personNode[i] >= 0 {
                    let person = people[i]
                    let list = candidates[i]
                    // Fewer than k candidates: every fillable grid within the cap is already in.
                    guard list.count >= rules.candidatesPerPerson.value else { continue }
                    let farthest = list.prefix(rules.candidatesPerPerson.value).map(\.metres).max() ?? 0
                    let ownPrice = flow.price[personNode[i]]
                    let threshold = ownPrice + 1 + flow.scale * farthest
                    var inList: Set<Int>?
                    var failed: Set<Int> = []
                    for key in cellGrid.neighbourhood(person.home) {
                        guard let cell = cells[key] else { continue }
                        for role in rules.eligible[person.role] ?? [] {
                            for (price, g) in cell[role] ?? [] {
                                guard price > threshold else { break }
                                let place = groups[g].place
                                let metres = Int(greatCircleMetres(person.home, places[place].point).rounded())
                                certificate.checkedPeople += 1
                                guard Double(metres) <= maxMetres, flow.scale * metres < price - ownPrice - 1, canFill(person, groups[g]) else {
                                    continue
                                }
                                if inList == nil { inList = Set(list.map(\.place)) }
                                if !inList!.contains(place) && failed.insert(place).inserted { failing.append((i, place, metres)) }
                            }
                        }
                    }
                }
                if failing.isEmpty { break }
                certificate.rounds += 1
                certificate.addedArcs += failing.count
                progress("certificate: \(failing.count) grids outside the candidate lists could lower the cost; adding them")
                for f in failing {
                    candidates[f.person].append((f.place, f.metres))
                    addPosts(person: f.person, node: personNode[f.person], place: f.place, metres: f.metres, heldBefore: [])
                }
            }

            // A shared node's flow goes to its groups in tier order, its people taken by id.
            var sharedLeft: [Int: [(group: Int, count: Int)]] = [:]
            for (node, arcs) in sharedArcs {
                sharedLeft[node] = arcs.map { ($0.group, flow.flow($0.arc)) }
                    .sorted { ((rules.tier[groups[$0.group].role] ?? 9), $0.group) < ((rules.tier[groups[$1.group].role] ?? 9), $1.group) }
            }
            let used = choices.filter { flow.flow($0.arc) > 0 }.sorted { (people[$0.person].id, $0.place) < (people[$1.person].id, $1.place) }
            for choice in used {
                var g = choice.group
                if let shared = choice.shared, var left = sharedLeft[shared], let k = left.firstIndex(where: { $0.count > 0 }) {
                    g = left[k].group
                    left[k].count -= 1
                    sharedLeft[shared] = left
                }
                guard let g else { continue }
                filled[g] += 1
                isAssigned[choice.person] = true
                assignments.append(
                    StaffAssignment(personIndex: choice.person, gridCode: places[groups[g].place].gridCode, microGridCode: nil,
                        slotRole: groups[g].role, metres: choice.metres, kept: choice.kept))
            }
            arcTotal += flow.arcCount
        }
        progress(
            "certificate: optimal over every grid within \(rules.maxDistanceKm.value) km (\(certificate.checkedPeople) person–post pairs beyond the candidate lists checked)"
        )
        assignMicroGrids(&assignments, people: people, places: places, placeIndex: placeIndex, rules: rules)
        assignments.sort { ($0.gridCode, $0.slotRole, people[$0.personIndex].id) < ($1.gridCode, $1.slotRole, people[$1.personIndex].id) }

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
            let near = index.nearest(3, to: place.point, within: 500_000) { canFill(people[members[$0]], group) }
            vacancies.append(
                Vacancy(gridCode: place.gridCode, unitCode: place.unitCode, role: group.role, count: group.count - filled[g],
                    nearestSurplus: near.map { (members[$0.index], Int($0.metres.rounded())) }))
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
            kept: assignments.filter(\.kept).count, totalMetres: assignments.reduce(0) { $0 + $1.metres }, arcs: arcTotal,
            certificateRounds: certificate.rounds, certificateAddedPairs: certificate.addedArcs,
            rules: rules, seconds: Date().timeIntervalSince(start))
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

struct CellKey: Hashable {
    var column: Int
    var row: Int
}

/// Square-ish lon/lat cells at least `cellMetres` wide everywhere in the latitudes given (plus
/// a margin), so every point within `cellMetres` of a point lies in its 3 × 3 neighbourhood.
struct CellGrid {
    let dLon: Double
    let dLat: Double

    init(cellMetres: Double, latitudes: [Double]) {
        let highest = min(89, (latitudes.map(abs).max() ?? 0) + 1)
        dLat = 1.02 * cellMetres / 110_574
        dLon = 1.02 * cellMetres / (111_320 * cos(highest * .pi / 180))
    }

    func key(_ p: Position) -> CellKey { CellKey(column: Int((p.x / dLon).rounded(.down)), row: Int((p.y / dLat).rounded(.down))) }

    func neighbourhood(_ p: Position) -> [CellKey] {
        let k = key(p)
        return (-1...1).flatMap { dx in (-1...1).map { dy in CellKey(column: k.column + dx, row: k.row + dy) } }
    }
}
