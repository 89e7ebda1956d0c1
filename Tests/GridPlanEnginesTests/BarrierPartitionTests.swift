import Foundation
import GridPlanGeometry
import GridPlanGeometryValues
import GridPlanModel
import Testing

@testable import GridPlanEngines

/// A road from (x0, y0) to (x1, y1) metres, with a bend at the middle shifted by `bend` metres.
func road(_ id: String, _ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, bend: Double = 0) -> Barrier {
    let mid = ((x0 + x1) / 2 + (y0 == y1 ? 0 : bend), (y0 + y1) / 2 + (y0 == y1 ? bend : 0))
    return Barrier(
        id: id, lines: shapeInMetres([[(x0, y0), mid, (x1, y1)]]).map { Array($0.dropLast()) }, sourceIndex: 0)
}

/// Metres of the boundary between grids that lie within 1 m of a road, measured here, apart
/// from the engine: (Σ grid boundary in the zone − unit boundary in the zone) / 2, and the
/// boundary between grids in total.
func boundaryAlongRoads(
    _ grids: [Grid], unit: TerritorialUnit, roads: [Barrier]
) throws -> (onRoads: Double, total: Double) {
    let context = try GEOSContext()
    let frame = LocalFrame(around: unit.geometry.boundingBox!)
    let lines = Geometry.multiLineString(roads.flatMap(\.lines))
    let zone = try NativeGeometry(frame.forward(lines), in: context).buffer(1)
    func inZone(_ g: Geometry) throws -> Double {
        try NativeGeometry(frame.forward(g), in: context).boundary().intersection(zone).length()
    }
    func perimeter(_ g: Geometry) throws -> Double { try NativeGeometry(frame.forward(g), in: context).length() }
    let on = (try grids.reduce(0) { $0 + (try inZone($1.geometry)) } - inZone(unit.geometry)) / 2
    let total = (try grids.reduce(0) { $0 + (try perimeter($1.geometry)) } - perimeter(unit.geometry)) / 2
    return (on, total)
}

@Suite struct BarrierPartitionTests {
    /// A 1.2 km square community of 3,200 households crossed by an irregular street grid whose
    /// blocks are unequal (made-up plan): straight balanced cuts do not fall on the streets.
    let town = unit("T", .polygon(shapeInMetres([[(0, 0), (1200, 0), (1200, 1200), (0, 1200)]])), households: 3200)
    var streets: [Barrier] {
        [170.0, 420, 590, 830, 1010].map { road("v\(Int($0))", $0, -100, $0, 1300, bend: 30) }
            + [230.0, 480, 700, 960].map { road("h\(Int($0))", -100, $0, 1300, $0, bend: 20) }
    }

    @Test func gridBoundariesFollowStreetsWithinTheBand() async throws {
        let plain = try await PartitionEngine.run(units: [town])
        let routed = try await PartitionEngine.run(units: [town], options: PartitionOptions(barriers: streets))
        expectHardRules(routed, [town])
        // The band still holds for every grid: following a street never costs the band.
        #expect(routed.grids.count == plain.grids.count)
        #expect(routed.grids.allSatisfy { $0.band == .ok }, "\(routed.grids.map(\.households))")
        #expect(routed.microGrids.allSatisfy { $0.band == .ok }, "\(routed.microGrids.map(\.households))")
        let before = try boundaryAlongRoads(plain.grids, unit: town, roads: streets)
        let after = try boundaryAlongRoads(routed.grids, unit: town, roads: streets)
        #expect(before.onRoads / before.total < 0.3, "without barriers: \(before)")
        #expect(after.onRoads / after.total > 0.85, "with barriers: \(after)")
        // The engine's own figure agrees with the one measured here.
        let report = try #require(routed.units.first)
        #expect(abs(report.interiorOnBarrierMetres! - after.onRoads) < 0.01 * after.total)
        #expect(abs(report.interiorBoundaryMetres! - after.total) < 0.01 * after.total)
    }

    @Test func buildingsStayWholeWhenCutsFollowStreets() async throws {
        // Four 20 m buildings of 25 households in every block (128 buildings, 3,200 households),
        // and one long building across the street at x = 420 (it must stay whole).
        var buildings: [Building] = []
        let xs = [0.0, 170, 420, 590, 830, 1010, 1200], ys = [0.0, 230, 480, 700, 960, 1200]
        for i in 0..<6 {
            for j in 0..<5 {
                for (dx, dy) in [(0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75)] {
                    let x = xs[i] + dx * (xs[i + 1] - xs[i]) + 20, y = ys[j] + dy * (ys[j + 1] - ys[j])
                    buildings.append(
                        footprint("b\(buildings.count)", min(x, xs[i + 1] + 5) - 10, y - 10, households: 25))
                }
            }
        }
        buildings.append(footprint("across", 380, 560, 100, 20, households: 25))
        var u = town
        u.households = nil
        let result = try await PartitionEngine.run(
            units: [u], buildings: buildings, options: PartitionOptions(barriers: streets))
        #expect(result.units.allSatisfy { $0.splitBuildings.isEmpty })
        #expect(result.grids.reduce(0) { $0 + $1.households } == 25 * buildings.count)
        var whole = town
        whole.households = 25 * buildings.count
        expectHardRules(result, [whole])
        let along = try boundaryAlongRoads(result.grids, unit: town, roads: streets)
        #expect(along.onRoads / along.total > 0.6, "\(along)")
    }

