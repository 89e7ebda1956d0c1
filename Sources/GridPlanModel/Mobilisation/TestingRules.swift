/// Norms of a mass nucleic-acid testing round (区域核酸检测), each default with its source
/// (docs/norms.md, section A3). Rules files set them as `testing.<name>`.
public struct TestingRules: Sendable, Equatable {
    public var pointPopulationMin = Norm(
        2_000, "A3-4/A3-5 (V, 3rd-edition guide; NHC 13 May 2022): one sampling point per 2,000–3,000 people")
    public var pointPopulationMax = Norm(3_000, "A3-4/A3-5 (V): one sampling point per 2,000–3,000 people")
    public var tablePopulationMax = Norm(800, "A3-5 (V, NHC 13 May 2022): one sampling table per 600–800 people")
    public var tablesPerSite = Norm(
        4, "A3-7 (D): 2,000–3,000 per point ÷ 600–800 per table = 3–4 tables; tables of an automatic site")
    public var peoplePerSamplerPerDay = Norm(360, "A3-4 (V, 3rd-edition guide): samplers = population ÷ 360")
    public var poolSize = Norm(10, "A3-1/A3-2 (V): 10-in-1 pooling for the general population")
    public var deadlineHours = Norm(24.0, "A3-3 (V, 3rd-edition guide): the designated area finished within 24 h")
    public var samplingHours = Norm(12.0, "A3-8 (V, Haikou 2022): sampling within 12 h, testing within 24 h")
    public var walkMinutes = Norm(15.0, "A3-6 (V): 15-minute walking sampling circle")
    public var walkMetresPerMinute = Norm(75.0, "K: an unhurried walk, 4.5 km/h (elderly and children in the queue)")
    public var walkDetour = Norm(
        1.3, "K: street distance ≈ 1.3 × straight line in Chinese towns; straight lines are measured")
    public var registrarsPerTable = Norm(
        1, "A3-8 (V, Tongling 2022): registration in groups of 10 at each table; one registrar per table")
    public var marshalsPerSite = Norm(2, "K: one marshal at the queue entrance and one at the exit (A3-5 one-way flow)")
    public var doorToDoorHours = Norm(2.0, "A3-8 (V, Qionghai 2022): 14:30–16:30 reserved for door-to-door sampling")
    public var doorToDoorMinutesPerHousehold = Norm(10, "K: a swab, registration and the walk to the next door")
    /// Farthest a sampler, registrar or marshal is sent from home.
    public var maxStaffDistanceKm = Norm(10.0, "K: as staff.max_distance_km; people serve near where they live")
    /// Bonus, in metres, for serving at a site that tests one's own grid (定人定岗).
    public var ownGridBonusMetres = Norm(
        3_000, "GridPlan: a grid's own workers come first at its site, unless another is 3 km nearer")

    public init() {}

    /// Longest walk, in straight-line metres, that still takes `walkMinutes`.
    public var walkLimitMetres: Double { walkMinutes.value * walkMetresPerMinute.value / walkDetour.value }

    /// People one table samples per hour: its share of `tablePopulationMax` over the sampling hours.
    public var peoplePerTablePerHour: Int {
        max(1, Int((Double(tablePopulationMax.value) / samplingHours.value).rounded(.down)))
    }

    /// People a site with `tables` tables samples in `hours` of sampling, at most `pointPopulationMax`.
    public func siteCapacity(tables: Int, hours: Double? = nil) -> Int {
        let h = min(hours ?? samplingHours.value, samplingHours.value)
        return min(pointPopulationMax.value, tables * Int((Double(peoplePerTablePerHour) * h).rounded(.down)))
    }

    /// People one sampler swabs by the deadline: one shift of `peoplePerSamplerPerDay` per started day.
    public var peoplePerSampler: Int {
        peoplePerSamplerPerDay.value * max(1, Int((deadlineHours.value / 24).rounded(.up)))
    }

    /// Households a door-to-door team visits in its window.
    public var householdsPerDoorToDoorTeam: Int {
        max(1, Int(doorToDoorHours.value * 60) / max(1, doorToDoorMinutesPerHousehold.value))
    }

