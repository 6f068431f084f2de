import Testing
@testable import Lint

@Test func LintModuleLoads() {
    #expect(Bool(true))
}
