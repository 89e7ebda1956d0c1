import Foundation
import GridPlanGeometryValues
import GridPlanModel
import GridPlanTestSupport
import Testing

@testable import GridPlanIO

func parse(_ text: String, crs: CRS? = nil) throws -> VectorDocument {
    try GeoJSONReader.parse(Data(text.utf8), file: "test.geojson", crs: crs)
}

func inputError(_ body: () throws -> Void) -> InputError? {
    do {
        try body()
        return nil
    } catch let e as InputError {
        return e
    } catch {
        return nil
    }
}

@Suite struct GeoJSONReaderTests {
    @Test func readsEveryGeometryTypeAndPropertyTypesInOrder() throws {
        let doc = try parse(
            """
            {"features":[
             {"geometry":{"coordinates":[113.1,22.5,7],"type":"Point"},"type":"Feature","id":7,
              "properties":{"z":null,"a":[1,"x",true],"n":{"k":-1.5e2},"名称":"蓬江区"}},
             {"type":"Feature","id":"b","properties":null,"geometry":{"type":"MultiPolygon","coordinates":
               [[[[0,0],[1,0],[1,1],[0,0]]],[[[2,2],[3,2],[3,3],[2,2]],[[2.1,2.1],[2.2,2.1],[2.2,2.2],[2.1,2.1]]]]}},
             {"type":"Feature","properties":{},"geometry":{"type":"GeometryCollection","geometries":[
               {"type":"LineString","coordinates":[[0,0],[1,1]]},{"type":"MultiPoint","coordinates":[[0,0]]},
               {"type":"MultiLineString","coordinates":[[[0,0],[1,1]]]}]}},
             {"type":"Feature","properties":{},"geometry":null}
            ],"type":"FeatureCollection","bbox":[0,0,3,3]}
            """)
        #expect(doc.features.count == 4)
        let first = doc.features[0]
        #expect(first.id == .number(7))
        #expect(first.geometry == .point(Position(x: 113.1, y: 22.5)))
        #expect(first.properties.map(\.0) == ["z", "a", "n", "名称"])
        #expect(first.properties["n"] == .object([("k", .number(-150))]))
        #expect(first.properties["名称"] == .string("蓬江区"))
        #expect(doc.features[1].geometry?.polygons.count == 2)
        #expect(doc.features[2].geometry?.typeName == "GeometryCollection")
        #expect(doc.features[3].geometry == nil && doc.features[3].geometryProblem == nil)
    }

    @Test func escapesAndNumbersFollowRFC8259() throws {
        let doc = try parse(
            #"{"type":"Feature","properties":{"s":"a\"b\\c\/\n\u00e9\ud83d\ude00","big":1.5e300,"neg":-0.25,"i":12345678901234},"geometry":null}"#
        )
        let p = doc.features[0].properties
        #expect(p["s"] == .string("a\"b\\c/\né😀"))
        #expect(p["big"] == .number(1.5e300))
        #expect(p["neg"] == .number(-0.25))
        #expect(p["i"] == .number(12345678901234))
    }

    /// The scanner converts short decimals itself (the exact fast path) and the rest with
    /// strtod: every number must come out as strtod reads it, bit for bit.
    @Test func numbersConvertExactlyAsStrtod() throws {
        var texts = [
            "0", "-0", "-0.0", "0.1", "0.3", "1e22", "1e23", "1E+2", "1e-22", "1e-23", "9007199254740993",
            "123456789012345.6", "1234567890123456", "0.000000000000000000000123", "1.7976931348623157e308",
            "5e-324", "1e-400", "2e400", "9.5240549", "47.1397812", "-122.41940000000001", "4.35e0010",
        ]
        var rng = SeededGenerator(seed: 5)
        for _ in 0..<20_000 {
            let integer = String(Int.random(in: 0...999_999, using: &rng))
            let fraction =
                String(repeating: "0", count: Int.random(in: 0...3, using: &rng))
                + String(UInt64.random(in: 0...UInt64(9_999_999_999), using: &rng))
            var text = (Bool.random(using: &rng) ? "-" : "") + integer + "." + fraction
            if Int.random(in: 0..<4, using: &rng) == 0 { text += "e" + String(Int.random(in: -30...30, using: &rng)) }
            texts.append(text)
        }
        for text in texts {
            let bytes = Array(text.utf8)
            let value = try bytes.withUnsafeBufferPointer { buffer in
                var scanner = JSONScanner(bytes: buffer, file: "n")
                return try scanner.number()
            }
            let expected = strtod(text, nil)
            #expect(value.bitPattern == expected.bitPattern, "\(text): \(value) against strtod's \(expected)")
        }
    }

