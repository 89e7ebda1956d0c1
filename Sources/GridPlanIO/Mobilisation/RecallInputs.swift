import Foundation
import GridPlanGeometry
import GridPlanGeometryValues
import GridPlanModel

/// Reads the recall's inputs: vessels (CSV), shelter ports (GeoJSON points) and a typhoon
/// best track (IBTrACS CSV). Every bad row or feature is an error naming the file and the
/// line or feature, and the command writes nothing.
public enum RecallInputs {
    /// Header names per field, English and Chinese.
    static let vesselColumns: [String: [String]] = [
        "id": ["id", "vessel_id", "船号", "编号", "船舶编号"], "name": ["name", "船名"],
        "home_unit": ["home_unit", "home", "home_grid", "所属村", "所属网格"],
        "owner": ["owner", "船主", "船东"], "phone": ["phone", "电话", "手机"], "crew": ["crew", "船员", "船员数"],
        "power_kw": ["power_kw", "kw", "功率"],
        "hp": ["hp", "power_hp", "马力"], "lon": ["lon", "lng", "longitude", "经度"], "lat": ["lat", "latitude", "纬度"],
        "speed_kn": ["speed_kn", "speed", "航速"], "fix_time": ["fix_time", "time", "定位时间"],
    ]

    /// Vessels: `id, name, home_unit, owner, phone, crew, power_kw or hp, lon, lat, speed_kn,
    /// fix_time` (times in China Standard Time unless they carry an offset). A file that cannot
    /// be read or lacks a column throws; each bad row is returned as an error naming its line.
    public static func vessels(_ path: String) throws -> (vessels: [Vessel], bad: [InputError]) {
        let records = try TableReader.records(path)
        guard let header = records.first else {
            throw InputError(file: path, rule: "file.empty", "the vessel list has no header row")
        }
        let columns = CSVColumns(header: header.fields, names: vesselColumns)
        var missing = columns.missing(["id", "home_unit", "crew", "lon", "lat", "speed_kn", "fix_time"])
        if !columns.has("power_kw") && !columns.has("hp") { missing.append("power_kw or hp") }
        guard missing.isEmpty else {
            throw InputError(
                file: path, line: header.line, rule: "vessels.header",
                "no column for \(missing.joined(separator: ", ")) (header: \(header.fields.joined(separator: ",")))")
        }
        guard records.count > 1 else {
            throw InputError(file: path, rule: "vessels.empty", "the vessel list has no vessels")
        }
        // Ids are taken only by accepted rows, so a bad row does not block a later good one.
        var seen: [String: Int] = [:]
        func vessel(_ r: (line: Int, fields: [String])) throws -> Vessel {
            func value(_ key: String) -> String { columns.value(key, in: r.fields) }
            func fail(_ rule: String, _ message: String) -> InputError {
                InputError(file: path, line: r.line, rule: rule, message)
            }
            let id = value("id")
            guard !id.isEmpty else { throw fail("vessels.id-missing", "no vessel id") }
            if let first = seen[id] {
                throw fail("vessels.id-duplicate", "vessel \(id) is already listed on line \(first)")
            }
            guard !value("home_unit").isEmpty else {
                throw fail("vessels.home-missing", "\(id): no home_unit (the village, community or grid it belongs to)")
            }
            guard let lon = Double(value("lon")), let lat = Double(value("lat")), lon.isFinite, lat.isFinite else {
                throw fail("vessels.position", "\(id): no position (lon \"\(value("lon"))\", lat \"\(value("lat"))\")")
            }
            let position = Position(x: lon, y: lat)
            guard (-180...180).contains(lon), (-90...90).contains(lat) else {
                throw fail("vessels.position", "\(id): (\(lon), \(lat)) is not a longitude/latitude")
            }
            guard let crew = Int(value("crew")), crew >= 0, crew < 1_000 else {
                throw fail("vessels.crew", "\(id): crew \"\(value("crew"))\" is not a whole number ≥ 0")
            }
            let power: Double
            if let kw = Double(value("power_kw")), kw > 0, kw.isFinite {
                power = kw * Vessel.hpPerKilowatt
            } else if let hp = Double(value("hp")), hp > 0, hp.isFinite {
                power = hp
            } else if let given = Double(value("power_kw")) ?? Double(value("hp")) {
                throw fail(
                    "vessels.power",
                    "\(id): engine power \(value("power_kw").isEmpty ? "hp" : "power_kw") "
                        + "\(PropertyValue.format(given)) must be a positive number; it decides the haul-out list"
                )
            } else {
                throw fail(
                    "vessels.power",
                    "\(id): no engine power (power_kw \"\(value("power_kw"))\", hp \"\(value("hp"))\"); it decides "
                        + "the haul-out list"
                )
            }
            guard let speed = Double(value("speed_kn")), speed > 0, speed < 60 else {
                throw fail(
                    "vessels.speed", "\(id): speed_kn \"\(value("speed_kn"))\" must be a number of knots in (0, 60)")
            }
            let fixTime: Date
            do { fixTime = try TimeText.parse(value("fix_time")) } catch {
                throw fail(
                    "vessels.fix-time", "\(id): fix_time \"\(value("fix_time"))\" is not a time like 2018-09-15 08:00")
            }
            seen[id] = r.line
            return Vessel(
                id: id, name: value("name").isEmpty ? id : value("name"), homeUnit: value("home_unit"),
                owner: value("owner"), phone: value("phone"),
                crew: crew, powerHp: power, position: position, fixTime: fixTime, speedKnots: speed, line: r.line)
        }
        var vessels: [Vessel] = [], bad: [InputError] = []
        for r in records.dropFirst() {
            do { vessels.append(try vessel(r)) } catch let error as InputError { bad.append(error) }
        }
        return (vessels, bad)
    }

