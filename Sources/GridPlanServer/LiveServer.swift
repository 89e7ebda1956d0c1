import Foundation
import GridPlanGeometryValues
import GridPlanIO
import GridPlanModel
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// `gridplan serve`: the plan's live operations server. Grid workers report from their phones,
/// the command centre watches the counts, and other systems use the same JSON API (described
/// by /openapi.json). It reads and writes the same plan file, and the same event table, as
/// `gridplan recall status`, so both see every report.
///
/// Every request but the pages and the API description needs a bearer token that `gridplan
/// serve tokens` issued. A report is answered only once its transaction is committed.
public struct LiveServer: Sendable {
    public var store: PlanStore
    public var host: String
    public var port: Int
    /// The operation's clock: now, or for a drill or a replay a time that started at `--as-of`
    /// and runs on in real time (report times, "past its latest departure"). Token expiry and
    /// the audit use the real clock.
    public var clockOffset: TimeInterval
    /// Largest request body accepted, in bytes.
    public static let maxBody = 4_096
    /// How often the plan is read for reports recorded by other processes, seconds.
    public static let pollSeconds = 0.5

    public init(store: PlanStore, host: String, port: Int, asOf: Date? = nil) {
        self.store = store
        self.host = host
        self.port = port
        clockOffset = asOf.map { $0.timeIntervalSinceNow } ?? 0
    }

    /// The routes the API serves, as the OpenAPI document must describe them.
    public static let apiRoutes: [(method: String, path: String)] = [
        ("GET", "/api/me"), ("GET", "/api/vessels"), ("POST", "/api/vessels/{id}/events"), ("GET", "/api/levels"),
        ("GET", "/api/calls"), ("GET", "/api/stream"), ("GET", "/api/vessels/changes"), ("GET", "/api/microgrids"),
        ("GET", "/api/microgrids/changes"), ("POST", "/api/microgrids/{code}/counts"), ("GET", "/api/testing/levels"),
        ("GET", "/api/testing/silent"), ("GET", "/api/testing/progress"), ("GET", "/api/map.svg"),
    ]

    /// Runs until the process is interrupted (SIGINT, SIGTERM); `ready` gets the bound address.
    public func run(ready: @escaping @Sendable (String) -> Void) async throws {
        let live = LivePlan()
        let state = ServerState(
            store: store, live: live, feed: ChangeFeed(sequence: try live.catchUp(store)), clockOffset: clockOffset)
        let router = Router()
        state.addRoutes(to: router)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "GridPlan"),
            onServerRunning: { channel in
                let address = channel.localAddress
                ready("http://\(address?.ipAddress ?? host):\(address?.port ?? port)")
            },
            logger: {
                var logger = Logger(label: "gridplan.serve")
                logger.logLevel = .warning
                return logger
            }())
        let poller = Task {
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(Self.pollSeconds * 1e9))
                if let version = try? await state.database({ try state.live.catchUp(state.store) }) {
                    await state.feed.bump(to: version)
                }
            }
        }
        defer { poller.cancel() }
        try await app.runService()
    }
}

/// A refusal: an HTTP status, a stable rule id and a sentence for the person.
struct Refusal: Error {
    var status: HTTPResponse.Status
    var rule: String
    var message: String

    init(status: HTTPResponse.Status, rule: String, _ message: String) {
        self.status = status
        self.rule = rule
        self.message = message
    }

    /// A domain error from the plan store: the request's fault (422), except when the plan file
    /// could not be read or written (busy past its timeout, disk full): 503, so a phone keeps the
    /// report and sends it again instead of dropping it as refused.
    init(_ error: InputError) {
        let storage = ["plan.unwritable", "plan.unreadable"].contains(error.rule)
        self.init(status: storage ? .serviceUnavailable : .unprocessableContent, rule: error.rule, error.message)
    }
}

