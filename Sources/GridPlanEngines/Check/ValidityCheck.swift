import GridPlanGeometry
import GridPlanModel

/// Rule `geometry.invalid`: GEOS's validity test, with its reason and location.
enum ValidityCheck {
    static func run(file: String, geometry: Geometry, reference: FeatureReference, context: GEOSContext) -> Diagnostic? {
        do {
            let native = try NativeGeometry(geometry, in: context)
            switch try native.validity() {
            case .valid:
                return nil
            case .invalid(let reason, let location):
                return Diagnostic(
                    .error, rule: "geometry.invalid", file: file, feature: reference,
                    message: "invalid geometry: \(reason); repair with `gridplan import --repair`", location: location)
            }
        } catch {
            return Diagnostic(
                .error, rule: "geometry.invalid", file: file, feature: reference,
                message: "geometry cannot be built: \(error)")
        }
    }
}
