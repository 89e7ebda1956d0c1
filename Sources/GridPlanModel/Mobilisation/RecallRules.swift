/// Norms of a typhoon fishing-vessel recall (台风渔船回港), each default with its source
/// (docs/norms.md, section A2). Rules files set them as `recall.<name>`.
public struct RecallRules: Sendable, Equatable {
    public var leadHours = Norm(
        26.0, "A2-3 (D, Ma-on 2022): boats west of the Pearl River Estuary (Jiangmen) in port ≈26 h before landfall")
    public var smallBoatHp = Norm(
        25.0, "A2-8 (V): at yellow or above, boats under 25 hp are hauled above the high-tide line")
    public var galeWindKnots = Norm(
        34.0, "A2-1 (V, CMA signals): yellow from force 8; force 8 = 17.2 m/s = 34 kn (Beaufort)")
    public var vortexExponent = Norm(
        0.5,
        "K: modified Rankine vortex V(r) = Vmax·(Rmax/r)^x outside Rmax, x = 0.5; Rmax = 46.4·exp(−0.0155·Vmax + "
            + "0.0169·lat) km (Willoughby, Darling & Rahn 2006)"
    )
    public var atRiskHours = Norm(2.0, "K: less than 2 h between now and the latest departure is at risk")
    public var staleFixHours = Norm(
        3.0, "K: a position older than 3 h may no longer hold; the vessel is at risk until it reports")
    public var inPortMetres = Norm(1_000.0, "K: a vessel within 1 km of a shelter port is in it")
    public var cellMetres = Norm(250.0, "GridPlan: sea routes are found on a raster of 250 m cells, then straightened")
    public var approachKm = Norm(
        5.0, "GridPlan: farthest a port or vessel may lie from open water (harbour, river mouth)")

    public init() {}

    /// The numeric rules by their names in rules files and reports.
    public var described: [(name: String, value: String, provenance: String)] {
        [
            ("recall.lead_hours", leadHours), ("recall.small_boat_hp", smallBoatHp),
            ("recall.gale_wind_kn", galeWindKnots),
            ("recall.vortex_exponent", vortexExponent), ("recall.at_risk_hours", atRiskHours),
            ("recall.stale_fix_hours", staleFixHours),
            ("recall.in_port_metres", inPortMetres), ("recall.cell_metres", cellMetres),
            ("recall.approach_km", approachKm),
        ].map { ($0.0, "\($0.1.value)", $0.1.provenance) }
    }

    /// Sets a rule by name (`recall.lead_hours`); false when the name is not a recall rule.
    public mutating func set(_ name: String, to value: Double, provenance: String) throws -> Bool {
        guard name.hasPrefix("recall.") else { return false }
        guard value.isFinite, value >= 0, value < 1e6 else {
            throw InputError(rule: "rules.value", "\(name) must be a number from 0 to 1,000,000")
        }
        func positive() throws -> Double {
            guard value > 0 else { throw InputError(rule: "rules.value", "\(name) must be positive") }
            return value
        }
        switch name.dropFirst("recall.".count) {
        case "lead_hours": leadHours = Norm(value, provenance)
        case "small_boat_hp": smallBoatHp = Norm(value, provenance)
        case "gale_wind_kn": galeWindKnots = Norm(try positive(), provenance)
        case "vortex_exponent":
            guard value > 0, value <= 2 else { throw InputError(rule: "rules.value", "\(name) must be in (0, 2]") }
            vortexExponent = Norm(value, provenance)
        case "at_risk_hours": atRiskHours = Norm(value, provenance)
        case "stale_fix_hours": staleFixHours = Norm(try positive(), provenance)
        case "in_port_metres": inPortMetres = Norm(value, provenance)
        case "cell_metres":
            guard value >= 20, value <= 5_000 else {
                throw InputError(rule: "rules.value", "\(name) must be in [20, 5000]")
            }
            cellMetres = Norm(value, provenance)
        case "approach_km": approachKm = Norm(try positive(), provenance)
        default: throw InputError(rule: "rules.unknown-key", "\(name) is not a recall rule")
        }
        return true
    }
}
