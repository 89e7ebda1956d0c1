import Foundation
import GridPlanGeometry
import GridPlanGeometryValues
import GridPlanModel

/// What the recall decided for one vessel.
public struct VesselRecall: Sendable, Equatable {
    /// Index into the input vessels.
    public var vessel: Int
    public var status: RecallStatus
    /// Index into the input ports: where it shelters (or is already).
    public var port: Int?
    /// The route by sea, lon/lat, vessel first; empty when in port or without a port.
    public var route: [Position]
    /// The open-water part of `route` (all legs but the first and the last), metres on the
    /// WGS84 ellipsoid.
    public var seaMetres: Double
    /// The first and last legs of `route`: from the vessel to open water and from open water
    /// into the port (harbour, river mouth). `seaMetres + approachMetres` is the geodesic
    /// length of `route`, which the ETA and the latest departure are computed from.
    public var approachMetres: Double
    /// Arrival when leaving now.
    public var eta: Date?
    /// The latest time to turn back; nil when even leaving now is too late, or no port.
    public var latestDeparture: Date?
    /// True when the gale never reaches the route within the track and no landfall is given.
    public var noDeadline: Bool
    /// Arrival when leaving at the latest departure.
    public var inPortBy: Date?
    /// When gales first reach the vessel's position (track only).
    public var galeAtPosition: Date?
    public var smallBoat: Bool
    public var notes: [String]
}

public struct PortLoad: Sendable, Equatable {
    public var berths: Int
    /// Vessels already within the port at the fix.
    public var alreadyIn: Int
    /// Vessels sent there (small boats, which are hauled out, not counted).
    public var assigned: Int
    public var smallBoats: Int
}

public struct RecallResult: Sendable {
    public var vessels: [VesselRecall]
    public var ports: [PortLoad]
    public var now: Date
    /// In port by (landfall − lead hours), when a landfall time is given.
    public var deadline: Date?
    public var trackID: String?
    /// Raster figures, for the summary.
    public var cells: Int
    public var openCells: Int
    public var distanceUnitMetres: Int
    /// Wall time of the run, filled by the workflow that timed it (engines read no clock).
    public var seconds: Double
    /// Vessels left out with `dropInland` (too far from open water), as errors naming their line.
    public var dropped: [InputError]
}

/// Sizes beyond which a recall is refused rather than left to run out of memory.
public enum RecallLimits {
    /// 4 M cells: 500 km × 500 km at 250 m (a province's fishing grounds); Jiangmen's fleet needs 0.24 M.
    public static let maxRasterCells = 4_000_000
}

/// Typhoon fishing-vessel recall: every vessel at sea gets a shelter port with a free berth
/// (``BerthAssignment``), a route by sea that never crosses land (``SeaRaster``), its ETA,
/// the latest time it must turn back, and a status. The deadline is the landfall time less
/// `recall.lead_hours`, or the time gales reach the vessel on its way (``GaleModel`` on a
/// best track), or the earlier of the two when both are given.
public enum RecallEngine {
    /// Ports a vessel may be sent to: its nearest by sea (the flow needs no more in practice;
    /// a vessel whose nearest are all full is listed without a berth).
    static let candidatePorts = 8

