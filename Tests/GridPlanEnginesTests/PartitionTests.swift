import Foundation
import GridPlanGeometry
import GridPlanGeometryValues
import GridPlanModel
import Testing

@testable import GridPlanEngines

/// Shapes are drawn in metres around 113°E 22.5°N and converted to lon/lat, so sizes read
/// naturally (1° lat ≈ 110,574 m; 1° lon ≈ 102,850 m there).
func shapeInMetres(_ rings: [[(Double, Double)]]) -> [Ring] {
    rings.map { ring in
        let closed = ring.first! == ring.last! ? ring : ring + [ring.first!]
        return closed.map { Position(x: 113 + $0.0 / 102_850, y: 22.5 + $0.1 / 110_574) }
    }
}

func unit(_ code: String, _ geometry: Geometry, households: Int, urban: Bool = true) -> TerritorialUnit {
    TerritorialUnit(
        code: code, name: code, kind: urban ? .community : .village, households: households,
        population: households * 3, urban: urban, geometry: geometry)
}

func partition(_ units: [TerritorialUnit], gridCounts: [String: Int] = [:]) async throws -> PartitionResult {
    try await PartitionEngine.run(units: units, options: PartitionOptions(gridCounts: gridCounts))
}

/// The hard rules, as the engine's own verifier reports them, plus sums and contiguity.
func expectHardRules(
    _ result: PartitionResult, _ units: [TerritorialUnit], sourceLocation: SourceLocation = #_sourceLocation
) {
    for report in result.units {
        #expect(
            report.gapSquareMetres <= 1 && report.excessSquareMetres <= 1 && report.overlapSquareMetres <= 1,
            "\(report.unitCode): \(report)", sourceLocation: sourceLocation)
        #expect(
            report.microGapSquareMetres <= 1 && report.microExcessSquareMetres <= 1
                && report.microOverlapSquareMetres <= 1,
            "\(report.unitCode): \(report)", sourceLocation: sourceLocation)
        #expect(
            report.disconnectedGrids.isEmpty && report.disconnectedMicroGrids.isEmpty, sourceLocation: sourceLocation)
    }
    for u in units {
        let grids = result.grids.filter { $0.unitCode == u.code }
        #expect(grids.reduce(0) { $0 + $1.households } == u.households, sourceLocation: sourceLocation)
        for g in grids {
            let micro = result.microGrids.filter { $0.gridCode == g.code }
            #expect(micro.reduce(0) { $0 + $1.households } == g.households, sourceLocation: sourceLocation)
            #expect(micro.allSatisfy { $0.code.hasPrefix(g.code) }, sourceLocation: sourceLocation)
            if u.geometry.polygons.count == 1 {
                #expect(
                    g.geometry.polygons.count == 1, "\(g.code) has \(g.geometry.polygons.count) parts",
                    sourceLocation: sourceLocation)
            }
        }
    }
}

@Suite struct GridCountPolicyTests {
    let policy = GridCountPolicy(rules: PartitionRules())

    @Test func urbanCountsAimForTheBand() {
        #expect(policy.gridCount(households: 1200, population: 3000, urban: true) == 3)  // 400 each
        #expect(policy.gridCount(households: 250, population: 700, urban: true) == 1)  // too small: one grid, below
        // 275 (8% below) beats 550 (10% above)
        #expect(policy.gridCount(households: 550, population: 1500, urban: true) == 2)
        #expect(policy.gridCount(households: 3000, population: 9000, urban: true) == 6)
        // The resident cap forces a split even when households fit: 450 households, 3,000 residents.
        #expect(policy.gridCount(households: 450, population: 3000, urban: true) == 2)
    }

    @Test func ruralVillagesStayWholeUpTo500() {
        #expect(policy.gridCount(households: 480, population: 1400, urban: false) == 1)
        #expect(policy.gridCount(households: 900, population: 2700, urban: false) == 3)  // toward 300
        #expect(policy.gridCount(households: 520, population: 1500, urban: false) == 2)
        #expect(policy.gridCount(households: 0, population: 0, urban: false) == 1)
    }

