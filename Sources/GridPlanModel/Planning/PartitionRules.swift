/// A numeric norm with where it comes from, so every default can be traced to its source
/// (see ../shared/research/domain-rules.md; tags: V verified excerpt, S secondary, D derived).
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
    public var urbanHouseholdsMin = Norm(300, "A1-7 (S) urban comprehensive grid 300–500 households; V Haikou A1-8, Wuhan A1-9")
    public var urbanHouseholdsMax = Norm(500, "A1-7 (S); V Haikou A1-8, Wuhan A1-9")
    public var urbanResidentsMax = Norm(2_500, "A1-7 (S) real population ≤ 2,000–2,500 per urban grid")
    public var ruralWholeVillageMax = Norm(500, "A1-7 (S) rural grid = one natural village or ~300 households; split above ~500")
    public var ruralHouseholdsTarget = Norm(300, "A1-7 (S) rural grid ~300 households")
    public var ruralResidentsMax = Norm(2_500, "A1-7 (S) rural population ≤ 2,500")
    public var microHouseholdsMin = Norm(20, "A1 takeaways: micro-grid ~20–100 households or one building")
    public var microHouseholdsMax = Norm(100, "A1 takeaways; V Tieling A1-12 (~100 urban)")
    public var microHouseholdsTargetRural = Norm(50, "V Tieling A1-12 (~50 households rural)")
    /// Area tolerance of the hard rules (gaps, overlaps, containment), m² per unit.
    public var coverageTolerance = Norm(1.0, "issue #3: no gaps, no overlaps, tolerance ≤ 1 m² per unit")

    public init() {}

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
            ("micro.households_target_rural", "\(microHouseholdsTargetRural.value)", microHouseholdsTargetRural.provenance),
            ("coverage.tolerance_m2", "\(coverageTolerance.value)", coverageTolerance.provenance),
        ]
    }
}
