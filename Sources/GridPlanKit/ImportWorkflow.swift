import Foundation
import GridPlanEngines
import GridPlanGeometryValues
import GridPlanIO
import GridPlanModel

/// What `gridplan import` did.
public struct ImportResult: Sendable {
    /// The check that gated the import (including repairs made).
    public var report: CheckReport
    /// False when the check found problems and nothing was written.
    public var written: Bool
    public var unitCount: Int
    public var buildingCount: Int
    public var repaired: Int
}

/// `gridplan import`: check, optionally repair, measure, and write units and buildings into
/// the plan file in one transaction. Nothing is written when the check finds an error.
public enum ImportWorkflow {
    public static func run(
        unitFiles: [String], buildingFiles: [String] = [], plan: String, input: InputOptions = InputOptions(),
        options: CheckOptions = CheckOptions(), repair: Bool = false, arguments: [String] = [],
        progress: (String) -> Void = { _ in }
    ) throws -> ImportResult {
        // An existing plan is checked first: its grids were made from its units.
        let existing = FileManager.default.fileExists(atPath: plan) ? try PlanStore.open(plan) : nil
        if let existing {
            let grids = try existing.gridCount()
            if grids > 0 {
                throw InputError(
                    file: plan, rule: "plan.partitioned",
                    "holds \(grids) grids (and what was planned on them) made from its present units; new units "
                        + "would leave them stale. "
                        + "Import into a new plan file, or partition the new units into a new folder: "
                        + "gridplan partition --units … --previous \(plan) --out NEW_FOLDER (matching grids keep "
                        + "their codes)"
                )
            }
        }
        var loaded = InputLoader.load(
            unitFiles: unitFiles, buildingFiles: buildingFiles, options: input, progress: progress)
        for file in loaded.files where OutputBatch.sameFile(file, plan) {
            throw InputError(
                file: plan, rule: "output.overwrites-input", "is also an input of this import; give another --plan")
        }
        var options = options
        options.repair = options.repair || repair
        let repaired = try loaded.repairIfAsked(options, progress: progress)
        let report = try CheckEngine.run(
            units: loaded.units, buildings: loaded.buildings, priorDiagnostics: loaded.diagnostics,
            files: loaded.files, options: options, validFootprints: loaded.validFootprints, progress: progress)
        let buildingCount = loaded.buildings.reduce(0) { $0 + $1.buildings.count }
        guard report.exitCode == 0 else {
            return ImportResult(
                report: report, written: false, unitCount: loaded.units.count, buildingCount: buildingCount,
                repaired: repaired)
        }
        let buildings = loaded.buildings.flatMap { set in set.buildings.map { (set.file, $0) } }
        // The check measured the units and placed the buildings.
        let placed = report.placement
        let storedUnits = loaded.units.indices.map {
            StoredUnit(
                unit: loaded.units[$0].unit, areaSquareMetres: report.unitAreas[$0], sourceFile: loaded.units[$0].file)
        }
        let storedBuildings = buildings.indices.map {
            StoredBuilding(
                building: buildings[$0].1, unitCode: placed?.buildingUnits[$0],
                footprintSquareMetres: placed?.footprintAreas[$0],
                sourceFile: buildings[$0].0)
        }
        let summary = "\(storedUnits.count) units, \(storedBuildings.count) buildings, \(repaired) repaired"
        let run = PlanRun(command: "import", arguments: arguments, inputs: loaded.files, summary: summary)
        progress("writing \(plan)")
        if let existing {
            try existing.replaceTerritory(units: storedUnits, buildings: storedBuildings, run: run)
        } else {
            try PlanStore.create(plan) {
                try $0.replaceTerritory(units: storedUnits, buildings: storedBuildings, run: run)
            }
        }
        return ImportResult(
            report: report, written: true, unitCount: storedUnits.count, buildingCount: storedBuildings.count,
            repaired: repaired)
    }
}
