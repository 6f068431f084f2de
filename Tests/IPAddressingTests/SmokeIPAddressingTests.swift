import Testing
@testable import IPAddressing

@Test func IPAddressingModuleLoads() {
    #expect(Bool(true))
}
