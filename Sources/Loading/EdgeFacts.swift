import IPAddressing
import NetworkModel
import Reporting

/// What the command line adds about the network's edges that no AWS document holds (issue 18): on-premises
/// prefixes announced over an edge (`--onprem CIDR@EDGE`, repeatable) and `--assume-tunnels-up`.
public struct EdgeFacts: Sendable, Equatable {
    /// (CIDR, EDGE) pairs in the order given.
    public var announcements: [(prefix: IPv4Prefix, edge: String)] = []
    /// Analyse VPN connections as configured, whatever their tunnel telemetry says.
    public var assumeTunnelsUp = false
    public init() {}

    public static func == (a: EdgeFacts, b: EdgeFacts) -> Bool {
        a.assumeTunnelsUp == b.assumeTunnelsUp && a.announcements.map(\.prefix) == b.announcements.map(\.prefix)
            && a.announcements.map(\.edge) == b.announcements.map(\.edge)
    }

    /// Parses `--onprem` values (`10.10.0.0/16@vpn-0abc`); a bad value is reported to `messages` (`error: …`)
    /// and throws.
    public static func parse(onprem values: [String], assumeTunnelsUp: Bool, messages: MessageSink) throws(InputError) -> EdgeFacts {
        var facts = EdgeFacts()
        facts.assumeTunnelsUp = assumeTunnelsUp
        for value in values {
            guard let at = value.lastIndex(of: "@"), at != value.startIndex, value.index(after: at) != value.endIndex else {
                messages("error: --onprem '\(Diagnostic.escaped(value))': expected CIDR@EDGE (e.g. 10.10.0.0/16@vpn-0abc)")
                throw InputError()
            }
            let cidr = String(value[..<at]), edge = String(value[value.index(after: at)...])
            guard let prefix = try? IPv4Prefix(cidr) else {
                messages("error: --onprem '\(Diagnostic.escaped(value))': '\(Diagnostic.escaped(cidr))' is not an IPv4 CIDR block (VPN and Direct Connect to a VGW carry IPv4)")
                throw InputError()
            }
            facts.announcements.append((prefix, edge))
        }
        return facts
    }

    /// Applies the facts to `topology`: every announcement's edge must exist (else reported, and throws).
    public func apply(to topology: inout Topology, messages: MessageSink) throws(InputError) {
        if assumeTunnelsUp { topology.assumeTunnelsUp() }
        var failed = false
        for (prefix, edge) in announcements {
            if let problem = topology.announceOnPremises(prefix, over: edge) {
                messages("error: --onprem \(Diagnostic.escaped(problem))")
                failed = true
            }
        }
        if failed { throw InputError() }
    }
}
