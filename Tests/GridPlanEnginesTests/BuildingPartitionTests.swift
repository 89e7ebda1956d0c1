import Foundation
import GridPlanGeometryValues
import GridPlanModel
import Testing

@testable import GridPlanEngines

/// A footprint of `w` × `h` metres with its south-west corner at (x, y) metres.
func footprint(
    _ id: String, _ x: Double, _ y: Double, _ w: Double = 20, _ h: Double = 20, households: Int? = nil,
    levels: Double? = nil
)
    -> Building
{
    Building(
        id: id, geometry: .polygon(shapeInMetres([[(x, y), (x + w, y), (x + w, y + h), (x, y + h)]])),
        households: households, levels: levels)
}

@Suite struct BuildingPartitionTests {
    let block = unit("B", .polygon(shapeInMetres([[(0, 0), (600, 0), (600, 600), (0, 600)]])), households: 0)

    /// A 10 × 10 lattice of 20 m buildings, 60 m apart, 12 households each: 1,200 households.
    func lattice() -> [Building] {
        (0..<100).map { i in footprint("b\(i)", 20 + Double(i % 10) * 60, 20 + Double(i / 10) * 60, households: 12) }
    }

    func expectBuildingsWhole(_ result: PartitionResult, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.units.allSatisfy { $0.splitBuildings.isEmpty }, sourceLocation: sourceLocation)
    }

    @Test func gridsAreMadeOfWholeBuildings() async throws {
        var u = block
        u.households = nil
        let result = try await PartitionEngine.run(units: [u], buildings: lattice())
        #expect(result.grids.reduce(0) { $0 + $1.households } == 1200)
        #expect(result.grids.reduce(0) { $0 + ($1.buildings ?? 0) } == 100)
        #expect(result.microGrids.reduce(0) { $0 + ($1.buildings ?? 0) } == 100)
        // 1,200 households: 3 urban grids of about 400 (whole buildings of 12). The street-block
        // engine balances to within 8 % of the mean (then it prefers shorter boundaries), so
        // each grid is within 32 households, plus one building, of 400.
        #expect(result.grids.count == 3)
        #expect(
            result.grids.allSatisfy { $0.households % 12 == 0 && abs($0.households - 400) <= 44 && $0.band == .ok },
            "\(result.grids.map(\.households))")
        expectHardRules(
            result,
            [
                TerritorialUnit(
                    code: "B", name: "B", kind: .community, households: 1200, population: 3600, geometry: block.geometry
                )
            ])
        expectBuildingsWhole(result)
    }

    @Test func cutsDetourAroundFootprintsOnTheLine() async throws {
        // Long buildings across the middle: any straight cut near the centre crosses one.
        let slabs = (0..<6).map { i in footprint("s\(i)", 10 + Double(i) * 100, 250, 80, 100, households: 100) }
        var u = block
        u.households = nil
        let result = try await PartitionEngine.run(
            units: [u], buildings: slabs, options: PartitionOptions(gridCounts: ["B": 2]))
        #expect(result.grids.count == 2)
        #expect(result.grids.map(\.households).sorted() == [300, 300])
        expectBuildingsWhole(result)
    }

    @Test func oneHugeBuildingIsOneMicroGrid() async throws {
        // A tower with 900 households in a small plot: it cannot be split, so its grid and
        // micro-grid are that one building; the band miss is reported, not hidden.
        let plot = unit("T", .polygon(shapeInMetres([[(0, 0), (100, 0), (100, 100), (0, 100)]])), households: 900)
        let tower = footprint("tower", 30, 30, 40, 40, households: 900, levels: 60)
        let result = try await PartitionEngine.run(units: [plot], buildings: [tower])
        #expect(result.grids.count == 1 && result.microGrids.count == 1)
        #expect(result.grids[0].households == 900 && result.grids[0].band == .above)
        // A micro-grid of one building above the band is its own class, not counted in band.
        #expect(result.microGrids[0].band == .indivisible)
        expectBuildingsWhole(result)
    }

    @Test func aBuildingAboveTheMicroBandIsAMicroGridOfItsOwnAndNoneIsEmpty() async throws {
        // One tower of 250 households among 15 houses of 10 (400 in all), on an urban plot:
        // the tower alone is a micro-grid (it cannot be split); the 150 others are shared by
        // micro-grids in the 20–100 band, counted from what is left (150 ÷ 60 → 3, not 400 ÷ 60 → 7).
        let plot = unit("M", .polygon(shapeInMetres([[(0, 0), (400, 0), (400, 400), (0, 400)]])), households: 400)
        var buildings = [footprint("tower", 20, 20, 60, 60, households: 250)]
        for i in 0..<15 {
            buildings.append(footprint("h\(i)", 130 + Double(i % 5) * 50, 130 + Double(i / 5) * 80, households: 10))
        }
        let result = try await PartitionEngine.run(units: [plot], buildings: buildings)
        #expect(result.grids.count == 1)
        let micro = result.microGrids
        #expect(micro.count == 4, "\(micro.map(\.households))")
        let tower = micro.filter { $0.band == .indivisible }
        #expect(
            tower.count == 1 && tower.first?.households == 250 && tower.first?.buildings == 1,
            "\(micro.map(\.households))")
        #expect(
            micro.filter { $0.band != .indivisible }.allSatisfy { $0.band == .ok && $0.households > 0 },
            "\(micro.map(\.households))")
        #expect(micro.reduce(0) { $0 + $1.households } == 400)
        expectBuildingsWhole(result)
    }

    @Test func householdsSpreadByFloorAreaWhenMissing() async throws {
        // Two buildings without households: 4 storeys vs 1 storey, same footprint → 4 : 1.
        let u = unit("F", .polygon(shapeInMetres([[(0, 0), (300, 0), (300, 300), (0, 300)]])), households: 100)
        let result = try await PartitionEngine.run(
            units: [u], buildings: [footprint("tall", 20, 20, levels: 4), footprint("low", 200, 200, levels: 1)],
            options: PartitionOptions(gridCounts: ["F": 2]))
        #expect(result.grids.map(\.households).sorted() == [20, 80])
    }

    @Test func overlappingFootprintsStayTogether() async throws {
        // A building and a building part on top of it, plus others: the pair must never be split.
        var buildings = lattice()
        buildings.append(footprint("part-of-b44", 270, 270, 10, 10, households: 0))
        var u = block
        u.households = nil
        let result = try await PartitionEngine.run(units: [u], buildings: buildings)
        #expect(result.grids.reduce(0) { $0 + ($1.buildings ?? 0) } == 101)
        expectBuildingsWhole(result)
    }

    @Test func pointBuildingsWork() async throws {
        let points = (0..<40).map { i in
            Building(
                id: "p\(i)",
                geometry: .point(
                    Position(
                        x: 113 + (15 + Double(i % 8) * 70) / 102_850, y: 22.5 + (15 + Double(i / 8) * 110) / 110_574)),
                households: 25)
        }
        var u = block
        u.households = nil
        let result = try await PartitionEngine.run(units: [u], buildings: points)
        #expect(result.grids.reduce(0) { $0 + $1.households } == 1000)
        #expect(result.microGrids.allSatisfy { ($0.buildings ?? 0) >= 1 })
        expectBuildingsWhole(result)
    }
}
