import GridPlanGeometry
import GridPlanGeometryValues
import GridPlanModel

/// Rule `geometry.invalid`: GEOS's validity test, with its reason and location.
enum ValidityCheck {
    static func run(file: String, geometry: Geometry, reference: FeatureReference, context: GEOSContext) -> Diagnostic?
    {
        do {
            let native = try NativeGeometry(geometry, in: context)
            switch try native.validity() {
            case .valid:
                return nil
            case .invalid(let reason, let location):
                return Diagnostic(
                    .error, rule: "geometry.invalid", file: file, feature: reference,
                    message:
                        "invalid geometry: \(reason); repair it with --repair (check, import and partition take it), "
                        + "or fix it at the source",
                    location: location)
            }
        } catch {
            return Diagnostic(
                .error, rule: "geometry.invalid", file: file, feature: reference,
                message: "geometry cannot be built: \(error)")
        }
    }
}
