import ArgumentParser

extension GridPlanCommand {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import checked units and buildings into a plan file.")
        func run() throws {}
    }
}
