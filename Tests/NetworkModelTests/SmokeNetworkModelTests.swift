import Testing
@testable import NetworkModel

@Test func NetworkModelModuleLoads() {
    #expect(Bool(true))
}
