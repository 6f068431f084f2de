import Testing
@testable import Reporting

@Test func ReportingModuleLoads() {
    #expect(Bool(true))
}
