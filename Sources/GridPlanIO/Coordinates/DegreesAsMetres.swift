import GridPlanGeometry
import GridPlanGeometryValues
import GridPlanModel

/// Coordinates read in a projected CRS (metres) that are all within ±180/±90 are almost surely
/// longitude/latitude given the wrong `--crs`: converted, they would land within metres of the
/// CRS's origin. Refused with the file named (GeoJSON files, roster and vessel CSVs).
public enum DegreesAsMetres {
    /// `positions`: the file's coordinates (or the corners of its features' boxes), untransformed.
    public static func refuse(_ positions: [Position], crs: CRS, file: String) throws {
        guard case .proj(let definition) = crs, !positions.isEmpty,
            positions.allSatisfy({ abs($0.x) <= 180 && abs($0.y) <= 90 }),
            let described = try? CRSDefinition(definition), !described.isGeographic
        else { return }
        throw InputError(
            file: file, rule: "crs.looks-lonlat",
            "every coordinate looks like longitude/latitude in degrees, but \(definition) (\(described.name)) is in "
                + "metres; "
                + "leave out --crs if the file is WGS84 lon/lat, or give its geographic CRS")
    }
}
