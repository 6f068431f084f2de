#if canImport(Glibc)
import Glibc
#endif
import FileIO
import Importers
import Loading
import NetworkModel
import Testing

/// The checkout's root (this file is Tests/LoadingTests/TopologyInputTests.swift).
let repositoryRoot: String = {
    var parts = String(#filePath).split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/")
}()

@Suite struct TopologyInputTests {
    @Test func sniffDecidesByContent() {
        #expect(TopologyInput.sniff(Array("vpc a cidr 10.0.0.0/16\n".utf8)) == .language)
        #expect(TopologyInput.sniff(Array("".utf8)) == .language)
        #expect(TopologyInput.sniff(Array(" \n{\"Vpcs\": []}".utf8)) == .awsSnapshot)
        #expect(TopologyInput.sniff([0xEF, 0xBB, 0xBF] + Array("[]".utf8)) == .awsSnapshot)
        #expect(TopologyInput.sniff(Array("{\"format_version\": \"1.2\", \"terraform_version\": \"1.9.0\"}".utf8)) == .terraform)
    }

    @Test func loadsEachFormatAndReportsThroughTheSink() throws {
        var messages: [String] = []
        let vpc = try TopologyInput.load(repositoryRoot + "/Topologies/three-tier.vpc", messages: { messages.append($0) })
        #expect(!vpc.topology.vpcs.isEmpty)
        #expect(vpc.source != nil)
        let aws = try TopologyInput.load(repositoryRoot + "/Tests/CLI/import-fixtures/console-look", messages: { messages.append($0) })
        #expect(!aws.topology.vpcs.isEmpty)
        #expect(aws.source == nil)
        // The import's warnings (a virtual private gateway it cannot model) come through the sink.
        #expect(!messages.isEmpty)
        #expect(messages.allSatisfy { $0.contains(": warning: ") })
    }

    @Test func errorsAreReportedThenThrown() {
        var messages: [String] = []
        #expect(throws: InputError.self) {
            try TopologyInput.load("/nonexistent/t.vpc", messages: { messages.append($0) })
        }
        #expect(messages == ["/nonexistent/t.vpc: error: cannot read file: No such file or directory"])

        messages = []
        #expect(throws: InputError.self) {
            try TopologyInput.loadLanguage(Array("vpc a cidr 10.0.0.0/33\n".utf8), path: "t.vpc", messages: { messages.append($0) })
        }
        #expect(messages.count == 2)
        #expect(messages.first?.hasPrefix("t.vpc:1:") == true)
        #expect(messages.last == "t.vpc: 1 error")

        // With `reportErrors`, the errors go there and only the count to the sink.
        messages = []
        var collected = 0
        #expect(throws: InputError.self) {
            try TopologyInput.loadLanguage(Array("vpc a cidr 10.0.0.0/33\n".utf8), path: "t.vpc", messages: { messages.append($0) },
                                           reportErrors: { collected += $0.count })
        }
        #expect(collected == 1)
        #expect(messages == ["t.vpc: 1 error"])
    }

    @Test func importErrorsNameTheFile() {
        var messages: [String] = []
        #expect(throws: InputError.self) {
            try ImportInput.importTopology([repositoryRoot + "/Tests/CLI/import-fixtures/malformed"], kind: .awsSnapshot,
                                           messages: { messages.append($0) })
        }
        #expect(messages.count == 1)
        #expect(messages.first?.contains("malformed/describe-vpcs.json:") == true)
        #expect(messages.first?.contains("error:") == true)

        messages = []
        #expect(throws: InputError.self) {
            try ImportInput.importTopology(["/nonexistent-folder-of-json"], kind: .awsSnapshot, messages: { messages.append($0) })
        }
        #expect(messages == ["/nonexistent-folder-of-json: error: cannot read file"])
    }

    @Test func renderedImportsAreValidTopologiesWithAHeader() throws {
        let path = repositoryRoot + "/Tests/CLI/import-fixtures/console-look"
        let result = try ImportInput.importTopology([path], kind: .awsSnapshot, quiet: true, messages: { _ in })
        let text = ImportInput.render(result, paths: [path, "x\ny"], source: "AWS snapshot")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "# Imported by vpckit from AWS snapshot: \(path) x y")
        #expect(lines.contains { $0.hasPrefix("# warning: ") })
        var messages: [String] = []
        let reparsed = try TopologyInput.loadLanguage(Array(text.utf8), path: "imported.vpc", messages: { messages.append($0) })
        #expect(messages.isEmpty)
        #expect(reparsed.topology.vpcs.map(\.name) == result.topology.vpcs.map(\.name))
    }
}
