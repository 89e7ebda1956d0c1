import GridPlanGeometry
import GridPlanModel

/// Repairs invalid unit and building geometries with GEOS make-valid (structure method:
/// shells kept, holes subtracted, collapsed parts dropped). Only run when the user asks
/// (`--repair`); each repair is reported.
public enum GeometryRepair {
    public static func repair(_ units: inout [(file: String, unit: TerritorialUnit)]) throws -> [Diagnostic] {
        let context = try GEOSContext()
        var notes: [Diagnostic] = []
        for i in units.indices {
            let native = try NativeGeometry(units[i].unit.geometry, in: context)
            guard case .invalid(let reason, let location) = try native.validity() else { continue }
            let fixed = try native.makeValid(method: .structure(keepCollapsed: false)).value()
            let polygons = fixed.polygons
            guard !polygons.isEmpty else {
                notes.append(
                    Diagnostic(.error, rule: "geometry.unrepairable", file: units[i].file, feature: units[i].unit.reference,
                        message: "invalid geometry (\(reason)) has no area left after repair", location: location))
                continue
            }
            units[i].unit.geometry = polygons.count == 1 ? .polygon(polygons[0]) : .multiPolygon(polygons)
            notes.append(
                Diagnostic(.warning, rule: "geometry.repaired", file: units[i].file, feature: units[i].unit.reference,
                    message: "repaired invalid geometry (\(reason))", location: location))
        }
        return notes
    }
}
