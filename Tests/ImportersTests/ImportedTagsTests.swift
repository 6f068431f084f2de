import Generators
import NetworkModel
import Testing
@testable import Importers

/// Instance tags from imports (issue 19): Terraform `tags`, AWS `Tags` (the Batfish snapshots' real ones), and
/// the exporter's `Tags` read back; `Name` is the name, unwritable tags are skipped with a reason.
struct ImportedTagsTests {
    @Test func terraformTagsAreKeptInOrderButNameAndUnwritableOnes() throws {
        let file = Files.fixtures + "/tags/terraform-state.json"
        let result = try TerraformImporter.importDocument(try JSONDocument(bytes: Files.read(file) ?? [], file: file))
        let instances = result.topology.vpcs.flatMap(\.instances)
        let web = try #require(instances.first { $0.name == "web-1" })
        #expect(web.tags == [ResourceTag(key: "env", value: "prod"), ResourceTag(key: "Cost Center", value: "Team A"),
                             ResourceTag(key: "note", value: "a=b"), ResourceTag(key: "empty", value: "")])
        #expect(instances.first { $0.id == "i-db" }?.tags == [])
        let skipped = result.report.skipped.filter { $0.type == "tag" }
        #expect(skipped.count == 2)
        #expect(skipped.contains { $0.reason.contains("bad=key") && $0.reason.contains("'='") })
        #expect(skipped.contains { $0.reason.contains("control character") })
        // The import prints as tags the language reads back.
        let text = TopologyPrinter.format(result.topology)
        #expect(text.contains("tag env=prod tag 'Cost Center=Team A' tag note=a=b tag empty="))
        let (equal, diagnostics) = roundTrips(result.topology)
        #expect(equal && diagnostics.isEmpty)
        #expect(validationErrors(result.topology) == [])
    }

    /// The Batfish fixture's real `Tags` (its instances' VPCs are not in it: the tag reader alone).
    @Test func awsTagsOfTheBatfishFixture() throws {
        guard let root = Files.batfish else { return }
        let file = root + "/fixtures/InstanceTest.json"
        let document = try JSONDocument(bytes: Files.read(file) ?? [], file: file)
        var byID: [String: [ResourceTag]] = [:]
        for reservation in try document.root.array("Reservations") {
            for instance in try reservation.array("Instances") {
                if let id = try instance.string("InstanceId") { byID[id] = ImportedTags.keep(ImportedTags.aws(instance)).tags }
            }
        }
        #expect(byID["i-05f467abe21e9b883"] == [ResourceTag(key: "purpose", value: "solarwinds"), ResourceTag(key: "tag", value: "GNS3-BGP-Test"),
                                                 ResourceTag(key: "creator", value: "ratul")])
        #expect(byID["i-08e529f98f5659289"] == [])
    }

    @Test func awsKeepsTheFirstOfARepeatedKey() {
        let kept = ImportedTags.keep([("a", "1"), ("Name", "x"), ("a", "2"), ("b", "")])
        #expect(kept.tags == [ResourceTag(key: "a", value: "1"), ResourceTag(key: "b", value: "")])
        #expect(kept.dropped.isEmpty)
    }

    @Test func exportedTagsImportBack() throws {
        var original = TopologyGenerator(seed: 3, vpcs: 2, subnetsPerVPC: 2, instances: 8, securityGroups: 3).generate()
        for v in original.vpcs.indices {
            for i in original.vpcs[v].instances.indices {
                original.vpcs[v].instances[i].tags = [ResourceTag(key: "env", value: i % 2 == 0 ? "prod" : "test"),
                                                      ResourceTag(key: "Cost Center", value: "Team \(i)")]
            }
        }
        var snapshot = AWSSnapshot()
        let documents = AWSSnapshotExporter.export(original)
        #expect(documents.contains { $0.1.contains("\"Key\": \"Cost Center\"") || $0.1.contains("\"Key\":\"Cost Center\"") })
        for (file, text) in documents { try snapshot.add(try JSONDocument(bytes: Array(text.utf8), file: "us-east-1/" + file)) }
        let imported = try snapshot.makeTopology()
        let got = Dictionary(uniqueKeysWithValues: imported.topology.vpcs.flatMap(\.instances).map { ($0.name, $0.tags) })
        for i in original.vpcs.flatMap(\.instances) { #expect(got[i.name] == i.tags, "\(i.name)") }
    }
}
