import Foundation
import GRDB
import GridPlanServer
import GridPlanTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `gridplan serve` end to end: the real binary on a loopback port, over a staffed recall of a
/// real coastal town of the Jiangmen demo (广海镇; the same fixture as RecallCommandTests), driven
/// through its HTTP API as a phone and the command page would.
@Suite(.serialized) struct ServeCommandTests {
    /// 广海镇's villages' code prefix, and the town's own code.
    static let town = "440781110"
    static let townCode = "440781110000"

    /// A staffed plan with a recall and tokens: two grid workers who answer for vessels, a
    /// town reader, an admin, a revoked and an expired token. Made once for the suite.
    struct Fixture: Sendable {
        var plan: String
        var folder: URL
        var tokens: [String: String]  // role label -> token
        var workerA: String, workerB: String  // person ids
    }

    static let fixture: Result<Fixture, any Error> = Result { try makeFixture() }

    static func makeFixture() throws -> Fixture {
        let (plan, folder) = try jiangmenTownPlan("serve", town: town)
        let roster = folder.appendingPathComponent("roster.csv").path
        let script = CLI.repository.appendingPathComponent("notebooks-free-scripts/synthetic_roster.py").path
        let made = try runProgram("/usr/bin/env", ["python3", script, plan, roster, "--medical-per-grid", "0"])
        guard made.status == 0 else { throw Failure("roster: \(made.output)") }
        let staffed = try CLI.run(["staff", "--plan", plan, "--roster", roster, "--out", folder.path + "/staff"])
        guard staffed.status == 0 else { throw Failure("staff: \(staffed.stderr)") }
        // A testing round whose slots are long past, so every micro-grid has started.
        let tested = try CLI.run([
            "testing", "--plan", plan, "--out", folder.path + "/testing", "--start", "2018-09-15T08:00",
        ])
        guard tested.status == 0 else { throw Failure("testing: \(tested.stderr)") }
        let all = try String(contentsOfFile: CLI.data("jiangmen/vessels.csv"), encoding: .utf8)
            .split(whereSeparator: \.isNewline)
        let mine = all.dropFirst().filter { $0.split(separator: ",")[2].hasPrefix(town) }
        let vessels = try write(([all[0]] + mine).joined(separator: "\n") + "\n", folder, "vessels.csv")
        let rules = try write("[recall]\ncell_metres = 500  # test: debug build speed\n", folder, "rules.toml")
        let recalled = try CLI.run([
            "recall", "--plan", plan, "--vessels", vessels, "--ports", CLI.data("jiangmen/ports.geojson"), "--sea",
            CLI.data("jiangmen/sea.geojson"), "--landfall", "2018-09-16T17:00", "--now", "2018-09-15T11:00",
            "--rules", rules, "--out", folder.path + "/recall",
        ])
        guard recalled.status == 0 else { throw Failure("recall: \(recalled.stderr)") }
        // Two workers who answer for vessels at sea.
        let db = try DatabaseQueue(path: plan + "/plan.gpkg")
        let people = try db.read {
            try String.fetchAll(
                $0,
                sql: """
                    SELECT responsible_id FROM vessels WHERE status != 'in_port' AND responsible_id != ''
                    GROUP BY responsible_id ORDER BY count(*) DESC, responsible_id LIMIT 2
                    """)
        }
        guard people.count == 2 else { throw Failure("fewer than two responsible people") }
        var tokens: [String: String] = [:]
        let list = folder.appendingPathComponent("people.csv").path
        let issued = try CLI.run([
            "serve", "tokens", "--plan", plan, "--out", list, "--area", townCode + "=广海镇", "--admin", "指挥中心",
        ])
        guard issued.status == 0 else { throw Failure("tokens: \(issued.stderr)") }
        for row in try csvRows(list) {
            switch row["role"] {
            case "admin": tokens["admin"] = row["token"]
            case "area": tokens["area"] = row["token"]
            case "worker":
                if row["person_id"] == people[0] { tokens["workerA"] = row["token"] }
                if row["person_id"] == people[1] { tokens["workerB"] = row["token"] }
                if row["person_id"] != people[0] && row["person_id"] != people[1] && tokens["revoked"] == nil {
                    tokens["revoked"] = row["token"]
                    let revoked = try CLI.run(["serve", "tokens", "--plan", plan, "--revoke", row["token_id"]!])
                    guard revoked.status == 0 else { throw Failure("revoke: \(revoked.stderr)") }
                }
            default: break
            }
        }
        let short = folder.appendingPathComponent("short.csv").path
        let expiring = try CLI.run([
            "serve", "tokens", "--plan", plan, "--out", short, "--admin", "expires", "--days", "0.00001",
        ])
        guard expiring.status == 0 else { throw Failure("short tokens: \(expiring.stderr)") }
        tokens["expired"] = try csvRows(short).first { $0["role"] == "admin" }?["token"]
        Thread.sleep(forTimeInterval: 1.2)
        return Fixture(plan: plan, folder: folder, tokens: tokens, workerA: people[0], workerB: people[1])
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    static func csvRows(_ path: String) throws -> [[String: String]] {
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "\u{FEFF}", with: "")
        let lines = text.split(whereSeparator: \.isNewline).map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(lines[0], $0)) }
    }

    /// A running `gridplan serve` on a free loopback port.
    final class Server: @unchecked Sendable {
        let process = Process()
        let base: String
        init(plan: String) throws {
            process.executableURL = URL(fileURLWithPath: CLI.binary)
            process.arguments = ["serve", "--plan", plan, "--port", "0"]
            let err = Pipe()
            process.standardError = err
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            var text = ""
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline {
                let chunk = err.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                text += String(decoding: chunk, as: UTF8.self)
                if let range = text.range(of: #"http://127\.0\.0\.1:\d+"#, options: .regularExpression) {
                    base = String(text[range])
                    // Keep reading standard error so the server never blocks on a full pipe.
                    err.fileHandleForReading.readabilityHandler = { _ = $0.availableData }
                    return
                }
            }
            process.terminate()
            throw Failure("the server did not start: \(text)")
        }
        func kill9() {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        deinit {
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
            }
        }
    }

    struct Answer {
        var status: Int
        var body: Data
        var json: Any? { try? JSONSerialization.jsonObject(with: body) }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    static func call(
        _ server: Server, _ method: String, _ path: String, token: String?, key: String? = nil, body: Data? = nil
    ) async throws -> Answer {
        var request = URLRequest(url: URL(string: server.base + path)!)
        request.httpMethod = method
        if let token { request.setValue("Bearer " + token, forHTTPHeaderField: "Authorization") }
        if let key { request.setValue(key, forHTTPHeaderField: "Idempotency-Key") }
        if let body {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return Answer(status: (response as! HTTPURLResponse).statusCode, body: data)
    }

    static func report(_ event: String, port: String? = nil) -> Data {
        var body = ["event": event]
        if let port { body["port"] = port }
        return try! JSONSerialization.data(withJSONObject: body)
    }

    static func eventCount(_ plan: String) throws -> Int {
        try DatabaseQueue(path: plan + "/plan.gpkg").read {
            try Int.fetchOne($0, sql: "SELECT count(*) FROM recall_events") ?? 0
        }
    }

    static func auditCount(_ plan: String) throws -> Int {
        try DatabaseQueue(path: plan + "/plan.gpkg").read {
            try Int.fetchOne($0, sql: "SELECT count(*) FROM audit_log") ?? 0
        }
    }

    static func vessels(_ server: Server, _ token: String) async throws -> [[String: Any]] {
        try await call(server, "GET", "/api/vessels", token: token).json as? [[String: Any]] ?? []
    }

    static var enabled: Bool { Tool.python }

    /// Every role × every action, allowed or refused; a refusal writes nothing and an audit line.
    @Test(.enabled(if: enabled, "needs python3 for the synthetic roster (setup.sh installs it)"))
    func everyRoleAndActionIsAllowedOrRefused() async throws {
        let f = try Self.fixture.get()
        let server = try Server(plan: f.plan)
        let all = try await Self.vessels(server, f.tokens["admin"]!)
        #expect(all.count == 159)
        let mineA = try await Self.vessels(server, f.tokens["workerA"]!)
        let mineB = try await Self.vessels(server, f.tokens["workerB"]!)
        #expect(!mineA.isEmpty && !mineB.isEmpty)
        #expect(Set(mineA.map { $0["id"] as! String }).isDisjoint(with: mineB.map { $0["id"] as! String }))
        let area = try await Self.vessels(server, f.tokens["area"]!)
        #expect(area.count == 159 && area.allSatisfy { $0["town_code"] as? String == Self.townCode })
        let vesselA = mineA.first { ($0["in_port"] as? Bool) == false }!["id"] as! String
        let vesselB = mineB.first { ($0["in_port"] as? Bool) == false }!["id"] as! String
        // A micro-grid of A's grids that is not B's, and one of B's that is not A's.
        func cells(_ token: String) async throws -> [[String: Any]] {
            try await Self.call(server, "GET", "/api/microgrids", token: token).json as? [[String: Any]] ?? []
        }
        let cellsA = try await cells(f.tokens["workerA"]!), cellsB = try await cells(f.tokens["workerB"]!)
        let gridsA = Set(cellsA.map { $0["grid_code"] as! String }),
            gridsB = Set(cellsB.map { $0["grid_code"] as! String })
        let cellA = try #require(cellsA.first { !gridsB.contains($0["grid_code"] as! String) }?["code"] as? String)
        let cellB = try #require(cellsB.first { !gridsA.contains($0["grid_code"] as! String) }?["code"] as? String)

        let reads = [
            "/api/me", "/api/vessels", "/api/levels", "/api/calls", "/api/vessels/changes", "/api/microgrids",
            "/api/microgrids/changes", "/api/testing/levels", "/api/testing/silent",
        ]
        var key = 0
        func nextKey() -> String {
            key += 1
            return "matrix-key-\(key)"
        }
        // (token label, may read, may report on A's vessel and micro-grid, may report on B's)
        let matrix: [(String?, Bool, Bool, Bool)] = [
            (nil, false, false, false), ("unknown", false, false, false), ("revoked", false, false, false),
            ("expired", false, false, false), ("workerA", true, true, false), ("workerB", true, false, true),
            ("area", true, false, false), ("admin", true, true, true),
        ]
        for (label, read, reportA, reportB) in matrix {
            let token = label.map { f.tokens[$0] ?? "gp_not-a-token" }
            for path in reads {
                let r = try await Self.call(server, "GET", path, token: token)
                #expect(r.status == (read ? 200 : 401), "\(label ?? "no token") GET \(path): \(r.status) \(r.text)")
            }
            let posts = [
                ("/api/vessels/\(vesselA)/events", reportA, Self.report("confirmed")),
                ("/api/vessels/\(vesselB)/events", reportB, Self.report("confirmed")),
                ("/api/microgrids/\(cellA)/counts", reportA, Data(#"{"sampled": 0}"#.utf8)),
                ("/api/microgrids/\(cellB)/counts", reportB, Data(#"{"sampled": 0}"#.utf8)),
            ]
            for (path, allowed, body) in posts {
                let events = try Self.eventCount(f.plan) + Self.testingReportCount(f.plan)
                let audits = try Self.auditCount(f.plan)
                let r = try await Self.call(server, "POST", path, token: token, key: nextKey(), body: body)
                let expected = allowed ? 201 : read ? 403 : 401
                #expect(r.status == expected, "\(label ?? "no token") POST \(path): \(r.status) \(r.text)")
                #expect(try Self.eventCount(f.plan) + Self.testingReportCount(f.plan) == events + (allowed ? 1 : 0))
                #expect(try Self.auditCount(f.plan) == audits + (allowed ? 0 : 1))
                if !allowed {
                    let rule = ((r.json as? [String: Any])?["error"] as? [String: Any])?["rule"] as? String
                    #expect(rule?.hasPrefix("serve.") == true, "\(r.text)")
                }
            }
        }
        // The worker's reads hold only their own vessels, in counts too.
        let levels =
            try await Self.call(server, "GET", "/api/levels", token: f.tokens["workerA"]).json as! [[String: Any]]
        let city = levels.first { $0["level"] as? String == "city" }!
        #expect(city["vessels"] as? Int == mineA.count)
    }

    /// A page that knows version V gets only the vessels that changed after V, in the order of
    /// the reports' times even when a phone that was offline sends an earlier report late.
    @Test(.enabled(if: enabled, "needs python3 for the synthetic roster (setup.sh installs it)"))
    func changesCarryOnlyWhatChangedInTimeOrder() async throws {
        let f = try Self.fixture.get()
        let server = try Server(plan: f.plan)
        let admin = f.tokens["admin"]!
        func changes(_ token: String, since: Int64?) async throws -> [String: Any] {
            let query = since.map { "?since=\($0)" } ?? ""
            let r = try await Self.call(server, "GET", "/api/vessels/changes" + query, token: token)
            #expect(r.status == 200, "\(r.text)")
            return r.json as? [String: Any] ?? [:]
        }
        let first = try await changes(admin, since: nil)
        #expect(first["full"] as? Bool == true)
        #expect((first["vessels"] as? [[String: Any]])?.count == 159)
        let v0 = (first["version"] as? NSNumber)?.int64Value ?? 0
        #expect(try await changes(admin, since: v0)["vessels"] as? [[String: Any]] != nil)
        #expect((try await changes(admin, since: v0)["vessels"] as? [[String: Any]])?.isEmpty == true)

        let mineA = try await Self.vessels(server, f.tokens["workerA"]!)
        let vessel = mineA.first { ($0["in_port"] as? Bool) == false }!["id"] as! String
        let iso = ISO8601DateFormatter()
        func post(_ event: String, secondsAgo: Double, key: String) async throws {
            let body = try JSONSerialization.data(withJSONObject: [
                "event": event, "time": iso.string(from: Date().addingTimeInterval(-secondsAgo)),
            ])
            let r = try await Self.call(
                server, "POST", "/api/vessels/\(vessel)/events", token: f.tokens["workerA"], key: key, body: body)
            #expect(r.status == 201, "\(r.text)")
        }
        try await post("arrived", secondsAgo: 60, key: "order-key-0001")
        let after = try await changes(admin, since: v0)
        let changed = after["vessels"] as? [[String: Any]] ?? []
        #expect(after["full"] as? Bool == false)
        #expect(changed.map { $0["id"] as? String } == [vessel])
        #expect(changed.first?["in_port"] as? Bool == true)
        // workerB does not read that vessel, so nothing changed for them.
        #expect((try await changes(f.tokens["workerB"]!, since: v0)["vessels"] as? [[String: Any]])?.isEmpty == true)

        // "departed" reported late but made before "arrived": the vessel is still in port.
        let v1 = (after["version"] as? NSNumber)?.int64Value ?? 0
        try await post("departed", secondsAgo: 120, key: "order-key-0002")
        let late = try await changes(admin, since: v1)
        #expect((late["vessels"] as? [[String: Any]])?.isEmpty == true, "\(late)")
        let listed = try await Self.vessels(server, admin).first { $0["id"] as? String == vessel }
        #expect(listed?["in_port"] as? Bool == true)
        #expect((listed?["last_event"] as? String)?.hasPrefix("departed ") == false, "\(listed ?? [:])")
        // The same state as the CLI folds from the plan.
        let cli = try CLI.run(["recall", "status", "--plan", f.plan])
        #expect(cli.status == 0, "\(cli.stderr)")
        #expect(!cli.stdout.contains("  \(vessel) "), "the CLI lists \(vessel) at sea: \(cli.stdout)")

        // A version from another server process (or a malformed one) gets everything again.
        #expect(try await changes(admin, since: 1)["full"] as? Bool == true)
        let bad = try await Self.call(server, "GET", "/api/vessels/changes?since=x", token: admin)
        #expect(bad.status == 400)
    }

    /// Testing counts are running totals: a retry, a repeat or a late report made earlier never
    /// adds up twice; only the grid's workers (and the admin) report; the counts roll up, the
    /// grid leaves the "not reporting" list, and `gridplan testing status` shows them.
    @Test(.enabled(if: enabled, "needs python3 for the synthetic roster (setup.sh installs it)"))
    func testingCountsAreRunningTotalsFromTheGridsOwnWorkers() async throws {
        let f = try Self.fixture.get()
        let server = try Server(plan: f.plan)
        let admin = f.tokens["admin"]!, workerA = f.tokens["workerA"]!
        func list(_ token: String, _ path: String) async throws -> [[String: Any]] {
            try await Self.call(server, "GET", path, token: token).json as? [[String: Any]] ?? []
        }
        let stored = try Self.count(f.plan, "SELECT count(DISTINCT microgrid_code) FROM testing_slots")
        #expect(stored > 0)
        #expect(try await list(admin, "/api/microgrids").count == stored)
        let mine = try await list(workerA, "/api/microgrids")
        #expect(!mine.isEmpty && mine.count < stored)
        func cityRow() async throws -> [String: Any] {
            try await list(admin, "/api/testing/levels?level=city").first { $0["level"] as? String == "city" } ?? [:]
        }
        let before = try await cityRow()
        let sampledBefore = before["sampled"] as? Int ?? -1, reportedBefore = before["reported"] as? Int ?? -1
        let area = try await list(f.tokens["area"]!, "/api/microgrids")
        #expect(area.count == stored && area.allSatisfy { $0["town_code"] as? String == Self.townCode })
        // One no count has come in for yet (the slots are long past, so it is "silent").
        let first = try #require(mine.first { $0["reported"] as? Bool == false })
        #expect(first["silent"] as? Bool == true)
        let code = first["code"] as! String, grid = first["grid_code"] as! String
        let people = first["people"] as! Int
        let others = try await list(admin, "/api/microgrids").filter { $0["grid_code"] as? String != grid }
        let elsewhere = try #require(others.first?["code"] as? String)
        let v0 =
            ((try await Self.call(server, "GET", "/api/microgrids/changes", token: admin).json
            as? [String: Any])?["version"] as? NSNumber)?.int64Value ?? 0

        func post(_ token: String?, _ microgrid: String, _ body: [String: Any], key: String) async throws -> Answer {
            try await Self.call(
                server, "POST", "/api/microgrids/\(microgrid)/counts", token: token, key: key,
                body: try JSONSerialization.data(withJSONObject: body))
        }
        let iso = ISO8601DateFormatter()
        #expect(try await post(workerA, code, ["sampled": 100, "absent": 2], key: "count-key-0001").status == 201)
        #expect(try await post(workerA, code, ["sampled": 100, "absent": 2], key: "count-key-0001").status == 200)
        #expect(try await post(workerA, code, ["sampled": 101], key: "count-key-0001").status == 409)
        // Counted earlier, sent late: it does not replace the newer total.
        let late = ["sampled": 50, "time": iso.string(from: Date().addingTimeInterval(-600))] as [String: Any]
        #expect(try await post(workerA, code, late, key: "count-key-0002").status == 201)
        // Refused, with nothing written: another grid's micro-grid, an area token, no token, bad counts.
        let rows = try Self.testingReportCount(f.plan)
        #expect(try await post(workerA, elsewhere, ["sampled": 1], key: "count-key-0003").status == 403)
        #expect(try await post(f.tokens["area"]!, code, ["sampled": 1], key: "count-key-0004").status == 403)
        #expect(try await post(nil, code, ["sampled": 1], key: "count-key-0005").status == 401)
        #expect(try await post(workerA, code, [:], key: "count-key-0006").status == 422)
        #expect(try await post(workerA, code, ["sampled": -1], key: "count-key-0007").status == 422)
        #expect(try await post(workerA, "NOSUCH", ["sampled": 1], key: "count-key-0008").status == 404)
        #expect(try Self.testingReportCount(f.plan) == rows)

        let now = try await list(workerA, "/api/microgrids").first { $0["code"] as? String == code }
        #expect(now?["sampled"] as? Int == 100 && now?["absent"] as? Int == 2)
        #expect(now?["remaining"] as? Int == max(0, people - 102))
        #expect(now?["silent"] as? Bool == false)
        let city = try await cityRow()
        #expect(city["sampled"] as? Int == sampledBefore + 100)
        #expect(city["reported"] as? Int == reportedBefore + 1)
        #expect(city["silent"] as? Int == stored - reportedBefore - 1)
        let towns = try await list(admin, "/api/testing/levels?level=town")
        #expect(Set(towns.compactMap { $0["level"] as? String }) == ["city", "town"])
        #expect(try await Self.call(server, "GET", "/api/testing/levels?level=street", token: admin).status == 400)
        let silent = try await list(admin, "/api/testing/silent")
        #expect(!silent.contains { ($0["microgrids"] as? [String])?.contains(code) == true })
        #expect(silent.contains { ($0["microgrids"] as? [String])?.contains(elsewhere) == true })
        let changes = try await Self.call(server, "GET", "/api/microgrids/changes?since=\(v0)", token: admin).json
        let changed = ((changes as? [String: Any])?["microgrids"] as? [[String: Any]])?.map { $0["code"] as? String }
        #expect(changed == [code])

        let cli = try CLI.run(["testing", "status", "--plan", f.plan])
        #expect(cli.status == 0, "\(cli.stderr)")
        #expect(cli.stdout.hasPrefix("sampled \(sampledBefore + 100) of "), "\(cli.stdout)")
        #expect(cli.stdout.contains("\(reportedBefore + 1) of \(stored) micro-grids reported"), "\(cli.stdout)")
        let html = f.folder.appendingPathComponent("testing-report.html").path
        let report = try CLI.run(["report", "--plan", f.plan, "--out", html])
        #expect(report.status == 0, "\(report.stderr)")
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(
            page.contains("sampled so far (reported)</th><td>\(sampledBefore + 100)<"),
            "the report lacks the server's counts")
    }

    static func testingReportCount(_ plan: String) throws -> Int {
        try count(plan, "SELECT count(*) FROM testing_reports")
    }

    static func count(_ plan: String, _ sql: String) throws -> Int {
        try DatabaseQueue(path: plan + "/plan.gpkg").read { try Int.fetchOne($0, sql: sql) ?? 0 }
    }

    /// A phone that retries is counted once; a key reused for another report is refused.
    @Test(.enabled(if: enabled, "needs python3 for the synthetic roster (setup.sh installs it)"))
    func retriesAreCountedOnce() async throws {
        let f = try Self.fixture.get()
        let server = try Server(plan: f.plan)
        let mine = try await Self.vessels(server, f.tokens["workerA"]!)
        let vessel = mine.first { ($0["in_port"] as? Bool) == false }!["id"] as! String
        let before = try Self.eventCount(f.plan)
        let first = try await Self.call(
            server, "POST", "/api/vessels/\(vessel)/events", token: f.tokens["workerA"], key: "retry-key-0001",
            body: Self.report("crew_ashore"))
        #expect(first.status == 201, "\(first.text)")
        // Twenty retries at once, as a phone on a weak connection might send them.
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    try await Self.call(
                        server, "POST", "/api/vessels/\(vessel)/events", token: f.tokens["workerA"],
                        key: "retry-key-0001", body: Self.report("crew_ashore")
                    ).status
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.allSatisfy { $0 == 200 }, "\(statuses)")
        #expect(try Self.eventCount(f.plan) == before + 1)
        let again = try await Self.call(
            server, "POST", "/api/vessels/\(vessel)/events", token: f.tokens["workerA"], key: "retry-key-0001",
            body: Self.report("crew_ashore"))
        #expect((again.json as? [String: Any])?["duplicate"] as? Bool == true)
        let conflict = try await Self.call(
            server, "POST", "/api/vessels/\(vessel)/events", token: f.tokens["workerA"], key: "retry-key-0001",
            body: Self.report("departed"))
        #expect(conflict.status == 409, "\(conflict.text)")
        #expect(try Self.eventCount(f.plan) == before + 1)
    }

    /// Malformed, oversized and wrong reports: a clear 4xx, nothing written, an audit line each.
    @Test(.enabled(if: enabled, "needs python3 for the synthetic roster (setup.sh installs it)"))
    func badBodiesAreRefusedAndNothingIsWritten() async throws {
        let f = try Self.fixture.get()
        let server = try Server(plan: f.plan)
        let admin = f.tokens["admin"]!
        let vessel = (try await Self.vessels(server, admin)).first!["id"] as! String
        let before = try Self.eventCount(f.plan), audits = try Self.auditCount(f.plan)
        let cases: [(String, String?, Data, Int, String)] = [
            ("malformed JSON", "bad-body-0001", Data("{\"event\": ".utf8), 400, "serve.body"),
            ("not an object", "bad-body-0002", Data("[1,2]".utf8), 400, "serve.body"),
            ("unknown event", "bad-body-0003", Self.report("sunk"), 422, "serve.event"),
            ("unknown port", "bad-body-0004", Self.report("arrived", port: "NOPORT"), 422, "recall.port-unknown"),
            (
                "time in the future", "bad-body-0005",
                try JSONSerialization.data(withJSONObject: ["event": "arrived", "time": "2999-01-01T00:00:00Z"]), 422,
                "serve.time"
            ),
            (
                "oversized", "bad-body-0006",
                try JSONSerialization.data(withJSONObject: [
                    "event": "arrived", "note": String(repeating: "x", count: 10_000),
                ]), 413, "serve.body-too-large"
            ),
            ("no idempotency key", nil, Self.report("arrived"), 400, "serve.idempotency-key"),
            ("short idempotency key", "k1", Self.report("arrived"), 400, "serve.idempotency-key"),
        ]
        for (name, key, body, status, rule) in cases {
            let r = try await Self.call(
                server, "POST", "/api/vessels/\(vessel)/events", token: admin, key: key, body: body)
            #expect(r.status == status, "\(name): \(r.status) \(r.text)")
            let got = ((r.json as? [String: Any])?["error"] as? [String: Any])?["rule"] as? String
            #expect(got == rule, "\(name): \(r.text)")
        }
        let unknown = try await Self.call(
            server, "POST", "/api/vessels/NOSUCH/events", token: admin, key: "bad-body-0009",
            body: Self.report("arrived"))
        #expect(unknown.status == 404)
        #expect(try Self.eventCount(f.plan) == before)
        #expect(try Self.auditCount(f.plan) == audits + cases.count + 1)
    }

    /// The live stream announces a report within 2 s, whether it came through the server or from
    /// `gridplan recall status` in another process; both see each other's reports; a server killed
    /// with -9 restarts with every acknowledged report.
    @Test(
        .enabled(if: enabled, "needs python3 for the synthetic roster (setup.sh installs it)"),
        .enabled(
            if: FileManager.default.isExecutableFile(atPath: "/usr/bin/curl"),
            "needs curl to read the event stream (setup.sh installs it)"))
    func reportsAreLiveSharedAndSurviveKill9() async throws {
        let f = try Self.fixture.get()
        var server = try Server(plan: f.plan)
        let admin = f.tokens["admin"]!
        let atSea = try await Self.vessels(server, admin).filter { ($0["in_port"] as? Bool) == false }
        #expect(atSea.count >= 3)
        let viaServer = atSea[0]["id"] as! String, viaCLI = atSea[1]["id"] as! String

        // Listen as the command page does (curl: Foundation on Linux cannot stream a response).
        let listener = try StreamListener(url: server.base + "/api/stream", token: admin)
        func nextSequence() async throws -> Int? { listener.nextSequence(timeout: 10) }
        let start = try #require(try await nextSequence())

        var sent = Date()
        let posted = try await Self.call(
            server, "POST", "/api/vessels/\(viaServer)/events", token: admin, key: "live-key-0001",
            body: Self.report("arrived"))
        #expect(posted.status == 201)
        var seen = try #require(try await nextSequence())
        #expect(seen > start)
        #expect(Date().timeIntervalSince(sent) < 2, "stream after a server report: \(Date().timeIntervalSince(sent)) s")

        sent = Date()
        let cli = try CLI.run(["recall", "status", "--plan", f.plan, "--arrived", viaCLI])
        #expect(cli.status == 0, "\(cli.stderr)")
        #expect(cli.stdout.contains("in port"))
        seen = try #require(try await nextSequence())
        #expect(Date().timeIntervalSince(sent) < 2, "stream after a CLI report: \(Date().timeIntervalSince(sent)) s")
        let now = try await Self.vessels(server, admin)
        #expect(now.first { $0["id"] as? String == viaCLI }?["in_port"] as? Bool == true)
        #expect(now.first { $0["id"] as? String == viaServer }?["in_port"] as? Bool == true)

        // kill -9 after acknowledged reports; the restarted server has them all.
        for (i, v) in atSea.dropFirst(2).prefix(5).enumerated() {
            let r = try await Self.call(
                server, "POST", "/api/vessels/\(v["id"] as! String)/events", token: admin, key: "kill-key-000\(i)",
                body: Self.report("confirmed"))
            #expect(r.status == 201)
        }
        let counts = try await Self.call(server, "GET", "/api/levels", token: admin).text
        server.kill9()
        server = try Server(plan: f.plan)
        #expect(try await Self.call(server, "GET", "/api/levels", token: admin).text == counts)
        _ = seen
    }

    /// Reads a server-sent event stream with curl, one `data:` line at a time.
    final class StreamListener: @unchecked Sendable {
        let process = Process()
        let lines = NSCondition()
        var buffer = ""
        var sequences: [Int] = []

        init(url: String, token: String) throws {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
            process.arguments = ["-sN", "-H", "Authorization: Bearer " + token, url]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            out.fileHandleForReading.readabilityHandler = { [weak self] handle in
                guard let self else { return }
                let chunk = String(decoding: handle.availableData, as: UTF8.self)
                self.lines.lock()
                self.buffer += chunk
                while let end = self.buffer.range(of: "\n") {
                    let line = String(self.buffer[..<end.lowerBound])
                    self.buffer.removeSubrange(..<end.upperBound)
                    if line.hasPrefix("data: "),
                        let object = try? JSONSerialization.jsonObject(with: Data(line.dropFirst(6).utf8))
                            as? [String: Any], let n = object["sequence"] as? Int
                    {
                        self.sequences.append(n)
                    }
                }
                self.lines.broadcast()
                self.lines.unlock()
            }
            try process.run()
        }

        /// The next sequence the stream announced, waiting up to `timeout` seconds.
        func nextSequence(timeout: Double) -> Int? {
            let deadline = Date().addingTimeInterval(timeout)
            lines.lock()
            defer { lines.unlock() }
            while sequences.isEmpty {
                if !lines.wait(until: deadline) { return nil }
            }
            return sequences.removeFirst()
        }

        deinit { process.terminate() }
    }

    static var openAPIValidator: Bool {
        (try? runProgram("/usr/bin/env", ["python3", "-c", "import openapi_spec_validator"]).status) == 0
    }

    /// The API description is a valid OpenAPI 3.1 document, by an independent validator.
    @Test(
        .enabled(
            if: openAPIValidator, "needs python3 with openapi-spec-validator (setup.sh installs it)"))
    func theOpenAPIDocumentIsValid() throws {
        let file = CLI.repository.appendingPathComponent("Sources/GridPlanServer/Assets/openapi.json").path
        let script =
            "import json, sys; from openapi_spec_validator import validate; validate(json.load(open(sys.argv[1])))"
        let r = try runProgram("/usr/bin/env", ["python3", "-c", script, file])
        #expect(r.status == 0, "\(r.output)")
    }

    /// The API description names every route the server serves, and the pages load.
    @Test(.enabled(if: enabled, "needs python3 for the synthetic roster (setup.sh installs it)"))
    func theOpenAPIDocumentDescribesEveryRoute() async throws {
        let f = try Self.fixture.get()
        let server = try Server(plan: f.plan)
        let doc = try await Self.call(server, "GET", "/openapi.json", token: nil)
        #expect(doc.status == 200)
        let paths = (doc.json as? [String: Any])?["paths"] as? [String: [String: Any]] ?? [:]
        for (method, path) in LiveServer.apiRoutes {
            #expect(paths[path]?[method.lowercased()] != nil, "\(method) \(path) is not in /openapi.json")
        }
        #expect(paths.count == Set(LiveServer.apiRoutes.map(\.path)).count)
        // The map: every micro-grid of the testing round is tagged, the projection is on the root.
        let map = try await Self.call(server, "GET", "/api/map.svg", token: f.tokens["admin"])
        #expect(map.status == 200)
        let codes = try Self.count(f.plan, "SELECT count(*) FROM microgrids")
        #expect(map.text.components(separatedBy: "data-microgrid=").count - 1 == codes)
        #expect(map.text.hasPrefix("<svg ") && map.text.contains("data-units-per-degree="))
        #expect(try await Self.call(server, "GET", "/api/map.svg", token: nil).status == 401)
        for page in ["/w", "/c", "/w.js", "/c.js"] {
            #expect(try await Self.call(server, "GET", page, token: nil).status == 200)
        }
    }

    /// The pages' scripts parse, and neither page loads anything from another site.
    @Test(.enabled(if: Tool.node, "needs node to syntax-check the scripts (Debian nodejs)"))
    func thePagesScriptsParseAndStayOnTheServer() throws {
        let assets = CLI.repository.appendingPathComponent("Sources/GridPlanServer/Assets")
        for name in ["worker.js", "command.js"] {
            let r = try runProgram("/usr/bin/node", ["--check", assets.appendingPathComponent(name).path])
            #expect(r.status == 0, "\(name): \(r.output)")
        }
        for name in ["worker.html", "command.html", "worker.js", "command.js"] {
            // The SVG namespace is a name, not an address that is fetched.
            let text = try String(contentsOf: assets.appendingPathComponent(name), encoding: .utf8)
                .replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "")
            for needle in ["http://", "https://", "//cdn", "url("] {
                #expect(!text.contains(needle), "\(name) contains \(needle): the pages must work without the internet")
            }
        }
    }
}