    /// Shelter ports: Point features with `berths` (≥ 1) and optional `id`, `name`.
    public static func ports(_ path: String, crs: CRS? = nil) throws -> [ShelterPort] {
        try PointFeature.read(path, crs: crs, what: "port").map { p in
            let properties = p.feature.properties
            guard case .number(let berths)? = properties["berths"] ?? properties["泊位"], berths >= 1,
                berths.rounded() == berths, berths < 1e6
            else {
                throw p.error(
                    path, "ports.berths",
                    "port \(p.id) has no berths: `berths` must be a whole number ≥ 1 (got "
                        + "\(properties["berths"]?.display ?? "nothing"))"
                )
            }
            return ShelterPort(
                id: p.id, name: p.name, point: p.point, berths: Int(berths), sourceIndex: p.feature.index)
        }
    }

    /// One storm of an IBTrACS-style CSV: columns `track_id` or `SID`, `time` or `ISO_TIME`
    /// (UTC, as IBTrACS gives it), `lon`/`LON`, `lat`/`LAT`, and `wind`, `WMO_WIND` or
    /// `USA_WIND` (knots; blank when unknown). With several storms in the file, `storm` picks one.
    public static func track(_ path: String, storm: String?) throws -> TyphoonTrack {
        let records = try TableReader.records(path)
        guard let header = records.first else {
            throw InputError(file: path, rule: "file.empty", "the track file has no header row")
        }
        let h = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        func find(_ names: [String]) -> Int? { h.firstIndex(where: names.contains) }
        guard let sid = find(["track_id", "sid"]), let time = find(["time", "iso_time"]), let lon = find(["lon"]),
            let lat = find(["lat"])
        else {
            throw InputError(
                file: path, line: header.line, rule: "track.header",
                "a track needs columns track_id (or SID), time (or ISO_TIME), lon and lat")
        }
        let wind = find(["wind", "wmo_wind", "usa_wind"])
        let rows = records.dropFirst().filter {
            $0.fields.count > sid && !$0.fields[sid].trimmingCharacters(in: .whitespaces).isEmpty
        }
        let ids = Array(Set(rows.map { $0.fields[sid].trimmingCharacters(in: .whitespaces) })).sorted()
        guard !ids.isEmpty else {
            throw InputError(
                file: path, rule: "track.empty",
                "the track file has a header but no fixes; give an IBTrACS CSV with at least one row per storm")
        }
        let chosen: String
        if let storm {
            guard ids.contains(storm) else {
                throw InputError(
                    file: path, rule: "track.storm-unknown",
                    "no storm \(storm) in the file (it has \(ids.count): "
                        + "\(ids.prefix(5).joined(separator: ", "))\(ids.count > 5 ? ", …" : ""))"
                )
            }
            chosen = storm
        } else {
            guard ids.count == 1 else {
                throw InputError(
                    file: path, rule: "track.storm-missing",
                    "the file holds \(ids.count) storms; choose one with --storm (e.g. \(ids.last ?? ""))")
            }
            chosen = ids[0]
        }
        var fixes: [TrackFix] = []
        for r in rows where r.fields[sid].trimmingCharacters(in: .whitespaces) == chosen {
            func field(_ i: Int) -> String {
                i < r.fields.count ? r.fields[i].trimmingCharacters(in: .whitespaces) : ""
            }
            func fail(_ message: String) -> InputError {
                InputError(file: path, line: r.line, rule: "track.fix", message)
            }
            guard let x = Double(field(lon)), let y = Double(field(lat)), (-180...360).contains(x),
                (-90...90).contains(y)
            else {
                throw fail("no centre (lon \"\(field(lon))\", lat \"\(field(lat))\")")
            }
            let t: Date
            do { t = try TimeText.parse(field(time), defaultOffset: 0) } catch {
                throw fail("time \"\(field(time))\" is not a time like 2018-09-16 06:00:00")
            }
            var knots: Double?
            if let wind, !field(wind).isEmpty {
                guard let w = Double(field(wind)), w >= 0, w < 300 else {
                    throw fail("wind \"\(field(wind))\" is not a speed in knots")
                }
                knots = w
            }
            if let previous = fixes.last, t <= previous.time {
                throw fail("fixes must be in time order (\(field(time)) follows a later or equal time)")
            }
            fixes.append(TrackFix(time: t, centre: Position(x: x > 180 ? x - 360 : x, y: y), windKnots: knots))
        }
        guard fixes.count >= 2 else {
            throw InputError(file: path, rule: "track.short", "storm \(chosen) has fewer than 2 fixes")
        }
        return TyphoonTrack(id: chosen, fixes: fixes)
    }

