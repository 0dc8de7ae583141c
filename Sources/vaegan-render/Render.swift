import ArgumentParser
struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Render manifold films from a run.")
    func run() throws {}
}
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Export PNG sheets and plots from a run.")
    func run() throws {}
}
