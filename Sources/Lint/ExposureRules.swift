import IPAddressing
import NetworkModel
import Reachability

/// Instances the internet reaches on ports outside the allowed set. The verdict is the reachability engine's
/// (route to the IGW, public address, NACLs both ways, security groups), computed as port sets.
enum ExposureRules {
    static func run(_ context: inout LintContext) {
        guard context.wants(LintCatalogue.instanceExposedPort) else { return }
        let compiled = context.routing.compiled
        let allowed = PortSet(ranges: context.options.internetPorts)
        let representative = compiled.representativeInternetAddress
        for ref in context.index.interfaces {
            let name = ref.instance.displayName(of: ref.interface)
            let endpointName = ref.instance.interfaces.first?.name == ref.interface.name ? ref.instance.name
                : "\(ref.instance.name).\(ref.interface.name)"
            guard case .success(let destination) = compiled.resolve(.named(endpointName)),
                  case .interface(let id, _) = destination,
                  compiled.interfaces[Int(id.index)].publicIP != nil else { continue }
            var exposed: [(String, PortSet)] = []
            let tried = sources(for: ref, representative: representative, context)
            for (protocolName, proto) in [("tcp", IPProtocol.tcp), ("udp", IPProtocol.udp)] {
                var open = PortSet.empty
                for source in tried {
                    let verdict = compiled.reach(from: .internet(.v4(source)), to: destination,
                                                 traffic: TrafficSpec(ipProtocol: proto, port: nil))
                    // Exposed when any client port works: an attacker picks its own source port.
                    if verdict.state != .unreachable, let ports = verdict.forwardPath.last?.header.destinationPorts {
                        open = open.union(ports)
                    }
                }
                let outside = open.subtracting(allowed)
                if !outside.isEmpty { exposed.append((protocolName, outside)) }
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

    /// Internet addresses to try: the engine's representative address, plus one public address inside each
    /// public block the interface's security groups admit (a rule for 198.51.100.0/24 exposes the instance to
    /// that part of the internet only).
    static func sources(for ref: TopologyIndex.InterfaceRef, representative: IPv4Address,
                        _ context: LintContext) -> [IPv4Address] {
        var result = [representative]
        for group in context.index.groups(of: ref.interface) {
            guard let (_, sg) = context.index.securityGroups[group] else { continue }
            for rule in sg.ingress {
                let blocks: [IPPrefix]
                switch rule.peer {
                case .cidr(let p): blocks = [p]
                case .prefixList(let n): blocks = context.index.prefixLists[n]?.entries ?? []
                case .securityGroup: blocks = []
                }
                for case .v4(let block) in blocks {
                    if let a = publicAddress(in: block, representative: representative, context), !result.contains(a) {
                        result.append(a)
                    }
                }
            }
        }
        return result
    }

    /// A public address in `block` outside every VPC, if one is found quickly.
    static func publicAddress(in block: IPv4Prefix, representative: IPv4Address, _ context: LintContext) -> IPv4Address? {
        if block.contains(representative) { return nil }   // already tried
        var candidate = block.network
        for _ in 0..<64 {
            let isPublic = !TopologyIndex.nonPublicIPv4.contains { $0.contains(candidate) }
                && !context.topology.vpcs.contains { $0.cidrs.contains { $0.contains(candidate) } }
            if isPublic { return candidate }
            guard candidate != block.last, let next = candidate.successor else { return nil }
            candidate = next
        }
        return nil
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
