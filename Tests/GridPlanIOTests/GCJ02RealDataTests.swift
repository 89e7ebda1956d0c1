import Foundation
import GridPlanGeometry
import GridPlanGeometryValues
import GridPlanModel
import GridPlanTestSupport
import Testing

@testable import GridPlanIO

/// The acceptance test of GCJ-02 support on real outlines: DataV's GCJ-02 county outlines of
/// Jiangmen, converted to WGS84, must match the Amap-derived WGS84 outlines (another source,
/// converted by its author) at IoU ≥ 0.97, while unconverted they match visibly less.
@Suite struct GCJ02RealDataTests {
    func intersectionOverUnion(
        _ a: Geometry, _ b: Geometry, _ projection: CoordinateTransformer, _ context: GEOSContext
    )
        throws -> Double
    {
        let ga = try NativeGeometry(projection.transform(a), in: context).makeValid()
        let gb = try NativeGeometry(projection.transform(b), in: context).makeValid()
        return try ga.intersection(gb).area() / ga.union(gb).area()
    }

    @Test func convertedDataVOutlinesMatchWGS84Outlines() throws {
        let gcj = try GeoJSONReader.read(
            path: RealData.url("boundaries/jiangmen_counties_datav_GCJ02_raw.json").path, crs: .gcj02)
        let raw = try GeoJSONReader.read(path: RealData.url("boundaries/jiangmen_counties_datav_GCJ02_raw.json").path)
        let wgs = try GeoJSONReader.read(path: RealData.url("boundaries/study_counties_amap_wgs84.geojson").path)
        let reference = Dictionary(
            uniqueKeysWithValues: wgs.features.compactMap { f in
                f.properties["adcode"]?.identifierText.map { ($0, f.geometry!) }
            })
        let context = try GEOSContext()
        let projection = try LocalProjection(centre: Position(x: 112.8, y: 22.3)).makeTransformer()
        var compared = 0
        for (converted, unconverted) in zip(gcj.features, raw.features) {
            let code = try #require(converted.properties["adcode"]?.identifierText)
            let truth = try #require(reference[code], "no WGS84 outline for \(code)")
            let iouConverted = try intersectionOverUnion(converted.geometry!, truth, projection, context)
            let iouRaw = try intersectionOverUnion(unconverted.geometry!, truth, projection, context)
            #expect(iouConverted >= 0.97, "county \(code): IoU \(iouConverted)")
            #expect(iouRaw < iouConverted - 0.005, "county \(code): raw \(iouRaw) vs converted \(iouConverted)")
            compared += 1
        }
        #expect(compared == 7)
    }
}
