import CGEOS
import GridPlanGeometryValues

/// The outcome of a validity check: GEOS's reason and the location of the first problem.
public enum Validity: Sendable, Equatable {
    case valid
    case invalid(reason: String, location: Position?)
}

/// How `makeValid` repairs: `linework` rebuilds from all edges (GEOS's original method);
/// `structure` keeps shells and subtracts holes, optionally keeping collapsed parts as lines.
public enum MakeValidMethod: Sendable, Equatable {
    case linework
    case structure(keepCollapsed: Bool)
}

extension NativeGeometry {
    public func isValid() throws -> Bool {
        // GEOSisValid_r returns 2 on exception.
        try predicate("GEOSisValid_r", GEOSisValid_r(context.handle, pointer))
    }

    /// Validity with GEOS's reason (e.g. "Self-intersection") and the location it names.
    public func validity() throws -> Validity {
        var reason: UnsafeMutablePointer<CChar>?
        var location: OpaquePointer?
        // GEOSisValidDetail_r returns 1 valid, 0 invalid, 2 on exception. The reason must be
        // freed with GEOSFree_r, the location with GEOSGeom_destroy_r.
        let result = GEOSisValidDetail_r(context.handle, pointer, 0, &reason, &location)
        defer {
            if let reason { GEOSFree_r(context.handle, reason) }
            if let location { GEOSGeom_destroy_r(context.handle, location) }
        }
        switch result {
        case 1:
            return .valid
        case 0:
            let text = reason.map { String(cString: $0) } ?? "invalid geometry"
            var position: Position?
            if let location, case .point(let p) = try NativeGeometry.read(location, context) { position = p }
            return .invalid(reason: text, location: position)
        default:
            throw context.failure("GEOSisValidDetail_r")
        }
    }

    /// A valid geometry covering the same area; its type may differ (a bow-tie polygon
    /// becomes a MultiPolygon).
    public func makeValid(method: MakeValidMethod = .structure(keepCollapsed: false)) throws -> NativeGeometry {
        // GEOSMakeValidParams_create_r returns NULL on exception.
        guard let params = GEOSMakeValidParams_create_r(context.handle) else {
            throw context.failure("GEOSMakeValidParams_create_r")
        }
        defer { GEOSMakeValidParams_destroy_r(context.handle, params) }
        let geosMethod: GEOSMakeValidMethods
        var keepCollapsed: Int32 = 1
        switch method {
        case .linework:
            geosMethod = GEOS_MAKE_VALID_LINEWORK
        case .structure(let keep):
            geosMethod = GEOS_MAKE_VALID_STRUCTURE
            keepCollapsed = keep ? 1 : 0
        }
        // Both setters return 0 on exception. Never put these inside assert(): it is not
        // evaluated in optimised builds.
        guard GEOSMakeValidParams_setMethod_r(context.handle, params, geosMethod) != 0 else {
            throw context.failure("GEOSMakeValidParams_setMethod_r")
        }
        guard GEOSMakeValidParams_setKeepCollapsed_r(context.handle, params, keepCollapsed) != 0 else {
            throw context.failure("GEOSMakeValidParams_setKeepCollapsed_r")
        }
        return try .wrap(
            GEOSMakeValidWithParams_r(context.handle, pointer, params), context, "GEOSMakeValidWithParams_r")
    }
}
