import Foundation
import GRDB
import GridPlanGeometry
import GridPlanGeometryValues
import GridPlanModel
import GridPlanTestSupport
import Testing

@testable import GridPlanIO

func temporaryFolder(_ name: String) throws -> URL {
    try ScratchFolders.make("gridplan-\(name)")
}

@Suite struct PlanStoreTests {
    let withHole: Geometry = .polygon([
        [
            Position(x: 113, y: 22), Position(x: 113.1, y: 22), Position(x: 113.1, y: 22.1), Position(x: 113, y: 22.1),
            Position(x: 113, y: 22),
        ],
        [
            Position(x: 113.02, y: 22.02), Position(x: 113.02, y: 22.04), Position(x: 113.04, y: 22.04),
            Position(x: 113.04, y: 22.02),
            Position(x: 113.02, y: 22.02),
        ],
    ])

    func sampleUnits() -> [StoredUnit] {
        [
            StoredUnit(
                unit: TerritorialUnit(
                    code: "440784101001", name: "沙坪村", kind: .village, parent: "440784101000",
                    households: 420, population: 1300, geometry: withHole, sourceIndex: 0), areaSquareMetres: 1.2e8,
                sourceFile: "a"),
            StoredUnit(
                unit: TerritorialUnit(
                    code: "440784101002", name: "社区", kind: .community, households: 10, population: nil,
                    geometry: square(113.2, 22, 0.05), sourceIndex: 1), areaSquareMetres: 2.9e7, sourceFile: "a"),
        ]
    }

    func sampleBuildings() -> [StoredBuilding] {
        [
            StoredBuilding(
                building: Building(
                    id: "b1", geometry: .point(Position(x: 113.05, y: 22.05)), households: 12, sourceIndex: 0),
                unitCode: "440784101001", footprintSquareMetres: nil, sourceFile: "b"),
            StoredBuilding(
                building: Building(
                    id: "b2", geometry: square(113.21, 22.01, 0.0002), population: 30, levels: 6, sourceIndex: 1),
                unitCode: "440784101002", footprintSquareMetres: 450, sourceFile: "b"),
        ]
    }

    @Test func geometryBlobRoundTripsThroughTheGeoPackage() throws {
        let folder = try temporaryFolder("store")
        let path = folder.appendingPathComponent("plan.gpkg").path
        let run = PlanRun(command: "import", arguments: ["x"], inputs: ["a", "b"], summary: "2 units")
        try PlanStore.create(path) {
            try $0.replaceTerritory(units: sampleUnits(), buildings: sampleBuildings(), run: run)
        }
        let store = try PlanStore.open(path)
        let units = try store.units()
        #expect(units.count == 2)
        // Units are stored as MultiPolygon, as their layer declares.
        #expect(units[0].unit.geometry == .multiPolygon([withHole.polygons[0]]))
        #expect(units[0].unit.name == "沙坪村" && units[0].unit.households == 420 && units[1].unit.population == nil)
        #expect(try store.buildings().map(\.building.geometry) == sampleBuildings().map(\.building.geometry))
        #expect(try store.runs().map(\.command) == ["import"])
        // Blob header: "GP", version 0, flags 0x03 (little-endian, xy envelope), srs 4326.
        let blob = try DatabaseQueue(path: path).read { try Data.fetchOne($0, sql: "SELECT geom FROM units LIMIT 1") }!
        #expect(Array(blob.prefix(8)) == [0x47, 0x50, 0x00, 0x03, 0xE6, 0x10, 0x00, 0x00])
        #expect(blob[40] == 0x01)  // the WKB after the 32-byte envelope is little-endian
    }

    /// Points are encoded without GEOS: the bytes must equal the GEOS-made WKB after the header.
    @Test func pointBlobsMatchGEOSWKB() throws {
        let context = try GEOSContext()
        for p in [Position(x: 113.0771234, y: 22.5793307), Position(x: -0.5, y: 1e-9)] {
            let blob = try GeoPackageGeometry.encode(.point(p), context: context)
            #expect(blob.dropFirst(40) == (try NativeGeometry(.point(p), in: context).wkb()))
            #expect(try GeoPackageGeometry.decode(blob, context: context).geometry == .point(p))
        }
    }

    @Test func blobsFromOtherWritersDecode() throws {
        // A big-endian blob with no envelope, as another writer may produce: header
        // "GP" 00 00 (flags: big-endian, no envelope), srs 4326 big-endian, then WKB of
        // POINT(1 2) (little-endian WKB is allowed after a big-endian header).
        let context = try GEOSContext()
        let wkb = try NativeGeometry(.point(Position(x: 1, y: 2)), in: context).wkb()
        let blob = Data([0x47, 0x50, 0x00, 0x00, 0x00, 0x00, 0x10, 0xE6]) + wkb
        let decoded = try GeoPackageGeometry.decode(blob, context: context)
        #expect(decoded.srsID == 4326 && decoded.geometry == .point(Position(x: 1, y: 2)))
        #expect(throws: InputError.self) { _ = try GeoPackageGeometry.decode(Data([1, 2, 3]), context: context) }
    }

