import IPAddressing
import NetworkModel
import Reachability

/// Instances the internet reaches on ports outside the allowed set. The verdict is the reachability engine's
/// (route to the IGW, public address, NACLs both ways, security groups) over the whole internet address set
/// (`internet`: every public address outside the topology, walked one address class at a time), computed as
/// port sets — the same answer `vpckit reach internet X` and `assert reach internet -> X` give.
enum ExposureRules {
    static func run(_ context: inout LintContext) {
        guard context.wants(LintCatalogue.instanceExposedPort) else { return }
        let compiled = context.routing.compiled
        let allowed = PortSet(ranges: context.options.internetPorts)
        let internet = QueryEndpoint.internet(compiled.internetAddresses)
        for ref in context.index.interfaces {
            let name = ref.instance.displayName(of: ref.interface)
            let endpointName = ref.instance.interfaces.first?.name == ref.interface.name ? ref.instance.name
                : "\(ref.instance.name).\(ref.interface.name)"
            guard case .success(let destination) = compiled.resolve(.named(endpointName)),
                  case .interface(let id, _) = destination,
                  compiled.interfaces[Int(id.index)].publicIP != nil,
                  case .success(let answers) = compiled.openPorts(from: internet, to: .endpoint(destination), protocols: ["tcp", "udp"],
                                                                    withAddresses: false) else { continue }
            var exposed: [(String, PortSet)] = []
            // Exposed when any client port works (a partly reachable port counts: an attacker picks its own source port).
            for answer in answers where answer.traffic == "tcp" || answer.traffic == "udp" {
                let outside = answer.ports.subtracting(allowed)
                if !outside.isEmpty { exposed.append((answer.traffic, outside)) }
            }
            guard !exposed.isEmpty else { continue }
            let list = exposed.map { "\($0.0) \($0.1.ranges.map(\.description).joined(separator: ", "))" }.joined(separator: "; ")
            let allowedText = context.options.internetPorts.map(\.description).joined(separator: ",")
            let at = ref.interface.location.isKnown ? ref.interface.location : ref.instance.location
            context.report(LintCatalogue.instanceExposedPort, at: at,
                           "'\(name)' is reachable from the internet on \(list) (allowed internet ports: \(allowedText))",
                           related: admittingRules(ref, exposed, context).map { ($0.location, "admitted by security group rule '\($0.text)'") })
        }
    }

    /// The security-group rules of the interface that admit some exposed port (for related locations).
    static func admittingRules(_ ref: TopologyIndex.InterfaceRef, _ exposed: [(String, PortSet)],
                               _ context: LintContext) -> [(location: SourceLocation, text: String)] {
        var rules: [(SourceLocation, String)] = []
        for group in context.index.groups(of: ref.interface) {
            guard let (_, sg) = context.index.securityGroups[group] else { continue }
            for rule in sg.ingress {
                if case .securityGroup = rule.peer { continue }
                let hits = exposed.contains { name, ports in
                    switch rule.ipProtocol {
                    case .all: return true
                    case .number(let n):
                        guard IPProtocol.number(n).description == name else { return false }
                        return !ports.intersection(rule.ports ?? .all).isEmpty
                    }
                }
                if hits {
                    let text = "ingress \(SecurityGroupRules.describe(rule)) from \(rule.peer)"
                    rules.append((SecurityGroupRules.place(rule, in: sg), "\(sg.name): \(text)"))
                }
            }
        }
        return Array(rules.prefix(3))
    }
}
