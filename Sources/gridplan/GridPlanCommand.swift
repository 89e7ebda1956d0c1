import ArgumentParser

@main
struct GridPlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "gridplan")
}