    @Test func failedWriteLeavesThePreviousPlanIntact() throws {
        let folder = try temporaryFolder("txn")
        let path = folder.appendingPathComponent("plan.gpkg").path
        let run = PlanRun(command: "import", arguments: [], inputs: [], summary: "")
        try PlanStore.create(path) { try $0.replaceTerritory(units: sampleUnits(), buildings: [], run: run) }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        // A duplicate code violates UNIQUE halfway through the transaction.
        var duplicate = sampleUnits()
        duplicate[1].unit.code = duplicate[0].unit.code
        #expect(throws: (any Error).self) {
            try PlanStore.open(path).replaceTerritory(units: duplicate, buildings: [], run: run)
        }
        #expect(try PlanStore.open(path).units().map(\.unit.code) == ["440784101001", "440784101002"])
        // A failed creation leaves no file behind.
        let fresh = folder.appendingPathComponent("fresh.gpkg").path
        #expect(throws: (any Error).self) {
            try PlanStore.create(fresh) { try $0.replaceTerritory(units: duplicate, buildings: [], run: run) }
        }
        #expect(!FileManager.default.fileExists(atPath: fresh))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["plan.gpkg"])
        _ = before
    }

    @Test(.enabled(if: Tool.gdal, "needs GDAL (ogrinfo, ogr2ogr from Debian gdal-bin; setup.sh installs it)"))
    func gdalReadsThePlanAsAGeoPackage() throws {
        let ogrinfo = "/usr/bin/ogrinfo"
        let folder = try temporaryFolder("gdal")
        let path = folder.appendingPathComponent("plan.gpkg").path
        let run = PlanRun(command: "import", arguments: [], inputs: [], summary: "")
        try PlanStore.create(path) {
            try $0.replaceTerritory(units: sampleUnits(), buildings: sampleBuildings(), run: run)
        }
        let units = try runProgram(ogrinfo, ["-so", "-ro", path, "units"])
        #expect(units.status == 0, "\(units.output)")
        #expect(units.output.contains("using driver `GPKG' successful"))
        #expect(units.output.contains("Geometry: Multi Polygon"))
        #expect(units.output.contains("Feature Count: 2"))
        #expect(units.output.contains("ID[\"EPSG\",4326]"))
        let buildings = try runProgram(ogrinfo, ["-so", "-ro", path, "buildings"])
        #expect(buildings.output.contains("Feature Count: 2"))
        // GDAL decodes our blobs: the hole survives.
        let feature = try runProgram(ogrinfo, ["-ro", "-q", path, "units", "-where", "code = '440784101001'"])
        #expect(feature.output.contains("MULTIPOLYGON (((113 22,"))
        #expect(feature.output.contains("),(113.02 22.02,113.02 22.04,113.04 22.04,113.04 22.02,113.02 22.02)))"))
        #expect(!units.output.contains("Warning") && !feature.output.contains("ERROR"))
    }

    /// The plan's R-tree indexes follow every write (our ST_* functions feed the triggers), and
    /// GDAL uses them: a spatial filter finds exactly the unit under it.
    @Test(.enabled(if: Tool.gdal, "needs GDAL (ogrinfo, ogr2ogr from Debian gdal-bin; setup.sh installs it)"))
    func spatialIndexFollowsWritesAndGDALUsesIt() throws {
        let ogrinfo = "/usr/bin/ogrinfo"
        let folder = try temporaryFolder("rtree")
        let path = folder.appendingPathComponent("plan.gpkg").path
        let run = PlanRun(command: "import", arguments: [], inputs: [], summary: "")
        try PlanStore.create(path) {
            try $0.replaceTerritory(units: sampleUnits(), buildings: sampleBuildings(), run: run)
        }
        let store = try PlanStore.open(path)
        // Replace with only the second unit: the index must drop the first (R-tree boxes are
        // float32, rounded outwards: 113.2 is stored as 113.19999…).
        try store.replaceTerritory(units: [sampleUnits()[1]], buildings: [], run: run)
        let indexed = try runProgram(
            ogrinfo, ["-ro", path, "-sql", "SELECT count(*) AS n, min(minx) AS x FROM rtree_units_geom"])
        #expect(
            indexed.output.contains("n (Integer) = 1") && indexed.output.contains("x (Real) = 113.19"),
            "\(indexed.output)")
        let has = try runProgram(ogrinfo, ["-ro", path, "-sql", "SELECT HasSpatialIndex('units', 'geom')"])
        #expect(has.output.contains("HasSpatialIndex (Integer) = 1"), "\(has.output)")
        let hit = try runProgram(ogrinfo, ["-ro", "-q", path, "units", "-spat", "113.21", "22.01", "113.22", "22.02"])
        #expect(hit.output.contains("440784101002"))
        let miss = try runProgram(ogrinfo, ["-ro", "-q", path, "units", "-spat", "113.0", "22.0", "113.1", "22.1"])
        #expect(!miss.output.contains("OGRFeature"))
    }

    @Test func openingSomethingElseFailsClearly() throws {
        let folder = try temporaryFolder("bad")
        let text = folder.appendingPathComponent("notes.gpkg").path
        try Data("hello".utf8).write(to: URL(fileURLWithPath: text))
        #expect(throws: InputError.self) { _ = try PlanStore.open(text) }
        #expect(throws: InputError.self) { _ = try PlanStore.open(folder.appendingPathComponent("none.gpkg").path) }
    }
}