final class ServerState: Sendable {
    let store: PlanStore
    let feed: ChangeFeed
    let live: LivePlan
    /// One queue for the plan file: SQLite calls block, and must not block Swift's few
    /// cooperative threads (two on a 2-core machine) that serve every connection.
    private let queue = DispatchQueue(label: "gridplan.serve.plan")
    /// Encoded answers shared by every page with the same view (see ``answer(_:status:shared:_:)``).
    private let answers = SharedAnswers(capacity: 512)
    /// Tokens looked up in the last second (see ``TokenCache``).
    private let tokens = TokenCache(seconds: 1)
    /// The map, kept apart so that the answers' turnover never drops it.
    private let mapDrawing = SharedAnswers(capacity: 1)

    let clockOffset: TimeInterval

    init(store: PlanStore, live: LivePlan, feed: ChangeFeed, clockOffset: TimeInterval) {
        self.store = store
        self.live = live
        self.feed = feed
        self.clockOffset = clockOffset
    }

    /// The operation's clock (see ``LiveServer/clockOffset``).
    func operationNow() -> Date { Date().addingTimeInterval(clockOffset) }

    func database<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }

    // MARK: routes

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/api/me") { request, _ in
            try await self.answer(request) { token in
                Me(
                    tokenID: token.tokenID, role: token.role.rawValue, name: token.name, personID: token.personID,
                    scope: token.scope, expiresAt: PlanStore.isoString(token.expiresAt))
            }
        }
        router.get("/api/vessels") { request, _ in
            try await self.answer(request, shared: true) { token in try self.vessels(for: token) }
        }
        router.get("/api/vessels/changes") { request, _ in
            try await self.answer(request) { token in try self.changes(for: token, request) }
        }
        router.post("/api/vessels/:id/events") { request, context in
            try await self.report(request, vesselID: context.parameters.get("id") ?? "")
        }
        router.get("/api/levels") { request, _ in
            try await self.answer(request, shared: true) { token in
                let wanted = try Self.levelFilter(request)
                return try self.levels(for: token).filter { wanted.contains($0.level) }
            }
        }
        router.get("/api/calls") { request, _ in
            try await self.answer(request, shared: true) { token in
                let limit = try Self.limit(request)
                let now = self.operationNow()
                let calls = try self.vessels(for: token).filter { !$0.inPort }.sorted {
                    ($0.overdue ? 0 : 1, $0.latestDeparture ?? "9999", $0.id)
                        < ($1.overdue ? 0 : 1, $1.latestDeparture ?? "9999", $1.id)
                }
                return calls.prefix(limit).map { v in CallItem(vessel: v, asOf: PlanStore.isoString(now)) }
            }
        }
        router.get("/api/stream") { request, _ in try await self.stream(request) }
        router.get("/api/map.svg") { request, _ in try await self.map(request) }
        addTestingRoutes(to: router)
        router.get("/openapi.json") { _, _ in try Self.asset("openapi.json", type: "application/json") }
        router.get("/w") { _, _ in try Self.asset("worker.html", type: "text/html; charset=utf-8") }
        router.get("/c") { _, _ in try Self.asset("command.html", type: "text/html; charset=utf-8") }
        router.get("/w.js") { _, _ in try Self.asset("worker.js", type: "text/javascript; charset=utf-8") }
        router.get("/c.js") { _, _ in try Self.asset("command.js", type: "text/javascript; charset=utf-8") }
        router.get("/") { _, _ in
            Response(status: .seeOther, headers: [.location: "/c"])
        }
    }

    static func asset(_ name: String, type: String) throws -> Response {
        let text = try ServerAssets.text(name)
        return Response(
            status: .ok, headers: [.contentType: type, .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    // MARK: answers

    /// Authenticates, runs `body`, and answers with its JSON; a refusal is answered and audited.
    /// A `shared` answer depends only on the request's path and query, the token's role, scope
    /// and person, the recall's version and the minute: it is built and encoded once and served
    /// to every page that asks (after each report, every command page asks at once).
    func answer<T: Encodable & Sendable>(
        _ request: Request, status: HTTPResponse.Status = .ok, shared: Bool = false,
        _ body: @escaping @Sendable (AccessToken) async throws -> T
    ) async throws -> Response {
        var token: AccessToken?
        do {
            let who = try await authenticate(request)
            token = who
            guard shared else { return try json(try await body(who), status: status) }
            let minute = Int(operationNow().timeIntervalSince1970 / 60)
            let key =
                "\(request.uri.path)?\(request.uri.query ?? "")|\(who.role.rawValue)|\(who.scope)|"
                + "\(who.personID ?? "")|\(live.view.version)|\(minute)"
            let data = try await answers.answer(key) { try self.encoded(try await body(who)) }
            return jsonResponse(data, status: status)
        } catch let refusal as Refusal {
            return await refuse(request, refusal, token: token)
        } catch let error as InputError {
            return await refuse(
                request, Refusal(error), token: token)
        }
    }

    func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        jsonResponse(try encoded(value), status: status)
    }

    func encoded<T: Encodable>(_ value: T) throws -> Data {
        try Self.encoded(value)
    }

    static func encoded<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(value)
    }

    func jsonResponse(_ data: Data, status: HTTPResponse.Status) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Answers a refusal (4xx) and writes an audit line to the plan and to standard error.
    func refuse(_ request: Request, _ refusal: Refusal, token: AccessToken?) async -> Response {
        let entry = AuditEntry(
            time: Date(), tokenID: token?.tokenID, method: request.method.rawValue, path: request.uri.path,
            status: Int(refusal.status.code), message: "\(refusal.rule): \(refusal.message)")
        FileHandle.standardError.write(
            Data(
                ("gridplan serve: \(entry.method) \(entry.path) \(entry.status) token \(entry.tokenID ?? "-"): "
                    + "\(entry.message)\n").utf8))
        _ = try? await database { try self.store.audit([entry]) }
        let body = ["error": ["rule": refusal.rule, "message": refusal.message]]
        return (try? json(body, status: refusal.status)) ?? Response(status: refusal.status)
    }

    func authenticate(_ request: Request) async throws -> AccessToken {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw Refusal(
                status: .unauthorized, rule: "serve.token-missing",
                "send the token `gridplan serve tokens` issued as the header Authorization: Bearer TOKEN")
        }
        let secret = String(header.dropFirst("Bearer ".count)).trimmingCharacters(in: .whitespaces)
        let digest = AccessTokens.digest(secret)
        let now = Date()
        let found: AccessToken?
        if let cached = tokens.get(digest, now: now) {
            found = cached
        } else {
            found = try await database { try self.store.accessToken(sha256: digest) }
            tokens.set(digest, found, now: now)
        }
        guard let token = found else {
            throw Refusal(status: .unauthorized, rule: "serve.token-unknown", "this token is not one the plan issued")
        }
        if token.revokedAt != nil {
            throw Refusal(
                status: .unauthorized, rule: "serve.token-revoked",
                "token \(token.tokenID) was revoked; ask for a new one")
        }
        guard token.isValid(at: Date()) else {
            throw Refusal(
                status: .unauthorized, rule: "serve.token-expired",
                "token \(token.tokenID) expired at \(PlanStore.isoString(token.expiresAt)); ask for a new one")
        }
        return token
    }

    /// The vessels `token` may read, in the recall's urgency order, with their state after every report.
    func vessels(for token: AccessToken) throws -> [VesselItem] {
        let part = try recallPart().part
        let now = operationNow()
        return part.states.compactMap { s in
            guard let place = part.places[s.id], place.isVisible(to: token) else { return nil }
            return VesselItem(state: s, place: place, now: now)
        }
    }

    /// The live recall and the view's version, or a refusal when the plan has none.
    func recallPart() throws -> (part: LivePart<VesselState, VesselPlace>, version: Int64) {
        let view = live.view
        guard !view.recall.states.isEmpty else {
            throw Refusal(status: .notFound, rule: "recall.none", "the plan has no recall; run `gridplan recall` first")
        }
        return (view.recall, view.version)
    }

    /// GET /api/vessels/changes?since=V: the vessels `token` may read that changed after version
    /// V of an earlier answer (all of them when V is from before the recall was loaded, or absent).
    func changes(for token: AccessToken, _ request: Request) throws -> VesselChanges {
        let (part, version) = try recallPart()
        let (indices, full) = part.changed(since: try Self.since(request), version: version)
        let now = operationNow()
        let items = indices.compactMap { i -> VesselItem? in
            guard let place = part.places[part.states[i].id], place.isVisible(to: token) else { return nil }
            return VesselItem(state: part.states[i], place: place, now: now)
        }
        return VesselChanges(version: version, full: full, asOf: PlanStore.isoString(now), vessels: items)
    }

    /// The levels of a counts-per-level answer: all, or with `?level=L` the city and L (a page
    /// shows one level at a time; the grid level alone is thousands of rows in a city).
    static func levelFilter(_ request: Request) throws -> Set<String> {
        let all: Set<String> = ["city", "county", "town", "village", "grid"]
        guard let level = request.uri.queryParameters.get("level") else { return all }
        guard all.contains(String(level)) else {
            throw Refusal(
                status: .badRequest, rule: "serve.query", "level must be one of city, county, town, village, grid")
        }
        return ["city", String(level)]
    }

    /// The `since` query parameter: the version of an earlier answer (nil: none given).
    static func since(_ request: Request) throws -> Int64? {
        guard let given = request.uri.queryParameters.get("since") else { return nil }
        guard let since = Int64(given) else {
            throw Refusal(
                status: .badRequest, rule: "serve.query", "since must be the version of an earlier answer (a number)")
        }
        return since
    }

    /// The `limit` query parameter (default: no limit).
    static func limit(_ request: Request) throws -> Int {
        guard let text = request.uri.queryParameters.get("limit") else { return Int.max }
        guard let n = Int(text), n >= 0 else {
            throw Refusal(status: .badRequest, rule: "serve.query", "limit must be a whole number ≥ 0")
        }
        return n
    }

    /// Counts per level (city, county, town, village, grid) over the vessels `token` may read.
    func levels(for token: AccessToken) throws -> [LevelCount] {
        var counts: [String: LevelCount] = [:]
        func add(_ level: String, _ code: String, _ name: String, _ v: VesselItem) {
            let key = level + "/" + code
            var c = counts[key] ?? LevelCount(level: level, code: code, name: name)
            c.vessels += 1
            if v.inPort { c.inPort += 1 } else { c.atSea += 1 }
            if v.confirmed { c.confirmed += 1 }
            if v.crewAshore { c.crewAshore += 1 }
            if v.overdue { c.overdue += 1 }
            counts[key] = c
        }
        let names = live.view.unitNames
        for v in try vessels(for: token) {
            add("city", "", "all", v)
            add("county", v.countyCode, names[v.countyCode] ?? v.countyCode, v)
            add("town", v.townCode, v.townName, v)
            add("village", v.unitCode, v.unitName, v)
            add("grid", v.gridCode, v.gridCode, v)
        }
        let order = ["city", "county", "town", "village", "grid"]
        return counts.values.sorted {
            (order.firstIndex(of: $0.level)!, $0.code) < (order.firstIndex(of: $1.level)!, $1.code)
        }
    }

    /// POST /api/vessels/{id}/events: one field report, recorded once per idempotency key.
    func report(_ request: Request, vesselID: String) async throws -> Response {
        var token: AccessToken?
        do {
            let who = try await authenticate(request)
            token = who
            let key = try Self.idempotencyKey(request)
            let input = try await Self.body(
                request, as: ReportInput.self, example: #"{"event": "arrived", "port": "P01"}"#)
            guard let kind = RecallEventKind(rawValue: input.event) else {
                throw Refusal(
                    status: .unprocessableContent, rule: "serve.event",
                    "event \"\(input.event)\" is not one of "
                        + RecallEventKind.allCases.map(\.rawValue).joined(separator: ", "))
            }
            let time = try reportTime(input.time)
            let note = try Self.note(input.note)
            let event = RecallEvent(vesselID: vesselID, kind: kind, portID: input.port, time: time, note: note)
            // One trip to the plan: who may report it, then the report.
            let outcome = try await record {
                guard let place = try self.store.vesselPlace(vesselID) else {
                    throw Refusal(
                        status: .notFound, rule: "recall.vessel-unknown", "no vessel \(vesselID) in the plan's recall")
                }
                guard place.acceptsReports(from: who) else {
                    throw Refusal(
                        status: .forbidden, rule: "serve.not-yours",
                        who.role == .area
                            ? "an area token reads only; reports come from the vessel's grid worker or the command "
                                + "centre"
                            : "vessel \(vesselID) is not one you answer for")
                }
                return try self.store.recordReport(event, key: key, by: who.tokenID, at: Date())
            }
            switch outcome {
            case .recorded(let id):
                return try json(
                    ReportAnswer(id: id, vessel: vesselID, event: kind.rawValue, duplicate: false), status: .created)
            case .duplicate(let id):
                return try json(ReportAnswer(id: id, vessel: vesselID, event: kind.rawValue, duplicate: true))
            case .conflict(let id):
                throw Refusal(
                    status: .conflict, rule: "serve.idempotency-conflict",
                    "Idempotency-Key \(key) was used for another report (event \(id)); use a new key per report")
            }
        } catch let refusal as Refusal {
            return await refuse(request, refusal, token: token)
        } catch let error as InputError {
            return await refuse(
                request, Refusal(error), token: token)
        }
    }

    // MARK: report parts (shared by every kind of field report)

    /// The report's Idempotency-Key header: one per report, the same on every retry.
    static func idempotencyKey(_ request: Request) throws -> String {
        guard let key = request.headers[HTTPField.Name("Idempotency-Key")!],
            key.count >= 8, key.count <= 128,
            key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.:".contains($0)) })
        else {
            throw Refusal(
                status: .badRequest, rule: "serve.idempotency-key",
                "send a header Idempotency-Key of 8–128 letters, digits or - _ . : (one per report, the same on "
                    + "every retry)")
        }
        return key
    }

    /// The report's JSON body, at most ``LiveServer/maxBody`` bytes.
    static func body<T: Decodable>(_ request: Request, as type: T.Type, example: String) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: LiveServer.maxBody)
        } catch {
            throw Refusal(
                status: .contentTooLarge, rule: "serve.body-too-large",
                "a report is at most \(LiveServer.maxBody) bytes of JSON")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch {
            throw Refusal(status: .badRequest, rule: "serve.body", "the body must be JSON like \(example): \(error)")
        }
    }

    /// When a report says it happened: now, or the time it gives (a real time, at most 5 minutes
    /// ahead; in a drill it moves onto the drill's clock).
    func reportTime(_ given: String?) throws -> Date {
        guard let given else { return operationNow() }
        guard let parsed = PlanStore.isoDate(given) else {
            throw Refusal(
                status: .unprocessableContent, rule: "serve.time",
                "time \"\(given)\" is not an ISO 8601 time like 2018-09-15T03:00:00Z")
        }
        guard parsed <= Date().addingTimeInterval(300) else {
            throw Refusal(
                status: .unprocessableContent, rule: "serve.time",
                "time \(given) is in the future; send when it happened")
        }
        return parsed.addingTimeInterval(clockOffset)
    }

    /// A report's note, at most 500 characters.
    static func note(_ given: String?) throws -> String {
        let note = given ?? ""
        guard note.count <= 500 else {
            throw Refusal(status: .unprocessableContent, rule: "serve.note", "a note is at most 500 characters")
        }
        return note
    }

    /// Records a report on the plan's queue and brings the live view up to it; a new report
    /// wakes the live pages.
    func record(_ body: @escaping @Sendable () throws -> ReportOutcome) async throws -> ReportOutcome {
        let (outcome, version) = try await database {
            let outcome = try body()
            // Committed: the answer goes out whatever happens next (the poller catches up).
            return (outcome, try? self.live.catchUp(self.store))
        }
        if case .recorded = outcome, let version { await feed.bump(to: version) }
        return outcome
    }

    /// GET /api/map.svg: the plan's map (the report's layers, tagged with grid and micro-grid
    /// codes), drawn once per server process.
    func map(_ request: Request) async throws -> Response {
        do {
            _ = try await authenticate(request)
            let data = try await mapDrawing.answer("map.svg") {
                try await self.database { Data(try PlanReport.liveMap(self.store).utf8) }
            }
            return Response(
                status: .ok, headers: [.contentType: "image/svg+xml", .cacheControl: "private, max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        } catch let refusal as Refusal {
            return await refuse(request, refusal, token: nil)
        } catch let error as InputError {
            return await refuse(request, Refusal(error), token: nil)
        }
    }

    /// GET /api/stream: server-sent events, one `change` whenever a report is recorded (by
    /// anyone), and a comment every 15 s so proxies keep the connection open.
    func stream(_ request: Request) async throws -> Response {
        do {
            _ = try await authenticate(request)
        } catch let refusal as Refusal {
            return await refuse(request, refusal, token: nil)
        }
        let feed = self.feed
        let start = await feed.sequence
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
            body: ResponseBody { writer in
                var seen = start
                try await writer.write(ByteBuffer(string: "event: change\ndata: {\"sequence\":\(seen)}\n\n"))
                while !Task.isCancelled {
                    let next = await feed.next(after: seen, timeout: 15)
                    if next > seen {
                        seen = next
                        try await writer.write(ByteBuffer(string: "event: change\ndata: {\"sequence\":\(seen)}\n\n"))
                    } else {
                        try await writer.write(ByteBuffer(string: ": still here\n\n"))
                    }
                }
                try await writer.finish(nil)
            })
    }
}

