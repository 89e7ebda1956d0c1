import ArgumentParser
import Foundation
import GridPlanKit

extension GridPlanCommand {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Live operations on a plan: field reports from phones, a command page, a JSON API.",
            discussion: """
                `gridplan serve --plan DIR` serves the plan until interrupted (Ctrl-C): grid workers report on their \
                vessels at /w, the command centre watches at /c, other systems use the API described at \
                /openapi.json. Nobody reads or writes without a token from `gridplan serve tokens`. Reports go to \
                the same table as `gridplan recall status`. See docs/serve.md.
                """,
            subcommands: [Run.self, Tokens.self], defaultSubcommand: Run.self)

        struct Run: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "run", abstract: "Serve the plan (the default: `gridplan serve --plan …` runs this).")

            @Option(help: "The plan folder or its plan.gpkg.")
            var plan: String

            @Option(help: "Address to listen on. Keep 127.0.0.1 behind a TLS reverse proxy (nginx) for the internet.")
            var bind: String = "127.0.0.1"

            @Option(help: "Port to listen on (0: any free port; the address is printed).")
            var port: Int = 8080

            @Option(
                help: ArgumentHelp(
                    "For a drill or a replay: the operation's clock starts at this time (China Standard Time, or "
                        + "…Z) and runs on; default: now."))
            var asOf: String?

            func run() async throws {
                do {
                    let start = try asOf.map { try ClockTime.parse($0, option: "--as-of") }
                    try await ServeWorkflow.serve(plan: plan, host: bind, port: port, asOf: start) { address in
                        progress("serving \(plan) at \(address) (worker page /w, command page /c, API /openapi.json)")
                    }
                } catch {
                    throw fail(error)
                }
            }
        }

        struct Tokens: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "tokens",
                abstract: "Issue, list and revoke the tokens that open `gridplan serve`.",
                discussion: """
                    With --out, issues one token per person of the plan's staffing (a grid worker: their own vessels), \
                    one per --area (town or county staff: read their area) and one per --admin (the command centre), \
                    and writes them with their links to OUT (CSV, readable by its owner only). The plan keeps only \
                    each token's SHA-256. --revoke takes a token id or a person id.
                    """)

            @Option(help: "The plan folder or its plan.gpkg.")
            var plan: String

            @Option(help: "CSV file to write the new tokens and links to.")
            var out: String?

            @Option(help: "Days the new tokens are valid.")
            var days: Double = 30

            @Option(help: "An area reader: a county, town, village or grid code, optionally CODE=LABEL (repeatable).")
            var area: [String] = []

            @Option(help: "An admin token for the command centre, by the name of its holder (repeatable).")
            var admin: [String] = []

            @Option(help: "The address people open, for the links (the proxy's https address in production).")
            var baseURL: String = "http://127.0.0.1:8080"

            @Option(help: "Revoke the tokens of a token id or person id (repeatable).")
            var revoke: [String] = []

            @Flag(help: "List the plan's tokens (never the tokens themselves).")
            var list = false

            func run() throws {
                do {
                    if out != nil || !revoke.isEmpty {
                        let issued = try ServeWorkflow.tokens(
                            plan: plan, out: out, days: days, areas: area, admins: admin, baseURL: baseURL,
                            revoke: revoke)
                        try say(issued.summary, terminator: "")
                    }
                    if list || (out == nil && revoke.isEmpty) {
                        try say(try ServeWorkflow.list(plan: plan), terminator: "")
                    }
                } catch {
                    throw fail(error)
                }
            }
        }
    }
}
