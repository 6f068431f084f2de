import IPAddressing

/// Prints a ``Topology`` in the canonical layout of the `.vpc` language (what `vpckit fmt` writes).
///
/// The output parses back to an equal model: `TopologyParser.parse(TopologyPrinter.format(t)) == t` for every
/// topology whose regions/accounts can be written (a VPC without a region after one with a region cannot).
public enum TopologyPrinter {
    /// The canonical text of `topology`, ending with a newline.
    public static func format(_ topology: Topology) -> String {
        var out = ""
        out.reserveCapacity(topology.vpcs.count * 1024)
        var region: String? = nil
        var account: String? = nil
        var needsBlank = false
        func blank(_ out: inout String) {
            if needsBlank { out += "\n" }
            needsBlank = true
        }
        func defaults(_ r: String?, _ a: String?, _ out: inout String) {
            var wrote = false
            if let r, r != region {
                blank(&out); wrote = true
                out += "region \(r)\n"
                region = r
            }
            if let a, a != account {
                if !wrote { blank(&out) }
                wrote = true
                out += "account \(a)\n"
                account = a
            }
        }
        for list in topology.prefixLists {
            blank(&out)
            out += "prefix-list \(list.name)"
            if let id = list.id { out += " id \(id)" }
            out += " {"
            for entry in list.entries { out += " \(entry)" }
            out += list.entries.isEmpty ? "}\n" : " }\n"
        }
        for vpc in topology.vpcs {
            defaults(vpc.region, vpc.account, &out)
            blank(&out)
            write(vpc, to: &out)
        }
        if !topology.peerings.isEmpty { blank(&out) }
        for peering in topology.peerings {
            out += "peering \(peering.name) \(peering.requester) <-> \(peering.accepter)"
            if let id = peering.id { out += " id \(id)" }
            out += "\n"
        }
        for tgw in topology.transitGateways {
            defaults(tgw.region, tgw.account, &out)
            blank(&out)
            write(tgw, to: &out)
        }
        if !topology.assertions.isEmpty { blank(&out) }
        for assertion in topology.assertions {
            out += "assert \(assertion.expectReachable ? "reach" : "noreach") \(assertion.source) -> "
            out += "\(assertion.destination) \(traffic(assertion.traffic))\n"
        }
        return out
    }

    /// `tcp/443`, `icmp`, `proto 47`.
    public static func traffic(_ spec: TrafficSpec) -> String {
        switch spec.ipProtocol {
        case .all: return "all"
        case .number(let n) where ![6, 17, 1, 58].contains(n): return "proto \(n)"
        default:
            if let port = spec.port { return "\(spec.ipProtocol)/\(port)" }
            return spec.ipProtocol.description
        }
    }

    /// `tcp 443`, `udp 1024-65535`, `icmp 8`, `icmp 3/4`, `all`, `proto 47`.
    public static func protocolAndPorts(_ proto: IPProtocol, _ ports: PortRange?) -> String {
        var s = proto.description
        guard let ports else { return s }
        if proto == .icmp || proto == .icmpv6 {
            s += ports.upper == 65535 ? " \(ports.lower)" : " \(ports.lower)/\(ports.upper)"
        } else if proto.hasPorts {
            s += " \(ports)"
        }
        return s
    }