    public static func run(
        vessels: [Vessel], ports: [ShelterPort], land: [[Ring]], sea: [[Ring]]?, now: Date, landfall: Date?,
        track: TyphoonTrack?,
        rules: RecallRules, dropInland: Bool = false, progress: @Sendable (String) -> Void = { _ in }
    ) throws -> RecallResult {
        guard !ports.isEmpty else {
            throw InputError(rule: "ports.empty", "no shelter ports: a recall needs at least one")
        }
        let inPort = vessels.map { nearestPortWithin(rules.inPortMetres.value, of: $0.position, ports: ports) }
        let raster = try seaRaster(vessels: vessels, ports: ports, land: land, sea: sea, rules: rules)
        progress(
            "sea raster: \(raster.columns) × \(raster.rows) cells of \(Int(rules.cellMetres.value)) m, "
                + "\(raster.openCellCount) open"
        )
        let water = try OpenWater(
            raster: raster, vessels: vessels, ports: ports, inPort: inPort, approachKm: rules.approachKm.value,
            dropInland: dropInland)
        let voyage = VoyagePlanner(
            vessels: vessels, ports: ports, rules: rules, now: now, raster: raster, water: water,
            gale: track.map {
                GaleModel(track: $0, galeKnots: rules.galeWindKnots.value, exponent: rules.vortexExponent.value)
            },
            deadline: landfall.map { $0.addingTimeInterval(-rules.leadHours.value * 3_600) },
            small: vessels.map { $0.powerHp < rules.smallBoatHp.value }, inPort: inPort)
        progress("routed the sea from \(ports.count) ports")

        let kept = vessels.indices.filter { inPort[$0] != nil || water.vessels[$0] != nil }
        let candidates = voyage.candidates()
        let options = candidates.map { $0.map(\.option) }
        let (portOf, unit, sailing) = assignBerths(options: options, kept: kept, voyage: voyage)
        progress("assigned \(sailing) vessels to berths")

        let decided = ConcurrentSlots<VesselRecall>(count: kept.count)
        DispatchQueue.concurrentPerform(iterations: kept.count) { k in
            decided.set(k, voyage.decide(kept[k], port: portOf[kept[k]], candidates: candidates[kept[k]]))
        }
        var result = (0..<kept.count).map { decided.get($0)! }
        result.sort { a, b in
            let ka = (a.status, a.latestDeparture ?? .distantPast, vessels[a.vessel].id),
                kb = (b.status, b.latestDeparture ?? .distantPast, vessels[b.vessel].id)
            if ka.0 != kb.0 { return ka.0 < kb.0 }
            if ka.1 != kb.1 { return ka.1 < kb.1 }
            return ka.2 < kb.2
        }
        return RecallResult(
            vessels: result, ports: loads(result, ports: ports), now: now, deadline: voyage.deadline,
            trackID: track?.id, cells: raster.columns * raster.rows, openCells: raster.openCellCount,
            distanceUnitMetres: unit, seconds: 0, dropped: water.dropped)
    }

    /// The port a vessel is already in: the nearest one within `radius` metres.
    static func nearestPortWithin(_ radius: Double, of position: Position, ports: [ShelterPort]) -> Int? {
        ports.indices.map { ($0, greatCircleMetres(position, ports[$0].point)) }.filter { $0.1 <= radius }
            .min { ($0.1, $0.0) < ($1.1, $1.0) }?.0
    }

    /// The raster covers every vessel and port with room to sail round islands: a quarter of
    /// the fleet's span, at least 0.15° (≈ 16 km), and no more of the sea areas than that
    /// (a sea area as large as the world must not make a raster as large as the world).
    static func seaRaster(
        vessels: [Vessel], ports: [ShelterPort], land: [[Ring]], sea: [[Ring]]?, rules: RecallRules
    ) throws -> SeaRaster {
        var extent = BoundingBox(
            minX: ports[0].point.x, minY: ports[0].point.y, maxX: ports[0].point.x, maxY: ports[0].point.y)
        for p in ports { extent.extend(p.point) }
        for v in vessels { extent.extend(v.position) }
        let pad = max(0.15, 0.25 * max(extent.maxX - extent.minX, extent.maxY - extent.minY))
        extent = BoundingBox(
            minX: max(-180, extent.minX - pad), minY: max(-85, extent.minY - pad), maxX: min(180, extent.maxX + pad),
            maxY: min(85, extent.maxY + pad))
        let cells = SeaRaster.cellCount(extent: extent, cellMetres: rules.cellMetres.value)
        guard cells <= RecallLimits.maxRasterCells else {
            throw InputError(
                rule: "recall.area-too-large",
                "the vessels and ports span \(Int(extent.maxX - extent.minX + 0.5))° × "
                    + "\(Int(extent.maxY - extent.minY + 0.5))°, "
                    + "\(cells) raster cells of \(Int(rules.cellMetres.value)) m (at most "
                    + "\(RecallLimits.maxRasterCells)); "
                    + "plan one sea region at a time, or raise recall.cell_metres in a rules file")
        }
        return SeaRaster(land: land, sea: sea, extent: extent, cellMetres: rules.cellMetres.value)
    }

