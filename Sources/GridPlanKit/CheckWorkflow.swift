import GridPlanEngines
import GridPlanGeometryValues
import GridPlanIO
import GridPlanModel

/// `gridplan check`: read, decode and run every rule; never throws for bad data (it is
/// reported), only for failures of the machinery itself.
public enum CheckWorkflow {
    public static func run(
        unitFiles: [String], buildingFiles: [String] = [], input: InputOptions = InputOptions(),
        options: CheckOptions = CheckOptions(), progress: (String) -> Void = { _ in }
    ) throws -> CheckReport {
        var loaded = InputLoader.load(
            unitFiles: unitFiles, buildingFiles: buildingFiles, options: input, progress: progress)
        try loaded.repairIfAsked(options, progress: progress)
        var report = try CheckEngine.run(
            units: loaded.units, buildings: loaded.buildings, priorDiagnostics: loaded.diagnostics, files: loaded.files,
            options: options, validFootprints: loaded.validFootprints, progress: progress)
        report.sources = loaded.sources
        return report
    }
}
