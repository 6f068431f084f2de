import Testing
@testable import Importers

/// The AWS importer's one id → name map answers per kind.
@Suite struct ImportedNamesTests {
    @Test func anIDIsFoundOnlyUnderTheKindItWasImportedAs() {
        var names = ImportedNames()
        names[.securityGroup, "x-1"] = "web"
        names[.natGateway, "x-1"] = "nat-a"
        #expect(names[.securityGroup, "x-1"] == "web")
        #expect(names[.natGateway, "x-1"] == "nat-a")
        #expect(names[.instance, "x-1"] == nil)
        #expect(names[.securityGroup, "x-2"] == nil)
        names[.securityGroup, "x-1"] = "web-2"
        #expect(names[.securityGroup, "x-1"] == "web-2")
        #expect(names[.natGateway, "x-1"] == "nat-a")
    }
}
