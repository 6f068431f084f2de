import Testing
@testable import FlowLogs

@Test func FlowLogsModuleLoads() {
    #expect(Bool(true))
}
