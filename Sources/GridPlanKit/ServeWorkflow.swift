import Foundation
import GridPlanIO
import GridPlanModel
import GridPlanServer

/// `gridplan serve` and `gridplan serve tokens`: the live operations server over a plan, and
/// the tokens that open it.
public enum ServeWorkflow {
    /// What `serve tokens` did.
    public struct Issued: Sendable {
        public var workers: Int
        public var areas: Int
        public var admins: Int
        public var revoked: Int
        public var out: String?

        /// What the command prints.
        public var summary: String {
            var lines: [String] = []
            if revoked > 0 { lines.append("revoked \(revoked) token(s)") }
            if let out {
                lines.append(
                    "issued \(workers + areas + admins) tokens (\(workers) staff with the worker role, \(areas) area, "
                        + "\(admins) admin) to \(out)")
                lines.append(
                    "the list holds the tokens themselves (the plan keeps only their SHA-256): hand each person "
                        + "their own link, then delete or lock away the file")
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    /// Issues one token per person of the plan's staffing (worker), one per `areas` code
    /// (`CODE` or `CODE=LABEL`: town or county staff who read their area) and one per `admins`
    /// label, valid for `days`; writes them with their links to `out` (CSV, the only place the
    /// tokens are ever shown) and stores their SHA-256 in the plan. `revoke` (token ids or
    /// person ids) revokes tokens first.
    public static func tokens(
        plan path: String, out: String?, days: Double, areas: [String], admins: [String], baseURL: String,
        revoke: [String], now: Date = Date()
    ) throws -> Issued {
        let file = try PlanFile.locate(path)
        let store = try PlanStore.open(file)
        var revoked = 0
        for who in revoke {
            let n = try store.revokeTokens(who, at: now)
            guard n > 0 else {
                throw InputError(
                    file: file, rule: "serve.revoke-unknown",
                    "no valid token has the token id or person id \(who); `gridplan serve tokens --plan \(path) "
                        + "--list` shows them")
            }
            revoked += n
        }
        guard let target = out else { return Issued(workers: 0, areas: 0, admins: 0, revoked: revoked, out: nil) }
        guard days > 0, days <= 366 else {
            throw InputError(rule: "arguments.days", "--days must be more than 0 and at most 366, got \(days)")
        }
        var requests: [(personID: String?, name: String, role: AccessRole, scope: String)] = []
        let people = try store.staffPool().people
        for person in people { requests.append((person.id, person.name, .worker, "")) }
        if !areas.isEmpty {
            // Codes an area token may name: units, their parents (towns, counties), grids, and the
            // county and town codes the recall gave the vessels.
            let planUnits = try store.units().map(\.unit)
            var known = Set(planUnits.map(\.code) + planUnits.compactMap(\.parent) + (try store.grids().map(\.code)))
            for place in try store.vesselPlaces().values { known.formUnion([place.countyCode, place.townCode]) }
            for area in areas {
                let parts = area.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard let code = parts.first, !code.isEmpty, known.contains(code) else {
                    throw InputError(
                        rule: "arguments.area",
                        "--area \(area) is not the code of a unit or grid of the plan; give a county, town, village "
                            + "or grid code, optionally as CODE=LABEL")
                }
                requests.append((nil, parts.count > 1 ? parts[1] : code, .area, code))
            }
        }
        for admin in admins { requests.append((nil, admin, .admin, "")) }
        guard !requests.isEmpty else {
            throw InputError(
                file: file, rule: "serve.nobody",
                "the plan has no staff to issue worker tokens to; run `gridplan staff` first, or give --area CODE or "
                    + "--admin NAME")
        }
        let base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        var stored: [(token: AccessToken, sha256: String)] = []
        var rows: [[String]] = []
        for r in requests {
            let (secret, tokenID) = AccessTokens.make()
            let token = AccessToken(
                tokenID: tokenID, personID: r.personID, name: r.name, role: r.role, scope: r.scope, issuedAt: now,
                expiresAt: now.addingTimeInterval(days * 86_400))
            stored.append((token, AccessTokens.digest(secret)))
            let page = r.role == .worker ? "/w" : "/c"
            rows.append([
                tokenID, r.personID ?? "", r.name, r.role.rawValue, r.scope, PlanStore.isoString(token.expiresAt),
                base + page + "#token=" + secret, secret,
            ])
        }
        // The list first (nothing is stored if it cannot be written), then the hashes.
        let csv = CSVWriter(byteOrderMark: true).encode(
            header: ["token_id", "person_id", "name", "role", "scope", "expires_at", "link", "token"], rows: rows)
        // The list is built first (nothing is stored if it cannot be written), readable by its owner
        // only, then the hashes are stored, then the list is renamed into place.
        try AtomicFile.build(target, rule: "output.unwritable") { staged in
            try csv.write(to: URL(fileURLWithPath: staged))
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: staged)
            try store.issueTokens(stored)
        }
        return Issued(
            workers: people.count, areas: areas.count, admins: admins.count, revoked: revoked, out: target)
    }

    /// The tokens the plan knows (never the tokens themselves), one line each.
    public static func list(plan path: String, now: Date = Date()) throws -> String {
        let tokens = try PlanStore.open(try PlanFile.locate(path)).accessTokens()
        var out = "token_id    role    state    expires_at                scope      person  name\n"
        for t in tokens {
            let state = t.revokedAt != nil ? "revoked" : t.isValid(at: now) ? "valid" : "expired"
            out +=
                [
                    t.tokenID, t.role.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0),
                    state.padding(toLength: 8, withPad: " ", startingAt: 0), PlanStore.isoString(t.expiresAt),
                    t.scope.isEmpty ? "-" : t.scope, t.personID ?? "-", t.name,
                ].joined(separator: " ") + "\n"
        }
        return out + "\(tokens.count) tokens\n"
    }

    /// Runs the server until interrupted; `ready` gets the address once it listens.
    public static func serve(
        plan path: String, host: String, port: Int, asOf: Date? = nil, ready: @escaping @Sendable (String) -> Void
    ) async throws {
        guard (0...65_535).contains(port) else {
            throw InputError(rule: "arguments.port", "--port must be 0–65535 (0: any free port), got \(port)")
        }
        let store = try PlanStore.open(try PlanFile.locate(path))
        let listening = Listening()
        do {
            try await LiveServer(store: store, host: host, port: port, asOf: asOf).run { address in
                listening.set()
                ready(address)
            }
        } catch let error as InputError {
            throw error
        } catch {
            guard listening.isSet else {
                throw InputError(
                    rule: "serve.listen", "cannot listen on \(host):\(port): \(error); is another server on that port?")
            }
            throw InputError(
                rule: "serve.stopped",
                "the server on \(host):\(port) stopped: \(error); every acknowledged report is in the plan, start it "
                    + "again")
        }
    }

    /// Whether the server got as far as listening.
    final class Listening: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        func set() { lock.withLock { value = true } }
        var isSet: Bool { lock.withLock { value } }
    }
}
