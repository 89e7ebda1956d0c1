import GridPlanGeometry
import GridPlanGeometryValues
import GridPlanModel

/// The result of `gridplan check`.
public struct CheckReport: Sendable {
    public var files: [String]
    public var unitCount: Int
    public var buildingCount: Int
    /// Sorted by file, feature, rule: stable across runs.
    public var diagnostics: [Diagnostic]
    /// The CRS areas were measured in.
    public var measuredIn: String?
    /// Each unit's area in m², in that CRS, in the order of the units checked (empty without
    /// units, or when the units have errors).
    public var unitAreas: [Double] = []
    /// The buildings placed in the base units (nil without buildings), for the run to reuse.
    public var placement: TerritoryMeasurement?
    /// How each file was read (driver, layer, CRS, encoding, fields); set by the workflow that read them.
    public var sources: [SourceSummary] = []

    public func count(_ severity: Diagnostic.Severity) -> Int {
        diagnostics.filter { $0.severity == severity }.count
    }

    /// 2 when a file is unusable, 1 when a rule is broken, 0 otherwise (warnings only).
    public var exitCode: Int32 {
        if count(.fatal) > 0 { return 2 }
        if count(.error) > 0 { return 1 }
        return 0
    }
}

/// Runs every rule on decoded units and buildings.
public enum CheckEngine {
    /// The widest unit, in degrees of longitude or latitude (the largest Chinese counties span about 6°).
    public static let maxUnitSpanDegrees = 12.0

    public static func run(
        units: [(file: String, unit: TerritorialUnit)], buildings: [(file: String, buildings: [Building])] = [],
        priorDiagnostics: [Diagnostic] = [], files: [String], options: CheckOptions = CheckOptions(),
        validFootprints: [Set<Int>]? = nil, progress: (String) -> Void = { _ in }
    ) throws -> CheckReport {
        var diagnostics = priorDiagnostics
        let context = try GEOSContext()
        progress("checking geometry validity")
        for entry in units {
            if let d = ValidityCheck.run(
                file: entry.file, geometry: entry.unit.geometry, reference: entry.unit.reference, context: context)
            {
                diagnostics.append(d)
            }
            // Units are measured and cut in a local projection; beyond a few hundred km it fails.
            if let box = entry.unit.geometry.boundingBox,
                box.maxX - box.minX > Self.maxUnitSpanDegrees || box.maxY - box.minY > Self.maxUnitSpanDegrees
            {
                diagnostics.append(
                    Diagnostic(
                        .error, rule: "unit.too-large", file: entry.file, feature: entry.unit.reference,
                        message: String(format: "spans %.1f° × %.1f°; ", box.maxX - box.minX, box.maxY - box.minY)
                            + "GridPlan works within a county (at most \(Int(Self.maxUnitSpanDegrees))° across): "
                            + "check the coordinates, or split the unit"
                    ))
            }
        }
        // Invalid footprints are reported here and left out of the placement rules, whose
        // overlays they could break.
        // Footprints are tested on two threads (see onEachFootprint), reported in order.
        var invalidBuildings = [Set<Int>](repeating: [], count: buildings.count)
        // `validFootprints` (per set): found valid as they are by the repair just before, not tested again.
        let verdicts = try onEachFootprint(of: buildings, context: context, skipping: validFootprints) {
            file, building, context in
            ValidityCheck.run(file: file, geometry: building.geometry, reference: building.reference, context: context)
        }
        for (s, k, verdict) in verdicts {
            guard let d = verdict else { continue }
            diagnostics.append(d)
            invalidBuildings[s].insert(k)
        }
        diagnostics += DuplicateCodeCheck.run(units)

        var measuredIn: String?
        var placement: TerritoryMeasurement?
        var unitAreas: [Double] = []
        if let box = BoundingBox.union(units.compactMap(\.unit.geometry.boundingBox)) {
            let projection = LocalProjection(around: box)
            measuredIn = projection.description
            let layer = try MeasuredLayer(projection: projection, context: context)
            try layer.load(units.map(\.unit.geometry))
            diagnostics += try TopologyCheck(units: units, layer: layer, options: options).run(progress: progress)
            // Areas for the run to store, when every unit can be measured (no unit error).
            if !diagnostics.contains(where: { $0.severity == .error || $0.severity == .fatal }) {
                unitAreas = try layer.geometries.map { try $0.map(layer.squareMetres) ?? 0 }
            }
            if !buildings.isEmpty {
                progress("placing buildings in units")
                // Buildings are placed in base units only (not towns or counties), once: the
                // partition reuses this placement.
                let base = units.filter { !$0.unit.kind.isContainer }
                var skipping = Set<Int>()
                var offset = 0
                for (s, set) in buildings.enumerated() {
                    for k in invalidBuildings[s] { skipping.insert(offset + k) }
                    offset += set.buildings.count
                }
                let measured = try TerritoryMeasurement.measure(
                    units: base.map(\.unit), buildings: buildings.flatMap(\.buildings), skipping: skipping)
                placement = measured
                offset = 0
                for (s, set) in buildings.enumerated() {
                    let range = offset..<(offset + set.buildings.count)
                    diagnostics += BuildingPlacementCheck(
                        file: set.file, buildings: set.buildings, skipping: invalidBuildings[s],
                        shares: measured.buildingShares[range], points: measured.buildingPoints[range],
                        unitReferences: base.map(\.unit.reference)
                    ).run()
                    offset += set.buildings.count
                }
            }
        }
        diagnostics.sort { a, b in
            let fa = files.firstIndex(of: a.file) ?? Int.max, fb = files.firstIndex(of: b.file) ?? Int.max
            if fa != fb { return fa < fb }
            let ia = a.feature?.index ?? -1, ib = b.feature?.index ?? -1
            if ia != ib { return ia < ib }
            let la = a.line ?? -1, lb = b.line ?? -1  // a table's rows in order
            if la != lb { return la < lb }
            if a.rule != b.rule { return a.rule < b.rule }
            return a.message < b.message
        }
        return CheckReport(
            files: files, unitCount: units.count, buildingCount: buildings.reduce(0) { $0 + $1.buildings.count },
            diagnostics: diagnostics, measuredIn: measuredIn, unitAreas: unitAreas, placement: placement)
    }
}
