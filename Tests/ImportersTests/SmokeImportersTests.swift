import Testing
@testable import Importers

@Test func ImportersModuleLoads() {
    #expect(Bool(true))
}
