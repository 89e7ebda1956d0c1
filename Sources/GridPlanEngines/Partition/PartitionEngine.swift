import Foundation
import GridPlanGeometry
import GridPlanGeometryValues
import GridPlanModel

/// The precision model of partitions. Cuts are snap-rounded (OverlayNG, fixed precision) to
/// a 1e-12° grid (~0.1 µm): GEOS 3.11's floating overlay returned wrong, overlapping pieces
/// on some near-degenerate cuts without failing, while snap-rounding is exact on its grid.
/// The grid is fine enough that a unit's boundary moves by ~perimeter × grid / 2 (0.003 m²
/// for a 60 km boundary; a 1e-9° grid moved a 156 km² unit by 0.9 m²), and 113° × 10¹² is
/// still exact in a double. Partition layers are written at full precision, so files hold
/// exactly the computed, verified geometry (rounding to 7 decimals turns a cut within a
/// centimetre of a vertex into a self-intersection).
public enum PartitionPrecision {
    public static let gridSize = 1e-12
    /// Coordinates written: nil = exact doubles.
    public static let decimals: Int? = nil
}

/// The two ways a unit with buildings is cut into grids.
public enum PartitionEngineKind: String, Sendable, CaseIterable {
    /// Atoms (street blocks cut into building cells) grouped by the graph partition: grids
    /// follow barriers and stay in band on lumpy buildings. The default.
    case streetBlocks = "blocks"
    /// Recursive bisection with straight cuts between buildings (the first engine).
    case bisection
}

/// Limits of a partition run that keep a bad figure from running for hours.
public enum PartitionLimits {
    /// Grids per unit (and micro-grids per grid), `--grids` included.
    public static let maxGridsPerUnit = GridCountPolicy.maxParts
}

/// Options of a partition run.
public struct PartitionOptions: Sendable {
    public var rules: PartitionRules
    /// Exact grid counts for given unit codes (`--grids CODE=N`, one grid per available worker).
    public var gridCounts: [String: Int]
    /// Grids of an earlier plan: codes are kept where grids match, and the lineage reported.
    public var previous: [PreviousGrid]?
    /// The highest sequence ever issued per unit in earlier plans (codes never reused).
    public var issuedSequences: [String: Int]
    /// Lines grid boundaries should follow where the balance allows (`--barriers`).
    public var barriers: [Barrier]
    /// How units with buildings are cut (`--engine`).
    public var engine: PartitionEngineKind = .streetBlocks

    public init(
        rules: PartitionRules = PartitionRules(), gridCounts: [String: Int] = [:], previous: [PreviousGrid]? = nil,
        issuedSequences: [String: Int] = [:], barriers: [Barrier] = []
    ) {
        self.barriers = barriers
        self.rules = rules
        self.gridCounts = gridCounts
        self.previous = previous
        self.issuedSequences = issuedSequences
    }
}

/// How one unit was partitioned, and the proof of the hard rules for it.
public struct UnitPartitionReport: Sendable, Equatable {
    public var unitCode: String
    public var unitName: String
    public var grids: Int
    public var microGrids: Int
    /// Unit area covered by no grid, grid area outside the unit, grid-on-grid overlap (m²).
    public var gapSquareMetres: Double
    public var excessSquareMetres: Double
    public var overlapSquareMetres: Double
    /// The worst of the same three measures over the unit's grids and their micro-grids.
    public var microGapSquareMetres: Double
    public var microExcessSquareMetres: Double
    public var microOverlapSquareMetres: Double
    /// The unit itself has separate parts (islands); its grids may too.
    public var unitParts: Int
    /// Grids with several parts although the unit has one: a broken hard rule.
    public var disconnectedGrids: [String]
    public var disconnectedMicroGrids: [String]
    public var requestedGrids: Int?
    /// Set when GEOS could not cut the unit (it is then one grid).
    public var failure: String?
    /// Buildings of the unit (nil without buildings), and any found not wholly inside their
    /// micro-grid (a broken hard rule).
    public var buildings: Int?
    public var splitBuildings: [String]
    /// With barriers: metres of boundary between the unit's grids, and how many of them run
    /// along a barrier (within ``UnitPartitioner/barrierZoneMetres``).
    public var interiorBoundaryMetres: Double? = nil
    public var interiorOnBarrierMetres: Double? = nil
}

public struct PartitionResult: Sendable {
    public var grids: [Grid]
    public var microGrids: [MicroGrid]
    public var units: [UnitPartitionReport]
    /// Estimates and other remarks on inputs.
    public var diagnostics: [Diagnostic]
    public var projection: LocalProjection?
    public var rules: PartitionRules
    /// Wall time of the run, filled by the workflow that timed it (engines read no clock).
    public var seconds: Double
    /// With a previous plan: what became of every grid, new and old.
    public var lineage: [LineageEntry]?

    /// The highest sequence issued per unit, this run and all earlier ones: stored with the
    /// plan so the next re-division never reuses a retired code.
    public var issuedSequences: [String: Int] = [:]
}

/// Partitions every base unit (not towns or counties) into grids and each grid into
/// micro-grids, then verifies the hard rules on the result.
public enum PartitionEngine {
    /// Whether a run cutting `unitCount` units (villages, communities, dedicated and maritime
    /// units; not their towns and counties) cuts each on all cores: with fewer units than
    /// cores, a unit's parallel steps leave idle gaps between them; with more, each unit is cut
    /// on one core and the units keep every core busy.
    public static func cutsEachUnitOnAllCores(unitCount: Int) -> Bool { unitCount < cores }

