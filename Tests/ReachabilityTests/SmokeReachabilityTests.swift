import Testing
@testable import Reachability

@Test func ReachabilityModuleLoads() {
    #expect(Bool(true))
}
