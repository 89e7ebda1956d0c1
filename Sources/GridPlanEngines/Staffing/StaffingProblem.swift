import Foundation
import GridPlanGeometryValues
import GridPlanModel

/// The posts of one role in one grid.
struct SlotGroup: Sendable {
    var place: Int
    var role: StaffRole
    var count: Int
}

/// What a staffing run works on: the grids' posts, the people, who may fill what, and the
/// current posts; with the candidate search and the cost scale shared by every network.
struct StaffingProblem: Sendable {
    let places: [StaffedPlace]
    let people: [StaffMember]
    let rules: StaffingRules
    let groups: [SlotGroup]
    let groupsOfPlace: [[Int]]
    let placeIndex: [String: Int]
    let currentOf: [String: [CurrentAssignment]]
    let maxMetres: Double
    let gridPoints: NearestPoints

    init(places: [StaffedPlace], people: [StaffMember], rules: StaffingRules, current: [CurrentAssignment]?) {
        self.places = places
        self.people = people
        self.rules = rules
        var groups: [SlotGroup] = []
        var groupsOfPlace = [[Int]](repeating: [], count: places.count)
        for (p, place) in places.enumerated() {
            for role in StaffRole.allCases {
                let n = rules.slots(
                    role, kind: place.kind, microGrids: place.microGrids.count, households: place.households)
                if n > 0 {
                    groupsOfPlace[p].append(groups.count)
                    groups.append(SlotGroup(place: p, role: role, count: n))
                }
            }
        }
        self.groups = groups
        self.groupsOfPlace = groupsOfPlace
        placeIndex = Dictionary(places.enumerated().map { ($1.gridCode, $0) }, uniquingKeysWith: { a, _ in a })
        var currentOf: [String: [CurrentAssignment]] = [:]
        for c in current ?? [] { currentOf[c.personID, default: []].append(c) }
        self.currentOf = currentOf
        maxMetres = rules.maxDistanceKm.value * 1000
        gridPoints = NearestPoints(places.map(\.point))
    }

    func canFill(_ person: StaffMember, _ group: Int) -> Bool {
        StaffingEngine.canFill(person, groups[group].role, in: places[groups[group].place].kind, rules: rules)
    }

    /// Whole metres from a person's home to a grid's point.
    func metres(_ person: Int, _ place: Int) -> Int {
        Int(greatCircleMetres(people[person].home, places[place].point).rounded())
    }

    /// Candidate grids per available person: the nearest `candidates_per_person` with a post
    /// they could fill (first, in distance order), their current grids, and every grid that
    /// has them among its posts' `candidates_per_slot` × (posts + 1) nearest eligible people,
    /// so that where supply is short people beyond their nearest grids are in the network
    /// from the start (the certificate would add them anyway, one round at a time).
    func candidateGrids() -> [[(place: Int, metres: Int)]] {
        var candidates = [[(place: Int, metres: Int)]](repeating: [], count: people.count)
        candidates.withUnsafeMutableBufferPointer { buffer in
            // Two halves of the roster on two threads; each writes only its own rows.
            nonisolated(unsafe) let out = buffer
            let halves = 2
            DispatchQueue.concurrentPerform(iterations: halves) { half in
                for i in stride(from: half, to: people.count, by: halves) where people[i].available {
                    let person = people[i]
                    let near = gridPoints.nearest(rules.candidatesPerPerson.value, to: person.home, within: maxMetres) {
                        p in
                        groupsOfPlace[p].contains { canFill(person, $0) }
                    }
                    var list = near.map { (place: $0.index, metres: Int($0.metres.rounded())) }
                    for c in currentOf[person.id] ?? [] {
                        if let p = placeIndex[c.gridCode], !list.contains(where: { $0.place == p }) {
                            list.append((p, metres(i, p)))
                        }
                    }
                    out[i] = list
                }
            }
        }
        var eligibleFor: [StaffRole: (members: [Int], index: NearestPoints)] = [:]
        for role in Set(groups.map(\.role)) {
            let members = people.indices.filter {
                people[$0].available && rules.eligible[people[$0].role]?.contains(role) == true
            }
            eligibleFor[role] = (members, NearestPoints(members.map { people[$0].home }))
        }
        for (g, group) in groups.enumerated() {
            let (members, memberIndex) = eligibleFor[group.role]!
            let near = memberIndex.nearest(
                rules.candidatesPerSlot.value * (group.count + 1), to: places[group.place].point, within: maxMetres
            ) {
                canFill(people[members[$0]], g)
            }
            for found in near where !candidates[members[found.index]].contains(where: { $0.place == group.place }) {
                candidates[members[found.index]].append((group.place, Int(found.metres.rounded())))
            }
        }
        return candidates
    }
}

/// Integer costs that make the minimum-cost flow the lexicographic optimum: a reward per
/// filled post falling by tier, and a bonus for keeping a current post. The rewards use the
/// distance cap (or a longer current-grid trip), not the longest candidate, so arcs the
/// certificate adds later fit the same spacing.
struct StaffingCosts: Sendable {
    let keepBonus: Int
    private let step: Int
    private let lowestTier: Int
    private let tier: [StaffRole: Int]

    init(longestMetres: Int, tier: [StaffRole: Int]) {
        keepBonus = 2 * longestMetres + 1
        step = 2 * (longestMetres + keepBonus) + 1
        lowestTier = max(1, tier.values.max() ?? 1)
        self.tier = tier
    }

    func reward(_ role: StaffRole) -> Int { (lowestTier - (tier[role] ?? lowestTier) + 1) * step }
}
