import Foundation
import GridPlanEngines
import GridPlanGeometry
import GridPlanGeometryValues
import GridPlanIO
import GridPlanModel

/// How input files are read: their CRS (when not WGS84) and property names.
public struct InputOptions: Sendable {
    public var crs: CRS?
    public var fields: FieldMapping
    public var defaultKind: UnitKind?

    public init(crs: CRS? = nil, fields: FieldMapping = FieldMapping(), defaultKind: UnitKind? = nil) {
        self.crs = crs
        self.fields = fields
        self.defaultKind = defaultKind
    }

    /// From command-line text: `--crs gcj02`, `--field households=HH_COUNT`.
    public init(crs: String?, fields: [String], defaultKind: String? = nil) throws {
        if let defaultKind {
            guard let kind = UnitKind(parsing: defaultKind) else {
                let known = UnitKind.allCases.map(\.rawValue).joined(separator: ", ")
                throw InputError(rule: "arguments.kind", "--kind: \"\(defaultKind)\" is not a unit kind (\(known))")
            }
            self.defaultKind = kind
        }
        do {
            self.crs = try crs.map(CRS.init(parsing:))
        } catch {
            throw InputError(rule: "arguments.crs", "--crs: \(error)")
        }
        self.fields = try FieldMapping(overrides: fields)
        if let c = self.crs, case .proj = c {
            // Fail early on CRS names PROJ does not know, before reading anything.
            do {
                _ = try WGS84Converter(c)
            } catch {
                throw InputError(rule: "arguments.crs", "--crs \(c): \(error)")
            }
        }
    }
}

/// Units and buildings read from files, with what was wrong with them.
public struct LoadedInputs: Sendable {
    public var units: [(file: String, unit: TerritorialUnit)] = []
    public var buildings: [(file: String, buildings: [Building])] = []
    public var barriers: [Barrier] = []
    public var diagnostics: [Diagnostic] = []
    public var files: [String] = []

    public var hasFatal: Bool { diagnostics.contains { $0.severity == .fatal } }

    /// With `--repair`: invalid unit boundaries and building footprints are repaired in place
    /// and each repair joins the diagnostics (a warning, or an error when nothing is left).
    /// Returns how many were repaired.
    @discardableResult
    public mutating func repairIfAsked(_ options: CheckOptions, progress: (String) -> Void = { _ in }) throws -> Int {
        guard options.repair else { return 0 }
        progress("repairing invalid geometries")
        let notes = try GeometryRepair.repair(&units) + GeometryRepair.repair(buildings: &buildings)
        diagnostics += notes
        return notes.filter { $0.rule == "geometry.repaired" }.count
    }
}

public enum InputLoader {
    /// Reads every file; an unusable file becomes a fatal diagnostic and the others are
    /// still read, so one run reports everything.
    public static func load(
        unitFiles: [String], buildingFiles: [String], barrierFiles: [String] = [], options: InputOptions,
        progress: (String) -> Void = { _ in }
    ) -> LoadedInputs {
        var loaded = LoadedInputs()
        loaded.files = unitFiles + buildingFiles + barrierFiles
        // The files are read and parsed side by side (one per core), then decoded in order.
        for path in loaded.files { progress("reading \(path)") }
        let documents = ConcurrentSlots<Result<[SourceFeature], Error>>(count: loaded.files.count)
        let files = loaded.files, crs = options.crs
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            documents.set(i, Result { try GeoJSONReader.read(path: files[i], crs: crs).features })
        }
        var next = 0
        /// Decodes each file's features; an unusable file becomes one fatal diagnostic.
        func each(_ paths: [String], _ decode: (String, [SourceFeature]) -> [Diagnostic]) {
            for path in paths {
                defer { next += 1 }
                switch documents.get(next)! {
                case .success(let features): loaded.diagnostics += decode(path, features)
                case .failure(let error as InputError): loaded.diagnostics.append(Diagnostic(error))
                case .failure(let error):
                    loaded.diagnostics.append(
                        Diagnostic(.fatal, rule: "file.unreadable", file: path, message: "\(error)"))
                }
            }
        }
        each(unitFiles) { path, features in
            let decoded = FeatureDecoder(file: path, mapping: options.fields, defaultKind: options.defaultKind).units(
                features)
            loaded.units += decoded.units.map { (path, $0) }
            return decoded.diagnostics
        }
        each(buildingFiles) { path, features in
            let decoded = FeatureDecoder(file: path, mapping: options.fields).buildings(features)
            loaded.buildings.append((path, decoded.buildings))
            return decoded.diagnostics
        }
        each(barrierFiles) { path, features in
            let decoded = FeatureDecoder(file: path, mapping: options.fields).barriers(features)
            loaded.barriers += decoded.barriers
            return decoded.diagnostics
        }
        return loaded
    }
}
