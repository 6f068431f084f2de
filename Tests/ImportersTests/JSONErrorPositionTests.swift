import Testing
import TestSupport
import NetworkModel
@testable import Importers
import Reporting

/// Semantic errors (a value of the wrong shape, an invalid CIDR) name the line and column of the value and
/// render with the source line and a caret, like the language's diagnostics (issue 15).
@Suite struct JSONErrorPositionTests {
    func diagnostic(_ error: JSONError, _ text: String) -> Diagnostic {
        Array(text.utf8).withUnsafeBufferPointer { error.diagnostic(source: $0) }
    }

    @Test func everyValueKeepsItsSourceOffset() throws {
        let text = "{\"a\": [1, true, null, \"x\\n\", {\"b\": -2.5}],\n \"c\": \"é\"}"
        let doc = try JSONDocument(bytes: Array(text.utf8), file: "o.json")
        let bytes = Array(text.utf8)
        let a = try #require(doc.root["a"])
        #expect(doc.root.sourceOffset == 0)
        #expect(bytes[a.sourceOffset] == UInt8(ascii: "["))
        let firsts = a.elements.map { bytes[$0.sourceOffset] }
        #expect(firsts == Array("1tn\"{".utf8))
        let b = try #require(a.elements[4]["b"])
        #expect(Array(bytes[b.sourceOffset..<b.sourceOffset + 4]) == Array("-2.5".utf8))
        let c = try #require(doc.root["c"])
        #expect(c.error("bad").located(in: bytes.withUnsafeBufferPointer { $0 }).line == 2)
    }

    @Test func awsSemanticErrorHasLineColumnAndCaret() throws {
        let text = """
        {"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}],
         "RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1",
           "Routes": [{"DestinationCidrBlock": "10.0.0/16", "GatewayId": "igw-1"}]}]}
        """
        do {
            _ = try importAWS(documents: [("describe.json", text)])
            Issue.record("accepted an invalid CIDR")
        } catch {
            #expect(error.path == "$.RouteTables[0].Routes[0].DestinationCidrBlock")
            let located = Array(text.utf8).withUnsafeBufferPointer { error.located(in: $0) }
            #expect(located.line == 3 && located.column == 40)
            #expect(located.description.hasPrefix("describe.json:3:40: $.RouteTables[0].Routes[0].DestinationCidrBlock: invalid IPv4 CIDR"))
            let lines = diagnostic(error, text).rendered.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count == 3)
            #expect(lines.first?.hasPrefix("describe.json:3:40: error: $.RouteTables[0].Routes[0].DestinationCidrBlock: ") == true)
            #expect(lines.dropFirst().first == #"   "Routes": [{"DestinationCidrBlock": "10.0.0/16", "GatewayId": "igw-1"}]}]}"#)
            let caret: String = String(repeating: " ", count: 39) + "^" + String(repeating: "~", count: 10)
            #expect(lines.last.map(String.init) == caret)
        }
    }

    @Test func terraformSemanticErrorHasLineColumnAndCaret() throws {
        let text = """
        {"format_version": "1.0", "terraform_version": "1.11.4",
         "values": {"root_module": {"resources": [
           {"address": "aws_vpc.a", "mode": "managed", "type": "aws_vpc", "name": "a",
            "values": {"cidr_block": "10.0.0.0/33"}}]}}}
        """
        do {
            _ = try TerraformImporter.importDocument(try JSONDocument(bytes: Array(text.utf8), file: "state.json"))
            Issue.record("accepted an invalid CIDR")
        } catch {
            #expect(error.path == "$.values.root_module.resources[0].values.cidr_block")
            let lines = diagnostic(error, text).rendered.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.first?.hasPrefix("state.json:4:30: error: $.values.root_module.resources[0].values.cidr_block: invalid IPv4 CIDR") == true)
            #expect(lines.dropFirst().first == #"    "values": {"cidr_block": "10.0.0.0/33"}}]}}}"#)
            let caret: String = String(repeating: " ", count: 29) + "^" + String(repeating: "~", count: 12)
            #expect(lines.last.map(String.init) == caret)
        }
    }

    @Test func containersAreMarkedAtTheirBracketAndMultibyteColumnsCountCharacters() throws {
        let text = "{\"é\": 1, \"Vpcs\": {\"VpcId\": \"vpc-1\"}}"
        do {
            _ = try importAWS(documents: [("v.json", text)])
            Issue.record("accepted an object for Vpcs")
        } catch {
            let d = diagnostic(error, text)
            #expect(d.line == 1 && d.column == 18 && d.length == 1)
        }
    }

    @Test func withoutSourceOrPlaceTheMessageNamesTheFile() {
        let noPlace = JSONError(file: "snap", path: "$", message: "bad")
        #expect(noPlace.diagnostic(source: nil).rendered == "snap: error: $: bad")
        let gone = JSONError(file: "f.json", path: "$.x", message: "bad", offset: 99)
        #expect(Array("{}".utf8).withUnsafeBufferPointer { gone.diagnostic(source: $0) }.rendered == "f.json: error: $.x: bad")
    }
}

/// The JSON import ids (issue 17): every catalogue example produces its id, and the diagnostic keeps the file,
/// the JSON path, the source line and a caret.
@Suite struct JSONErrorCatalogueTests {
    func firstError(_ text: String) -> JSONError? {
        do {
            _ = try importAWS(documents: [("describe.json", text)])
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: JSONError.catalogue.filter { $0.id != JSONError.unprintableName })
    func exampleProducesItsID(_ entry: DiagnosticDescriptor) throws {
        let error = try #require(firstError(entry.example), "\(entry.id): example imported")
        #expect(error.id == entry.id, "\(entry.id): got \(error.id) (\(error.message))")
        let d = Array(entry.example.utf8).withUnsafeBufferPointer { error.diagnostic(source: $0) }
        #expect(d.id == entry.id && d.file == "describe.json" && d.message.hasPrefix(error.path + ": "))
    }

    /// No JSON input reaches the printer's check (importers check names as they read them): a topology built
    /// with an unprintable name does.
    @Test func unprintableNameHasItsID() throws {
        var topology = Topology()
        topology.vpcs = [VPC(name: "a b", cidrs: [])]
        do throws(JSONError) {
            try topology.checkPrintable(source: "describe.json")
            Issue.record("accepted 'a b'")
        } catch {
            #expect(error.id == JSONError.unprintableName && error.file == "describe.json" && error.path == "$")
        }
    }

    @Test func idsAreUniqueAndDocumented() throws {
        #expect(Set(JSONError.catalogue.map(\.id)).count == JSONError.catalogue.count)
        let doc = try #require(repositoryFile("Docs/DIAGNOSTICS.md"))
        for entry in JSONError.catalogue {
            #expect(doc.contains("### `\(entry.id)`"), "\(entry.id) not documented")
            let example = entry.id == JSONError.unprintableName ? entry.example : "```json\n" + entry.example + "```"
            #expect(doc.contains(example), "\(entry.id): example missing")
            #expect(doc.contains(entry.summary))
        }
    }

    @Test func aValueErrorRendersWithCaretAndKeepsFileAndPath() throws {
        let text = JSONError.catalogue[3].example
        let error = try #require(firstError(text))
        let d = Array(text.utf8).withUnsafeBufferPointer { error.diagnostic(source: $0) }
        #expect(d.line == 1 && d.column == 43 && d.length == 11)
        #expect(d.rendered.hasPrefix("describe.json:1:43: error: $.Vpcs[0].CidrBlock: "))
        #expect(d.rendered.contains("\n" + String(repeating: " ", count: 42) + "^~~~~~~~~~"))
    }
}
