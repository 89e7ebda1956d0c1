import GridPlanGeometry
import GridPlanGeometryValues
import GridPlanModel

/// Repairs invalid unit boundaries and building footprints with GEOS make-valid (structure
/// method: rings are rebuilt, collapsed parts dropped), and says what it did: a warning
/// `geometry.repaired` per repaired feature, an error `geometry.unrepairable` when nothing with
/// an area is left.
public enum GeometryRepair {
    public static func repair(_ units: inout [(file: String, unit: TerritorialUnit)]) throws -> [Diagnostic] {
        let context = try GEOSContext()
        var notes: [Diagnostic] = []
        for i in units.indices {
            switch try repaired(
                units[i].unit.geometry, file: units[i].file, reference: units[i].unit.reference, context: context)
            {
            case .valid: continue
            case .fixed(let geometry, let note):
                units[i].unit.geometry = geometry
                notes.append(note)
            case .lost(let reason, let location):
                notes.append(
                    Diagnostic(
                        .error, rule: "geometry.unrepairable", file: units[i].file, feature: units[i].unit.reference,
                        message:
                            "invalid geometry (\(reason)) has no area left after repair; fix or remove the feature",
                        location: location))
            }
        }
        return notes
    }

    /// Repairs footprints (points are left alone). A footprint with no area left (a ring of
    /// two points, a spike) is kept as a point at the mean of its vertices, so the building and
    /// its households still count.
    /// `foundValid` gets, per set, the footprints GEOS found valid as they were (the check
    /// need not test them again).
    public static func repair(
        buildings sets: inout [(file: String, buildings: [Building])], foundValid: inout [Set<Int>]
    ) throws -> [Diagnostic] {
        // Tested (and repaired) on two threads (see onEachFootprint), applied in order.
        let outcomes = try onEachFootprint(of: sets) { file, building, context in
            try repaired(building.geometry, file: file, reference: building.reference, context: context)
        }
        var notes: [Diagnostic] = []
        foundValid = sets.map { _ in [] }
        for (s, b, outcome) in outcomes {
            let building = sets[s].buildings[b]
            switch outcome {
            case .valid: foundValid[s].insert(b)
            case .fixed(let geometry, let note):
                sets[s].buildings[b].geometry = geometry
                notes.append(note)
            case .lost(let reason, let location):
                let vertices = building.geometry.polygons.flatMap { $0.first ?? [] }
                let n = Double(vertices.count)
                sets[s].buildings[b].geometry = .point(
                    Position(x: vertices.map(\.x).reduce(0, +) / n, y: vertices.map(\.y).reduce(0, +) / n))
                notes.append(
                    Diagnostic(
                        .warning, rule: "geometry.repaired", file: sets[s].file, feature: building.reference,
                        message: "footprint has no area (\(reason)); kept as a point at the mean of its vertices",
                        location: location))
            }
        }
        return notes
    }

    enum Outcome {
        case valid
        case fixed(Geometry, Diagnostic)
        /// Nothing with an area is left.
        case lost(reason: String, location: Position?)
    }

    static func repaired(
        _ geometry: Geometry, file: String, reference: FeatureReference, context: GEOSContext
    ) throws -> Outcome {
        let native = try NativeGeometry(geometry, in: context)
        guard case .invalid(let reason, let location) = try native.validity() else { return .valid }
        let polygons = try native.makeValid(method: .structure(keepCollapsed: false)).value().polygons
        guard !polygons.isEmpty else { return .lost(reason: reason, location: location) }
        return .fixed(
            polygons.count == 1 ? .polygon(polygons[0]) : .multiPolygon(polygons),
            Diagnostic(
                .warning, rule: "geometry.repaired", file: file, feature: reference,
                message: "repaired invalid geometry (\(reason))", location: location))
    }
}
