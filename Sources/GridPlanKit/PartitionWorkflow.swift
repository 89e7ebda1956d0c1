import Foundation
import GridPlanEngines
import GridPlanGeometryValues
import GridPlanIO
import GridPlanModel

/// What `gridplan partition` did.
public struct PartitionRun: Sendable {
    /// The check that gated the run.
    public var report: CheckReport
    /// Nil when the check found problems (nothing was partitioned or written).
    public var result: PartitionResult?
}

/// `gridplan partition`: check the units, partition them, and write grids, micro-grids, the
/// report and the plan into a folder. Each file is written atomically; the plan is built
/// under a temporary name.
public enum PartitionWorkflow {
    public static func run(
        unitFiles: [String], buildingFiles: [String] = [], barrierFiles: [String] = [], out folder: String,
        input: InputOptions = InputOptions(), checking: CheckOptions = CheckOptions(),
        options: PartitionOptions = PartitionOptions(), arguments: [String] = [], protectedFiles: [String] = [],
        progress: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws -> PartitionRun {
        var loaded = InputLoader.load(
            unitFiles: unitFiles, buildingFiles: buildingFiles, barrierFiles: barrierFiles, options: input,
            progress: progress)
        try loaded.repairIfAsked(checking, progress: progress)
        let report = try CheckEngine.run(
            units: loaded.units, buildings: loaded.buildings, priorDiagnostics: loaded.diagnostics, files: loaded.files,
            options: checking, validFootprints: loaded.validFootprints, progress: progress)
        guard report.exitCode == 0 else { return PartitionRun(report: report, result: nil) }
        for code in options.gridCounts.keys.sorted() {
            guard let unit = loaded.units.first(where: { $0.unit.code == code })?.unit else {
                throw InputError(rule: "arguments.grids", "--grids \(code)=…: no unit has code \(code)")
            }
            if unit.kind.isContainer {
                throw InputError(
                    rule: "arguments.grids",
                    "--grids \(code)=…: \(code) is a \(unit.kind.rawValue), which holds units rather than grids; "
                        + "give the code of one of its villages or communities")
            }
        }
        // Everything is written as one unit (OutputBatch): all new files, or all the old ones.
        let batch = OutputBatch()
        defer { batch.discard() }
        for file in loaded.files + protectedFiles { batch.protect(file, because: "an input of this partition") }
        try batch.folder(folder)
        let planPath = folder + "/plan.gpkg"
        try refuseToReplace(planPath)
        progress("partitioning \(loaded.units.filter { !$0.unit.kind.isContainer }.count) units")
        // Buildings that straddle units were reported by the check; they go to the unit with
        // the largest share of their footprint and are clipped to it.
        let buildings = loaded.buildings.flatMap(\.buildings)
        // Placed once by the check, among base units (containers hold no buildings), for the engine and the plan.
        let allUnits = loaded.units.map(\.unit)
        let placement = buildings.isEmpty ? nil : report.placement
        var options = options
        options.barriers += loaded.barriers
        // The plan's territory (units and buildings, as the check placed them) does not depend on
        // the partition: it is stored on another core while the engine runs.
        let storedUnits = loaded.units.indices.map {
            StoredUnit(
                unit: loaded.units[$0].unit, areaSquareMetres: report.unitAreas[$0], sourceFile: loaded.units[$0].file)
        }
        let buildingFiles = loaded.buildings.flatMap { set in set.buildings.map { _ in set.file } }
        let storedBuildings = buildings.indices.map {
            StoredBuilding(
                building: buildings[$0], unitCode: placement?.buildingUnits[$0],
                footprintSquareMetres: placement?.footprintAreas[$0], sourceFile: buildingFiles[$0])
        }
        let importRun = PlanRun(
            command: "import", arguments: arguments, inputs: loaded.files, summary: "\(storedUnits.count) units")
        let planStage = try batch.stage(planPath)
        // Fewer units than cores are each cut on all cores, with idle gaps between the engine's
        // parallel steps: the territory is stored in those gaps, on a thread at the lowest
        // priority, so that it never slows the engine. More units keep every core busy, one
        // unit per core, and it is stored as one more task beside them (at the lowest priority
        // it would wait for the engine and then run on one core).
        let idleCoresLikely = PartitionEngine.cutsEachUnitOnAllCores(
            unitCount: allUnits.filter { !$0.kind.isContainer }.count)
        let storeTerritory: @Sendable () throws -> PlanStore = {
            let store = try PlanStore.beginBuilding(at: planStage)
            try store.filling {
                try $0.replaceTerritory(units: storedUnits, buildings: storedBuildings, run: importRun)
            }
            return store
        }
        let territory = Task.detached {
            idleCoresLikely ? try await whenIdle(storeTerritory).get() : try storeTerritory()
        }
        let started = Date()
        let engine: Result<PartitionResult, Error>
        do {
            engine = .success(
                try await PartitionEngine.run(
                    units: allUnits, buildings: buildings, placement: placement, options: options, progress: progress))
        } catch {
            engine = .failure(error)
        }
        // The plan's task writes into its stage, so it ends before the batch is committed or discarded.
        let plan = await territory.result
        if case .failure = engine, case .success(let store) = plan { store.abandonBuilding() }
        var result = try engine.get()
        result.seconds = Date().timeIntervalSince(started)
        // The engine names units; the file each came from is known here.
        let fileOfUnit = Dictionary(loaded.units.map { ($0.unit.code, $0.file) }, uniquingKeysWith: { a, _ in a })
        for i in result.diagnostics.indices where result.diagnostics[i].file.isEmpty {
            if let code = result.diagnostics[i].feature?.id, let file = fileOfUnit[code] {
                result.diagnostics[i].file = file
            }
        }
        progress("writing \(folder)")
        // The GeoJSON files and the report are encoded on another core while the plan is built.
        let (finished, inputFiles) = (result, loaded.files)
        let encoding = Task.detached {
            let writer = GeoJSONWriter(decimals: PartitionPrecision.decimals)
            return (
                grids: writer.encode(PartitionWriter.gridFeatures(finished.grids), name: "grids"),
                micro: writer.encode(PartitionWriter.microGridFeatures(finished.microGrids), name: "microgrids"),
                report: PartitionWriter.reportJSON(finished, inputs: inputFiles)
            )
        }
        if let lineage = result.lineage {
            try batch.write(PartitionWriter.lineageCSV(lineage), to: folder + "/lineage.csv")
        } else {
            // A lineage of an earlier run does not describe these grids.
            try batch.remove(folder + "/lineage.csv")
        }
        let summary = "\(result.grids.count) grids, \(result.microGrids.count) micro-grids"
        do {
            let store = try plan.get()
            try store.filling {
                try $0.replacePartition(
                    grids: result.grids, microGrids: result.microGrids, sequences: result.issuedSequences,
                    run: PlanRun(command: "partition", arguments: arguments, inputs: loaded.files, summary: summary))
            }
            try store.finishBuilding()
        } catch {
            throw OutputBatch.failure(error, building: planPath, rule: "plan.unwritable")
        }
        let encoded = await encoding.value
        try batch.write(encoded.grids, to: folder + "/grids.geojson")
        try batch.write(encoded.micro, to: folder + "/microgrids.geojson")
        try batch.write(encoded.report, to: folder + "/report.json")
        try batch.commit(journalIn: folder)
        return PartitionRun(report: report, result: result)
    }

    /// A plan in the output folder is replaced only when it holds nothing but a partition:
    /// staffing, testing and recall (and their field reports) are never discarded silently.
    static func refuseToReplace(_ plan: String) throws {
        guard FileManager.default.fileExists(atPath: plan) else { return }
        guard PlanStore.isPlan(plan) else {
            throw InputError(
                file: plan, rule: "output.not-a-plan",
                "exists and is not a GridPlan plan, so it is not replaced; choose another --out")
        }
        let later = try PlanStore.open(plan).runs().map(\.command).filter { !["import", "partition"].contains($0) }
        guard later.isEmpty else {
            let commands = Array(Set(later)).sorted().joined(separator: ", ")
            throw InputError(
                file: plan, rule: "output.plan-in-use",
                "holds the results of \(commands) on its grids, which a new partition would discard; write the new "
                    + "partition to "
                    + "another folder (add --previous with this plan to keep the grid codes), or remove this plan first"
            )
        }
    }

    /// The grids of an earlier plan (a plan file, or a folder holding `plan.gpkg`) and the
    /// highest code sequence it ever issued per unit.
    public static func previousPlan(_ path: String) throws -> (grids: [PreviousGrid], sequences: [String: Int]) {
        var isDirectory: ObjCBool = false
        let file =
            FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
            ? path + "/plan.gpkg" : path
        let store = try PlanStore.open(file)
        return (try store.previousGrids(), try store.codeSequences())
    }

    /// Parses `--grids CODE=N`.
    public static func gridCounts(_ texts: [String]) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for text in texts {
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let n = Int(parts[1]), (1...PartitionLimits.maxGridsPerUnit).contains(n) else {
                throw InputError(
                    rule: "arguments.grids",
                    "--grids expects UNIT_CODE=N with N from 1 to \(PartitionLimits.maxGridsPerUnit), got \"\(text)\"")
            }
            counts[parts[0]] = n
        }
        return counts
    }
}

/// Runs `body` on a thread of its own at the lowest scheduling priority (nice 19 on Linux), so
/// that it takes only the time a core would otherwise be idle.
func whenIdle<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async -> Result<T, Error> {
    await withCheckedContinuation { continuation in
        let thread = Thread {
            #if os(Linux)
                // Per thread on Linux (NPTL): 0 is the calling thread.
                _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
            #endif
            continuation.resume(returning: Result { try body() })
        }
        thread.start()
    }
}
