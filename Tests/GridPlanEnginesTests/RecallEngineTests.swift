import Foundation
import GridPlanGeometry
import GridPlanGeometryValues
import GridPlanModel
import GridPlanTestSupport
import Testing

@testable import GridPlanEngines

/// Geometry for the recall tests: metres east/north of (112.8 °E, 21.8 °N), converted with the
/// same affine frame the engine uses (so "a square island of 2 km" is one in metres).
private let frame = LocalFrame(around: BoundingBox(minX: 112.8, minY: 21.8, maxX: 112.8, maxY: 21.8))
private func lonLat(_ x: Double, _ y: Double) -> Position { frame.inverse(Position(x: x, y: y)) }
private func square(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> [Ring] {
    [[lonLat(x0, y0), lonLat(x1, y0), lonLat(x1, y1), lonLat(x0, y1), lonLat(x0, y0)]]
}

/// True when segment ab meets the interior or boundary of the polygon (independent of the
/// raster: exact segment–edge intersection and point-in-polygon, in metres).
private func segmentTouches(_ a: Position, _ b: Position, polygon: [Ring]) -> Bool {
    let p = frame.forward(a), q = frame.forward(b)
    func cross(_ o: Position, _ u: Position, _ v: Position) -> Double {
        (u.x - o.x) * (v.y - o.y) - (u.y - o.y) * (v.x - o.x)
    }
    for ring in polygon {
        let r = ring.map(frame.forward)
        for k in 0..<(r.count - 1) {
            let c = r[k], d = r[k + 1]
            let d1 = cross(c, d, p), d2 = cross(c, d, q), d3 = cross(p, q, c), d4 = cross(p, q, d)
            if (d1 * d2 <= 0) && (d3 * d4 <= 0) { return true }
        }
    }
    // No edge crossed: the segment is wholly inside or wholly outside; test its midpoint.
    let m = Position(x: (p.x + q.x) / 2, y: (p.y + q.y) / 2)
    var inside = false
    for ring in polygon {
        let r = ring.map(frame.forward)
        for k in 0..<(r.count - 1) where (r[k].y > m.y) != (r[k + 1].y > m.y) {
            if m.x < r[k].x + (m.y - r[k].y) / (r[k + 1].y - r[k].y) * (r[k + 1].x - r[k].x) { inside.toggle() }
        }
    }
    return inside
}

private func length(_ route: [Position]) -> Double {
    zip(route, route.dropFirst()).reduce(0) { $0 + greatCircleMetres($1.0, $1.1) }
}

@Suite struct SeaRoutingTests {
    /// A 2 km square island between a vessel 3 km west of its centre and a port 3 km east: the
    /// shortest way round passes two corners, 2·√(2² + 1²) + 2 = 6.472 km.
    @Test func routeGoesRoundAnIslandNearTheShortestWay() throws {
        let island = square(-1_000, -1_000, 1_000, 1_000)
        let extent = BoundingBox(
            minX: lonLat(-6_000, -6_000).x, minY: lonLat(-6_000, -6_000).y, maxX: lonLat(6_000, 6_000).x,
            maxY: lonLat(6_000, 6_000).y)
        let raster = SeaRaster(land: [island], sea: nil, extent: extent, cellMetres: 50)
        let from = lonLat(-3_000, 0), to = lonLat(3_000, 0)
        let portCell = try #require(raster.nearestOpenCell(to: to, within: 1_000))
        let tree = raster.shortestPaths(from: portCell.cell)
        let start = try #require(raster.nearestOpenCell(to: from, within: 1_000))
        let cells = SeaRaster.path(from: start.cell, towards: tree.towards)
        let route = [from] + raster.straightened(cells.map(raster.centre)) + [to]
        for (a, b) in zip(route, route.dropFirst()) {
            #expect(!segmentTouches(a, b, polygon: island), "a leg crosses the island")
        }
        let shortest = 2 * (5.0).squareRoot() * 1_000 + 2_000
        let metres = length(route)
        #expect(
            metres >= shortest * 0.999 && metres <= shortest * 1.03,
            "route \(metres) m against the shortest \(shortest) m")
        // The raster path before straightening is no shorter, and at most 2.7 % + a cell longer than the straightened
        // one.
        #expect(Double(tree.metres[start.cell]) >= metres - 2 * 50)
    }

    /// A channel between two islands narrower than a cell is closed; a wide one is taken.
    @Test func narrowChannelsAreClosedWideOnesOpen() throws {
        let extent = BoundingBox(
            minX: lonLat(-6_000, -6_000).x, minY: lonLat(-6_000, -6_000).y, maxX: lonLat(6_000, 6_000).x,
            maxY: lonLat(6_000, 6_000).y)
        let from = lonLat(-3_000, 0), to = lonLat(3_000, 0)
        for (gap, expectOpen) in [(20.0, false), (600.0, true)] {
            let north = square(-500, gap / 2, 500, 5_000), south = square(-500, -5_000, 500, -gap / 2)
            let raster = SeaRaster(land: [north, south], sea: nil, extent: extent, cellMetres: 50)
            let tree = raster.shortestPaths(from: try #require(raster.nearestOpenCell(to: to, within: 500)).cell)
            let start = try #require(raster.nearestOpenCell(to: from, within: 500)).cell
            let metres = Double(tree.metres[start])
            if expectOpen {
                #expect(metres < 6_400, "gap \(gap) m: \(metres) m")
            } else {
                #expect(metres > 10_000, "gap \(gap) m should be closed, route \(metres) m")
            }
            let route =
                [from] + raster.straightened(SeaRaster.path(from: start, towards: tree.towards).map(raster.centre)) + [
                    to
                ]
            for (a, b) in zip(route, route.dropFirst()) {
                #expect(!segmentTouches(a, b, polygon: north) && !segmentTouches(a, b, polygon: south))
            }
        }
    }

    /// With a sea area given, routes stay inside it: a U-shaped bay forces the long way.
    @Test func routesStayInsideTheSeaArea() throws {
        // Sea: a 10 × 10 km square; land: a wall from beyond its south edge up to 3 km north.
        let sea = square(-5_000, -5_000, 5_000, 5_000)
        let extent = BoundingBox(
            minX: lonLat(-6_000, -6_000).x, minY: lonLat(-6_000, -6_000).y, maxX: lonLat(6_000, 6_000).x,
            maxY: lonLat(6_000, 6_000).y)
        let wall = square(-200, -5_100, 200, 3_000)
        let raster = SeaRaster(land: [wall], sea: [sea], extent: extent, cellMetres: 50)
        let from = lonLat(-2_000, -4_000), to = lonLat(2_000, -4_000)
        let tree = raster.shortestPaths(from: try #require(raster.nearestOpenCell(to: to, within: 500)).cell)
        let start = try #require(raster.nearestOpenCell(to: from, within: 500)).cell
        let route =
            [from] + raster.straightened(SeaRaster.path(from: start, towards: tree.towards).map(raster.centre)) + [to]
        let outside = [
            [
                lonLat(-7_000, 5_000), lonLat(7_000, 5_000), lonLat(7_000, 7_000), lonLat(-7_000, 7_000),
                lonLat(-7_000, 5_000),
            ]
        ]
        for (a, b) in zip(route, route.dropFirst()) {
            #expect(!segmentTouches(a, b, polygon: wall))
            #expect(!segmentTouches(a, b, polygon: outside), "left the sea area")
        }
        // Round the wall's end (3 km north, outside the sea beyond 5 km) and back: at least 2 × √(2² + 7²) km.
        #expect(length(route) >= 2 * (53.0).squareRoot() * 1_000 * 0.999)
    }
}

@Suite struct GaleModelTests {
    /// 100 kn at 22 °N: Rmax = 46.4·exp(−0.0155·51.44 + 0.0169·22) = 30.33 km, gale radius
    /// = 30.33 · (100/34)² = 262.4 km (hand calculation of the formula in GaleModel).
    @Test func galeRadiusFollowsTheVortexFormula() {
        let r = GaleModel.galeRadiusMetres(windKnots: 100, latitude: 22, galeKnots: 34, exponent: 0.5)
        #expect(abs(r - 262_400) < 500, "\(r)")
        #expect(GaleModel.galeRadiusMetres(windKnots: 30, latitude: 22, galeKnots: 34, exponent: 0.5) == 0)
    }

    /// A storm moving due north at 20 km/h with a steady wind, towards a vessel whose port lies
    /// due north. Faster than the storm, the vessel must only leave before the gale reaches it;
    /// slower, it must arrive before the gale reaches the port: latest = t_port − L / s. The
    /// gale's arrival times are found by bisection on the continuous model (the radius follows
    /// the centre's latitude), independently of the voyage search under test.
    @Test func latestDepartureMatchesTheGaleArrival() throws {
        let t0 = Date(timeIntervalSince1970: 1_537_000_000)
        let wind = 80.0
        // Storm from 400 km south of the vessel, moving north 20 km/h for 40 h.
        let start = lonLat(0, -400_000), end = lonLat(0, -400_000 + 20_000 * 40)
        let track = TyphoonTrack(
            id: "T",
            fixes: [
                TrackFix(time: t0, centre: start, windKnots: wind),
                TrackFix(time: t0 + 40 * 3_600, centre: end, windKnots: wind),
            ])
        let gale = GaleModel(track: track, galeKnots: 34, exponent: 0.5)
        let vessel = lonLat(0, 0)
        for (speedKnots, portNorth) in [(15.0, 30_000.0), (5.0, 60_000.0)] {
            let port = lonLat(0, portNorth)
            let voyage = Voyage(points: [vessel, port], speedKnots: speedKnots)
            guard case .at(let latest) = voyage.latestDeparture(now: t0, gale: gale) else {
                Issue.record("expected a latest departure")
                continue
            }
            // When the gale first reaches a point, to the second, by bisection on the continuous
            // model (its radius follows the centre's latitude, so this is not a straight division).
            func arrival(_ p: Position) -> Double {
                var low = 0.0, high = 40 * 3_600.0
                while high - low > 1 {
                    let mid = (low + high) / 2
                    if gale.hasGale(at: p, time: t0 + mid) { high = mid } else { low = mid }
                }
                return high / 3_600
            }
            let speed = speedKnots * 1.852  // km/h
            let expected = speed > 20 ? arrival(vessel) : arrival(port) - voyage.seconds / 3_600
            let hours = latest.timeIntervalSince(t0) / 3_600
            #expect(
                hours <= expected + 0.01 && hours >= expected - 0.35,
                "speed \(speedKnots) kn: latest \(hours) h, expected \(expected) h")
        }
    }
}

@Suite struct BerthAssignmentTests {
    /// Every assignment of up to 7 vessels (more than ports + 2, so the cost spacing is put to
    /// the test) to 3 ports (or none) within the berths: the
    /// engine's choice equals the lexicographic minimum (no berth, late, metres).
    @Test func equalsBruteForce() {
        var rng = SeededGenerator(seed: 11)
        for trial in 0..<200 {
            let n = Int.random(in: 1...7, using: &rng), ports = 3
            let berths = (0..<ports).map { _ in Int.random(in: 0...3, using: &rng) }
            let options = (0..<n).map { _ in
                (0..<ports).shuffled(using: &rng).prefix(Int.random(in: 0...ports, using: &rng)).map {
                    BerthAssignment.Option(
                        port: $0, metres: Int.random(in: 100...50_000, using: &rng),
                        late: Int.random(in: 0..<4, using: &rng) == 0)
                }
            }
            func cost(_ choice: [Int?]) -> (Int, Int, Int) {
                var c = (0, 0, 0)
                for (v, p) in choice.enumerated() {
                    guard let p, let o = options[v].first(where: { $0.port == p }) else { c.0 += 1; continue }
                    c.1 += o.late ? 1 : 0
                    c.2 += o.metres
                }
                return c
            }
            var best: (Int, Int, Int)?
            func search(_ v: Int, _ choice: [Int?], _ left: [Int]) {
                if v == n {
                    let c = cost(choice)
                    if best == nil || c < best! { best = c }
                    return
                }
                search(v + 1, choice + [nil], left)
                for o in options[v] where left[o.port] > 0 {
                    var l = left
                    l[o.port] -= 1
                    search(v + 1, choice + [o.port], l)
                }
            }
            search(0, [], berths)
            let found = BerthAssignment.solve(options: options, berths: berths)
            var used = [Int](repeating: 0, count: ports)
            for p in found.compactMap({ $0 }) { used[p] += 1 }
            #expect(zip(used, berths).allSatisfy { $0 <= $1 }, "trial \(trial): berths exceeded")
            #expect(cost(found) == best!, "trial \(trial): \(cost(found)) against the optimum \(best!)")
        }
    }

    /// The spacing grows with the ports, not the vessels: 10,000 vessels and 20 ports 300 km
    /// apart keep whole metres (the unit only coarsens where the 64-bit bound demands it).
    @Test func metreUnitsAtCityScale() {
        let large = [[BerthAssignment.Option]](
            repeating: [BerthAssignment.Option(port: 0, metres: 300_000, late: false)], count: 10_000)
        #expect(BerthAssignment.unitMetres(options: large, ports: 20) == 1)
    }
}

@Suite struct RecallEngineTests {
    let now = Date(timeIntervalSince1970: 1_536_969_600)  // 2018-09-15 08:00 CST

    func vessel(_ id: String, x: Double, y: Double, hp: Double = 100, knots: Double = 10, line: Int = 2) -> Vessel {
        Vessel(
            id: id, name: id, homeUnit: "U", crew: 3, powerHp: hp, position: lonLat(x, y), fixTime: now,
            speedKnots: knots, line: line)
    }

    /// Land: the half-plane y < 0 (a 40 km coast), ports on the coast at x = ±5 km with one
    /// berth each. Both vessels are nearest to the west port; one must go east.
    @Test func berthsRespectedStatusesAndLists() throws {
        let coast = square(-20_000, -20_000, 20_000, 0)
        let ports = [
            ShelterPort(id: "W", name: "west", point: lonLat(-5_000, 0), berths: 1, sourceIndex: 0),
            ShelterPort(id: "E", name: "east", point: lonLat(5_000, 0), berths: 1, sourceIndex: 1),
        ]
        let vessels = [
            vessel("A", x: -6_000, y: 3_000), vessel("B", x: -5_500, y: 8_000),
            vessel("S", x: -4_000, y: 2_000, hp: 20),  // small boat: hauled out, takes no berth
            vessel("I", x: 5_200, y: 300),  // in the east port already
            vessel("F", x: -15_000, y: 14_000, knots: 6),
        ]
        // Deadline 3 h from now: 10 kn covers 55 km, 6 kn 33 km.
        let result = try RecallEngine.run(
            vessels: vessels, ports: ports, land: [coast], sea: nil, now: now, landfall: now + (26 + 3) * 3_600,
            track: nil, rules: RecallRules())
        let by = Dictionary(uniqueKeysWithValues: result.vessels.map { (vessels[$0.vessel].id, $0) })
        #expect(by["I"]!.status == .inPort && by["I"]!.port == 1)
        #expect(by["S"]!.smallBoat && by["S"]!.port == 0)
        // West has 1 berth, east 1 berth minus the vessel in it: only one of A, B, F gets a berth.
        let berthed = ["A", "B", "F"].filter { by[$0]!.port != nil }
        #expect(berthed.count == 1, "\(berthed)")
        #expect(
            result.ports[0].assigned + result.ports[0].alreadyIn <= 1
                && result.ports[1].assigned + result.ports[1].alreadyIn <= 1)
        // The nearest by sea gets the berth (A is 3.2 km from W; B 8 km; F farther).
        #expect(by["A"]!.port == 0)
        #expect(by["B"]!.status == .atRisk && by["B"]!.notes.joined().contains("no free berth"))
        // A's ETA: its route's length (open water + approach legs) at 10 kn; latest departure =
        // deadline − that time. The length is the route's geodesic length, leg by leg.
        let a = by["A"]!
        let length = a.seaMetres + a.approachMetres
        #expect(abs(length - Geodesic.length(of: a.route)) < 0.01)
        #expect(abs(a.eta!.timeIntervalSince(now) - length / (10 * 1852 / 3600)) < 1)
        #expect(abs(a.latestDeparture!.timeIntervalSince(result.deadline!) + length / (10 * 1852 / 3600)) < 1)
        #expect(a.status == .canMakeIt)
        for r in result.vessels where r.route.count >= 2 {
            // Open-water legs (all but the first and last) keep off the land.
            let legs = Array(zip(r.route, r.route.dropFirst()))
            for (p, q) in legs.dropFirst().dropLast() { #expect(!segmentTouches(p, q, polygon: coast)) }
        }
        // Urgency order: statuses in order.
        #expect(result.vessels.map(\.status) == result.vessels.map(\.status).sorted())
    }

    @Test func tooFarForTheDeadlineIsEscalated() throws {
        let coast = square(-20_000, -20_000, 20_000, 0)
        let ports = [ShelterPort(id: "P", name: "p", point: lonLat(0, 0), berths: 5)]
        let vessels = [vessel("far", x: 0, y: 30_000, knots: 6), vessel("near", x: 0, y: 5_000)]
        // Deadline 1 h from now: 6 kn covers 11 km.
        let result = try RecallEngine.run(
            vessels: vessels, ports: ports, land: [coast], sea: nil, now: now, landfall: now + 27 * 3_600, track: nil,
            rules: RecallRules())
        let by = Dictionary(uniqueKeysWithValues: result.vessels.map { (vessels[$0.vessel].id, $0) })
        #expect(by["far"]!.status == .cannotMakeIt && by["far"]!.latestDeparture == nil)
        #expect(by["near"]!.status == .atRisk, "under 2 h of slack is at risk")
        #expect(result.vessels.first.map { vessels[$0.vessel].id } == "far")
    }

    @Test func aVesselOnLandOrAPortInlandIsNamed() throws {
        let coast = square(-20_000, -20_000, 20_000, 0)
        let ports = [ShelterPort(id: "P", name: "p", point: lonLat(0, 0), berths: 5, sourceIndex: 0)]
        #expect(throws: InputError.self) {
            try RecallEngine.run(
                vessels: [vessel("inland", x: 0, y: -10_000, line: 7)], ports: ports, land: [coast], sea: nil, now: now,
                landfall: now + 30 * 3_600,
                track: nil, rules: RecallRules())
        }
        do {
            _ = try RecallEngine.run(
                vessels: [vessel("inland", x: 0, y: -10_000, line: 7)], ports: ports, land: [coast], sea: nil, now: now,
                landfall: now + 30 * 3_600,
                track: nil, rules: RecallRules())
        } catch let error as InputError {
            #expect(error.line == 7 && error.rule == "vessels.inland")
        }
        // Asked to drop them, the engine plans the others and names the dropped vessel.
        let kept = try RecallEngine.run(
            vessels: [vessel("inland", x: 0, y: -10_000, line: 7), vessel("ok", x: 0, y: 5_000, line: 8)], ports: ports,
            land: [coast], sea: nil, now: now,
            landfall: now + 30 * 3_600, track: nil, rules: RecallRules(), dropInland: true)
        #expect(kept.vessels.map(\.vessel) == [1] && kept.dropped.map(\.line) == [7])
        let inlandPort = [ShelterPort(id: "Q", name: "q", point: lonLat(0, -12_000), berths: 5, sourceIndex: 3)]
        do {
            _ = try RecallEngine.run(
                vessels: [vessel("v", x: 0, y: 5_000)], ports: inlandPort, land: [coast], sea: nil, now: now,
                landfall: now + 30 * 3_600, track: nil,
                rules: RecallRules())
            Issue.record("an inland port was accepted")
        } catch let error as InputError {
            #expect(error.feature?.index == 3 && error.rule == "ports.inland")
        }
    }
}

@Suite struct ResponsiblePersonsTests {
    @Test func vesselsAreSpreadOverTheHomeGridsAndEveryoneHasOne() {
        let c = { (id: String, grid: String) in
            RecallContact(personID: id, name: id, phone: "", role: .fullTime, gridCode: grid)
        }
        let contacts = ["G1": [c("p1", "G1")], "G2": [c("p2", "G2")], "G3": []]
        let ids = (1...7).map { "V\($0)" }
        let result = ResponsiblePersons.assign(
            vesselIDs: ids, homeGrids: Array(repeating: ["G1", "G2", "G3"], count: 7), contacts: contacts)
        let counts = Dictionary(grouping: result.compactMap { $0?.personID }, by: { $0 }).mapValues(\.count)
        #expect(counts["p1"] == 4 && counts["p2"] == 3)
        #expect(ResponsiblePersons.assign(vesselIDs: ["X"], homeGrids: [["G3"]], contacts: contacts) == [nil])
    }
}
