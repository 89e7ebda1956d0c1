import CGDAL
import GridPlanGeometryValues

/// GDAL, opened on first use (see CGDAL.h: it is not linked) with its drivers registered once.
/// Every entry point that calls GDAL starts with ``load()``.
enum GDALLibrary {
    /// Why GDAL cannot be used, or nil once it is ready.
    private static let failure: String? = {
        var message = [CChar](repeating: 0, count: 512)
        guard cgdal_load(&message, message.count) == 1 else {
            return String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        GDALAllRegister()
        return nil
    }()

    /// Makes GDAL ready, or throws why it cannot be (GDAL is needed for Shapefile, GeoPackage,
    /// KML and spreadsheet sources, and for Shapefile and Excel exports; GeoJSON and CSV are read without it).
    static func load() throws {
        if let failure {
            throw GeometryLibraryError.gdal(
                function: "dlopen",
                messages: [failure + "; install GDAL (Debian: apt install libgdal-dev), or give GeoJSON and CSV files"])
        }
    }

    static var isAvailable: Bool { failure == nil }
}
