import Foundation
import GridPlanTestSupport
import Testing

@testable import GridPlanGeometry
@testable import GridPlanGeometryValues

@Suite struct PROJTests {
    /// Area of the WGS84 ellipsoid between two parallels over `degreesLongitude`, from the
    /// closed form of the authalic latitude (e.g. Snyder, Map Projections — A Working Manual,
    /// eq. 3-12): A = b²·Δλ/2 · [q(φ₂) − q(φ₁)], q(φ) = sinφ/(1−e²sin²φ) + ln((1+e sinφ)/(1−e sinφ))/(2e).
    func ellipsoidalBandArea(south: Double, north: Double, degreesLongitude: Double) -> Double {
        let a = 6_378_137.0, f = 1 / 298.257_223_563
        let b = a * (1 - f), e2 = f * (2 - f), e = e2.squareRoot()
        func q(_ phi: Double) -> Double {
            let s = sin(phi * .pi / 180)
            return s / (1 - e2 * s * s) + log((1 + e * s) / (1 - e * s)) / (2 * e)
        }
        return b * b * (degreesLongitude * .pi / 180) / 2 * (q(north) - q(south))
    }

    @Test func areasAgreeInTwoEqualAreaCRSsAndWithTheClosedForm() throws {
        let context = try GEOSContext()
        // A 1° × 1° cell over Jiangmen, edges densified to follow the graticule.
        let cell = densifiedCell(west: 112.5, south: 22, east: 113.5, north: 23)
        let expected = ellipsoidalBandArea(south: 22, north: 23, degreesLongitude: 1)
        let ease = try CoordinateTransformer(from: "EPSG:4326", to: "EPSG:6933")
        let local = try LocalProjection(centre: Position(x: 113, y: 22.5)).makeTransformer()
        let areaEASE = try NativeGeometry(ease.transform(cell), in: context).area()
        let areaLocal = try NativeGeometry(local.transform(cell), in: context).area()
        #expect(abs(areaEASE - expected) / expected < 1e-4)
        #expect(abs(areaLocal - expected) / expected < 1e-4)
        #expect(expected > 11.35e9 && expected < 11.43e9)  // ≈ 102.9 km × 110.7 km at 22.5°N
    }

    @Test func theLocalPipelineIsWhatPROJsOwnSearchFinds() throws {
        // makeTransformer gives the pipeline directly; PROJ's CRS-to-CRS search must agree with it.
        for centre in [Position(x: 113, y: 22.5), Position(x: 24.94, y: 60.17), Position(x: -70.6, y: -33.4)] {
            let projection = LocalProjection(centre: centre)
            let direct = try projection.makeTransformer()
            let searched = try CoordinateTransformer(from: "EPSG:4326", to: projection.definition)
            for dx in [-1.5, 0, 0.7] {
                for dy in [-1.2, 0, 0.9] {
                    let p = Position(x: centre.x + dx, y: centre.y + dy)
                    let (a, b) = (try direct.transform(p), try searched.transform(p))
                    #expect(abs(a.x - b.x) < 1e-6 && abs(a.y - b.y) < 1e-6, "\(p): \(a) vs \(b)")
                    // Inverse: the same as PROJ's (its series for the authalic latitude rounds trips to ~1e-8°).
                    let (back, searchedBack) = (
                        try direct.transform(a, inverse: true), try searched.transform(a, inverse: true)
                    )
                    #expect(abs(back.x - searchedBack.x) < 1e-12 && abs(back.y - searchedBack.y) < 1e-12)
                    #expect(abs(back.x - p.x) < 1e-6 && abs(back.y - p.y) < 1e-6)
                }
            }
        }
    }

    @Test func aBadPipelineCarriesPROJsText() throws {
        #expect {
            _ = try CoordinateTransformer(
                pipeline: "+proj=pipeline +step +proj=nosuchprojection", source: "EPSG:4326", target: "nowhere")
        } throws: { error in
            // PROJ's own text names the bad step.
            "\(error)".contains("proj_create_argv") && "\(error)".contains("Bad step definition: proj=nosuchprojection")
        }
    }

    /// The warm-up really makes a transformer (the empty pipeline is one PROJ accepts), and the
    /// ones made after it, on this thread or another, still transform.
    @Test func preparingPROJMakesAPipelineAndChangesNothing() throws {
        #expect(CoordinateTransformer.prepareLibrary())
        let p = Position(x: 113.08, y: 22.58)
        let noop = try CoordinateTransformer(pipeline: "+proj=noop", source: "noop", target: "noop")
        #expect(try noop.transform(p) == p)
        let local = try LocalProjection(around: BoundingBox(minX: 113, minY: 22.5, maxX: 113.2, maxY: 22.7))
            .makeTransformer()
        let metric = try local.transform(p)
        #expect(abs(metric.x) < 20_000 && abs(metric.y) < 20_000 && metric != p)
    }

    @Test func axisOrderIsLongitudeFirst() throws {
        // EPSG:4326 is latitude-first by definition; without normalisation this would swap.
        let gk = try CoordinateTransformer(from: "EPSG:4326", to: "EPSG:4547")  // CGCS2000 GK, CM 114°E
        let p = try gk.transform(Position(x: 113.08, y: 22.58))
        #expect(p.x > 390_000 && p.x < 410_000)  // ~95 km west of the 500 km false easting
        #expect(p.y > 2_490_000 && p.y < 2_510_000)
        let back = try gk.transform(p, inverse: true)
        #expect(abs(back.x - 113.08) < 1e-9 && abs(back.y - 22.58) < 1e-9)
    }

    @Test func projErrorsCarryPROJsText() throws {
        #expect {
            _ = try CoordinateTransformer(from: "EPSG:4326", to: "EPSG:999999")
        } throws: { error in
            "\(error)".contains("crs not found")
        }
        let mercator = try CoordinateTransformer(from: "EPSG:4326", to: "EPSG:3857")
        #expect(throws: GeometryLibraryError.self) { try mercator.transform(Position(x: 10, y: 95)) }
    }

    @Test func crsNamesParse() throws {
        #expect(try CRS(parsing: "urn:ogc:def:crs:OGC:1.3:CRS84") == .wgs84)
        #expect(try CRS(parsing: "EPSG:4326") == .wgs84)
        #expect(try CRS(parsing: "gcj02") == .gcj02)
        #expect(try CRS(parsing: "urn:ogc:def:crs:EPSG::4547") == .proj("EPSG:4547"))
        #expect(try CRS(parsing: "4547") == .proj("EPSG:4547"))
        #expect(throws: GeometryLibraryError.self) { try CRS(parsing: " ") }
    }
}