    @Test func microGridsStayWithin20To100() {
        for h in [0, 15, 20, 99, 100, 101, 250, 480, 500] {
            for urban in [true, false] {
                let k = policy.microGridCount(households: h, urban: urban)
                #expect(k >= 1)
                if h >= 20 {
                    #expect(Double(h) / Double(k) >= 20 && Double(h) / Double(k) <= 100, "h \(h) urban \(urban) k \(k)")
                }
            }
        }
    }

    @Test func largestRemainderSumsExactly() {
        #expect(LargestRemainder.apportion(10, weights: [1, 1, 1]) == [4, 3, 3])
        #expect(LargestRemainder.apportion(7, weights: [0.5, 0.25, 0.25]).reduce(0, +) == 7)
        #expect(LargestRemainder.apportion(5, weights: [0, 0]) == [0, 0])
    }

    @Test func codesRunNorthToSouthThenWestToEast() {
        // Four parts in a 2 × 2 layout, given in scrambled order: SE, NW, SW, NE.
        let centroids = [
            Position(x: 10, y: 0), Position(x: 0, y: 10.4), Position(x: 0.3, y: 0.2), Position(x: 10, y: 10),
        ]
        #expect(StableCodes.order(centroids: centroids, rowHeight: 10) == [1, 3, 2, 0])
        #expect(StableCodes.sequence(7, digits: 3) == "007")
    }
}

@Suite struct PartitionEngineTests {
    @Test func cShapedVillage() async throws {
        // A C: 600 m × 600 m with a 400 m × 200 m notch open to the east.
        let c = unit(
            "C",
            .polygon(
                shapeInMetres([
                    [(0, 0), (600, 0), (600, 200), (200, 200), (200, 400), (600, 400), (600, 600), (0, 600)]
                ])),
            households: 2000)
        let result = try await partition([c])
        #expect(result.grids.count == 4)  // the fewest grids within 300–500: 4 × 500
        expectHardRules(result, [c])
        #expect(result.grids.allSatisfy { $0.households == 500 && $0.band == .ok })
    }

    @Test func unitWithAHole() async throws {
        let holed = unit(
            "H",
            .polygon(
                shapeInMetres([
                    [(0, 0), (1000, 0), (1000, 1000), (0, 1000)],
                    [(400, 400), (400, 600), (600, 600), (600, 400)],
                ])), households: 1600)
        let result = try await partition([holed])
        #expect(result.grids.count == 4)
        expectHardRules(result, [holed])
    }

