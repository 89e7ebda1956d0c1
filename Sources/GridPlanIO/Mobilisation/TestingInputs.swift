import Foundation
import GridPlanGeometryValues
import GridPlanModel

/// Reads candidate sampling sites (GeoJSON points) and the households to sample at home (CSV).
public enum TestingInputs {
    /// Sites: Point features with `tables` (≥ 1), optional `id`, `name` and `hours` (sampling
    /// hours, when shorter than the rules'). The town is filled in later from the plan.
    public static func sites(_ path: String, crs: CRS? = nil) throws -> [SamplingSite] {
        try PointFeature.read(path, crs: crs, what: "site").map { p in
            let properties = p.feature.properties
            guard case .number(let tables)? = properties["tables"] ?? properties["采样台"], tables >= 1,
                tables.rounded() == tables, tables < 1000
            else {
                throw p.error(
                    path, "sites.tables",
                    "`tables` must be a whole number ≥ 1 (got \(properties["tables"]?.display ?? "nothing"))")
            }
            var hours: Double?
            if let value = properties["hours"], value != .null {
                guard case .number(let h) = value, h > 0, h <= 24 else {
                    throw p.error(path, "sites.hours", "`hours` must be a number in (0, 24], got \(value.display)")
                }
                hours = h
            }
            return SamplingSite(
                id: p.id, name: p.name, point: p.point, townCode: "", tables: Int(tables), hours: hours, given: true,
                sourceIndex: p.feature.index)
        }
    }

    /// Households to sample at home: CSV with `id, lon, lat` and optional `name, phone,
    /// address, people` (Chinese headers accepted). Bad rows are errors naming their line.
    public static func homeVisits(_ path: String) throws -> [HomeVisit] {
        let records = try TableReader.records(path)
        guard let header = records.first else {
            throw InputError(file: path, rule: "file.empty", "the household list has no header row")
        }
        let names: [String: [String]] = [
            "id": ["id", "编号", "户号"], "name": ["name", "姓名", "户主"], "phone": ["phone", "电话", "手机"],
            "address": ["address", "地址", "住址"],
            "people": ["people", "人数"], "lon": ["lon", "lng", "longitude", "经度"], "lat": ["lat", "latitude", "纬度"],
        ]
        let columns = CSVColumns(header: header.fields, names: names)
        let missing = columns.missing(["id", "lon", "lat"])
        guard missing.isEmpty else {
            throw InputError(
                file: path, line: header.line, rule: "homes.header",
                "no column for \(missing.joined(separator: ", ")) (header: \(header.fields.joined(separator: ",")))")
        }
        var seen: [String: Int] = [:]
        return try records.dropFirst().map { r in
            func value(_ key: String) -> String { columns.value(key, in: r.fields) }
            func fail(_ rule: String, _ message: String) -> InputError {
                InputError(file: path, line: r.line, rule: rule, message)
            }
            let id = value("id")
            guard !id.isEmpty else { throw fail("homes.id-missing", "no id") }
            if let first = seen[id] { throw fail("homes.id-duplicate", "id \(id) is already used on line \(first)") }
            seen[id] = r.line
            guard let lon = Double(value("lon")), let lat = Double(value("lat")), (-180...180).contains(lon),
                (-90...90).contains(lat)
            else {
                throw fail("homes.coordinates", "\(id): no position (lon \"\(value("lon"))\", lat \"\(value("lat"))\")")
            }
            var people = 1
            if !value("people").isEmpty {
                guard let n = Int(value("people")), n >= 1 else {
                    throw fail("homes.people", "\(id): people \"\(value("people"))\" is not a whole number ≥ 1")
                }
                people = n
            }
            return HomeVisit(
                id: id, name: value("name"), phone: value("phone"), address: value("address"), people: people,
                point: Position(x: lon, y: lat), line: r.line)
        }
    }
}