    /// Polygons of a sea-area (`--sea`) or land (`--land`) file (WGS84, or the CRS its `crs`
    /// member names); `what` names them in messages.
    public static func areas(_ path: String, what: String, crs: CRS? = nil) throws -> [[Ring]] {
        let document = try VectorReader.read(path, crs: crs)
        guard !document.features.isEmpty else {
            throw InputError(file: path, rule: "\(what).empty", "the \(what) file has no features")
        }
        let context = try GEOSContext()
        return try document.features.flatMap { f -> [[Ring]] in
            let reference = FeatureReference(
                index: f.index, id: f.properties["code"]?.identifierText ?? f.id?.identifierText)
            if let problem = f.geometryProblem {
                throw InputError(file: path, feature: reference, rule: "\(what).geometry", problem)
            }
            guard let g = f.geometry, g.isPolygonal else {
                throw InputError(
                    file: path, feature: reference, rule: "\(what).geometry",
                    "\(what) areas must be Polygons or MultiPolygons (got \(f.geometry?.typeName ?? "no geometry"))")
            }
            // An invalid area (a bow-tie, a ring crossing itself) would be filled wrongly and
            // show up later as ports or vessels "far from open water".
            if case .invalid(let reason, let location) = try NativeGeometry(g, in: context).validity() {
                let at = location.map { String(format: " at (%.6f, %.6f)", $0.x, $0.y) } ?? ""
                throw InputError(
                    file: path, feature: reference, rule: "\(what).geometry",
                    "the \(what) area is not a valid polygon: \(reason)\(at); fix it (in QGIS: Vector ▸ Geometry "
                        + "Tools ▸ Fix Geometries) and run again"
                )
            }
            return g.polygons
        }
    }
}
