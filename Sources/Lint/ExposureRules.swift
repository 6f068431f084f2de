import IPAddressing
import NetworkModel

/// Instances the internet reaches on ports outside the allowed set, decided by the reachability engine.
enum ExposureRules {
    static func run(_ context: inout LintContext) {
    }
}