    /// Members in any order read the same: "type" before "coordinates" or "features" is read
    /// in one pass, after them in two.
    @Test func memberOrderDoesNotChangeWhatIsRead() throws {
        let features = [
            (
                #""type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]"#,
                #""coordinates":[[[0,0],[1,0],[1,1],[0,0]]],"type":"Polygon""#
            ),
            (
                #""type":"Polygon","coordinates":[[[0,0],[1,0],[1,1]]]"#,
                #""coordinates":[[[0,0],[1,0],[1,1]]],"type":"Polygon""#
            ),
            (#""type":"Point","coordinates":["1",2]"#, #""coordinates":["1",2],"type":"Point""#),
            (#""type":"Blob","coordinates":[1,2]"#, #""coordinates":[1,2],"type":"Blob""#),
            (#""type":"Point","coordinates":[1,2],"type":"LineString""#, #""type":"LineString","coordinates":[1,2]"#),
        ]
        func document(_ geometries: [String], typeFirst: Bool) -> String {
            let list = geometries.map {
                typeFirst
                    ? #"{"type":"Feature","geometry":{\#($0)},"properties":{"a":1}}"#
                    : #"{"geometry":{\#($0)},"properties":{"a":1},"type":"Feature"}"#
            }
            let array = "[" + list.joined(separator: ",") + "]"
            return typeFirst
                ? #"{"type":"FeatureCollection","features":\#(array)}"#
                : #"{"features":\#(array),"type":"FeatureCollection"}"#
        }
        let first = try parse(document(features.map(\.0), typeFirst: true)).features
        let last = try parse(document(features.map(\.1), typeFirst: false)).features
        #expect(first.map(\.geometry) == last.map(\.geometry))
        #expect(first.map(\.geometryProblem) == last.map(\.geometryProblem))
        #expect(first[0].geometry != nil && first[1].geometryProblem?.contains("3 positions") == true)
        #expect(first[2].geometryProblem?.contains("numbers only") == true)
        #expect(first[3].geometryProblem?.contains("Blob") == true)
        #expect(first[4].geometryProblem != nil)
        // A syntax error after a shape problem, inside the same geometry, is still a syntax error.
        let broken =
            #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":["1",2,]}}]}"#
        #expect(inputError { _ = try parse(broken) }?.rule == "json.syntax")
    }

    @Test func syntaxErrorsNameLineAndColumn() {
        let truncated = inputError { _ = try parse("{\"type\":\"FeatureCollection\",\n\"features\":[{\"type\":") }
        #expect(truncated?.rule == "json.syntax")
        #expect(truncated?.line == 2)
        #expect(truncated?.message.contains("truncated") == true)
        let trailingComma = inputError { _ = try parse("{\"type\":\"FeatureCollection\",\"features\":[1,]}") }
        #expect(trailingComma?.column == 43)  // the "]" after "1,"
        for bad in [
            "{\"a\":01}", "{\"a\":+1}", "{\"a\":NaN}", "{\"a\":1.}", "{\"a\":\"\u{1}\"}", "{\"a\":tru}",
            "{\"type\":\"Feature\",\"properties\":{},\"geometry\":null} x",
        ] {
            #expect(inputError { _ = try parse(bad) }?.rule == "json.syntax", "accepted \(bad)")
        }
    }

    @Test func hostileBytesNeverCrash() {
        let deep = String(repeating: "[", count: 100_000)
        #expect(inputError { _ = try parse("{\"type\":\"FeatureCollection\",\"features\":\(deep)") } != nil)
        var rng = SeededGenerator(seed: 11)
        for _ in 0..<300 {
            let bytes = (0..<Int.random(in: 0...300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            #expect(throws: InputError.self) { _ = try GeoJSONReader.parse(Data(bytes), file: "garbage") }
        }
        // Invalid UTF-8 inside a string.
        var bad = Array("{\"type\":\"Feature\",\"properties\":{\"n\":\"".utf8)
        bad += [0xC3, 0x28]
        bad += Array("\"},\"geometry\":null}".utf8)
        #expect(inputError { _ = try GeoJSONReader.parse(Data(bad), file: "x") }?.message.contains("UTF-8") == true)
        // Mutations of a valid file: every prefix must be rejected cleanly.
        let valid =
            #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"a":1},"geometry":{"type":"Point","coordinates":[1,2]}}]}"#
        let validBytes = Array(valid.utf8)
        for cut in 0..<validBytes.count {
            #expect(throws: InputError.self) { _ = try GeoJSONReader.parse(Data(validBytes[0..<cut]), file: "cut") }
        }
    }

    @Test func notGeoJSONIsNamed() {
        #expect(inputError { _ = try parse("[1,2]") }?.rule == "geojson.structure")
        #expect(inputError { _ = try parse("{\"a\":1}") }?.message.contains("no \"type\"") == true)
        #expect(inputError { _ = try parse("{\"type\":\"Topology\"}") }?.message.contains("Topology") == true)
        #expect(
            inputError { _ = try parse("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Fea\"}]}") }?.rule
                == "geojson.structure")
        #expect(inputError { _ = try parse("  \n ") }?.rule == "file.empty")
    }

    @Test func malformedGeometryIsKeptPerFeature() throws {
        let doc = try parse(
            """
            {"type":"FeatureCollection","features":[
             {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1]]]}},
             {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}},
             {"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1]}},
             {"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":["1","2"]}},
             {"type":"Feature","properties":{}}
            ]}
            """)
        let problems = doc.features.map(\.geometryProblem)
        #expect(problems[0]?.contains("has 3 positions") == true)
        #expect(problems[1]?.contains("not closed") == true)
        #expect(problems[2]?.contains("at least 2 numbers") == true)
        #expect(problems[3]?.contains("numbers only") == true)
        #expect(problems[4]?.contains("no \"geometry\"") == true)
    }

    @Test func legacyCRSMember() throws {
        let crs84 =
            #"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"features":[]}"#
        #expect(try parse(crs84).sourceCRS == .wgs84)
        let projected =
            #"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4547"}},"features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[405387.09,2498318.01]}}]}"#
        let refused = inputError { _ = try parse(projected) }
        #expect(refused?.rule == "crs.unsupported")
        #expect(refused?.message.contains("--crs EPSG:4547") == true)
        // With --crs the coordinates are converted to lon/lat; pyproj (always_xy) maps
        // 113.08°E 22.58°N to (405387.09, 2498318.01) in EPSG:4547.
        let folder = try ScratchFolders.make("gridplan-crs")
        let file = folder.appendingPathComponent("projected.geojson").path
        try Data(projected.utf8).write(to: URL(fileURLWithPath: file))
        let doc = try GeoJSONReader.read(path: file, crs: try CRS(parsing: "EPSG:4547"))
        guard case .point(let p)? = doc.features[0].geometry else {
            Issue.record("no point")
            return
        }
        #expect(abs(p.x - 113.08) < 1e-7 && abs(p.y - 22.58) < 1e-7)
    }

    @Test func projectedCoordinatesWithoutCRSAreRefused() throws {
        let folder = try ScratchFolders.make("gridplan-ll")
        let file = folder.appendingPathComponent("p.geojson").path
        try Data(
            #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[113,22]}},{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[397000,2498000]}}]}"#
                .utf8
        )
        .write(to: URL(fileURLWithPath: file))
        let e = inputError { _ = try GeoJSONReader.read(path: file) }
        #expect(e?.rule == "crs.not-lonlat")
        #expect(e?.feature?.index == 1)
        try Data(#"{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[22.5,113.1]}}"#.utf8)
            .write(to: URL(fileURLWithPath: file))
        #expect(
            inputError { _ = try GeoJSONReader.read(path: file) }?.message.contains("latitude/longitude order") == true)
        #expect(inputError { _ = try GeoJSONReader.read(path: folder.path) }?.rule == "file.unreadable")
        #expect(inputError { _ = try GeoJSONReader.read(path: folder.path + "/none.geojson") }?.rule == "file.missing")
    }

    @Test func readsTheRealCountyOutlines() throws {
        let doc = try GeoJSONReader.read(path: RealData.url("boundaries/study_counties_amap_wgs84.geojson").path)
        #expect(doc.features.count == 14)
        #expect(doc.declaredCRS == "urn:ogc:def:crs:OGC:1.3:CRS84")
        #expect(doc.features.allSatisfy { $0.geometry?.isPolygonal == true })
        let codes = doc.features.compactMap { $0.properties["adcode"]?.identifierText }
        #expect(codes.contains("440784"))  // 鹤山市
    }
}
