import Foundation
import GridPlanEngines
import GridPlanIO
import GridPlanModel
import HTTPTypes
import Hummingbird

/// The testing round on the live server: each micro-grid's counts as the grid's workers report
/// them (running totals: sampled, absent, to re-test), counts per level, and the grids whose
/// slots have started without a single report (the command centre calls them).
extension ServerState {
    func addTestingRoutes(to router: Router<BasicRequestContext>) {
        router.get("/api/microgrids") { request, _ in
            try await self.answer(request, shared: true) { token in try self.microgrids(for: token) }
        }
        router.get("/api/microgrids/changes") { request, _ in
            try await self.answer(request) { token in try self.microgridChanges(for: token, request) }
        }
        router.post("/api/microgrids/:code/counts") { request, context in
            try await self.reportCounts(request, code: context.parameters.get("code") ?? "")
        }
        router.get("/api/testing/progress") { request, _ in
            try await self.answer(request) { token in try self.progress(for: token, request) }
        }
        router.get("/api/testing/levels") { request, _ in
            try await self.answer(request, shared: true) { token in
                try self.testingLevels(for: token, wanted: try Self.levelFilter(request))
            }
        }
        router.get("/api/testing/silent") { request, _ in
            try await self.answer(request, shared: true) { token in
                let limit = try Self.limit(request)
                return Array(try self.silentGrids(for: token).prefix(limit))
            }
        }
    }

    /// The live testing round and the view's version, or a refusal when the plan has none.
    func testingPart() throws -> (part: LivePart<MicrogridProgress, MicrogridPlace>, view: PlanView) {
        let view = live.view
        guard !view.testing.states.isEmpty else {
            throw Refusal(
                status: .notFound, rule: "testing.none", "the plan has no testing round; run `gridplan testing` first")
        }
        return (view.testing, view)
    }

    /// The operation's clock as the slots are written (China Standard Time, to the minute).
    func slotClock() -> String { ListStamp.clock(operationNow()) }

    /// The micro-grids `token` may read, by code, with their counts so far.
    func microgrids(for token: AccessToken) throws -> [MicrogridItem] {
        let part = try testingPart().part
        let clock = slotClock()
        return part.states.compactMap { m in
            guard let place = part.places[m.code], place.isVisible(to: token) else { return nil }
            return MicrogridItem(m, place: place, clock: clock)
        }
    }

    /// GET /api/microgrids/changes?since=V: as /api/vessels/changes, for the micro-grids.
    func microgridChanges(for token: AccessToken, _ request: Request) throws -> MicrogridChanges {
        let (version, full, items) = try changedMicrogrids(for: token, request, as: MicrogridItem.init)
        return MicrogridChanges(
            version: version, full: full, asOf: PlanStore.isoString(operationNow()), microgrids: items)
    }

    /// GET /api/testing/progress?since=V: as /api/microgrids/changes, with only what a map needs
    /// (a city has tens of thousands of micro-grids).
    func progress(for token: AccessToken, _ request: Request) throws -> ProgressChanges {
        let (version, full, items) = try changedMicrogrids(for: token, request, as: MicrogridMark.init)
        return ProgressChanges(
            version: version, full: full, asOf: PlanStore.isoString(operationNow()), microgrids: items)
    }

    /// The micro-grids `token` reads that changed after the request's `since` (all when it is
    /// absent or not one of this part's versions), each made into `T`.
    func changedMicrogrids<T>(
        for token: AccessToken, _ request: Request, as make: (MicrogridProgress, MicrogridPlace, String) -> T
    ) throws -> (version: Int64, full: Bool, items: [T]) {
        let (part, view) = try testingPart()
        let (indices, full) = part.changed(since: try Self.since(request), version: view.version)
        let clock = slotClock()
        let items = indices.compactMap { i -> T? in
            guard let place = part.places[part.states[i].code], place.isVisible(to: token) else { return nil }
            return make(part.states[i], place, clock)
        }
        return (view.version, full, items)
    }

