/// A numeric norm with where it comes from, so every default can be traced to its source
/// (tags explained in docs/norms.md: V read in a source, S secondary, K assumption, D derived).
public struct Norm<Value: Sendable & Equatable>: Sendable, Equatable {
    public var value: Value
    public var provenance: String

    public init(_ value: Value, _ provenance: String) {
        self.value = value
        self.provenance = provenance
    }
}

/// The rules a partition follows. Defaults are the norms found in public material.
public struct PartitionRules: Sendable, Equatable {
    public var urbanHouseholdsMin = Norm(
        300, "A1-7 (S) urban comprehensive grid 300–500 households; V Haikou A1-8, Wuhan A1-9")
    public var urbanHouseholdsMax = Norm(500, "A1-7 (S); V Haikou A1-8, Wuhan A1-9")
    public var urbanResidentsMax = Norm(2_500, "A1-7 (S) real population ≤ 2,000–2,500 per urban grid")
    public var ruralWholeVillageMax = Norm(
        500, "A1-7 (S) rural grid = one natural village or ~300 households; split above ~500")
    public var ruralHouseholdsTarget = Norm(300, "A1-7 (S) rural grid ~300 households")
    public var ruralResidentsMax = Norm(2_500, "A1-7 (S) rural population ≤ 2,500")
    public var microHouseholdsMin = Norm(20, "A1 takeaways: micro-grid ~20–100 households or one building")
    public var microHouseholdsMax = Norm(100, "A1 takeaways; V Tieling A1-12 (~100 urban)")
    public var microHouseholdsTargetRural = Norm(50, "V Tieling A1-12 (~50 households rural)")
    public var dedicatedAreaMax = Norm(
        2.0, "K: assumption, no published norm found; a dedicated grid (专属网格) of at most 2 km², larger parks are split")
    public var maritimeAreaMax = Norm(
        20.0, "K: assumption, no published norm found; a sea grid (海上网格) cell of at most 20 km²")
    /// Area tolerance of the hard rules (gaps, overlaps, containment), m² per unit.
    public var coverageTolerance = Norm(1.0, "issue #3: no gaps, no overlaps, tolerance ≤ 1 m² per unit")

    public init() {}

    /// The integer norms by their names in rules files and reports.
    public static var integerNorms: [(name: String, path: WritableKeyPath<PartitionRules, Norm<Int>>)] {
        [
            ("urban.households_min", \.urbanHouseholdsMin), ("urban.households_max", \.urbanHouseholdsMax),
            ("urban.residents_max", \.urbanResidentsMax), ("rural.whole_village_max", \.ruralWholeVillageMax),
            ("rural.households_target", \.ruralHouseholdsTarget), ("rural.residents_max", \.ruralResidentsMax),
            ("micro.households_min", \.microHouseholdsMin), ("micro.households_max", \.microHouseholdsMax),
            ("micro.households_target_rural", \.microHouseholdsTargetRural),
        ]
    }

    /// Sets a norm by name ("urban.households_max"), checking the value.
    public mutating func set(_ name: String, to value: Double, provenance: String) throws {
        let realNorms: [String: WritableKeyPath<PartitionRules, Norm<Double>>] = [
            "coverage.tolerance_m2": \.coverageTolerance, "dedicated.area_max_km2": \.dedicatedAreaMax,
            "maritime.area_max_km2": \.maritimeAreaMax,
        ]
        if let path = realNorms[name] {
            guard value > 0, value.isFinite else {
                throw InputError(rule: "rules.value", "\(name) must be a positive number")
            }
            self[keyPath: path] = Norm(value, provenance)
            return
        }
        guard let norm = Self.integerNorms.first(where: { $0.name == name }) else {
            let known =
                (Self.integerNorms.map(\.name) + [
                    "dedicated.area_max_km2", "maritime.area_max_km2", "coverage.tolerance_m2",
                ])
                .joined(separator: ", ")
            throw InputError(rule: "rules.unknown-key", "unknown rule \"\(name)\" (known: \(known))")
        }
        guard value >= 1, value.rounded() == value, value < 1e9 else {
            throw InputError(
                rule: "rules.value", "\(name) must be a whole number ≥ 1, got \(PropertyValue.format(value))")
        }
        self[keyPath: norm.path] = Norm(Int(value), provenance)
    }

    /// Ranges that must hold between norms.
    public func validate() throws {
        if urbanHouseholdsMin.value > urbanHouseholdsMax.value {
            throw InputError(
                rule: "rules.value",
                "urban.households_min (\(urbanHouseholdsMin.value)) exceeds urban.households_max "
                    + "(\(urbanHouseholdsMax.value))"
            )
        }
        if microHouseholdsMin.value > microHouseholdsMax.value {
            throw InputError(
                rule: "rules.value",
                "micro.households_min (\(microHouseholdsMin.value)) exceeds micro.households_max "
                    + "(\(microHouseholdsMax.value))"
            )
        }
        if ruralHouseholdsTarget.value > ruralWholeVillageMax.value {
            throw InputError(
                rule: "rules.value",
                "rural.households_target (\(ruralHouseholdsTarget.value)) exceeds rural.whole_village_max "
                    + "(\(ruralWholeVillageMax.value))"
            )
        }
    }

    /// Each norm as (name, value, provenance), for reports.
    public var described: [(name: String, value: String, provenance: String)] {
        [
            ("urban.households_min", "\(urbanHouseholdsMin.value)", urbanHouseholdsMin.provenance),
            ("urban.households_max", "\(urbanHouseholdsMax.value)", urbanHouseholdsMax.provenance),
            ("urban.residents_max", "\(urbanResidentsMax.value)", urbanResidentsMax.provenance),
            ("rural.whole_village_max", "\(ruralWholeVillageMax.value)", ruralWholeVillageMax.provenance),
            ("rural.households_target", "\(ruralHouseholdsTarget.value)", ruralHouseholdsTarget.provenance),
            ("rural.residents_max", "\(ruralResidentsMax.value)", ruralResidentsMax.provenance),
            ("micro.households_min", "\(microHouseholdsMin.value)", microHouseholdsMin.provenance),
            ("micro.households_max", "\(microHouseholdsMax.value)", microHouseholdsMax.provenance),
            (
                "micro.households_target_rural", "\(microHouseholdsTargetRural.value)",
                microHouseholdsTargetRural.provenance
            ),
            ("dedicated.area_max_km2", "\(dedicatedAreaMax.value)", dedicatedAreaMax.provenance),
            ("maritime.area_max_km2", "\(maritimeAreaMax.value)", maritimeAreaMax.provenance),
            ("coverage.tolerance_m2", "\(coverageTolerance.value)", coverageTolerance.provenance),
        ]
    }
}