    @Test func islandsJoinTheNearestGridAndAreNamed() async throws {
        let islands = unit(
            "I",
            .multiPolygon([
                shapeInMetres([[(0, 0), (1000, 0), (1000, 1000), (0, 1000)]]),
                shapeInMetres([[(1200, 100), (1250, 100), (1250, 150), (1200, 150)]]),  // islet, east
                shapeInMetres([[(-300, 900), (-250, 900), (-250, 950), (-300, 950)]]),  // islet, north-west
            ]), households: 1200)
        let result = try await partition([islands])
        #expect(result.grids.count == 3)
        expectHardRules(result, [islands])
        #expect(result.units[0].unitParts == 3)
        let multipart = result.grids.filter { $0.geometry.polygons.count > 1 }
        #expect(!multipart.isEmpty)
        #expect(
            multipart.allSatisfy {
                $0.notes.contains { $0.contains("islands") } && !$0.violations.contains("grid.disconnected")
            })
        #expect(result.grids.reduce(0) { $0 + $1.geometry.polygons.count } == 5)
    }

    @Test func zeroHouseholdUnitIsOneGridBelowTheBand() async throws {
        let empty = unit(
            "Z", .polygon(shapeInMetres([[(0, 0), (300, 0), (300, 300), (0, 300)]])), households: 0, urban: false)
        let result = try await partition([empty])
        #expect(result.grids.count == 1 && result.microGrids.count == 1)
        let grid = result.grids[0]
        #expect(grid.band == .below && grid.violations == ["households.below-band"])
        #expect(grid.notes.contains { $0.contains("no households") })
        expectHardRules(result, [empty])
    }

    @Test func combStaysConnected() async throws {
        // A comb: a spine with five long thin teeth; straight cuts easily fall apart here.
        let teeth: [(Double, Double)] =
            [(0, 0), (1100, 0), (1100, 100)]
            + (0..<5).reversed().flatMap { i -> [(Double, Double)] in
                let x = Double(i) * 220
                return [(x + 120, 100), (x + 120, 1000), (x, 1000), (x, 100)]
            }.dropLast() + [(0, 1000)]
        let comb = unit("K", .polygon(shapeInMetres([teeth])), households: 2400)
        let result = try await partition([comb])
        expectHardRules(result, [comb])
        #expect(result.grids.count == 5)
    }

    @Test func exactGridCountWhenAsked() async throws {
        let square = unit("N", .polygon(shapeInMetres([[(0, 0), (900, 0), (900, 900), (0, 900)]])), households: 2000)
        let result = try await partition([square], gridCounts: ["N": 7])
        #expect(result.grids.count == 7)
        #expect(result.units[0].requestedGrids == 7)
        let hh = result.grids.map(\.households)
        #expect(hh.max()! - hh.min()! <= 1)  // 285 or 286: even spread, below the band, reported
        #expect(result.grids.allSatisfy { $0.band == .below })
        expectHardRules(result, [square])
    }

    @Test func codesAreStableAndDeterministic() async throws {
        let square = unit(
            "440703001001", .polygon(shapeInMetres([[(0, 0), (1000, 0), (1000, 1000), (0, 1000)]])), households: 1600)
        let first = try await partition([square])
        let second = try await partition([square])
        #expect(first.grids == second.grids && first.microGrids == second.microGrids)
        #expect(
            first.grids.map(\.code) == ["440703001001001", "440703001001002", "440703001001003", "440703001001004"])
        // A square is cut into quarters, numbered NW, NE, SW, SE.
        let centres = first.grids.map { $0.geometry.boundingBox!.center }
        #expect(centres[0].y > centres[2].y && centres[0].x < centres[1].x)
        #expect(centres[3].y < centres[1].y && centres[3].x > centres[2].x)
        #expect(first.grids.allSatisfy { abs($0.compactness - .pi / 4) < 0.01 })  // squares: PP = π/4
        #expect(first.microGrids.first?.code == "44070300100100101")
    }

    @Test func containersAreNotPartitioned() async throws {
        let town = TerritorialUnit(
            code: "T", name: "T", kind: .town,
            geometry: .polygon(shapeInMetres([[(0, 0), (1000, 0), (1000, 1000), (0, 1000)]])))
        let village = unit(
            "V", .polygon(shapeInMetres([[(0, 0), (1000, 0), (1000, 1000), (0, 1000)]])), households: 300, urban: false)
        let result = try await partition([town, village])
        #expect(Set(result.grids.map(\.unitCode)) == ["V"])
    }
}

