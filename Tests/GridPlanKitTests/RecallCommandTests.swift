import Foundation
import GridPlanGeometryValues
import GridPlanTestSupport
import Testing

/// `gridplan recall` end to end on a real coastal town of the Jiangmen demo (广海镇, Taishan:
/// real county coastline, derived villages), staffed from the seeded synthetic roster, with
/// the town's 159 vessels of data/jiangmen/vessels.csv (synthetic, seeded), the derived ports
/// and sea area of data/jiangmen, and Mangkhut's real best track (IBTrACS 2018250N12170).
@Suite(.serialized) struct RecallCommandTests {
    static let town = "440781110"
    /// 2018-09-15 11:00 CST, 30 h before Mangkhut's landfall at Taishan (16 Sep ≈ 17:00 CST).
    static let now = "2018-09-15T11:00"
    static let landfall = "2018-09-16T17:00"

    func table(_ path: String) throws -> (header: [String], rows: [[String: String]]) {
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "\r\n", with: "\n")
        let lines = text.split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        return (lines[0], lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(lines[0], $0)) })
    }

    /// The town's plan, staffed, and its vessels (a subset of data/jiangmen/vessels.csv).
    func fixture(_ name: String) throws -> (plan: String, folder: URL, vessels: String, rules: String) {
        let (plan, folder) = try jiangmenTownPlan(name, town: Self.town)
        let roster = folder.appendingPathComponent("roster.csv").path
        let script = CLI.repository.appendingPathComponent("notebooks-free-scripts/synthetic_roster.py").path
        #expect(
            try runProgram("/usr/bin/env", ["python3", script, plan, roster, "--medical-per-grid", "0"]).status == 0)
        let staffed = try CLI.run([
            "staff", "--plan", plan, "--roster", roster, "--out", folder.appendingPathComponent("staff").path,
        ])
        #expect(staffed.status == 0, "\(staffed.stderr)")
        let all = try String(contentsOfFile: CLI.data("jiangmen/vessels.csv"), encoding: .utf8).split(
            whereSeparator: \.isNewline)
        let mine = all.dropFirst().filter { $0.split(separator: ",")[2].hasPrefix(Self.town) }
        let vessels = try write(([all[0]] + mine).joined(separator: "\n") + "\n", folder, "vessels.csv")
        // Coarser sea cells keep the debug build quick; the demo uses the default 250 m.
        let rules = try write("[recall]\ncell_metres = 500  # test: debug build speed\n", folder, "rules.toml")
        return (plan, folder, vessels, rules)
    }

    func recall(
        _ plan: String, _ vessels: String, _ rules: String, out: String, extra: [String] = []
    ) throws -> CLI.Result {
        try CLI.run(
            [
                "recall", "--plan", plan, "--vessels", vessels, "--ports", CLI.data("jiangmen/ports.geojson"), "--sea",
                CLI.data("jiangmen/sea.geojson"),
                "--landfall", Self.landfall, "--now", Self.now, "--generated-at", "2018-09-15T11:05", "--rules", rules,
                "--out", out,
            ] + extra)
    }

    @Test(
        .enabled(
            if: Tool.python && Tool.gdal,
            "needs python3 (shapely, pyproj, scipy, numpy) and GDAL (gdal-bin); setup.sh installs them"))
    func listsRoutesBerthsAndStatus() throws {
        let (plan, folder, vessels, rules) = try fixture("recall")
        let out = folder.appendingPathComponent("recall").path
        let track = RealData.url("typhoon/ibtracs_wmo_wp_fixes_within300km_jiangmen_1980_2024.csv").path
        let r = try recall(plan, vessels, rules, out: out, extra: ["--track", track, "--storm", "2018250N12170"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(
            r.stdout.contains("159 vessels") && r.stdout.contains("deadline: in port by 2018-09-15 15:00 CST"),
            "\(r.stdout)")

        let list = try table(out + "/recall_vessels.csv").rows
        #expect(list.count == 159)
        // Urgency order: cannot make it, at risk, can make it, in port; ranks 1…n.
        let order = ["cannot_make_it", "at_risk", "can_make_it", "in_port"]
        #expect(
            list.map { order.firstIndex(of: $0["status"]!)! }
                == list.map { order.firstIndex(of: $0["status"]!)! }.sorted())
        #expect(list.map { Int($0["rank"]!)! } == Array(1...159))
        // Every vessel has a responsible person from a grid of its home village (定人联船), and
        // every row says when and from which plan it was made.
        for row in list {
            #expect(!row["responsible_id"]!.isEmpty, "\(row["vessel_id"]!) has no responsible person")
            #expect(row["grid_code"]!.hasPrefix(row["unit_code"]!))
            #expect(row["generated_at"] == "2018-09-15 11:05 CST" && row["plan"]!.hasSuffix("plan.gpkg"))
        }
        // Berths: no port takes more than it has.
        let ports = try table(out + "/recall_ports.csv").rows
        for p in ports { #expect(Int(p["free_berths"]!)! >= 0, "port \(p["port_id"]!) over capacity") }
        let sent = Dictionary(
            grouping: list.filter { $0["status"] != "in_port" && $0["small_boat"] == "no" && !$0["port_id"]!.isEmpty },
            by: { $0["port_id"]! })
        for p in ports { #expect(sent[p["port_id"]!]?.count ?? 0 == Int(p["assigned"]!)!) }
        // Latest departure + time at sea = in port by ≤ the lead-time deadline.
        for row in list where !row["in_port_by"]!.isEmpty { #expect(row["in_port_by"]! <= "2018-09-15 15:00") }
        // Small boats (< 25 hp) are on the haul-out list, and only they.
        let haul = try table(out + "/haul_out.csv").rows
        #expect(
            Set(haul.map { $0["vessel_id"]! })
                == Set(list.filter { Double($0["power_hp"]!)! < 25 }.map { $0["vessel_id"]! }))
        // Call lists cover every vessel not in port, once.
        let calls = try table(out + "/recall_calls.csv").rows
        #expect(calls.count == list.filter { $0["status"] != "in_port" }.count)

        // Levels add up to the whole, once each: the plan holds villages only, and their town
        // must not be counted as a county as well (it was, doubling the town's figures).
        let levels = try table(out + "/recall_levels.csv").rows
        #expect(Set(levels.map { $0["code"]! }).count == levels.count, "a place is listed twice")
        #expect(levels.first { $0["level"] == "city" }?["vessels"] == "159")
        for level in ["town", "village", "grid"] {
            let sum = levels.filter { $0["level"] == level }.map { Int($0["vessels"]!)! }.reduce(0, +)
            #expect(sum == 159, "\(level) rows add up to \(sum), not 159")
        }
        #expect(!levels.contains { $0["level"] == "county" })

        // Independent check with shapely: no open-water leg runs over land.
        let helper = CLI.repository.appendingPathComponent("Tests/helpers/verify_routes.py").path
        let check = try runProgram(
            "/usr/bin/env", ["python3", helper, out + "/recall_routes.geojson", CLI.data("jiangmen/counties.geojson")])
        #expect(check.status == 0, "\(check.output)")
        let verdict = try JSONSerialization.jsonObject(with: Data(check.output.utf8)) as! [String: Any]
        #expect((verdict["checked"] as! Int) > 100)
        #expect((verdict["over_land"] as! [Any]).isEmpty, "\(check.output)")
        // Independent check with pyproj: the listed distance is the WGS84 geodesic length of
        // the drawn route (up to the 0.1 km rounding), and the ETA follows from it.
        let lengths = CLI.repository.appendingPathComponent("Tests/helpers/route_lengths.py").path
        let measured = try runProgram(
            "/usr/bin/env", ["python3", lengths, out + "/recall_routes.geojson", out + "/recall_vessels.csv", Self.now])
        #expect(measured.status == 0, "\(measured.output)")
        let figures = try JSONSerialization.jsonObject(with: Data(measured.output.utf8)) as! [String: Any]
        #expect((figures["checked"] as! Int) > 100)
        #expect((figures["bad"] as! [Any]).isEmpty, "\(measured.output)")

        // The same inputs give the same lists, byte for byte.
        let again = folder.appendingPathComponent("again").path
        #expect(
            try recall(plan, vessels, rules, out: again, extra: ["--track", track, "--storm", "2018250N12170"]).status
                == 0)
        for file in ["recall_vessels.csv", "recall_calls.csv", "recall_routes.geojson", "recall_summary.txt"] {
            #expect(
                FileManager.default.contentsEqual(atPath: out + "/" + file, andPath: again + "/" + file),
                "\(file) differs between runs")
        }

        // The same list as an Excel sheet, with typed cells (numbers, times), gives the same lists.
        let sheet = folder.appendingPathComponent("渔船.xlsx").path
        let made = try runProgram("/usr/bin/ogr2ogr", ["-f", "XLSX", "-oo", "AUTODETECT_TYPE=YES", sheet, vessels])
        #expect(made.status == 0, "\(made.output)")
        let fromSheet = folder.appendingPathComponent("from-xlsx").path
        let excel = try recall(
            plan, sheet, rules, out: fromSheet, extra: ["--track", track, "--storm", "2018250N12170"])
        #expect(excel.status == 0, "\(excel.stdout)\(excel.stderr)")
        for file in ["recall_vessels.csv", "recall_calls.csv", "recall_routes.geojson"] {
            #expect(
                FileManager.default.contentsEqual(atPath: out + "/" + file, andPath: fromSheet + "/" + file),
                "\(file) differs between the CSV and the Excel vessel list")
        }

        // Status: arrivals recorded by several processes at once all count.
        let first = try CLI.run(["recall", "status", "--plan", plan])
        #expect(first.status == 0, "\(first.stderr)")
        let inPort = list.filter { $0["status"] == "in_port" }.count
        #expect(first.stdout.hasPrefix("\(inPort) of 159 in port, \(159 - inPort) at sea"), "\(first.stdout)")
        let atSea = list.filter { $0["status"] != "in_port" }.map { $0["vessel_id"]! }.prefix(6)
        let processes = try atSea.map { id -> Process in
            let p = Process()
            p.executableURL = URL(fileURLWithPath: CLI.binary)
            p.arguments = [
                "recall", "status", "--plan", plan, "--arrived", id, "--port", "P06", "--time", "2018-09-15T11:00",
            ]
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            return p
        }
        for p in processes {
            p.waitUntilExit()
            #expect(p.terminationStatus == 0)
        }
        let after = try CLI.run(["recall", "status", "--plan", plan, "--crew-ashore", atSea.joined(separator: ",")])
        #expect(after.stdout.hasPrefix("\(inPort + 6) of 159 in port, \(159 - inPort - 6) at sea"), "\(after.stdout)")
        #expect(after.stdout.contains("crews ashore (人船双回): 6 of"))
        // Unknown vessel: refused, nothing recorded.
        let unknown = try CLI.run(["recall", "status", "--plan", plan, "--arrived", "NOPE"])
        #expect(unknown.status == 2 && unknown.stderr.contains("no vessel NOPE"))
        // The plan's layers, readable by GDAL.
        let info = try runProgram("/usr/bin/env", ["ogrinfo", "-so", "-ro", plan + "/plan.gpkg", "vessels"])
        #expect(info.output.contains("Feature Count: 159"), "\(info.output)")

        // Exports: vessels, ports and routes as GeoPackage layers GDAL converts without a word.
        let export = folder.appendingPathComponent("export.gpkg").path
        let e = try CLI.run([
            "export", "--plan", plan, "--format", "gpkg", "--layers", "vessels,ports,routes", "--out", export,
        ])
        #expect(
            e.status == 0 && e.stdout.contains("vessels (159)") && e.stdout.contains("ports (12)"),
            "\(e.stdout)\(e.stderr)")
        let converted = folder.appendingPathComponent("routes.geojson").path
        let ogr = try runProgram("/usr/bin/env", ["ogr2ogr", "-f", "GeoJSON", converted, export, "routes"])
        #expect(ogr.status == 0 && ogr.output.isEmpty, "\(ogr.output)")
        let routes =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: converted))) as! [String: Any]
        let sailing = list.filter { !$0["port_id"]!.isEmpty && $0["status"] != "in_port" }.count
        #expect((routes["features"] as! [Any]).count == sailing)
        // The report shows the recall after the events: six more in port, on the map and in the tables.
        let html = folder.appendingPathComponent("report.html").path
        #expect(try CLI.run(["report", "--plan", plan, "--out", html]).status == 0)
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.contains("Typhoon recall") && page.contains("<th>in port</th><td>\(inPort + 6) of 159</td>"))
        #expect(page.components(separatedBy: "<circle class=").count - 1 == 159)
        #expect(page.components(separatedBy: "<circle class=\"in_port\"").count - 1 == inPort + 6)

        // The same fleet and ports in GCJ-02 (Amap/Tencent) with --crs gcj02: same ports and
        // statuses, and distances within 0.2 km of the WGS84 run (the inverse is exact to ~1e-7°).
        var gcjLines = try String(contentsOfFile: vessels, encoding: .utf8).split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        for k in gcjLines.indices.dropFirst() {
            let g = GCJ02.fromWGS84(Position(x: Double(gcjLines[k][8])!, y: Double(gcjLines[k][9])!))
            (gcjLines[k][8], gcjLines[k][9]) = (String(format: "%.7f", g.x), String(format: "%.7f", g.y))
        }
        let gcjVessels = try write(
            gcjLines.map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n", folder, "vessels-gcj.csv")
        let portsDoc =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: CLI.data("jiangmen/ports.geojson")))) as! [String: Any]
        let gcjPorts = (portsDoc["features"] as! [[String: Any]]).map { f -> [String: Any] in
            var f = f, geometry = f["geometry"] as! [String: Any]
            let c = geometry["coordinates"] as! [Double], g = GCJ02.fromWGS84(Position(x: c[0], y: c[1]))
            geometry["coordinates"] = [g.x, g.y]
            f["geometry"] = geometry
            return f
        }
        let gcjPortsFile = folder.appendingPathComponent("ports-gcj.geojson").path
        try JSONSerialization.data(withJSONObject: ["type": "FeatureCollection", "features": gcjPorts]).write(
            to: URL(fileURLWithPath: gcjPortsFile))
        let gcjOut = folder.appendingPathComponent("recall-gcj").path
        let gcj = try CLI.run([
            "recall", "--plan", plan, "--vessels", gcjVessels, "--ports", gcjPortsFile, "--crs", "gcj02", "--sea",
            CLI.data("jiangmen/sea.geojson"),
            "--landfall", Self.landfall, "--now", Self.now, "--generated-at", "2018-09-15T11:05", "--rules", rules,
            "--out", gcjOut,
            "--track", track, "--storm", "2018250N12170",
        ])
        #expect(gcj.status == 0, "\(gcj.stderr)")
        let wgsRows = Dictionary(uniqueKeysWithValues: list.map { ($0["vessel_id"]!, $0) })
        for row in try table(gcjOut + "/recall_vessels.csv").rows {
            let w = wgsRows[row["vessel_id"]!]!
            #expect(
                row["port_id"] == w["port_id"] && row["status"] == w["status"],
                "\(row["vessel_id"]!): \(row["port_id"]!)/\(row["status"]!) against \(w["port_id"]!)/\(w["status"]!)")
            #expect(abs(Double(row["sea_km"]!)! - Double(w["sea_km"]!)!) <= 0.2)
        }
    }

    @Test(.enabled(if: Tool.python, "needs python3 with shapely, pyproj, scipy and numpy (setup.sh installs them)"))
    func badInputsAreNamedAndNothingIsWritten() throws {
        let (plan, folder, vessels, rules) = try fixture("recall-bad")
        let good = try String(contentsOfFile: vessels, encoding: .utf8).split(separator: "\n").map(String.init)
        func run(
            _ vesselLines: [String], ports: String = CLI.data("jiangmen/ports.geojson"),
            extra: [String] = ["--landfall", Self.landfall]
        )
            throws -> CLI.Result
        {
            let file = try write(vesselLines.joined(separator: "\n") + "\n", folder, "bad.csv")
            let out = folder.appendingPathComponent("out").path
            let r = try CLI.run(
                [
                    "recall", "--plan", plan, "--vessels", file, "--ports", ports, "--sea",
                    CLI.data("jiangmen/sea.geojson"), "--now", Self.now, "--rules", rules,
                    "--out", out,
                ] + extra)
            #expect(!FileManager.default.fileExists(atPath: out), "a failed recall wrote \(out)")
            return r
        }
        // A vessel with no position, on line 3.
        var lines = Array(good.prefix(4))
        var fields = lines[2].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        fields[8] = ""
        lines[2] = fields.joined(separator: ",")
        var r = try run(lines)
        #expect(r.status == 2 && r.stderr.contains("bad.csv:3") && r.stderr.contains("no position"), "\(r.stderr)")
        // With --skip-bad-rows the good rows are planned and the bad one is listed in the summary.
        let skipOut = folder.appendingPathComponent("skip").path
        let skipFile = try write(lines.joined(separator: "\n") + "\n", folder, "skip.csv")
        let skip = try CLI.run([
            "recall", "--plan", plan, "--vessels", skipFile, "--ports", CLI.data("jiangmen/ports.geojson"), "--sea",
            CLI.data("jiangmen/sea.geojson"),
            "--now", Self.now, "--landfall", Self.landfall, "--rules", rules, "--skip-bad-rows", "--out", skipOut,
        ])
        #expect(
            skip.status == 0 && skip.stdout.contains("2 vessels") && skip.stdout.contains("1 bad vessel rows skipped")
                && skip.stdout.contains("line 3:"), "\(skip.stdout)\(skip.stderr)")
        #expect(try table(skipOut + "/recall_vessels.csv").rows.count == 2)
        // A home that is not in the plan.
        fields = good[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        fields[2] = "999999999999"
        r = try run([good[0], fields.joined(separator: ",")])
        #expect(
            r.status == 2 && r.stderr.contains("bad.csv:2") && r.stderr.contains("vessels.home-unknown"), "\(r.stderr)")
        // A vessel on land, 20 km inland in Kaiping.
        fields = good[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        (fields[8], fields[9]) = ("112.60", "22.35")
        r = try run([good[0], fields.joined(separator: ",")])
        #expect(r.status == 2 && r.stderr.contains("bad.csv:2") && r.stderr.contains("from open water"), "\(r.stderr)")
        // Two bad rows of different kinds: one on land (line 2, found while routing) and one
        // without a position (line 4, found while reading). The first is named, with the other.
        var noPosition = good[3].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        noPosition[8] = ""
        r = try run([good[0], fields.joined(separator: ","), good[2], noPosition.joined(separator: ",")])
        #expect(r.status == 2 && r.stderr.contains("bad.csv:2") && r.stderr.contains("from open water"), "\(r.stderr)")
        #expect(r.stderr.contains("1 more bad rows: line 4") && r.stderr.contains("--skip-bad-rows"), "\(r.stderr)")
        // A port without berths names its feature.
        let ports = try write(
            #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"X","berths":0},"geometry":{"type":"Point","coordinates":[112.79,21.92]}}]}"#,
            folder, "ports.geojson")
        r = try run(Array(good.prefix(3)), ports: ports)
        #expect(r.status == 2 && r.stderr.contains("feature #0 (X)") && r.stderr.contains("no berths"), "\(r.stderr)")
        // No typhoon given.
        r = try run(Array(good.prefix(3)), extra: [])
        #expect(r.status == 2 && r.stderr.contains("--landfall"), "\(r.stderr)")
        // An unknown storm.
        let track = RealData.url("typhoon/ibtracs_wmo_wp_fixes_within300km_jiangmen_1980_2024.csv").path
        r = try run(Array(good.prefix(3)), extra: ["--track", track, "--storm", "1999999N99999"])
        #expect(r.status == 2 && r.stderr.contains("no storm 1999999N99999"), "\(r.stderr)")
    }
}