    /// The numeric rules by their names in rules files and reports.
    public var described: [(name: String, value: String, provenance: String)] {
        func i(_ n: Norm<Int>) -> String { "\(n.value)" }
        func d(_ n: Norm<Double>) -> String { "\(n.value)" }
        return [
            ("testing.point_population_min", i(pointPopulationMin), pointPopulationMin.provenance),
            ("testing.point_population_max", i(pointPopulationMax), pointPopulationMax.provenance),
            ("testing.table_population_max", i(tablePopulationMax), tablePopulationMax.provenance),
            ("testing.tables_per_site", i(tablesPerSite), tablesPerSite.provenance),
            ("testing.people_per_sampler_per_day", i(peoplePerSamplerPerDay), peoplePerSamplerPerDay.provenance),
            ("testing.pool_size", i(poolSize), poolSize.provenance),
            ("testing.deadline_hours", d(deadlineHours), deadlineHours.provenance),
            ("testing.sampling_hours", d(samplingHours), samplingHours.provenance),
            ("testing.walk_minutes", d(walkMinutes), walkMinutes.provenance),
            ("testing.walk_metres_per_minute", d(walkMetresPerMinute), walkMetresPerMinute.provenance),
            ("testing.walk_detour", d(walkDetour), walkDetour.provenance),
            ("testing.registrars_per_table", i(registrarsPerTable), registrarsPerTable.provenance),
            ("testing.marshals_per_site", i(marshalsPerSite), marshalsPerSite.provenance),
            ("testing.door_to_door_hours", d(doorToDoorHours), doorToDoorHours.provenance),
            (
                "testing.door_to_door_minutes_per_household", i(doorToDoorMinutesPerHousehold),
                doorToDoorMinutesPerHousehold.provenance
            ),
            ("testing.max_staff_distance_km", d(maxStaffDistanceKm), maxStaffDistanceKm.provenance),
            ("testing.own_grid_bonus_metres", i(ownGridBonusMetres), ownGridBonusMetres.provenance),
        ]
    }

    /// Sets a rule by name (`testing.pool_size`); false when the name is not a testing rule.
    public mutating func set(_ name: String, to value: Double, provenance: String) throws -> Bool {
        guard name.hasPrefix("testing.") else { return false }
        func whole(_ min: Int) throws -> Int {
            guard value.rounded() == value, value >= Double(min), value < 1e7 else {
                throw InputError(rule: "rules.value", "\(name) must be a whole number ≥ \(min)")
            }
            return Int(value)
        }
        func positive() throws -> Double {
            guard value > 0, value < 1e6 else {
                throw InputError(rule: "rules.value", "\(name) must be a positive number below 1,000,000")
            }
            return value
        }
        switch name.dropFirst("testing.".count) {
        case "point_population_min": pointPopulationMin = Norm(try whole(0), provenance)
        case "point_population_max": pointPopulationMax = Norm(try whole(1), provenance)
        case "table_population_max": tablePopulationMax = Norm(try whole(1), provenance)
        case "tables_per_site": tablesPerSite = Norm(try whole(1), provenance)
        case "people_per_sampler_per_day": peoplePerSamplerPerDay = Norm(try whole(1), provenance)
        case "pool_size": poolSize = Norm(try whole(1), provenance)
        case "deadline_hours": deadlineHours = Norm(try positive(), provenance)
        case "sampling_hours": samplingHours = Norm(try positive(), provenance)
        case "walk_minutes": walkMinutes = Norm(try positive(), provenance)
        case "walk_metres_per_minute": walkMetresPerMinute = Norm(try positive(), provenance)
        case "walk_detour":
            guard value >= 1, value.isFinite else { throw InputError(rule: "rules.value", "\(name) must be ≥ 1") }
            walkDetour = Norm(value, provenance)
        case "registrars_per_table": registrarsPerTable = Norm(try whole(0), provenance)
        case "marshals_per_site": marshalsPerSite = Norm(try whole(0), provenance)
        case "door_to_door_hours": doorToDoorHours = Norm(try positive(), provenance)
        case "door_to_door_minutes_per_household": doorToDoorMinutesPerHousehold = Norm(try whole(1), provenance)
        case "max_staff_distance_km": maxStaffDistanceKm = Norm(try positive(), provenance)
        case "own_grid_bonus_metres": ownGridBonusMetres = Norm(try whole(0), provenance)
        default: throw InputError(rule: "rules.unknown-key", "\(name) is not a testing rule")
        }
        return true
    }

    /// Rules that only make sense together: sampling and the door-to-door window fit the deadline.
    public func validate() throws {
        if samplingHours.value + doorToDoorHours.value > deadlineHours.value + 1e-9 {
            throw InputError(
                rule: "rules.value",
                "testing.sampling_hours (\(samplingHours.value)) + testing.door_to_door_hours "
                    + "(\(doorToDoorHours.value)) exceed testing.deadline_hours (\(deadlineHours.value))"
            )
        }
    }
}