    /// Berths for the vessels at sea that sail (exact min-cost flow); small boats land at their
    /// nearest port by sea and are hauled out there, taking no berth.
    static func assignBerths(
        options: [[BerthAssignment.Option]], kept: [Int], voyage: VoyagePlanner
    ) -> (portOf: [Int?], unitMetres: Int, sailing: Int) {
        let inPort = voyage.inPort, small = voyage.small
        var free = voyage.ports.map(\.berths)
        for (v, p) in inPort.enumerated() where !small[v] { if let p { free[p] -= 1 } }
        let sailing = kept.filter { inPort[$0] == nil && !small[$0] }
        let assigned = BerthAssignment.solve(options: sailing.map { options[$0] }, berths: free.map { max(0, $0) })
        let unit = BerthAssignment.unitMetres(options: sailing.map { options[$0] }, ports: voyage.ports.count)
        var portOf = [Int?](repeating: nil, count: inPort.count)
        for (k, v) in sailing.enumerated() { portOf[v] = assigned[k] }
        for v in kept where small[v] && inPort[v] == nil { portOf[v] = options[v].first?.port }
        return (portOf, unit, sailing.count)
    }

    /// Vessels per port: already in, sent there, and small boats hauled out there.
    static func loads(_ result: [VesselRecall], ports: [ShelterPort]) -> [PortLoad] {
        var loads = ports.map { PortLoad(berths: $0.berths, alreadyIn: 0, assigned: 0, smallBoats: 0) }
        for r in result {
            guard let p = r.port else { continue }
            if r.smallBoat {
                loads[p].smallBoats += 1
            } else if r.status == .inPort {
                loads[p].alreadyIn += 1
            } else {
                loads[p].assigned += 1
            }
        }
        return loads
    }
}

/// Where each port and each vessel at sea meets open water: its nearest open cell within the
/// approach distance, and how far that is.
struct OpenWater: Sendable {
    var ports: [(cell: Int, metres: Double)]
    /// nil for a vessel in port, or one dropped as too far inland.
    var vessels: [(cell: Int, metres: Double)?]
    /// Vessels left out with `dropInland`, as errors naming their line.
    var dropped: [InputError] = []

    init(
        raster: SeaRaster, vessels: [Vessel], ports: [ShelterPort], inPort: [Int?], approachKm: Double,
        dropInland: Bool
    ) throws {
        let approach = approachKm * 1_000
        self.ports = try ports.map { port -> (cell: Int, metres: Double) in
            guard let found = raster.nearestOpenCell(to: port.point, within: approach) else {
                throw InputError(
                    feature: FeatureReference(index: port.sourceIndex, id: port.id), rule: "ports.inland",
                    "port \(port.id) (\(port.point.x), \(port.point.y)) is more than \(approachKm) km "
                        + "from open water"
                )
            }
            return found
        }
        var dropped: [InputError] = []
        self.vessels = try vessels.indices.map { i -> (cell: Int, metres: Double)? in
            if inPort[i] != nil { return nil }
            guard let found = raster.nearestOpenCell(to: vessels[i].position, within: approach) else {
                let error = InputError(
                    line: vessels[i].line, rule: "vessels.inland",
                    "\(vessels[i].id): position (\(vessels[i].position.x), \(vessels[i].position.y)) is more than "
                        + "\(approachKm) km from open water and from every port"
                )
                guard dropInland else { throw error }
                dropped.append(error)
                return nil
            }
            return found
        }
        self.dropped = dropped
    }
}