    /// Counts per level (city, county, town, village, grid, or those `wanted`) over the
    /// micro-grids `token` may read. Straight from the states: a city has tens of thousands of
    /// micro-grids, and this runs after every report.
    func testingLevels(for token: AccessToken, wanted: Set<String>) throws -> [TestingLevelCount] {
        let (part, view) = try testingPart()
        let clock = slotClock()
        let levels = ["city", "county", "town", "village", "grid"]
        func name(_ code: String) -> String { view.unitNames[code] ?? code }
        let used = levels.map(wanted.contains)
        var counts = Array(repeating: [String: TestingLevelCount](), count: levels.count)
        for m in part.states {
            guard let place = part.places[m.code], place.isVisible(to: token) else { continue }
            let silent = m.isSilent(at: clock)
            let keys = [
                ("", "all"), (place.countyCode, name(place.countyCode)), (place.townCode, name(place.townCode)),
                (place.unitCode, m.unitName), (m.gridCode, m.gridCode),
            ]
            for i in levels.indices where used[i] {
                let (code, name) = keys[i]
                counts[i][code, default: TestingLevelCount(level: levels[i], code: code, name: name)]
                    .add(m, silent: silent)
            }
        }
        return counts.flatMap { $0.values.sorted { $0.code < $1.code } }
    }

    /// The grids `token` may read with micro-grids whose slot has started and that have sent no
    /// count yet: the earliest slot first, with whom to call.
    func silentGrids(for token: AccessToken) throws -> [SilentGrid] {
        let (part, view) = try testingPart()
        let clock = slotClock()
        var grids: [String: SilentGrid] = [:]
        for m in part.states where m.isSilent(at: clock) {
            guard let place = part.places[m.code], place.isVisible(to: token) else { continue }
            let known: [RecallContact] = view.gridContacts[m.gridCode] ?? []
            var g =
                grids[m.gridCode]
                ?? SilentGrid(
                    gridCode: m.gridCode, unitName: m.unitName, firstSlot: m.slotStart,
                    contacts: known.prefix(3).map {
                        GridContact(name: $0.name, phone: $0.phone, role: $0.role.rawValue)
                    })
            g.microgrids.append(m.code)
            g.people += m.people
            g.firstSlot = min(g.firstSlot, m.slotStart)
            grids[m.gridCode] = g
        }
        return grids.values.sorted { ($0.firstSlot, $0.gridCode) < ($1.firstSlot, $1.gridCode) }
    }

    /// POST /api/microgrids/{code}/counts: one count report, recorded once per idempotency key.
    func reportCounts(_ request: Request, code: String) async throws -> Response {
        var token: AccessToken?
        do {
            let who = try await authenticate(request)
            token = who
            let key = try Self.idempotencyKey(request)
            let input = try await Self.body(
                request, as: CountsInput.self, example: #"{"sampled": 210, "absent": 4, "retest": 0}"#)
            let count = TestingCount(
                microgridCode: code, sampled: input.sampled, absent: input.absent, retest: input.retest,
                time: try reportTime(input.time), note: try Self.note(input.note))
            if let problem = count.problem {
                throw Refusal(status: .unprocessableContent, rule: "testing.count", problem)
            }
            // One trip to the plan: who may report it, then the report.
            let outcome = try await record {
                guard let place = try self.store.microgridPlace(code) else {
                    throw Refusal(
                        status: .notFound, rule: "testing.microgrid-unknown",
                        "no micro-grid \(code) in the plan's testing round")
                }
                guard place.acceptsReports(from: who) else {
                    throw Refusal(
                        status: .forbidden, rule: "serve.not-yours",
                        who.role == .area
                            ? "an area token reads only; counts come from the micro-grid's grid workers or the "
                                + "command centre"
                            : "micro-grid \(code) is not in a grid you work in")
                }
                return try self.store.recordTestingReport(count, key: key, by: who.tokenID, at: Date())
            }
            switch outcome {
            case .recorded(let id):
                return try json(CountsAnswer(id: id, microgrid: code, duplicate: false), status: .created)
            case .duplicate(let id):
                return try json(CountsAnswer(id: id, microgrid: code, duplicate: true))
            case .conflict(let id):
                throw Refusal(
                    status: .conflict, rule: "serve.idempotency-conflict",
                    "Idempotency-Key \(key) was used for another report (report \(id)); use a new key per report")
            }
        } catch let refusal as Refusal {
            return await refuse(request, refusal, token: token)
        } catch let error as InputError {
            return await refuse(request, Refusal(error), token: token)
        }
    }
}

// MARK: JSON shapes (described in Assets/openapi.json)

struct MicrogridItem: Encodable, Sendable {
    var code: String
    var gridCode: String
    var unitCode: String
    var unitName: String
    var townCode: String
    var countyCode: String
    var people: Int
    var siteId: String
    var siteName: String
    var slotStart: String
    var slotEnd: String
    var sampled: Int
    var absent: Int
    var retest: Int
    var remaining: Int
    var reported: Bool
    var lastReport: String
    /// Its first slot has started (operation clock).
    var started: Bool
    /// Started and no count sent yet.
    var silent: Bool