// MARK: JSON shapes (described in Assets/openapi.json)

struct Me: Encodable, Sendable {
    var tokenID: String
    var role: String
    var name: String
    var personID: String?
    var scope: String
    var expiresAt: String
}

struct VesselItem: Encodable, Sendable {
    var id: String
    var name: String
    var planned: String
    var inPort: Bool
    var confirmed: Bool
    var crewAshore: Bool
    var lastEvent: String
    var responsible: String
    var responsiblePhone: String
    var portName: String
    var crew: Int
    var lon: Double
    var lat: Double
    var countyCode: String
    var townCode: String
    var townName: String
    var unitCode: String
    var unitName: String
    var gridCode: String
    var latestDeparture: String?
    /// At sea past its latest departure.
    var overdue: Bool

    init(state s: VesselState, place: VesselPlace, now: Date) {
        id = s.id
        name = s.name
        planned = s.planned.rawValue
        inPort = s.inPort
        confirmed = s.confirmed
        crewAshore = s.crewAshore
        lastEvent = s.lastEvent
        responsible = s.responsible
        responsiblePhone = s.responsiblePhone
        portName = s.portName
        crew = s.crew
        lon = s.position.x
        lat = s.position.y
        countyCode = place.countyCode
        townCode = place.townCode
        townName = s.townName
        unitCode = place.unitCode
        unitName = s.unitName
        gridCode = place.gridCode
        latestDeparture = place.latestDeparture.map(PlanStore.isoString)
        overdue = !s.inPort && (place.latestDeparture.map { $0 < now } ?? false)
    }
}

struct VesselChanges: Encodable, Sendable {
    var version: Int64
    /// Every vessel the token reads, not only the changed ones: drop what you had.
    var full: Bool
    var asOf: String
    var vessels: [VesselItem]
}

struct CallItem: Encodable, Sendable {
    var vessel: VesselItem
    var asOf: String
}

struct LevelCount: Encodable, Sendable {
    var level: String
    var code: String
    var name: String
    var vessels = 0
    var inPort = 0
    var atSea = 0
    var confirmed = 0
    var crewAshore = 0
    var overdue = 0
}

struct ReportInput: Decodable {
    var event: String
    var port: String?
    var time: String?
    var note: String?
}

struct ReportAnswer: Encodable, Sendable {
    var id: Int64
    var vessel: String
    var event: String
    var duplicate: Bool
}

/// The pages and the API description (`Assets/`, a SwiftPM resource).
enum ServerAssets {
    static func text(_ name: String) throws -> String {
        try BundledFiles.text(
            name, folder: "Assets", bundle: "GridPlan_GridPlanServer.resources",
            sourceFolder: URL(fileURLWithPath: #filePath).deletingLastPathComponent().path)
    }
}