/// Routes, times and the decision for each vessel, once the sea is routed from every port.
struct VoyagePlanner: Sendable {
    typealias Candidate = (option: BerthAssignment.Option, route: [Position])
    let vessels: [Vessel]
    let ports: [ShelterPort]
    let rules: RecallRules
    let now: Date
    let raster: SeaRaster
    let water: OpenWater
    let gale: GaleModel?
    /// In port by (landfall − lead hours), when a landfall time is given.
    let deadline: Date?
    let small: [Bool]
    let inPort: [Int?]
    /// Shortest paths from every port over the open cells.
    let trees: [(metres: [Float], towards: [Int32])]

    init(
        vessels: [Vessel], ports: [ShelterPort], rules: RecallRules, now: Date, raster: SeaRaster, water: OpenWater,
        gale: GaleModel?, deadline: Date?, small: [Bool], inPort: [Int?]
    ) {
        (self.vessels, self.ports, self.rules, self.now, self.raster, self.water) =
            (vessels, ports, rules, now, raster, water)
        (self.gale, self.deadline, self.small, self.inPort) = (gale, deadline, small, inPort)
        let trees = ConcurrentSlots<(metres: [Float], towards: [Int32])>(count: ports.count)
        DispatchQueue.concurrentPerform(iterations: ports.count) { p in
            trees.set(p, raster.shortestPaths(from: water.ports[p].cell))
        }
        self.trees = (0..<ports.count).map { trees.get($0)! }
    }

    /// The route by sea from vessel `v` to port `p`: the legs to and from open water stay as
    /// they are; the open-water part is straightened.
    func route(_ v: Int, to p: Int) -> [Position] {
        let start = water.vessels[v]!
        let cells = SeaRaster.path(from: start.cell, towards: trees[p].towards)
        var points = [vessels[v].position]
        points += cells.map(raster.centre)
        points.append(ports[p].point)
        let middle = raster.straightened(Array(points.dropFirst().dropLast()))
        return [points[0]] + middle + [points[points.count - 1]]
    }

    func approachMetres(_ v: Int, _ p: Int) -> Double { water.vessels[v]!.metres + water.ports[p].metres }

    /// Options per vessel at sea: its nearest ports on the raster, each judged late or not on
    /// its straightened route (the distance the lists report), nearest first. The routes are
    /// kept, so the chosen one is not straightened twice.
    func candidates() -> [[Candidate]] {
        let judged = ConcurrentSlots<[Candidate]>(count: vessels.count)
        DispatchQueue.concurrentPerform(iterations: vessels.count) { v in
            guard let start = water.vessels[v] else { return }
            let reachable = ports.indices.compactMap { p -> (Int, Double)? in
                let d = trees[p].metres[start.cell]
                return d.isFinite ? (p, Double(d) + approachMetres(v, p)) : nil
            }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(RecallEngine.candidatePorts)
            judged.set(
                v,
                reachable.map { p, _ in
                    let path = route(v, to: p)
                    let voyage = Voyage(points: path, speedKnots: vessels[v].speedKnots)
                    let late =
                        (gale.map { !voyage.isSafe(departing: now, waitingFrom: now, gale: $0) } ?? false)
                        || (deadline.map { now + voyage.seconds > $0 } ?? false)
                    return (BerthAssignment.Option(port: p, metres: Int(voyage.metres.rounded()), late: late), path)
                }.sorted { ($0.option.metres, $0.option.port) < ($1.option.metres, $1.option.port) })
        }
        return vessels.indices.map { judged.get($0) ?? [] }
    }