@Suite struct DedicatedGridTests {
    @Test func parksAndSchoolsAreCarvedOutOfTheirVillage() async throws {
        let village = TerritorialUnit(
            code: "V", name: "V", kind: .village, parent: "T", households: 900, population: 2700,
            geometry: .polygon(shapeInMetres([[(0, 0), (1000, 0), (1000, 1000), (0, 1000)]])))
        let school = TerritorialUnit(
            code: "S", name: "S", kind: .school, parent: "V",
            geometry: .polygon(shapeInMetres([[(400, 400), (600, 400), (600, 600), (400, 600)]])))  // inside: a hole
        let park = TerritorialUnit(
            code: "P", name: "P", kind: .park, parent: "V",
            geometry: .polygon(shapeInMetres([[(0, 0), (300, 0), (300, 200), (0, 200)]])))  // on the edge
        let result = try await PartitionEngine.run(units: [village, school, park])
        let villageGrids = result.grids.filter { $0.unitCode == "V" }
        #expect(villageGrids.allSatisfy { $0.kind == .comprehensive })
        #expect(villageGrids.reduce(0) { $0 + $1.households } == 900)
        let dedicated = result.grids.filter { $0.kind == .dedicated }
        #expect(Set(dedicated.map(\.unitCode)) == ["S", "P"] && dedicated.allSatisfy { $0.band == .exempt })
        // Village grids + dedicated grids tile the village: areas add up, nothing overlaps.
        let context = try GEOSContext()
        let all = try result.grids.map { try NativeGeometry($0.geometry, in: context) }
        let union = try NativeGeometry.unionAll(all, in: context)
        let villageArea = try NativeGeometry(village.geometry, in: context).area()
        #expect(abs(try union.area() - villageArea) / villageArea < 1e-9)
        #expect(abs(try all.reduce(0) { $0 + (try $1.area()) } - villageArea) / villageArea < 1e-9)
        #expect(result.units.allSatisfy { $0.gapSquareMetres <= 1 && $0.overlapSquareMetres <= 1 })
    }

    @Test func checkDoesNotCallAVillageWithAParkAGap() throws {
        let village = TerritorialUnit(
            code: "V", name: "V", kind: .village, households: 300, population: 900,
            geometry: .polygon(shapeInMetres([[(0, 0), (1000, 0), (1000, 1000), (0, 1000)]])), sourceIndex: 0)
        let park = TerritorialUnit(
            code: "P", name: "P", kind: .park, parent: "V",
            geometry: .polygon(shapeInMetres([[(0, 0), (300, 0), (300, 200), (0, 200)]])), sourceIndex: 1)
        let report = try CheckEngine.run(units: [("u", village), ("u", park)], files: ["u"])
        #expect(report.diagnostics.isEmpty, "\(report.diagnostics)")
    }
}

@Suite struct LineageTests {
    let squareGeometry = Geometry.polygon(shapeInMetres([[(0, 0), (1000, 0), (1000, 1000), (0, 1000)]]))

    func previous(_ result: PartitionResult) -> [PreviousGrid] {
        result.grids.map { PreviousGrid(code: $0.code, unitCode: $0.unitCode, geometry: $0.geometry) }
    }

    @Test func sameInputKeepsEveryCode() async throws {
        let units = [
            unit("A", squareGeometry, households: 1600),
            unit("B", .polygon(shapeInMetres([[(2000, 0), (3000, 0), (3000, 1000), (2000, 1000)]])), households: 800),
        ]
        let first = try await partition(units)
        let second = try await PartitionEngine.run(units: units, options: PartitionOptions(previous: previous(first)))
        #expect(second.grids.map(\.code) == first.grids.map(\.code))
        #expect(second.lineage?.allSatisfy { $0.status == .unchanged } == true)
        #expect(second.lineage?.count == first.grids.count)
    }