    static func write(_ vpc: VPC, to out: inout String) {
        out += "vpc \(vpc.name) {\n"
        if let id = vpc.id { out += "  id \(id)\n" }
        for c in vpc.cidrs { out += "  cidr \(c)\n" }
        for c in vpc.ipv6Cidrs { out += "  ipv6 \(c)\n" }
        if let g = vpc.internetGateway {
            out += "  internet-gateway \(g.name)"
            if let id = g.id { out += " id \(id)" }
            out += "\n"
        }
        if let g = vpc.egressOnlyGateway {
            out += "  egress-only-gateway \(g.name)"
            if let id = g.id { out += " id \(id)" }
            out += "\n"
        }
        if !vpc.subnets.isEmpty { out += "\n" }
        for s in vpc.subnets {
            out += "  subnet \(s.name) \(s.cidr)"
            if let az = s.availabilityZone { out += " az \(az)" }
            if let v6 = s.ipv6Cidr { out += " ipv6 \(v6)" }
            if s.mapPublicIP { out += " map-public-ip" }
            if let id = s.id { out += " id \(id)" }
            out += "\n"
        }
        if !vpc.natGateways.isEmpty { out += "\n" }
        for n in vpc.natGateways {
            out += "  nat-gateway \(n.name) in \(n.subnet)"
            switch n.connectivity {
            case .public(let eip): if let eip { out += " eip \(eip)" }
            case .private: out += " private"
            }
            if let ip = n.privateIP { out += " ip \(ip)" }
            if let id = n.id { out += " id \(id)" }
            out += "\n"
        }
        for t in vpc.routeTables {
            out += "\n  route-table \(t.name)"
            if t.isMain { out += " main" }
            if let id = t.id { out += " id \(id)" }
            out += " {\n"
            if !t.associations.isEmpty { out += "    associate " + t.associations.joined(separator: " ") + "\n" }
            for r in t.routes {
                out += "    route \(r.destination)"
                switch r.target {
                case .blackhole: out += " blackhole\n"
                case .local: out += " -> local\n"
                case .named(let n): out += " -> \(n)\n"
                }
            }
            out += "  }\n"
        }
        for g in vpc.securityGroups {
            out += "\n  security-group \(g.name)"
            if let id = g.id { out += " id \(id)" }
            out += " {\n"
            for r in g.ingress { out += "    ingress \(protocolAndPorts(r.ipProtocol, r.ports)) from \(r.peer)\n" }
            if let egress = g.egress {
                if egress.isEmpty { out += "    egress none\n" }
                for r in egress { out += "    egress \(protocolAndPorts(r.ipProtocol, r.ports)) to \(r.peer)\n" }
            }
            out += "  }\n"
        }
        for a in vpc.networkACLs {
            out += "\n  network-acl \(a.name)"
            if let id = a.id { out += " id \(id)" }
            out += " {\n"
            if !a.associations.isEmpty { out += "    associate " + a.associations.joined(separator: " ") + "\n" }
            for r in a.inbound {
                out += "    inbound \(r.number) \(r.action.rawValue) \(protocolAndPorts(r.ipProtocol, r.ports)) from \(r.cidr)\n"
            }
            for r in a.outbound {
                out += "    outbound \(r.number) \(r.action.rawValue) \(protocolAndPorts(r.ipProtocol, r.ports)) to \(r.cidr)\n"
            }
            out += "  }\n"
        }
        if !vpc.instances.isEmpty { out += "\n" }
        for i in vpc.instances {
            if i.interfaces.count == 1, let eni = i.interfaces.first, eni.name == "eth0", eni.id == nil {
                out += "  instance \(i.name)"
                writeModifiers(eni, to: &out)
                if let id = i.id { out += " id \(id)" }
                out += "\n"
            } else {
                out += "  instance \(i.name)"
                if let id = i.id { out += " id \(id)" }
                out += " {\n"
                for eni in i.interfaces {
                    out += "    interface \(eni.name)"
                    writeModifiers(eni, to: &out)
                    if let id = eni.id { out += " id \(id)" }
                    out += "\n"
                }
                out += "  }\n"
            }
        }
        out += "}\n"
    }

    static func writeModifiers(_ eni: NetworkInterface, to out: inout String) {
        out += " in \(eni.subnet) ip \(eni.privateIP)"
        for s in eni.secondaryIPs { out += " secondary-ip \(s)" }
        switch eni.publicIP {
        case nil: break
        case .unknown?: out += " public-ip unknown"
        case .none?: out += " public-ip none"
        case .address(let a)?: out += " public-ip \(a)"
        }
        for a in eni.ipv6Addresses { out += " ipv6 \(a)" }
        if !eni.securityGroups.isEmpty { out += " sg " + eni.securityGroups.joined(separator: " ") }
        if !eni.sourceDestCheck { out += " source-dest-check off" }
    }

    static func write(_ tgw: TransitGateway, to out: inout String) {
        out += "transit-gateway \(tgw.name)"
        if let id = tgw.id { out += " id \(id)" }
        if tgw.securityGroupReferencing { out += " sg-referencing" }
        out += " {\n"
        for a in tgw.attachments {
            out += "  attachment \(a.name) vpc \(a.vpc)"
            if !a.subnets.isEmpty { out += " subnets " + a.subnets.joined(separator: " ") }
            if a.applianceMode { out += " appliance-mode" }
            if let id = a.id { out += " id \(id)" }
            out += "\n"
        }
        for t in tgw.routeTables {
            out += "  route-table \(t.name)"
            if let id = t.id { out += " id \(id)" }
            out += " {\n"
            if !t.associations.isEmpty { out += "    associate " + t.associations.joined(separator: " ") + "\n" }
            if !t.propagations.isEmpty { out += "    propagate " + t.propagations.joined(separator: " ") + "\n" }
            for r in t.routes {
                out += "    route \(r.destination)"
                switch r.target {
                case .blackhole: out += " blackhole\n"
                case .attachment(let n): out += " -> \(n)\n"
                }
            }
            out += "  }\n"
        }
        out += "}\n"
    }
}