    /// What the recall decides for vessel `v`, sent to `port` (nil: no berth found).
    func decide(_ v: Int, port: Int?, candidates: [Candidate]) -> VesselRecall {
        let vessel = vessels[v]
        let options = candidates.map(\.option)
        var notes: [String] = []
        let galeAt = gale?.galeArrival(at: vessel.position, from: now)
        if let p = inPort[v] {
            return VesselRecall(
                vessel: v, status: .inPort, port: p, route: [], seaMetres: 0, approachMetres: 0, eta: nil,
                latestDeparture: nil, noDeadline: false,
                inPortBy: nil, galeAtPosition: galeAt, smallBoat: small[v],
                notes: small[v] ? ["haul out above the high-tide line"] : [])
        }
        let age = now.timeIntervalSince(vessel.fixTime) / 3_600
        if age > rules.staleFixHours.value {
            notes.append(String(format: "position is %.1f h old: confirm where it is", age))
        }
        if small[v] {
            notes.append(
                String(
                    format: "small boat (%.0f hp < %.0f hp): haul out above the high-tide line", vessel.powerHp,
                    rules.smallBoatHp.value))
        }
        guard let p = port else {
            return withoutBerth(v, options: options, galeAt: galeAt, notes: notes)
        }
        let path = candidates.first { $0.option.port == p }?.route ?? route(v, to: p)
        let voyage = Voyage(points: path, speedKnots: vessel.speedKnots)
        let (latest, unbounded, feasible) = latestDeparture(voyage)
        if let nearest = options.first, nearest.port != p {
            let late = nearest.late && !(options.first { $0.port == p }?.late ?? true)
            notes.append("nearest port \(ports[nearest.port].id) " + (late ? "cannot be reached in time" : "is full"))
        }
        let status: RecallStatus
        if !feasible {
            status = .cannotMakeIt
            notes.append("cannot reach port before the deadline: escalate to maritime rescue")
        } else if let latest, latest.timeIntervalSince(now) < rules.atRiskHours.value * 3_600 {
            status = .atRisk
        } else if age > rules.staleFixHours.value {
            status = .atRisk
        } else {
            status = .canMakeIt
        }
        return VesselRecall(
            vessel: v, status: status, port: p, route: path, seaMetres: voyage.metres - voyage.approachMetres,
            approachMetres: voyage.approachMetres, eta: now + voyage.seconds,
            latestDeparture: latest, noDeadline: unbounded, inPortBy: latest.map { $0 + voyage.seconds },
            galeAtPosition: galeAt,
            smallBoat: small[v], notes: notes)
    }

    /// The latest time to turn back for a safe arrival: the gale's and the deadline's, the
    /// earlier of the two; `unbounded` when the gale never catches the route and no deadline
    /// is given; not `feasible` when even leaving now is too late.
    func latestDeparture(_ voyage: Voyage) -> (latest: Date?, unbounded: Bool, feasible: Bool) {
        var latest: Date?
        var unbounded = false
        var feasible = true
        if let gale {
            switch voyage.latestDeparture(now: now, gale: gale) {
            case .none: feasible = false
            case .at(let t): latest = t
            case .unbounded: unbounded = true
            }
        }
        if let deadline, feasible {
            let byDeadline = deadline - voyage.seconds
            if byDeadline < now { feasible = false } else { latest = min(latest ?? byDeadline, byDeadline) }
            unbounded = false
        }
        return (feasible ? latest : nil, unbounded, feasible)
    }

    /// Berths go first to vessels that can arrive in time; one that cannot reach any port in
    /// time is escalated, and one whose nearest ports are full is left to its town.
    func withoutBerth(_ v: Int, options: [BerthAssignment.Option], galeAt: Date?, notes: [String]) -> VesselRecall {
        var notes = notes
        let status: RecallStatus
        if options.isEmpty {
            status = .cannotMakeIt
            notes.append("no shelter port reachable by sea: escalate to maritime rescue")
        } else if options.allSatisfy(\.late) {
            status = .cannotMakeIt
            notes.append(
                "cannot reach any of its \(options.count) nearest shelter ports before the deadline, and "
                    + "they are full: escalate to maritime rescue"
            )
        } else {
            status = .atRisk
            notes.append("no free berth in the \(options.count) nearest shelter ports: the town must find shelter")
        }
        return VesselRecall(
            vessel: v, status: status, port: nil, route: [], seaMetres: 0, approachMetres: 0, eta: nil,
            latestDeparture: nil, noDeadline: false, inPortBy: nil, galeAtPosition: galeAt, smallBoat: small[v],
            notes: notes)
    }
}