    @Test func growthSplitsAndNeverReusesRetiredCodes() async throws {
        let before = try await partition([unit("A", squareGeometry, households: 800)])  // 2 grids: A001, A002
        #expect(before.grids.map(\.code) == ["A001", "A002"])
        let after = try await PartitionEngine.run(
            units: [unit("A", squareGeometry, households: 1600)], options: PartitionOptions(previous: previous(before)))
        let lineage = try #require(after.lineage)
        #expect(after.grids.count == 4)
        // Two grids keep A001 and A002 (the best matches); the others continue at A003, A004.
        #expect(Set(after.grids.map(\.code)) == ["A001", "A002", "A003", "A004"])
        #expect(lineage.filter { $0.status == .split }.count + lineage.filter { $0.status == .merged }.count == 4)
        #expect(!lineage.contains { $0.status == .new || $0.status == .retired })
        // Shrinking back retires two codes, which a later growth must not reuse.
        let shrunk = try await PartitionEngine.run(
            units: [unit("A", squareGeometry, households: 800)],
            options: PartitionOptions(previous: previous(after), issuedSequences: after.issuedSequences))
        #expect(shrunk.issuedSequences["A"] == 4)  // remembered although A003/A004 are retired
        let retired = try #require(shrunk.lineage).filter { $0.status == .retired }
        #expect(retired.count == 2 && retired.allSatisfy { !$0.successors.isEmpty })
        let regrown = try await PartitionEngine.run(
            units: [unit("A", squareGeometry, households: 1600)],
            options: PartitionOptions(previous: previous(shrunk), issuedSequences: shrunk.issuedSequences))
        let kept = Set(shrunk.grids.map(\.code))
        let fresh = regrown.grids.map(\.code).filter { !kept.contains($0) }
        #expect(fresh.allSatisfy { $0 > "A004" }, "reused a retired code: \(fresh)")
    }

    @Test func removedUnitsRetireTheirGrids() async throws {
        let first = try await partition([
            unit("A", squareGeometry, households: 800), unit("B", squareGeometry, households: 300, urban: false),
        ])
        let second = try await PartitionEngine.run(
            units: [unit("A", squareGeometry, households: 800)], options: PartitionOptions(previous: previous(first)))
        #expect(second.lineage?.filter { $0.status == .retired }.map { $0.previous[0] } == ["B001"])
    }
}

@Suite struct MaritimeGridTests {
    @Test func seaZonesAreCutByAreaAndTiedToTheirHomeVillage() async throws {
        let village = unit(
            "V", .polygon(shapeInMetres([[(0, 0), (2000, 0), (2000, 2000), (0, 2000)]])), households: 400, urban: false)
        // 9.5 km × 6 km of sea south of the village: ~57 km² → 3 cells of ≤ 20 km².
        let sea = TerritorialUnit(
            code: "S", name: "S", kind: .maritime,
            geometry: .polygon(shapeInMetres([[(-3500, -6100), (6000, -6100), (6000, -100), (-3500, -100)]])))
        let named = TerritorialUnit(
            code: "N", name: "N", kind: .maritime, homePort: "V",
            geometry: .polygon(shapeInMetres([[(5000, 5000), (6000, 5000), (6000, 6000), (5000, 6000)]])))
        let result = try await PartitionEngine.run(units: [village, sea, named])
        let cells = result.grids.filter { $0.unitCode == "S" }
        #expect(cells.count == 3 && cells.allSatisfy { $0.kind == .maritime && $0.band == .exempt })
        #expect(cells.allSatisfy { $0.areaSquareMetres <= 20e6 * 1.001 })
        #expect(cells.allSatisfy { $0.homeUnit == "V" && $0.notes.contains { $0.contains("nearest land unit") } })
        #expect(result.grids.first { $0.unitCode == "N" }?.homeUnit == "V")
        #expect(result.units.allSatisfy { $0.gapSquareMetres <= 1 && $0.overlapSquareMetres <= 1 })
    }
}

@Suite struct LargestRemainderTests {
    @Test func sumsExactlyAndSurvivesHostileWeights() {
        #expect(LargestRemainder.apportion(10, weights: [1, 1, 1]) == [4, 3, 3])
        // Weights from a building of 1e308 levels: the sum overflows to infinity.
        let huge = LargestRemainder.apportion(400, weights: [1e308 * 100, 100, 100])
        #expect(huge.reduce(0, +) == 400 && huge[0] == 400)
        let inf = LargestRemainder.apportion(7, weights: [.infinity, 1, .nan, -3])
        #expect(inf.reduce(0, +) == 7 && inf == [7, 0, 0, 0])
        #expect(LargestRemainder.apportion(5, weights: [.nan, .nan]) == [0, 0])
    }
}