@Suite struct GCJ02Tests {
    @Test func roundTripIsWithinOneMicrodegree() {
        var rng = SeededGenerator(seed: 2026)
        var worst = 0.0
        for _ in 0..<2000 {
            let p = Position(x: Double.random(in: 74...134, using: &rng), y: Double.random(in: 4...53, using: &rng))
            let back = GCJ02.toWGS84(GCJ02.fromWGS84(p))
            worst = max(worst, abs(back.x - p.x), abs(back.y - p.y))
        }
        #expect(worst <= 1e-6)
    }

    @Test func offsetAtJiangmenIsAbout600Metres() {
        // data/SOURCES.md (real files): at Jiangmen GCJ − WGS ≈ +0.0054° lon, −0.0027° lat.
        let wgs = Position(x: 113.08, y: 22.58)
        let gcj = GCJ02.fromWGS84(wgs)
        #expect(abs(gcj.x - wgs.x - 0.0054) < 0.0008)
        #expect(abs(gcj.y - wgs.y + 0.0027) < 0.0008)
        // Outside China there is no offset.
        #expect(GCJ02.fromWGS84(Position(x: 2.35, y: 48.85)) == Position(x: 2.35, y: 48.85))
    }

    @Test func matchesTheIndependentConversionOfTheNBSPoints() throws {
        // The bundled NBS points file carries GCJ-02 originals and WGS84 values converted by
        // another implementation of the same public formula (SOURCES.md: ~1e-7° inverse).
        let data = try Data(contentsOf: RealData.url("admin_codes/nbs2016_town_village_points_converted_wgs84.geojson"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let features = try #require(json["features"] as? [[String: Any]])
        var compared = 0
        var worst = 0.0
        for feature in features {
            guard let props = feature["properties"] as? [String: Any],
                let lon = props["lon_gcj02"] as? Double, let lat = props["lat_gcj02"] as? Double,
                let wlon = props["lon_wgs84"] as? Double, let wlat = props["lat_wgs84"] as? Double
            else { continue }
            let ours = GCJ02.toWGS84(Position(x: lon, y: lat))
            worst = max(worst, abs(ours.x - wlon), abs(ours.y - wlat))
            compared += 1
        }
        #expect(compared == 682)
        #expect(worst < 1e-6)
    }
}

@Suite struct STRTreeTests {
    @Test func queryMatchesBruteForce() {
        var rng = SeededGenerator(seed: 7)
        let boxes: [BoundingBox?] = (0..<1500).map { i in
            if i % 97 == 0 { return nil }
            let x = Double.random(in: 0...1000, using: &rng), y = Double.random(in: 0...1000, using: &rng)
            return BoundingBox(
                minX: x, minY: y, maxX: x + Double.random(in: 0...30, using: &rng),
                maxY: y + Double.random(in: 0...30, using: &rng))
        }
        let tree = STRTree(boxes: boxes, nodeCapacity: 8)
        for _ in 0..<200 {
            let x = Double.random(in: -50...1000, using: &rng), y = Double.random(in: -50...1000, using: &rng)
            let q = BoundingBox(minX: x, minY: y, maxX: x + 60, maxY: y + 40)
            let brute = boxes.indices.filter { boxes[$0]?.intersects(q) ?? false }
            #expect(tree.query(q) == brute)
            // The early-stopping search answers as a scan of the brute-force list does.
            for k in [1, 3, 7] {
                var tried = Set<Int>()
                let found = tree.contains(intersecting: q) { i in
                    tried.insert(i)
                    return i % k == 0 && i % 2 == 1
                }
                #expect(found == brute.contains { $0 % k == 0 && $0 % 2 == 1 })
                #expect(tried.isSubset(of: Set(brute)))
                if !found { #expect(tried == Set(brute)) }
            }
        }
        #expect(STRTree(boxes: []).query(BoundingBox(minX: 0, minY: 0, maxX: 1, maxY: 1)).isEmpty)
    }
}
