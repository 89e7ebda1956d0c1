import Foundation
import GridPlanGeometry
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
        vessels: [Vessel], ports: [ShelterPort], land: [[Ring]], sea: [[Ring]]?, now: Date, landfall: Date?, track: TyphoonTrack?,
        rules: RecallRules, dropInland: Bool = false, progress: @Sendable (String) -> Void = { _ in }
    ) throws -> RecallResult {
        guard !ports.isEmpty else { throw InputError(rule: "ports.empty", "no shelter ports: a recall needs at least one") }
        let gale = track.map { GaleModel(track: $0, galeKnots: rules.galeWindKnots.value, exponent: rules.vortexExponent.value) }
        let deadline = landfall.map { $0.addingTimeInterval(-rules.leadHours.value * 3_600) }
        let small = vessels.map { $0.powerHp < rules.smallBoatHp.value }

        // Already in port: within the in-port radius of a port (the nearest such).
        let inPort: [Int?] = vessels.map { v in
            ports.indices.map { ($0, greatCircleMetres(v.position, ports[$0].point)) }.filter { $0.1 <= rules.inPortMetres.value }
                .min { ($0.1, $0.0) < ($1.1, $1.0) }?.0
        }

        // The raster covers every vessel and port with room to sail round islands: a quarter of
        // the fleet's span, at least 0.15° (≈ 16 km), and no more of the sea areas than that
        // (a sea area as large as the world must not make a raster as large as the world).
        var extent = BoundingBox(minX: ports[0].point.x, minY: ports[0].point.y, maxX: ports[0].point.x, maxY: ports[0].point.y)
        for p in ports { extent.extend(p.point) }
        for v in vessels { extent.extend(v.position) }
        let pad = max(0.15, 0.25 * max(extent.maxX - extent.minX, extent.maxY - extent.minY))
        extent = BoundingBox(
            minX: max(-180, extent.minX - pad), minY: max(-85, extent.minY - pad), maxX: min(180, extent.maxX + pad), maxY: min(85, extent.maxY + pad))
        let cells = SeaRaster.cellCount(extent: extent, cellMetres: rules.cellMetres.value)
        guard cells <= RecallLimits.maxRasterCells else {
            throw InputError(
                rule: "recall.area-too-large",
                "the vessels and ports span \(Int(extent.maxX - extent.minX + 0.5))° × \(Int(extent.maxY - extent.minY + 0.5))°, "
                    + "\(cells) raster cells of \(Int(rules.cellMetres.value)) m (at most \(RecallLimits.maxRasterCells)); "
                    + "plan one sea region at a time, or raise recall.cell_metres in a rules file")
        }
        let raster = SeaRaster(land: land, sea: sea, extent: extent, cellMetres: rules.cellMetres.value)
        progress("sea raster: \(raster.columns) × \(raster.rows) cells of \(Int(rules.cellMetres.value)) m, \(raster.openCellCount) open")

        let approach = rules.approachKm.value * 1_000
        let portCells = try ports.map { port -> (cell: Int, metres: Double) in
            guard let found = raster.nearestOpenCell(to: port.point, within: approach) else {
                throw InputError(
                    feature: FeatureReference(index: port.sourceIndex, id: port.id), rule: "ports.inland",
                    "port \(port.id) (\(port.point.x), \(port.point.y)) is more than \(rules.approachKm.value) km from open water")
            }
            return found
        }
        var dropped: [InputError] = []
        let vesselCells = try vessels.indices.map { i -> (cell: Int, metres: Double)? in
            if inPort[i] != nil { return nil }
            guard let found = raster.nearestOpenCell(to: vessels[i].position, within: approach) else {
                let error = InputError(
                    line: vessels[i].line, rule: "vessels.inland",
                    "\(vessels[i].id): position (\(vessels[i].position.x), \(vessels[i].position.y)) is more than \(rules.approachKm.value) km from open water and from every port")
                guard dropInland else { throw error }
                dropped.append(error)
                return nil
            }
            return found
        }
        let kept = vessels.indices.filter { inPort[$0] != nil || vesselCells[$0] != nil }

        // Shortest paths from every port over the open cells, in parallel.
        let trees = ConcurrentSlots<(metres: [Float], towards: [Int32])>(count: ports.count)
        DispatchQueue.concurrentPerform(iterations: ports.count) { p in trees.set(p, raster.shortestPaths(from: portCells[p].cell)) }
        let tree = (0..<ports.count).map { trees.get($0)! }
        progress("routed the sea from \(ports.count) ports")

        @Sendable func route(_ v: Int, to p: Int) -> [Position] {
            let start = vesselCells[v]!
            let cells = SeaRaster.path(from: start.cell, towards: tree[p].towards)
            var points = [vessels[v].position]
            points += cells.map(raster.centre)
            points.append(ports[p].point)
            // The legs to and from open water stay as they are; the open-water part is straightened.
            let middle = raster.straightened(Array(points.dropFirst().dropLast()))
            return [points[0]] + middle + [points[points.count - 1]]
        }
        @Sendable func approachMetres(_ v: Int, _ p: Int) -> Double { vesselCells[v]!.metres + portCells[p].metres }

        // Options per vessel at sea: its nearest ports on the raster, each judged late or not.
        // Their routes are kept, so the chosen one is not straightened twice.
        let judged = ConcurrentSlots<[(option: BerthAssignment.Option, route: [Position])]>(count: vessels.count)
        DispatchQueue.concurrentPerform(iterations: vessels.count) { v in
            guard let start = vesselCells[v] else { return }
            let reachable = ports.indices.compactMap { p -> (Int, Double)? in
                let d = tree[p].metres[start.cell]
                return d.isFinite ? (p, Double(d) + approachMetres(v, p)) : nil
            }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(candidatePorts)
            // Each candidate judged on its straightened route, the distance the lists report.
            judged.set(v, reachable.map { p, _ in
                let path = route(v, to: p)
                let voyage = Voyage(points: path, speedKnots: vessels[v].speedKnots)
                let late = (gale.map { !voyage.isSafe(departing: now, waitingFrom: now, gale: $0) } ?? false)
                    || (deadline.map { now + voyage.seconds > $0 } ?? false)
                return (BerthAssignment.Option(port: p, metres: Int(voyage.metres.rounded()), late: late), path)
            }.sorted { ($0.option.metres, $0.option.port) < ($1.option.metres, $1.option.port) })
        }
        let candidates = vessels.indices.map { judged.get($0) ?? [] }
        let options = candidates.map { $0.map(\.option) }
        let nearestPort = options.map { $0.first?.port }
        var free = ports.map(\.berths)
        for (v, p) in inPort.enumerated() where !small[v] { if let p { free[p] -= 1 } }
        let sailing = kept.filter { inPort[$0] == nil && !small[$0] }
        let assigned = BerthAssignment.solve(options: sailing.map { options[$0] }, berths: free.map { max(0, $0) })
        let unit = BerthAssignment.unitMetres(options: sailing.map { options[$0] }, ports: ports.count)
        var berthOf = [Int?](repeating: nil, count: vessels.count)
        for (k, v) in sailing.enumerated() { berthOf[v] = assigned[k] }
        // Small boats land at their nearest port by sea and are hauled out there: no berth.
        for v in kept where small[v] && inPort[v] == nil { berthOf[v] = nearestPort[v] }
        let portOf = berthOf
        progress("assigned \(sailing.count) vessels to berths")

        let decide: @Sendable (Int) -> VesselRecall = { v in
            let vessel = vessels[v]
            var notes: [String] = []
            let galeAt = gale?.galeArrival(at: vessel.position, from: now)
            if let p = inPort[v] {
                return VesselRecall(
                    vessel: v, status: .inPort, port: p, route: [], seaMetres: 0, approachMetres: 0, eta: nil, latestDeparture: nil, noDeadline: false,
                    inPortBy: nil, galeAtPosition: galeAt, smallBoat: small[v], notes: small[v] ? ["haul out above the high-tide line"] : [])
            }
            let age = now.timeIntervalSince(vessel.fixTime) / 3_600
            if age > rules.staleFixHours.value { notes.append(String(format: "position is %.1f h old: confirm where it is", age)) }
            if small[v] { notes.append(String(format: "small boat (%.0f hp < %.0f hp): haul out above the high-tide line", vessel.powerHp, rules.smallBoatHp.value)) }
            guard let p = portOf[v] else {
                // Berths go first to vessels that can arrive in time; one that cannot reach any port in time is escalated.
                let status: RecallStatus
                if options[v].isEmpty {
                    status = .cannotMakeIt
                    notes.append("no shelter port reachable by sea: escalate to maritime rescue")
                } else if options[v].allSatisfy(\.late) {
                    status = .cannotMakeIt
                    notes.append("cannot reach any of its \(options[v].count) nearest shelter ports before the deadline, and they are full: escalate to maritime rescue")
                } else {
                    status = .atRisk
                    notes.append("no free berth in the \(options[v].count) nearest shelter ports: the town must find shelter")
                }
                return VesselRecall(
                    vessel: v, status: status, port: nil, route: [], seaMetres: 0, approachMetres: 0, eta: nil,
                    latestDeparture: nil, noDeadline: false, inPortBy: nil, galeAtPosition: galeAt, smallBoat: small[v], notes: notes)
            }
            let path = candidates[v].first { $0.option.port == p }?.route ?? route(v, to: p)
            let voyage = Voyage(points: path, speedKnots: vessel.speedKnots)
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
            if !feasible { latest = nil }
            if let nearest = options[v].first, nearest.port != p {
                let late = nearest.late && !(options[v].first { $0.port == p }?.late ?? true)
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
                latestDeparture: latest, noDeadline: unbounded, inPortBy: latest.map { $0 + voyage.seconds }, galeAtPosition: galeAt,
                smallBoat: small[v], notes: notes)
        }
        let decided = ConcurrentSlots<VesselRecall>(count: kept.count)
        DispatchQueue.concurrentPerform(iterations: kept.count) { k in
            decided.set(k, decide(kept[k]))
        }
        var result = (0..<kept.count).map { decided.get($0)! }
        result.sort { a, b in
            let ka = (a.status, a.latestDeparture ?? .distantPast, vessels[a.vessel].id), kb = (b.status, b.latestDeparture ?? .distantPast, vessels[b.vessel].id)
            if ka.0 != kb.0 { return ka.0 < kb.0 }
            if ka.1 != kb.1 { return ka.1 < kb.1 }
            return ka.2 < kb.2
        }
        var loads = ports.map { PortLoad(berths: $0.berths, alreadyIn: 0, assigned: 0, smallBoats: 0) }
        for r in result {
            guard let p = r.port else { continue }
            if r.smallBoat { loads[p].smallBoats += 1 } else if r.status == .inPort { loads[p].alreadyIn += 1 } else { loads[p].assigned += 1 }
        }
        return RecallResult(
            vessels: result, ports: loads, now: now, deadline: deadline, trackID: track?.id, cells: raster.columns * raster.rows,
            openCells: raster.openCellCount, distanceUnitMetres: unit, seconds: 0, dropped: dropped)
    }
}
