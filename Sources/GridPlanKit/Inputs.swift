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
    /// Text encoding of Shapefile attributes when the source has no `.cpg` (e.g. "GBK").
    public var encoding: String?
    /// `--households TABLE`: household and population figures joined onto the units.
    public var householdsTable: String?
    /// `--key`: how the table's rows find their units.
    public var tableKey: UnitTableJoin.Key = .code

    public init(
        crs: CRS? = nil, fields: FieldMapping = FieldMapping(), defaultKind: UnitKind? = nil, encoding: String? = nil
    ) {
        self.crs = crs
        self.fields = fields
        self.defaultKind = defaultKind
        self.encoding = encoding
    }

    /// From command-line text: `--crs gcj02`, `--field households=HH_COUNT`, `--encoding GBK`.
    public init(
        crs: String?, fields: [String], defaultKind: String? = nil, encoding: String? = nil,
        householdsTable: String? = nil, key: String? = nil
    ) throws {
        self.encoding = try InputOptions.encoding(encoding)
        self.householdsTable = householdsTable
        if let key {
            guard let parsed = UnitTableJoin.Key(rawValue: key.lowercased()) else {
                throw InputError(rule: "arguments.key", "--key: \"\(key)\" is not code or name")
            }
            guard householdsTable != nil else {
                throw InputError(rule: "arguments.key", "--key only applies with --households TABLE")
            }
            tableKey = parsed
        }
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

extension InputOptions {
    /// `--encoding`: a name iconv knows (GBK, GB18030, UTF-8, CP936, BIG5 …), checked before reading.
    static func encoding(_ text: String?) throws -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespaces) else { return nil }
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.:".contains($0)) })
        else {
            throw InputError(
                rule: "arguments.encoding", "--encoding: \"\(text)\" is not an encoding name (e.g. GBK, UTF-8, GB18030)"
            )
        }
        return text
    }
}

/// Units and buildings read from files, with what was wrong with them.
public struct LoadedInputs: Sendable {
    public var units: [(file: String, unit: TerritorialUnit)] = []
    public var buildings: [(file: String, buildings: [Building])] = []
    public var barriers: [Barrier] = []
    public var diagnostics: [Diagnostic] = []
    public var files: [String] = []
    /// How each readable file was read, in the order of `files`.
    public var sources: [SourceSummary] = []
    /// With `--repair`: per building set, the footprints GEOS found valid as they were (the
    /// check need not test them again); nil without a repair.
    public var validFootprints: [Set<Int>]?

    public var hasFatal: Bool { diagnostics.contains { $0.severity == .fatal } }

    /// With `--repair`: invalid unit boundaries and building footprints are repaired in place
    /// and each repair joins the diagnostics (a warning, or an error when nothing is left).
    /// Returns how many were repaired.
    @discardableResult
    public mutating func repairIfAsked(_ options: CheckOptions, progress: (String) -> Void = { _ in }) throws -> Int {
        guard options.repair else { return 0 }
        progress("repairing invalid geometries")
        var valid: [Set<Int>] = []
        let notes = try GeometryRepair.repair(&units) + GeometryRepair.repair(buildings: &buildings, foundValid: &valid)
        validFootprints = valid
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
        let documents = ConcurrentSlots<Result<VectorDocument, Error>>(count: loaded.files.count)
        let files = loaded.files, crs = options.crs, encoding = options.encoding
        // One more job, taken last: PROJ's one-time set-up (see
        // ``CoordinateTransformer/prepareLibrary()``), on a core left idle by a large file.
        DispatchQueue.concurrentPerform(iterations: files.count + 1) { i in
            guard i < files.count else {
                CoordinateTransformer.prepareLibrary()
                return
            }
            documents.set(i, Result { try VectorReader.read(files[i], crs: crs, encoding: encoding) })
        }
        if let table = options.householdsTable {
            progress("joining \(table) onto the units")
            loaded.diagnostics += joinHouseholds(table, onto: documents, unitFiles: unitFiles, options: options)
        }
        var next = 0
        /// Decodes each file's features; an unusable file becomes one fatal diagnostic.
        func each(
            _ paths: [String], fields: [FieldMapping.Field], _ decode: (String, [SourceFeature]) -> [Diagnostic]
        ) {
            for path in paths {
                defer { next += 1 }
                switch documents.get(next)! {
                case .success(let document):
                    loaded.sources.append(document.summary(mapping: options.fields, fields: fields))
                    loaded.diagnostics += decode(path, document.features)
                case .failure(let error as InputError): loaded.diagnostics.append(Diagnostic(error))
                case .failure(let error):
                    loaded.diagnostics.append(
                        Diagnostic(.fatal, rule: "file.unreadable", file: path, message: "\(error)"))
                }
            }
        }
        each(unitFiles, fields: [.code, .name, .kind, .parent, .households, .population]) { path, features in
            let decoded = FeatureDecoder(file: path, mapping: options.fields, defaultKind: options.defaultKind).units(
                features)
            loaded.units += decoded.units.map { (path, $0) }
            return decoded.diagnostics
        }
        each(buildingFiles, fields: [.households, .levels, .height]) { path, features in
            let decoded = FeatureDecoder(file: path, mapping: options.fields).buildings(features)
            loaded.buildings.append((path, decoded.buildings))
            return decoded.diagnostics
        }
        each(barrierFiles, fields: []) { path, features in
            let decoded = FeatureDecoder(file: path, mapping: options.fields).barriers(features)
            loaded.barriers += decoded.barriers
            return decoded.diagnostics
        }
        return loaded
    }

    /// Joins `table`'s households and population onto the readable unit files' features in
    /// `documents` (the first `unitFiles.count` slots); returns what the join found.
    private static func joinHouseholds(
        _ table: String, onto documents: ConcurrentSlots<Result<VectorDocument, Error>>, unitFiles: [String],
        options: InputOptions
    ) -> [Diagnostic] {
        var unitDocuments: [(file: String, features: [SourceFeature])] = []
        var readable: [Int] = []
        for (i, path) in unitFiles.enumerated() {
            if case .success(let document)? = documents.get(i) {
                unitDocuments.append((path, document.features))
                readable.append(i)
            }
        }
        do {
            let join = UnitTableJoin(
                table: table, key: options.tableKey, mapping: options.fields, defaultKind: options.defaultKind)
            let diagnostics = join.apply(try TableReader.records(table), to: &unitDocuments)
            for (slot, i) in readable.enumerated() {
                if case .success(var document)? = documents.get(i) {
                    document.features = unitDocuments[slot].features
                    documents.set(i, .success(document))
                }
            }
            return diagnostics
        } catch let error as InputError {
            return [Diagnostic(error)]
        } catch {
            return [Diagnostic(.fatal, rule: "file.unreadable", file: table, message: "\(error)")]
        }
    }
}
