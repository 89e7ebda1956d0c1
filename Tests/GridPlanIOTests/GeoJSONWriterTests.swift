import Foundation
import GridPlanGeometryValues
import GridPlanModel
import GridPlanTestSupport
import Testing

@testable import GridPlanIO

@Suite struct GeoJSONWriterTests {
    @Test func rightHandRulePrecisionAndOrder() throws {
        // Exterior given clockwise and hole counter-clockwise: both must be flipped.
        let clockwise: Ring = [
            Position(x: 0, y: 0), Position(x: 0, y: 1), Position(x: 1, y: 1), Position(x: 1, y: 0),
            Position(x: 0, y: 0),
        ]
        let hole: Ring = [
            Position(x: 0.2, y: 0.2), Position(x: 0.4, y: 0.2), Position(x: 0.4, y: 0.4), Position(x: 0.2, y: 0.4),
            Position(x: 0.2, y: 0.2),
        ]
        let feature = GeoJSONFeature(
            id: .string("g1"),
            properties: [("zeta", .number(1)), ("alpha", .string("网格")), ("x", .number(0.1234567891))],
            geometry: .polygon([clockwise, hole]))
        let text = String(decoding: GeoJSONWriter().encode([feature]), as: UTF8.self)
        #expect(!text.contains("\"crs\""))
        #expect(text.contains("\"properties\":{\"zeta\":1,\"alpha\":\"网格\",\"x\":0.1234567891}"))
        let back = try GeoJSONReader.parse(Data(text.utf8), file: "out")
        let rings = try #require(back.features.first?.geometry?.polygons.first)
        #expect(Geometry.signedArea(rings[0]) > 0)
        #expect(Geometry.signedArea(rings[1]) < 0)
        #expect(back.features[0].properties.map(\.0) == ["zeta", "alpha", "x"])
    }

    @Test func coordinatesHaveAtMostSevenDecimals() {
        var t = JSONText()
        for v in [113.123456789, -0.00000004, -0.00000006, 22.5, 0, 1e-7, 180, 2_498_000.123456789] {
            t.coordinate(v, decimals: 7)
            t.raw(" ")
        }
        #expect(
            String(decoding: t.bytes, as: UTF8.self) == "113.1234568 0 -0.0000001 22.5 0 0.0000001 180 2498000.1234568 "
        )
    }

    @Test func outputIsDeterministicAndAtomic() throws {
        let folder = try ScratchFolders.make("gridplan-w")
        let path = folder.appendingPathComponent("out.geojson").path
        let features = (0..<50).map { i in
            GeoJSONFeature(properties: [("i", .number(Double(i)))], geometry: square(Double(i), 0, 1))
        }
        try GeoJSONWriter().write(features, to: path)
        let first = try Data(contentsOf: URL(fileURLWithPath: path))
        try GeoJSONWriter().write(features, to: path)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == first)
        // A failed write leaves the previous file untouched and no temporary behind.
        #expect(throws: InputError.self) {
            try AtomicFile.write(Data("x".utf8), to: folder.appendingPathComponent("missing/out.geojson").path)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == first)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out.geojson"])
    }
}