    init(_ m: MicrogridProgress, place: MicrogridPlace, clock: String) {
        code = m.code
        gridCode = m.gridCode
        unitCode = place.unitCode
        unitName = m.unitName
        townCode = place.townCode
        countyCode = place.countyCode
        people = m.people
        siteId = m.siteID
        siteName = m.siteName
        slotStart = m.slotStart
        slotEnd = m.slotEnd
        sampled = m.sampled
        absent = m.absent
        retest = m.retest
        remaining = m.remaining
        reported = m.reported
        lastReport = m.lastReport
        started = m.slotStart <= clock
        silent = m.isSilent(at: clock)
    }
}

struct MicrogridChanges: Encodable, Sendable {
    var version: Int64
    var full: Bool
    var asOf: String
    var microgrids: [MicrogridItem]
}

struct MicrogridMark: Encodable, Sendable {
    var code: String
    var people: Int
    var sampled: Int
    var absent: Int
    var reported: Bool
    var slotStart: String
    var silent: Bool

    init(_ m: MicrogridProgress, place _: MicrogridPlace, clock: String) {
        code = m.code
        people = m.people
        sampled = m.sampled
        absent = m.absent
        reported = m.reported
        slotStart = m.slotStart
        silent = m.isSilent(at: clock)
    }
}

struct ProgressChanges: Encodable, Sendable {
    var version: Int64
    var full: Bool
    var asOf: String
    var microgrids: [MicrogridMark]
}

struct TestingLevelCount: Encodable, Sendable {
    var level: String
    var code: String
    var name: String
    var microgrids = 0
    var people = 0
    var sampled = 0
    var absent = 0
    var retest = 0
    var remaining = 0
    /// Micro-grids that sent at least one count.
    var reported = 0
    /// Micro-grids whose slot has started without a count.
    var silent = 0

    mutating func add(_ m: MicrogridProgress, silent isSilent: Bool) {
        microgrids += 1
        people += m.people
        sampled += m.sampled
        absent += m.absent
        retest += m.retest
        remaining += m.remaining
        if m.reported { reported += 1 }
        if isSilent { silent += 1 }
    }
}

struct GridContact: Encodable, Sendable {
    var name: String
    var phone: String
    var role: String
}

struct SilentGrid: Encodable, Sendable {
    var gridCode: String
    var unitName: String
    var firstSlot: String
    var contacts: [GridContact]
    var microgrids: [String] = []
    var people = 0
}

struct CountsInput: Decodable {
    var sampled: Int?
    var absent: Int?
    var retest: Int?
    var time: String?
    var note: String?
}

struct CountsAnswer: Encodable, Sendable {
    var id: Int64
    var microgrid: String
    var duplicate: Bool
}
