/// Headcount per grid and who may fill what, each default with its source.
public struct StaffingRules: Sendable, Equatable {
    /// Slots of one role in a comprehensive grid: `perGrid` + `perMicroGrid` × micro-grids +
    /// one per `householdsPerSlot` households (0: none).
    public struct Headcount: Sendable, Equatable {
        public var perGrid: Norm<Int>
        public var perMicroGrid: Norm<Int>
        public var householdsPerSlot: Norm<Int>

        public init(
            perGrid: Norm<Int>, perMicroGrid: Norm<Int> = Norm(0, "none"),
            householdsPerSlot: Norm<Int> = Norm(0, "none")
        ) {
            self.perGrid = perGrid
            self.perMicroGrid = perMicroGrid
            self.householdsPerSlot = householdsPerSlot
        }

        public func slots(microGrids: Int, households: Int) -> Int {
            let byHouseholds =
                householdsPerSlot.value > 0 ? (households + householdsPerSlot.value - 1) / householdsPerSlot.value : 0
            return perGrid.value + perMicroGrid.value * microGrids + byHouseholds
        }
    }

    public var headcount: [StaffRole: Headcount] = [
        .leader: Headcount(
            perGrid: Norm(1, "A1 takeaways (V, 154-grid city A1-17): 1 grid leader per comprehensive grid")),
        .fullTime: Headcount(
            perGrid: Norm(1, "A1 takeaways (V, A1-17): 1 full-time grid worker per comprehensive grid")),
        .partTime: Headcount(perGrid: Norm(1, "A1 takeaways (V, A1-17): part-time workers ≈ 1 per grid")),
        .volunteer: Headcount(perGrid: Norm(20, "A1 takeaways (V, A1-17): volunteers ≈ 20 per grid")),
        .partyMember: Headcount(
            perGrid: Norm(1, "K: assumption, no published norm found; one party-member vanguard per grid")),
        .medical: Headcount(perGrid: Norm(0, "K: no published per-grid norm found; set it in a rules file")),
        .police: Headcount(
            perGrid: Norm(0, "K: no published per-grid norm found (一格一警 is local practice); set it in a rules file")),
    ]

    /// Slot roles each roster role may fill, in order of preference. Party members reinforce
    /// part-time and volunteer posts; everyone else fills only their own.
    public var eligible: [StaffRole: [StaffRole]] = [
        .leader: [.leader], .fullTime: [.fullTime], .partTime: [.partTime],
        .partyMember: [.partyMember, .partTime, .volunteer],
        .volunteer: [.volunteer], .medical: [.medical], .police: [.police],
    ]

    /// Priority tier of each slot role (1 first): when people are short, tier 1 is filled first.
    public var tier: [StaffRole: Int] = [
        .leader: 1, .fullTime: 1, .police: 2, .medical: 2, .partTime: 3, .partyMember: 4, .volunteer: 5,
    ]

    /// How far from home (straight line) a person may serve.
    public var maxDistanceKm = Norm(10.0, "K: assumption; people serve near where they live (A1 takeaways)")
    /// Nearest grids put in the network first per person (within the distance limit). Speed
    /// only: a certificate adds any other grid within the limit that could improve the result.
    public var candidatesPerPerson = Norm(
        16,
        "GridPlan: search breadth (speed only; the result is certified optimal over every grid within max_distance_km)")
    /// Nearest eligible people put in the network first per post: `candidates_per_slot` ×
    /// (posts + 1) for each grid's posts of a role. Speed only, like `candidates_per_person`.
    public var candidatesPerSlot = Norm(
        2,
        "GridPlan: search breadth (speed only; the result is certified optimal over every grid within max_distance_km)")

    /// Skills a slot requires, by grid kind and slot role.
    public var requiredSkills: [GridKind: [StaffRole: Set<String>]] = [
        .maritime: [.fullTime: ["maritime"], .leader: ["maritime"]]
    ]

    public init() {}

    /// Slots of `role` in a grid.
    public func slots(_ role: StaffRole, kind: GridKind, microGrids: Int, households: Int) -> Int {
        guard let h = headcount[role] else { return 0 }
        // Dedicated and maritime grids hold no households: one of each per-grid post, no
        // household-driven posts.
        if kind != .comprehensive {
            return role == .leader || role == .fullTime ? h.perGrid.value : 0
        }
        return h.slots(microGrids: microGrids, households: households)
    }

    /// The numeric rules by their names in rules files and reports.
    public var described: [(name: String, value: String, provenance: String)] {
        var out: [(String, String, String)] = []
        for role in StaffRole.allCases {
            guard let h = headcount[role] else { continue }
            out.append(("staff.\(role.rawValue).per_grid", "\(h.perGrid.value)", h.perGrid.provenance))
            out.append(("staff.\(role.rawValue).per_microgrid", "\(h.perMicroGrid.value)", h.perMicroGrid.provenance))
            out.append(
                (
                    "staff.\(role.rawValue).households_per_slot", "\(h.householdsPerSlot.value)",
                    h.householdsPerSlot.provenance
                ))
        }
        out.append(("staff.max_distance_km", "\(maxDistanceKm.value)", maxDistanceKm.provenance))
        out.append(("staff.candidates_per_person", "\(candidatesPerPerson.value)", candidatesPerPerson.provenance))
        out.append(("staff.candidates_per_slot", "\(candidatesPerSlot.value)", candidatesPerSlot.provenance))
        return out
    }

    /// Sets a rule by name (`staff.volunteer.households_per_slot`); false when the name is not a staffing rule.
    public mutating func set(_ name: String, to value: Double, provenance: String) throws -> Bool {
        let parts = name.split(separator: ".").map(String.init)
        guard parts.first == "staff" else { return false }
        if parts.count == 2 && parts[1] == "max_distance_km" {
            guard value > 0, value <= 20_000 else {
                throw InputError(rule: "rules.value", "\(name) must be a distance in (0, 20000] km")
            }
            maxDistanceKm = Norm(value, provenance)
            return true
        }
        if parts.count == 2 && parts[1] == "candidates_per_person" {
            guard value >= 1, value.rounded() == value, value <= 1_000 else {
                throw InputError(rule: "rules.value", "\(name) must be a whole number from 1 to 1000")
            }
            candidatesPerPerson = Norm(Int(value), provenance)
            return true
        }
        if parts.count == 2 && parts[1] == "candidates_per_slot" {
            guard value >= 0, value.rounded() == value, value < 1000 else {
                throw InputError(rule: "rules.value", "\(name) must be a whole number ≥ 0")
            }
            candidatesPerSlot = Norm(Int(value), provenance)
            return true
        }
        guard parts.count == 3, let role = StaffRole(rawValue: parts[1]) else {
            throw InputError(rule: "rules.unknown-key", "\(name) is not a staffing rule")
        }
        guard value >= 0, value.rounded() == value, value < 1e6 else {
            throw InputError(rule: "rules.value", "\(name) must be a whole number ≥ 0")
        }
        var h = headcount[role] ?? Headcount(perGrid: Norm(0, "none"))
        switch parts[2] {
        case "per_grid": h.perGrid = Norm(Int(value), provenance)
        case "per_microgrid": h.perMicroGrid = Norm(Int(value), provenance)
        case "households_per_slot": h.householdsPerSlot = Norm(Int(value), provenance)
        default: throw InputError(rule: "rules.unknown-key", "\(name) is not a staffing rule")
        }
        headcount[role] = h
        return true
    }
}