    @Test func barriersThatDivideNothingChangeNothingForTheWorse() async throws {
        // A dead-end lane and a road outside the unit: no block to follow.
        let lanes = [road("lane", 600, 0, 600, 300), road("far", 2000, 0, 2000, 1200)]
        let result = try await PartitionEngine.run(units: [town], options: PartitionOptions(barriers: lanes))
        expectHardRules(result, [town])
        #expect(result.grids.allSatisfy { $0.band == .ok })
    }
}

@Suite struct BarrierDecodingTests {
    func feature(_ index: Int, _ geometry: Geometry?) -> SourceFeature {
        SourceFeature(index: index, geometry: geometry)
    }

    @Test func linesAndOutlinesAreBarriersPointsAreNot() {
        let a = Position(x: 113, y: 22), b = Position(x: 113.01, y: 22.01)
        let decoded = FeatureDecoder(file: "roads.geojson").barriers([
            feature(0, .lineString([a, b])),
            feature(1, .polygon([[a, b, Position(x: 113, y: 22.01), a]])),
            feature(2, .point(a)),
            feature(3, .lineString([a, a])),
            feature(4, nil),
        ])
        #expect(decoded.barriers.map(\.sourceIndex) == [0, 1])
        #expect(decoded.barriers[1].lines.count == 1 && decoded.barriers[1].lines[0].count == 4)
        #expect(decoded.diagnostics.map(\.rule) == ["geometry.wrong-type", "geometry.empty", "geometry.missing"])
        #expect(decoded.diagnostics.allSatisfy { $0.file == "roads.geojson" && $0.severity == .error })
        #expect(decoded.diagnostics[0].feature?.index == 2)
    }
}

@Suite struct ArrangementHalvesTests {
    /// The street grid of ``BarrierPartitionTests`` with a 12 m building in every 40 m cell
    /// (900 buildings, rows shifted): enough line work to be noded in two halves.
    @Test func atomsNodedInTwoHalvesAreTheAtomsNodedInOne() throws {
        let town = BarrierPartitionTests().town
        let streets = BarrierPartitionTests().streets
        let context = try GEOSContext()
        let shape = try NativeGeometry(town.geometry, in: context)
        let frame = LocalFrame(around: town.geometry.boundingBox!)
        var sites: [BuildingSite] = []
        for i in 0..<30 {
            for j in 0..<30 {
                // Rows shifted column by column, so that cells on either side of a street end on it
                // at different points (in a regular lattice they would meet it at the same ones).
                let shift = Double((i * 13 + j * 5) % 7) * 2
                let building = footprint("b\(i)-\(j)", Double(i) * 40 + 14, Double(j) * 40 + 8 + shift, 12, 12)
                let point = try #require(try NativeGeometry(building.geometry, in: context).interiorPoint())
                sites.append(
                    BuildingSite(
                        id: building.id, unitCode: town.code, point: point, footprint: building.geometry,
                        households: 1 + (i * 7 + j * 3) % 5, population: 3, householdsGiven: true))
            }
        }
        let groups = try BuildingGroups.make(sites, within: shape, frame: frame, context: context)
        let lines = try NativeGeometry(.multiLineString(streets.flatMap(\.lines)), in: context)
        func atoms(parallel: Bool, splitFrom: Int = ArrangementHalves.minimumVertices) throws -> StreetBlockAtoms {
            try StreetBlockAtoms(
                shape: shape, groups: groups, barrierLines: lines, frame: frame, context: context,
                gridSize: PartitionPrecision.gridSize, parallel: parallel, splitFrom: splitFrom)
        }
        // In one piece; in halves on two cores; in halves on one (the same faces: the output
        // must not depend on the number of cores).
        let one = try atoms(parallel: false, splitFrom: .max)
        let two = try atoms(parallel: true), twoOnOneCore = try atoms(parallel: false)
        #expect(one.halves == 1 && two.halves == 2 && twoOnOneCore.halves == 2)
        // The same atoms (by the buildings they hold and their areas) and the same neighbours:
        // each pair's shared length, and the part of it along a street, which is where the
        // halves meet (a pair lost at the cut would drop out of these lists).
        #expect(one.count == two.count)
        func atomKeys(_ a: StreetBlockAtoms) -> [String] {
            (0..<a.count).map { i in
                "\(a.members([i]).map { groups.ids[$0].joined() }.sorted()) \((a.areas[i] * 1000).rounded() / 1000)"
            }.sorted()
        }
        func same(_ a: [String], _ b: [String]) -> (Bool, String) {
            let differing = Set(a).symmetricDifference(b)
            return (a == b, "\(a.count) against \(b.count); differing: \(differing.sorted().prefix(6))")
        }
        let atomsAgree = same(atomKeys(one), atomKeys(two))
        #expect(atomsAgree.0, "\(atomsAgree.1)")
        func edgeKeys(_ a: StreetBlockAtoms) -> [String] {
            func key(_ i: Int) -> String { a.members([i]).map { groups.ids[$0].joined() }.sorted().joined() }
            return a.edges.map { e in
                let (k, l) = (key(e.a), key(e.b))
                return "\(min(k, l))|\(max(k, l)) \((e.metres * 1000).rounded()) \((e.alongBarrier * 1000).rounded())"
            }.sorted()
        }
        let edgesAgree = same(edgeKeys(one), edgeKeys(two))
        #expect(edgesAgree.0, "\(edgesAgree.1)")
        #expect(two.edges.contains { $0.alongBarrier > 0 })
        #expect(twoOnOneCore.edges.map(\.a) == two.edges.map(\.a) && twoOnOneCore.edges.map(\.b) == two.edges.map(\.b))
        #expect(twoOnOneCore.edges.map(\.metres) == two.edges.map(\.metres))
        #expect(twoOnOneCore.areas == two.areas && twoOnOneCore.weights == two.weights)
    }
}