    static var cores: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// `placement`: the buildings already placed in `units` (by ``TerritoryMeasurement``), to
    /// avoid placing them twice.
    public static func run(
        units: [TerritorialUnit], buildings: [Building] = [], placement: TerritoryMeasurement? = nil,
        options: PartitionOptions = PartitionOptions(), progress: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws -> PartitionResult {
        var base = units.filter { !$0.kind.isContainer }
        var diagnostics: [Diagnostic] = []
        var sitesByUnit: [String: [BuildingSite]] = [:]
        if !buildings.isEmpty {
            progress("placing \(buildings.count) buildings in units")
            let measured = try placement ?? TerritoryMeasurement.measure(units: base, buildings: buildings)
            let assigned = BuildingHouseholds.assign(
                units: base, buildings: buildings, unitOf: measured.buildingUnits, footprints: measured.footprintAreas,
                points: measured.buildingPoints)
            diagnostics += assigned.notes
            progress(
                "placed \(buildings.count - measured.buildingUnits.filter { $0 == nil }.count) buildings in "
                    + "\(assigned.unitTotals.count) units"
            )
            for site in assigned.sites { sitesByUnit[site.unitCode, default: []].append(site) }
            for i in base.indices {
                if let t = assigned.unitTotals[base[i].code] {
                    base[i].households = t.households
                    base[i].population = t.population
                }
            }
            let outside = measured.buildingUnits.filter { $0 == nil }.count
            if outside > 0 {
                diagnostics.append(
                    Diagnostic(
                        .warning, rule: "building.outside-units", file: "",
                        message: "\(outside) buildings lie in no unit and are not counted"))
            }
        }
        estimateMissingCounts(&base, diagnostics: &diagnostics)
        guard let box = BoundingBox.union(base.compactMap(\.geometry.boundingBox)) else {
            return PartitionResult(
                grids: [], microGrids: [], units: [], diagnostics: diagnostics, projection: nil,
                rules: options.rules, seconds: 0, lineage: nil)
        }
        let projection = LocalProjection(around: box)
        let chunkSize = 8
        // Dedicated units (parks, schools, hospitals, industrial parks) whose parent is a base
        // unit are carved out of it: the parent's grids tile what is left.
        var carved: [String: [Geometry]] = [:]
        let baseCodes = Set(base.filter { !$0.kind.isDedicated }.map(\.code))
        for u in base where u.kind.isDedicated {
            if let parent = u.parent, baseCodes.contains(parent) { carved[parent, default: []].append(u.geometry) }
        }
        var previousByUnit: [String: [PreviousGrid]] = [:]
        for grid in options.previous ?? [] { previousByUnit[grid.unitCode, default: []].append(grid) }
        let homes = try homeUnits(base)
        let barrierLines = options.barriers.flatMap(\.lines)
        let barrierIndex = STRTree(boxes: barrierLines.map { Geometry.lineString($0).boundingBox })
        let work = base.map {
            UnitWork(
                unit: $0, sites: sitesByUnit[$0.code] ?? [], carve: carved[$0.code] ?? [],
                previous: previousByUnit[$0.code] ?? [],
                homeUnit: homes[$0.code],
                barriers: $0.geometry.boundingBox.map { barrierIndex.query($0).sorted().map { barrierLines[$0] } } ?? []
            )
        }
        let chunks = stride(from: 0, to: work.count, by: chunkSize).map {
            Array(work[$0..<min($0 + chunkSize, work.count)])
        }
        let total = base.count
        // As many chunks in flight as cores: the chunks never suspend, so with all of them
        // queued at once the collecting task (and its progress lines) would wait for the end.
        let width = cores
        let outcomes = try await withThrowingTaskGroup(of: (Int, [UnitOutcome]).self) { group in
            func add(_ index: Int) {
                let chunk = chunks[index]
                group.addTask {
                    let worker = try UnitPartitioner(
                        projection: projection, options: options,
                        width: cutsEachUnitOnAllCores(unitCount: total) ? width : 1)
                    return (index, try chunk.map { try worker.partition($0) })
                }
            }
            var next = 0
            while next < min(width, chunks.count) {
                add(next)
                next += 1
            }
            var collected: [(Int, [UnitOutcome])] = []
            var done = 0, reported = 0
            for try await result in group {
                collected.append(result)
                done += result.1.count
                if next < chunks.count {
                    add(next)
                    next += 1
                }
                if done - reported >= 100 || done == total {
                    reported = done
                    progress("partitioned \(done) of \(total) units")
                }
            }
            return collected.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
        var lineage: [LineageEntry]?
        if let previous = options.previous {
            // Units gone from the new input retire all their grids.
            let present = Set(base.map(\.code))
            let gone = previous.filter { !present.contains($0.unitCode) }.map {
                LineageEntry(
                    unitCode: $0.unitCode, code: "", status: .retired, previous: [$0.code], successors: [], iou: nil)
            }
            lineage = outcomes.flatMap(\.lineage) + gone.sorted { $0.previous[0] < $1.previous[0] }
        }
        var result = PartitionResult(
            grids: outcomes.flatMap(\.grids), microGrids: outcomes.flatMap(\.microGrids), units: outcomes.map(\.report),
            diagnostics: diagnostics + outcomes.flatMap(\.diagnostics), projection: projection, rules: options.rules,
            seconds: 0,
            lineage: lineage)
        result.issuedSequences = options.issuedSequences
        for grid in result.grids {
            if let n = Int(grid.code.dropFirst(grid.unitCode.count)) {
                result.issuedSequences[grid.unitCode] = max(result.issuedSequences[grid.unitCode] ?? 0, n)
            }
        }
        return result
    }

    /// Home-port unit of each maritime unit: its `home_port`, else the nearest land unit.
    static func homeUnits(_ units: [TerritorialUnit]) throws -> [String: String] {
        var homes: [String: String] = [:]
        let land = units.filter { $0.kind != .maritime }
        let context = try GEOSContext()
        let landGeometry = try land.map { try NativeGeometry($0.geometry, in: context) }
        for sea in units where sea.kind == .maritime {
            if let port = sea.homePort {
                homes[sea.code] = port
                continue
            }
            guard let box = sea.geometry.boundingBox else { continue }
            let frame = LocalFrame(around: box)
            let seaShape = try NativeGeometry(frame.forward(sea.geometry), in: context)
            var best: (String, Double)?
            for (u, g) in zip(land, landGeometry) {
                let d = try NativeGeometry(frame.forward(g.value()), in: context).distance(to: seaShape)
                if best == nil || d < best!.1 { best = (u.code, d) }
            }
            if let best { homes[sea.code] = best.0 }
        }
        return homes
    }

    /// Fills missing households or population from the other, at the ratio of the units
    /// that have both (2.8 persons per household when none does), with a warning each.
    static func estimateMissingCounts(_ units: inout [TerritorialUnit], diagnostics: inout [Diagnostic]) {
        var h = 0, p = 0
        for u in units { if let uh = u.households, let up = u.population, uh > 0 { h += uh; p += up } }
        let ratio = h > 0 ? Double(p) / Double(h) : 2.8
        for i in units.indices {
            let u = units[i]
            switch (u.households, u.population) {
            case (nil, let pop?):
                units[i].households = Int((Double(pop) / ratio).rounded())
                diagnostics.append(
                    Diagnostic(
                        .warning, rule: "households.estimated", file: "", feature: u.reference,
                        message:
                            "households estimated as \(units[i].households!) from population at "
                            + "\(String(format: "%.2f", ratio)) persons per household"
                    ))
            case (let hh?, nil):
                units[i].population = Int((Double(hh) * ratio).rounded())
                diagnostics.append(
                    Diagnostic(
                        .warning, rule: "population.estimated", file: "", feature: u.reference,
                        message:
                            "population estimated as \(units[i].population!) from households at "
                            + "\(String(format: "%.2f", ratio)) persons per household"
                    ))
            case (nil, nil):
                units[i].households = 0
                units[i].population = 0
            default:
                break
            }
        }
    }
}

struct UnitWork: Sendable {
    var unit: TerritorialUnit
    var sites: [BuildingSite]
    /// Dedicated units inside this one, cut out before partitioning.
    var carve: [Geometry]
    /// This unit's grids in the previous plan.
    var previous: [PreviousGrid]
    /// For a maritime unit: its home-port unit (given, or the nearest land unit).
    var homeUnit: String? = nil
    /// Barrier polylines whose boxes meet the unit's.
    var barriers: [[Position]] = []
}

/// One grid's micro-grids, the verification of the hard rules on them, and what it found.
struct MicroStage: Sendable {
    var microGrids: [MicroGrid]
    var check: PartitionVerifier.Result
    var disconnected: [String]
    var splitBuildings: [String]
}

struct UnitOutcome: Sendable {
    var grids: [Grid]
    var microGrids: [MicroGrid]
    var report: UnitPartitionReport
    var lineage: [LineageEntry] = []
    /// Warnings about the unit (barriers thinned, …).
    var diagnostics: [Diagnostic] = []
}

/// Partitions units one at a time with one GEOS context and one PROJ transformer.
final class UnitPartitioner {
    let context: GEOSContext
    /// Measures m² the same way as the check (densified, equal-area projection).
    let meter: MeasuredLayer
    let options: PartitionOptions
    let policy: GridCountPolicy
    private let projection: LocalProjection
    /// How many cores one unit may use: for its arrangement's two halves and its grids'
    /// micro-grids (1: this partitioner alone).
    private let width: Int
    /// Partitioners for the other cores (a GEOS context and a PROJ transformer are not shared
    /// between threads), made when first needed and kept for the next units.
    private var helpers: [UnitPartitioner] = []

    /// `width`: the cores a unit's grids may share (a run of few units), or 1 when the units
    /// themselves are spread over the cores.
    init(projection: LocalProjection, options: PartitionOptions, width: Int = 1) throws {
        context = try GEOSContext()
        meter = try MeasuredLayer(projection: projection, context: context)
        self.options = options
        policy = GridCountPolicy(rules: options.rules)
        self.projection = projection
        self.width = max(1, width)
    }

    /// Runs `count` jobs on this partitioner and its helpers, at most one per core, and returns
    /// their results in job order (the first error, in job order, is thrown).
    private func inParallel<T: Sendable>(_ count: Int, _ job: (UnitPartitioner, Int) throws -> T) throws -> [T] {
        let workers = min(width, count)
        if workers <= 1 { return try (0..<count).map { try job(self, $0) } }
        while helpers.count < workers - 1 {
            helpers.append(try UnitPartitioner(projection: projection, options: options))
        }
        let results = ConcurrentSlots<Result<T, Error>>(count: count)
        let taken = ConcurrentCounter()
        withoutActuallyEscaping(job) { job in
            // Thread w uses worker w only; the job reads what the unit's partition made.
            let shared = Unshared(value: (team: [self] + helpers.prefix(workers - 1), job: job))
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                while case let n = taken.increment() - 1, n < count {
                    results.set(n, Result { try shared.value.job(shared.value.team[w], n) })
                }
            }
        }
        return try (0..<count).map { try results.get($0)!.get() }
    }

    func squareMetres(_ lonLat: NativeGeometry) throws -> Double {
        try meter.squareMetres(lonLat)
    }

    /// Partitions a unit; if GEOS fails on it even after the snap-rounding retry, the unit
    /// becomes one grid flagged `partition.failed` with GEOS's message, and the run goes on.
    func partition(_ work: UnitWork) throws -> UnitOutcome {
        let unit = work.unit
        do {
            return try cut(
                unit, sites: work.sites, carve: work.carve, previous: work.previous, homeUnit: work.homeUnit,
                barriers: work.barriers,
                gridCount: nil)
        } catch let error as GeometryLibraryError {
            var outcome = try cut(
                unit, sites: [], carve: work.carve, previous: work.previous, homeUnit: work.homeUnit, barriers: [],
                gridCount: 1)
            for i in outcome.grids.indices {
                outcome.grids[i].violations.append("partition.failed")
                outcome.grids[i].notes.append("the unit could not be cut (\(error)); it is kept as one grid")
            }
            outcome.report.failure = "\(error)"
            return outcome
        }
    }

    private func cut(
        _ unit: TerritorialUnit, sites unitSites: [BuildingSite], carve: [Geometry], previous: [PreviousGrid],
        homeUnit: String?,
        barriers barrierLines: [[Position]], gridCount forced: Int?
    ) throws -> UnitOutcome {
        guard let box = unit.geometry.boundingBox else {
            throw InputError(feature: unit.reference, rule: "geometry.empty", "unit \(unit.code) has an empty geometry")
        }
        let frame = LocalFrame(around: box)
        let shape = try preparedShape(unit, carve: carve)
        if try !carve.isEmpty && shape.isEmpty() { return Self.whollyCarved(unit, previous: previous) }
        let shapeSquareMetres = try squareMetres(shape)
        var bisection = RecursiveBisection(context: context, frame: frame, gridSize: PartitionPrecision.gridSize)
        let kind: GridKind = unit.kind.isDedicated ? .dedicated : unit.kind == .maritime ? .maritime : .comprehensive
        // The street-block engine needs the lines that meet the unit; the bisection the lines
        // inside it and the zone around them that its cuts are scored on.
        let mayUseBlocks = !unitSites.isEmpty && options.engine == .streetBlocks
        let blockLines =
            mayUseBlocks
            ? thinned(
                barrierLines, unit: unit, box: box, squareMetres: shapeSquareMetres, budget: Self.blockCrossingBudget)
            : (lines: [], note: nil)
        var blockLineGeometry: NativeGeometry?
        if !blockLines.lines.isEmpty {
            // Unclipped: the blocks are the faces inside the unit of one noding with its outline.
            let lines = try NativeGeometry(.multiLineString(Geometry.chained(blockLines.lines)), in: context)
            blockLineGeometry = try PreparedGeometry(shape).intersects(lines) ? lines : nil
        }
        // The street blocks do not depend on the buildings: with two cores they are made on
        // the other one (its own GEOS context) while the buildings are grouped on this one.
        let groups: BuildingGroups
        var streetBlocks: [Geometry]?
        if let lines = blockLineGeometry, width > 1, kind == .comprehensive, forced == nil {
            let other = try GEOSContext()
            let (theirShape, theirLines) = (try shape.cloned(in: other), try lines.cloned(in: other))
            (streetBlocks, groups) = try sideBySide(
                {
                    try StreetBlocks.faces(
                        of: theirShape, lines: theirLines, gridSize: PartitionPrecision.gridSize, context: other
                    ).map { try $0.value() }
                },
                { try BuildingGroups.make(unitSites, within: shape, frame: frame, context: context) })
        } else {
            groups = try BuildingGroups.make(unitSites, within: shape, frame: frame, context: context)
        }
        let blockEngine = !groups.cutSites.isEmpty && options.engine == .streetBlocks
        var barrierGeometry: NativeGeometry?
        var notes: [Diagnostic] = []
        let (barrierLines, thinningNote) =
            blockEngine
            ? blockLines
            : thinned(
                barrierLines, unit: unit, box: box, squareMetres: shapeSquareMetres,
                budget: Self.bisectionCrossingBudget)
        if let thinningNote { notes.append(thinningNote) }
        if !barrierLines.isEmpty {
            if blockEngine {
                barrierGeometry = blockLineGeometry
            } else {
                bisection.barriers = try barriers(barrierLines, in: shape, frame: frame)
            }
        }
        bisection.sites = groups.cutSites
        let unitParts = try bisection.components(shape)
        let withBuildings = !groups.cutSites.isEmpty
        let households = withBuildings ? groups.households.reduce(0, +) : unit.households ?? 0
        let population = withBuildings ? groups.population.reduce(0, +) : unit.population ?? 0
        let requested = options.gridCounts[unit.code]
        // With buildings, a comprehensive unit is grouped from atoms (street blocks cut into
        // building cells) by the graph partition; otherwise it is cut by recursive bisection.
        let useAtoms = blockEngine && kind == .comprehensive && forced == nil
        let k = try gridCount(
            unit, fixed: forced ?? requested, kind: kind, households: households, population: population,
            squareMetres: shapeSquareMetres, aimAtMiddle: useAtoms)
        if kind == .comprehensive {
            bisection.band = policy.gridBand(urban: unit.urban)
            let area = try shape.area()
            bisection.householdsPerWeight = withBuildings ? 1 : area > 0 ? Double(households) / area : 0
        }
        var priced: PricedPartition?
        var atomSets: [[Int]] = []
        let split: [(NativeGeometry, [Int])]
        if useAtoms {
            let made = try StreetBlockAtoms(
                shape: shape, groups: groups, barrierLines: barrierGeometry, blocks: streetBlocks, frame: frame,
                context: context, gridSize: PartitionPrecision.gridSize, parallel: width > 1)
            let grouping = PricedPartition(made)
            atomSets = grouping.partition(
                nodes: Array(0..<made.count), into: max(1, k), targets: .init(band: policy.gridBand(urban: unit.urban)))
            split = try assembled(atomSets, of: made)
            priced = grouping
        } else {
            split = try splitParts(unitParts, into: max(1, k), bisection, members: Array(groups.cutSites.indices))
        }
        let atoms = priced?.atoms
        let pieces = split.map(\.0)
        let gridTotals = try Self.totals(split, households, population, groups: withBuildings ? groups : nil)
        let centroids = try pieces.map { frame.forward(try centroid($0)) }
        let frameAreas = try pieces.map { try NativeGeometry(frame.forward($0.value()), in: context).area() }
        let rowHeight = (frameAreas.reduce(0, +) / Double(max(1, pieces.count))).squareRoot()
        let digits = max(3, String(pieces.count).count)

        let (codes, lineage) = try codes(
            pieces, unit: unit, order: StableCodes.order(centroids: centroids, rowHeight: rowHeight), digits: digits,
            previous: previous)
        // The grids, in code order; then each grid's micro-grids, the same way one level down.
        let order = pieces.indices.sorted { codes[$0] < codes[$1] }
        let microCounts = order.map { i in
            forced == nil && kind == .comprehensive
                ? microGridCount(
                    households: gridTotals.households[i],
                    atomHouseholds: atoms.map { a in atomSets[i].map { a.weights[$0] } }, urban: unit.urban) : 1
        }
        var shapes = try pieces.map { try polygonal($0.value()) }
        // With atoms, each grid's micro-grids (polygons and building groups, grid by grid in code
        // order) are made on all cores first, so that the boundaries between all of them, and
        // so between the grids, can be straightened together.
        var microParts: [[(Geometry, [Int])]]?
        var straightenedMetres = 0.0
        if let priced {
            var made = try inParallel(order.count) { worker, n in
                try priced.atoms.assembled(
                    priced.partition(
                        nodes: atomSets[order[n]], into: microCounts[n],
                        targets: .init(band: policy.microGridBand()), balances: PricedPartition.microBalances),
                    in: worker.context
                ).map { (try polygonal($0.0.value()), $0.1) }
            }
            straightenedMetres = straighten(
                &made, grids: &shapes, order: order, groups: groups,
                barriers: barrierGeometry != nil ? blockLines.lines : [], frame: frame)
            microParts = made
        }
        var grids: [Grid] = []
        for i in order {
            let lonLat = shapes[i]
            let native = try NativeGeometry(lonLat, in: context)
            let perimeter = try bisection.metricLength(native)
            let frameArea = try NativeGeometry(frame.forward(lonLat), in: context).area()
            let compactness = perimeter > 0 ? 4 * .pi * frameArea / (perimeter * perimeter) : 0
            let gridHouseholds = gridTotals.households[i], gridPopulation = gridTotals.population[i]
            let (band, violations, notes) = verdict(
                households: gridHouseholds, population: gridPopulation, parts: lonLat.polygons.count, unit: unit,
                kind: kind,
                grids: pieces.count, unitParts: unitParts.count, requested: requested, withBuildings: withBuildings,
                homeUnit: homeUnit)
            grids.append(
                Grid(
                    code: codes[i], unitCode: unit.code, kind: kind, households: gridHouseholds,
                    population: gridPopulation, geometry: lonLat,
                    areaSquareMetres: try squareMetres(native),
                    compactness: compactness, band: band, violations: violations, notes: notes,
                    buildings: withBuildings ? gridTotals.buildings[i] : nil,
                    homeUnit: kind == .maritime ? homeUnit : nil))
        }
        // Grid n's micro-grids from their parts, on `worker` (this partitioner or a helper).
        func stage(_ worker: UnitPartitioner, _ n: Int, _ parts: [(NativeGeometry, [Int])]) throws -> MicroStage {
            try worker.microGrids(
                of: grids[n], parts: parts,
                totals: try Self.totals(
                    parts, grids[n].households, grids[n].population, groups: withBuildings ? groups : nil),
                groups: groups, frame: frame, withBuildings: withBuildings)
        }
        // The unit against its grids (hard rules), on `worker`.
        let unitShape = try polygonal(shape.value())
        func verifyUnit(_ worker: UnitPartitioner) throws -> PartitionVerifier.Result {
            try PartitionVerifier(measure: worker.squareMetres, frame: frame, context: worker.context)
                .verify(container: unitShape, parts: grids.map(\.geometry))
        }
        let stages: [MicroStage]
        let unitCheck: PartitionVerifier.Result
        if let microParts {
            // Grids of atoms share nothing: their micro-grids are verified on all cores, and the
            // unit is verified against its grids alongside (the first job).
            let done = try inParallel(order.count + 1) { worker, job -> (MicroStage?, PartitionVerifier.Result?) in
                guard job > 0 else { return (nil, try verifyUnit(worker)) }
                let parts = try microParts[job - 1].map { (try NativeGeometry($0.0, in: worker.context), $0.1) }
                return (try stage(worker, job - 1, parts), nil)
            }
            stages = done.compactMap(\.0)
            unitCheck = done[0].1!
        } else {
            var microBisection = bisection
            microBisection.band = kind == .comprehensive ? policy.microGridBand() : nil
            stages = try order.indices.map { n in
                try stage(
                    self, n,
                    splitParts(
                        try bisection.components(pieces[order[n]]), into: microCounts[n], microBisection,
                        members: split[order[n]].1))
            }
            unitCheck = try verifyUnit(self)
        }
        var micro: [MicroGrid] = []
        var microWorst = (gap: 0.0, excess: 0.0, overlap: 0.0)
        var disconnectedMicro: [String] = []
        var splitBuildings: [String] = []
        for stage in stages {
            micro += stage.microGrids
            disconnectedMicro += stage.disconnected
            splitBuildings += stage.splitBuildings
            microWorst.gap = max(microWorst.gap, stage.check.gapSquareMetres)
            microWorst.excess = max(microWorst.excess, stage.check.excessSquareMetres)
            microWorst.overlap = max(microWorst.overlap, stage.check.overlapSquareMetres)
        }
        var report = unitReport(
            unit, check: unitCheck, grids: grids, microGrids: micro.count, microWorst: microWorst,
            unitParts: unitParts.count, disconnectedMicro: disconnectedMicro, requested: requested,
            buildings: withBuildings ? unitSites.count : nil, splitBuildings: splitBuildings)
        if let figures = try interiorBoundary(
            atoms: barrierGeometry != nil ? atoms : nil, atomSets: atomSets, bisection: bisection, pieces: pieces,
            shape: shape)
        {
            (report.interiorBoundaryMetres, report.interiorOnBarrierMetres) = (
                max(figures.onBarriers, figures.total - straightenedMetres), figures.onBarriers
            )
        }
        return UnitOutcome(grids: grids, microGrids: micro, report: report, lineage: lineage, diagnostics: notes)
    }

    /// Straightens the boundaries between a unit's micro-grids (``BoundarySmoothing``), given
    /// grid by grid in code order (`order[n]` is grid n's piece in `grids`), and drops the same
    /// vertices from the grids' outlines, which are their micro-grids' boundaries. Returns the
    /// metres by which the boundary between grids got shorter (its part on barriers stays).
    private func straighten(
        _ micro: inout [[(Geometry, [Int])]], grids: inout [Geometry], order: [Int], groups: BuildingGroups,
        barriers: [[Position]], frame: LocalFrame
    ) -> Double {
        var parts: [BoundarySmoothing.Part] = []
        var gridOf: [Int] = []
        for (n, pieces) in micro.enumerated() {
            for (geometry, members) in pieces {
                parts.append(.init(rings: Array(geometry.polygons.joined()), obstacles: members))
                gridOf.append(n)
            }
        }
        let obstacles = groups.cutSites.map { site in
            BoundarySmoothing.Obstacle(
                rings: site.frameRings, point: site.framePoint,
                box: Geometry.multiPoint([site.framePoint] + site.frameRings.joined()).boundingBox!)
        }
        let result = BoundarySmoothing.straightened(
            parts: parts, obstacles: obstacles, pinnedLines: barriers.map { $0.map(frame.forward) }, frame: frame)
        guard !result.removed.isEmpty else { return 0 }
        for n in micro.indices {
            for j in micro[n].indices {
                micro[n][j].0 = BoundarySmoothing.removing(result.removed, from: micro[n][j].0)
            }
        }
        for i in grids.indices { grids[i] = BoundarySmoothing.removing(result.removed, from: grids[i]) }
        return result.shortened.reduce(0) { sum, pair in
            gridOf[pair.a] != gridOf[pair.b] ? sum + pair.before - pair.after : sum
        }
    }

    /// Each set of atoms as one piece (``StreetBlockAtoms/assembled(_:in:)``); with two cores,
    /// every other set is assembled on the other one, in its own GEOS context (the sets share
    /// no atom), and its pieces are brought back to this one.
    private func assembled(_ sets: [[Int]], of atoms: StreetBlockAtoms) throws -> [(NativeGeometry, [Int])] {
        guard width > 1 && sets.count > 1 else { return try atoms.assembled(sets) }
        let other = try GEOSContext()
        let pieces = try alternatelySideBySide(sets.count) { items, side in
            try atoms.assembled(items.map { sets[$0] }, in: side == 0 ? nil : other)
        }
        // Those made on the other core, brought to this one's context (here, after both are done).
        return try pieces.enumerated().map { i, piece in i % 2 == 0 ? piece : (try piece.0.cloned(in: context), piece.1)
        }
    }

    /// The unit's polygon as the partition cuts it: valid, snapped to the partition's precision
    /// grid, less the dedicated units carved out of it (`carve`; possibly empty).
    private func preparedShape(_ unit: TerritorialUnit, carve: [Geometry]) throws -> NativeGeometry {
        var shape = try NativeGeometry(unit.geometry, in: context)
        if try !shape.isValid() { shape = try shape.makeValid().polygonalPart() }
        shape = try shape.withPrecision(gridSize: PartitionPrecision.gridSize).polygonalPart()
        guard !carve.isEmpty else { return shape }
        let holes = try NativeGeometry.unionAll(
            carve.map { try NativeGeometry($0, in: context) }, gridSize: PartitionPrecision.gridSize, in: context)
        return try shape.difference(holes, gridSize: PartitionPrecision.gridSize).polygonalPart()
    }

    /// A unit wholly covered by its dedicated units: their grids are its grids, so it has none
    /// and any grid it had in the previous plan is retired.
    static func whollyCarved(_ unit: TerritorialUnit, previous: [PreviousGrid]) -> UnitOutcome {
        let report = UnitPartitionReport(
            unitCode: unit.code, unitName: unit.name, grids: 0, microGrids: 0, gapSquareMetres: 0,
            excessSquareMetres: 0, overlapSquareMetres: 0, microGapSquareMetres: 0, microExcessSquareMetres: 0,
            microOverlapSquareMetres: 0, unitParts: 0, disconnectedGrids: [], disconnectedMicroGrids: [],
            requestedGrids: nil, failure: nil, buildings: nil, splitBuildings: [])
        let retired = previous.map {
            LineageEntry(unitCode: unit.code, code: "", status: .retired, previous: [$0.code], successors: [], iou: nil)
        }
        return UnitOutcome(grids: [], microGrids: [], report: report, lineage: retired)
    }

    /// How many grids a unit gets: `fixed` when forced or requested; otherwise by households and
    /// population for a comprehensive unit (aiming at the middle of the band for the atom
    /// grouping), by area for dedicated and maritime units (no published size norm; see the rules).
    private func gridCount(
        _ unit: TerritorialUnit, fixed: Int?, kind: GridKind, households: Int, population: Int,
        squareMetres: Double, aimAtMiddle: Bool
    ) throws -> Int {
        let k: Int
        if let fixed {
            k = fixed
        } else if kind == .comprehensive {
            k =
                aimAtMiddle
                ? policy.gridCountAimingAtMiddle(households: households, population: population, urban: unit.urban)
                : policy.gridCount(households: households, population: population, urban: unit.urban)
        } else {
            let areaCap = kind == .maritime ? options.rules.maritimeAreaMax.value : options.rules.dedicatedAreaMax.value
            k = max(1, Int((squareMetres / 1e6 / areaCap).rounded(.up)))
        }
        guard k <= GridCountPolicy.maxParts else {
            let why = kind == .comprehensive ? "\(households) households" : "an area of \(Int(squareMetres / 1e6)) km²"
            throw InputError(
                feature: unit.reference, rule: "partition.too-many-grids",
                "unit \(unit.code) has \(why), which would make \(k) grids; GridPlan cuts at most "
                    + "\(GridCountPolicy.maxParts) grids per unit. "
                    + "Check the unit's figures, or give its villages/communities as separate units")
        }
        return k
    }

    /// Totals per piece: exact sums over its buildings (`groups`), or without buildings an even
    /// spread over area (lon/lat areas are proportional to true areas within a unit).
    static func totals(
        _ parts: [(NativeGeometry, [Int])], _ households: Int, _ population: Int, groups: BuildingGroups?
    ) throws -> (households: [Int], population: [Int], buildings: [Int]) {
        if let groups {
            return (
                parts.map { $0.1.reduce(0) { $0 + groups.households[$1] } },
                parts.map { $0.1.reduce(0) { $0 + groups.population[$1] } },
                parts.map { $0.1.reduce(0) { $0 + groups.memberCount[$1] } }
            )
        }
        let areas = try parts.map { try $0.0.area() }
        return (
            LargestRemainder.apportion(households, weights: areas),
            LargestRemainder.apportion(population, weights: areas), parts.map { _ in 0 }
        )
    }

    /// Grid codes: the unit's code and a sequence numbered W→E, N→S (`order`); with a previous
    /// plan, matched grids keep their old codes and the lineage says what became of each.
    private func codes(
        _ pieces: [NativeGeometry], unit: TerritorialUnit, order: [Int], digits: Int, previous: [PreviousGrid]
    ) throws -> (codes: [String], entries: [LineageEntry]) {
        if options.previous != nil {
            return try CodeLineage.assign(
                pieces: pieces, provisionalOrder: order, unitCode: unit.code, digits: digits, previous: previous,
                issued: options.issuedSequences[unit.code] ?? 0, context: context)
        }
        var codes = [String](repeating: "", count: pieces.count)
        for (rank, i) in order.enumerated() {
            codes[i] = unit.code + StableCodes.sequence(rank + 1, digits: digits)
        }
        return (codes, [])
    }

    /// Micro-grids in a grid: from its atoms' households when it is made of atoms (so lumps are
    /// counted), else from its total; never more than a unit's grid limit.
    private func microGridCount(households: Int, atomHouseholds: [Double]?, urban: Bool) -> Int {
        min(
            GridCountPolicy.maxParts,
            atomHouseholds.map { policy.microGridCount(atomHouseholds: $0, urban: urban) }
                ?? policy.microGridCount(households: households, urban: urban))
    }

    /// The unit's report: the grids checked against the unit's outline (gap, excess, overlap)
    /// and the worst micro-grid figures of its grids.
    private func unitReport(
        _ unit: TerritorialUnit, check: PartitionVerifier.Result, grids: [Grid], microGrids: Int,
        microWorst: (gap: Double, excess: Double, overlap: Double), unitParts: Int, disconnectedMicro: [String],
        requested: Int?, buildings: Int?, splitBuildings: [String]
    ) -> UnitPartitionReport {
        UnitPartitionReport(
            unitCode: unit.code, unitName: unit.name, grids: grids.count, microGrids: microGrids,
            gapSquareMetres: check.gapSquareMetres, excessSquareMetres: check.excessSquareMetres,
            overlapSquareMetres: check.overlapSquareMetres, microGapSquareMetres: microWorst.gap,
            microExcessSquareMetres: microWorst.excess, microOverlapSquareMetres: microWorst.overlap,
            unitParts: unitParts,
            disconnectedGrids: grids.filter { $0.violations.contains("grid.disconnected") }.map(\.code),
            disconnectedMicroGrids: disconnectedMicro, requestedGrids: requested, failure: nil,
            buildings: buildings, splitBuildings: splitBuildings)
    }

    /// Crossings among a unit's barrier lines (≈ blocks) the street-block engine takes; more are
    /// thinned. Real centre of Helsinki (data/helsinki): 7,099 over 1.9 km², never thinned.
    static let blockCrossingBudget = 15_000
    /// The same for the bisection, whose cuts are scored against the zone round every line.
    static let bisectionCrossingBudget = 10_000
    /// And per km² of the unit: twice the density of a real city centre's roads and paths.
    static let crossingsPerSquareKilometre = 5_000.0
    /// Never fewer than this, however small the unit.
    static let minimumCrossingBudget = 1_000

    /// Half-width of the zone around barrier lines in which a boundary counts as following them.
    static let barrierZoneMetres = 1.0

    /// One grid's micro-grids from its parts (polygon and building groups each): coded W→E,
    /// N→S within the grid, banded, each building checked to lie wholly in its micro-grid, and
    /// the hard rules verified against the grid.
    private func microGrids(
        of grid: Grid, parts: [(NativeGeometry, [Int])],
        totals: (households: [Int], population: [Int], buildings: [Int]),
        groups: BuildingGroups, frame: LocalFrame, withBuildings: Bool
    ) throws -> MicroStage {
        let centroids = try parts.map { frame.forward(try centroid($0.0)) }
        let frameAreas = try parts.map { try NativeGeometry(frame.forward($0.0.value()), in: context).area() }
        let rowHeight = (frameAreas.reduce(0, +) / Double(max(1, parts.count))).squareRoot()
        let digits = parts.count > 99 ? 3 : 2
        var micro: [MicroGrid] = [], geometries: [Geometry] = [], disconnected: [String] = [],
            splitBuildings: [String] = []
        for (rank, j) in StableCodes.order(centroids: centroids, rowHeight: rowHeight).enumerated() {
            let lonLat = try polygonal(parts[j].0.value())
            let code = grid.code + StableCodes.sequence(rank + 1, digits: digits)
            if lonLat.polygons.count > 1 && grid.geometry.polygons.count == 1 { disconnected.append(code) }
            geometries.append(lonLat)
            // Every building of this micro-grid must lie wholly inside it.
            let prepared = parts[j].1.isEmpty ? nil : try PreparedGeometry(parts[j].0)
            for g in parts[j].1 where try !groups.isInside(g, parts[j].0, prepared: prepared) {
                splitBuildings += groups.ids[g]
            }
            var band = grid.kind == .comprehensive ? policy.microBand(households: totals.households[j]) : .exempt
            if withBuildings && parts[j].1.count == 1 && band == .above { band = .indivisible }
            micro.append(
                MicroGrid(
                    code: code, gridCode: grid.code, households: totals.households[j],
                    population: totals.population[j], geometry: lonLat,
                    areaSquareMetres: try squareMetres(NativeGeometry(lonLat, in: context)), band: band,
                    buildings: withBuildings ? totals.buildings[j] : nil))
        }
        let check = try PartitionVerifier(measure: squareMetres, frame: frame, context: context)
            .verify(container: grid.geometry, parts: geometries)
        return MicroStage(microGrids: micro, check: check, disconnected: disconnected, splitBuildings: splitBuildings)
    }

    /// Barrier lines thinned to what a real street network has (see BarrierThinning): at most
    /// `budget` crossings, fewer in a small unit; a warning naming the unit when lines were left out.
    private func thinned(
        _ lines: [[Position]], unit: TerritorialUnit, box: BoundingBox, squareMetres: Double, budget: Int
    )
        -> (lines: [[Position]], note: Diagnostic?)
    {
        guard !lines.isEmpty else { return (lines, nil) }
        let perArea = Int(Self.crossingsPerSquareKilometre * squareMetres / 1e6)
        let budget = max(Self.minimumCrossingBudget, min(budget, perArea))
        let thinned = BarrierThinning.thin(lines, within: box, budget: budget)
        guard thinned.dropped > 0 && !thinned.lines.isEmpty else { return (thinned.lines, nil) }
        let note = Diagnostic(
            .warning, rule: "barriers.too-dense", file: "", feature: unit.reference,
            message:
                "the barrier lines across unit \(unit.code) cross each other more than \(budget) times (a real "
                + "street network has a few thousand); "
                + "its \(thinned.lines.count) longest lines (\(thinned.crossings) crossings) are followed and "
                + "\(thinned.dropped) shorter ones left out"
        )
        return (thinned.lines, note)
    }

    /// The boundary between a unit's grids and the part of it along barrier lines, in metres:
    /// from the atoms' shared edges (the part between different street blocks is a barrier line),
    /// or for bisection from the grids' perimeters; nil without barriers.
    private func interiorBoundary(
        atoms: StreetBlockAtoms?, atomSets: [[Int]], bisection: RecursiveBisection, pieces: [NativeGeometry],
        shape: NativeGeometry
    ) throws -> (total: Double, onBarriers: Double)? {
        if let atoms {
            var grid = [Int](repeating: -1, count: atoms.count)
            for (g, set) in atomSets.enumerated() { for a in set { grid[a] = g } }
            var total = 0.0, along = 0.0
            for edge in atoms.edges where grid[edge.a] != grid[edge.b] {
                total += edge.metres
                along += edge.alongBarrier
            }
            return (total, along)
        }
        guard let barriers = bisection.barriers else { return nil }
        // Boundary between grids = (Σ grid perimeters − unit perimeter) / 2, on barriers alike.
        let perimeters = try pieces.reduce(0) { $0 + (try bisection.metricLength($1)) } - bisection.metricLength(shape)
        let onBarrier =
            try pieces.reduce(0) { $0 + (try bisection.metricLength($1.boundary().intersection(barriers.zone))) }
            - bisection.metricLength(shape.boundary().intersection(barriers.zone))
        return (max(0, perimeters / 2), max(0, onBarrier / 2))
    }

    /// A grid's household band (comprehensive grids only), broken rules and notes: a grid of
    /// several parts, fewer grids than requested, a maritime grid's home unit.
    private func verdict(
        households: Int, population: Int, parts: Int, unit: TerritorialUnit, kind: GridKind, grids: Int, unitParts: Int,
        requested: Int?, withBuildings: Bool, homeUnit: String?
    ) -> (band: Band, violations: [String], notes: [String]) {
        var (band, violations, notes): (Band, [String], [String]) = (.exempt, [], [])
        if kind == .comprehensive {
            (band, violations, notes) = policy.band(
                households: households, population: population, urban: unit.urban, wholeUnit: grids == 1)
        }
        if parts > 1 {
            if unitParts > 1 {
                notes.append("made of \(parts) parts because the unit has islands")
            } else {
                violations.append("grid.disconnected")
                notes.append("made of \(parts) parts although its unit is one piece")
            }
        }
        if let requested, requested != grids {
            violations.append("grids.count")
            notes.append(
                "\(requested) grids were requested; the unit could only be cut into \(grids)"
                    + (withBuildings ? " (at most one grid per building)" : ""))
        }
        if kind == .maritime && unit.homePort == nil, let home = homeUnit {
            notes.append("home unit \(home) is the nearest land unit (no home_port given)")
        }
        return (band, violations, notes)
    }

    /// The barrier lines inside `shape` and their zone, or nil when none reaches into it.
    private func barriers(
        _ lines: [[Position]], in shape: NativeGeometry, frame: LocalFrame
    ) throws -> RecursiveBisection.BarrierLines? {
        let inside = try NativeGeometry(.multiLineString(lines), in: context).intersection(
            shape, gridSize: PartitionPrecision.gridSize)
        if try inside.isEmpty() { return nil }
        // Buffered in the metric frame, then mapped back (affine): a band of ±1 m around the lines.
        let band = try NativeGeometry(frame.forward(inside.value()), in: context).buffer(
            Self.barrierZoneMetres, quadrantSegments: 2)
        return RecursiveBisection.BarrierLines(
            lines: inside, zone: try NativeGeometry(frame.inverse(band.value()), in: context))
    }

    private func centroid(_ g: NativeGeometry) throws -> Position {
        guard let p = try g.centroidPoint() else {
            throw GeometryLibraryError.geos(
                function: "GEOSGetCentroid_r", messages: ["a grid or micro-grid came out empty"])
        }
        return p
    }

    /// Splits a possibly multi-part shape into `k` pieces, with the sites each holds. Parts
    /// with enough weight for half a piece (households with buildings, else area) share the
    /// pieces by weight, each at least one; smaller parts (islets) join the nearest piece.
    private func splitParts(
        _ parts: [NativeGeometry], into k: Int, _ bisection: RecursiveBisection, members: [Int]
    ) throws
        -> [(NativeGeometry, [Int])]
    {
        guard !parts.isEmpty else { return [] }
        var partSites: [[Int]] = parts.map { _ in [] }
        if parts.count == 1 {
            partSites[0] = members
        } else {
            for m in members {
                let holder = try parts.firstIndex { try $0.covers(bisection.sites[m].point) } ?? 0
                partSites[holder].append(m)
            }
        }
        let weights: [Double] =
            bisection.sites.isEmpty
            ? try parts.map { try $0.area() }
            : partSites.map { $0.reduce(0) { $0 + bisection.sites[$1].weight } }
        let order = parts.indices.sorted { (weights[$0], -$0) > (weights[$1], -$1) }
        let total = weights.reduce(0, +)
        var majors = [order[0]]
        for i in order.dropFirst() where majors.count < k && total > 0 && weights[i] / total * Double(k) >= 0.5 {
            majors.append(i)
        }
        majors.sort()
        let extra = LargestRemainder.apportion(k - majors.count, weights: majors.map { weights[$0] })
        var pieces: [(NativeGeometry, [Int])] = []
        for (m, i) in majors.enumerated() {
            pieces += try bisection.split(parts[i], into: 1 + extra[m], members: partSites[i])
        }
        for i in parts.indices where !majors.contains(i) {
            var nearest = 0, best = Double.infinity
            let islet = try NativeGeometry(bisection.frame.forward(parts[i].value()), in: context)
            for (p, piece) in pieces.enumerated() {
                let d = try NativeGeometry(bisection.frame.forward(piece.0.value()), in: context).distance(to: islet)
                if d < best {
                    best = d
                    nearest = p
                }
            }
            pieces[nearest].0 = try NativeGeometry.unionAll(
                [pieces[nearest].0, parts[i]], gridSize: PartitionPrecision.gridSize, in: context
            ).polygonalPart()
            pieces[nearest].1 += partSites[i]
        }
        return pieces
    }

    private func polygonal(_ g: Geometry) throws -> Geometry {
        let polygons = g.polygons
        return polygons.count == 1 ? .polygon(polygons[0]) : .multiPolygon(polygons)
    }
}
