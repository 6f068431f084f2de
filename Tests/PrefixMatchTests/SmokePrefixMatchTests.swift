import Testing
@testable import PrefixMatch

@Test func PrefixMatchModuleLoads() {
    #expect(Bool(true))
}
