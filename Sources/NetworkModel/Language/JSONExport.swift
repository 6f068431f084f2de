import IPAddressing
import Reporting

/// The model as stable JSON (`vpckit export --format json`). Keys are fixed and documented in Docs/DSL.md;
/// optional values are `null`, lists keep source order.
public enum TopologyJSON {
    /// Format version of the document (bumped on incompatible changes).
    public static let formatVersion = 1

    /// The whole topology.
    public static func export(_ t: Topology) -> JSONValue {
        .object([
            ("format", .string("vpckit-topology")),
            ("version", .int(formatVersion)),
            ("prefixLists", .array(t.prefixLists.map { pl in
                .object([("name", .string(pl.name)), ("id", str(pl.id)), ("entries", .array(pl.entries.map { .string($0.description) }))])
            })),
            ("vpcs", .array(t.vpcs.map(vpc))),
            ("peerings", .array(t.peerings.map { p in
                .object([("name", .string(p.name)), ("id", str(p.id)), ("requester", .string(p.requester)),
                         ("accepter", .string(p.accepter))])
            })),
            ("transitGateways", .array(t.transitGateways.map(tgw))),
            ("customerGateways", .array(t.customerGateways.map { c in
                .object([("name", .string(c.name)), ("id", str(c.id)), ("ip", .string(c.address.description)), ("asn", .int(Int(c.asn)))])
            })),
            ("vpnConnections", .array(t.vpnConnections.map(vpnConnection))),
            ("directConnectGateways", .array(t.directConnectGateways.map { d in
                .object([("name", .string(d.name)), ("id", str(d.id)), ("asn", d.asn.map { .int(Int($0)) } ?? .null),
                         ("associations", .array(d.associations.map { a in
                             .object([("gateway", .string(a.gateway)),
                                      ("allowedPrefixes", .array(a.allowedPrefixes.map { .string($0.description) }))])
                         }))])
            })),
            ("virtualInterfaces", .array(t.virtualInterfaces.map { v in
                let (side, gateway): (String, String) = switch v.awsSide {
                case .vpnGateway(let g): ("vpnGateway", g)
                case .directConnectGateway(let g): ("directConnectGateway", g)
                }
                return .object([("name", .string(v.name)), ("id", str(v.id)), ("kind", .string(v.kind.rawValue)),
                                (side, .string(gateway)), ("available", .bool(v.isAvailable))])
            })),
            ("onPremisesNetworks", .array(t.onPremisesNetworks.map { o in
                .object([("name", .string(o.name)), ("prefixes", .array(o.prefixes.map { .string($0.description) })),
                         ("announcements", .array(o.announcements.map { a in
                             .object([("edge", .string(a.edge)), ("localPreference", str(a.localPreference?.rawValue)),
                                      ("asPathLength", a.asPathLength.map { .int($0) } ?? .null)])
                         }))])
            })),
            ("assertions", .array(t.assertions.map { a in
                .object([("expect", .string(a.expectReachable ? "reach" : "noreach")),
                         ("source", .string(a.source.description)), ("destination", .string(a.destination.description)),
                         ("protocol", .string(a.traffic.ipProtocol == .all ? "all" : protocolName(a.traffic.ipProtocol))),
                         ("port", a.traffic.port.map { .int(Int($0)) } ?? .null),
                         ("clientPorts", a.clientPorts.map(clientPorts) ?? .null),
                         ("location", .string(t.files.place(of: a.location)))])
            })),
            ("policies", .array(t.policies.map { p in
                .object([("name", .string(p.name)), ("kind", .string(p.kind.rawValue)),
                         ("sources", .array(p.sources.map { .string($0.plainText) })),
                         ("destinations", .array(p.destinations.map { .string($0.plainText) })),
                         ("protocol", p.traffic.ipProtocol.map { .string(protocolName($0)) } ?? .string("all")),
                         ("ports", p.traffic.ports.map { r in .string(r.map(\.description).joined(separator: ",")) } ?? .null),
                         ("location", .string(t.files.place(of: p.location)))])
            })),
            ("flowLogs", .array(t.flowLogs.map { f in flowLog(f, files: t.files) })),
        ])
    }

    /// A flow log: `name id scope target traffic interval format destination{type bucket prefix | group}
    /// hivePartitions hourlyPartitions location` (`format`: the fields, `null` for the default format;
    /// `destination`: `null` for S3 under the replay's output folder).
    static func flowLog(_ f: FlowLog, files: SourceFileTable) -> JSONValue {
        let destination: JSONValue = switch f.destination {
        case .s3(let bucket, let prefix)?: .object([("type", .string("s3")), ("bucket", .string(bucket)), ("prefix", str(prefix))])
        case .cloudWatch(let group)?: .object([("type", .string("cloudwatch")), ("group", .string(group))])
        case nil: .null
        }
        return .object([
            ("name", .string(f.name)), ("id", str(f.id)), ("scope", .string(f.scope.rawValue)), ("target", .string(f.target)),
            ("traffic", .string(f.traffic.rawValue)), ("interval", .int(f.interval)),
            ("format", f.fields.map { .array($0.map { .string($0) }) } ?? .null), ("destination", destination),
            ("hivePartitions", .bool(f.hivePartitions)), ("hourlyPartitions", .bool(f.hourlyPartitions)),
            ("location", .string(files.place(of: f.location))),
        ])
    }

    static func str(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }

    /// `{"name": "linux"|"windows"|null, "from": 32768, "to": 60999}`.
    static func clientPorts(_ c: ClientPorts) -> JSONValue {
        let name: JSONValue = switch c {
        case .linux: .string("linux")
        case .windows: .string("windows")
        case .ports: .null
        }
        return .object([("name", name), ("from", .int(Int(c.range.lower))), ("to", .int(Int(c.range.upper)))])
    }

    static func protocolName(_ p: IPProtocol) -> String { p.nameOrNumber }

    static func ports(_ r: PortRange?) -> JSONValue {
        guard let r else { return .null }
        return .object([("from", .int(Int(r.lower))), ("to", .int(Int(r.upper)))])
    }

    static func destination(_ d: RouteDestination) -> [(String, JSONValue)] {
        switch d {
        case .cidr(let p): [("destination", .string(p.description)), ("prefixList", .null)]
        case .prefixList(let n): [("destination", .null), ("prefixList", .string(n))]
        }
    }

    static func gateway(_ g: Gateway?) -> JSONValue {
        guard let g else { return .null }
        return .object([("name", .string(g.name)), ("id", str(g.id))])
    }

    static func subnet(_ s: Subnet) -> JSONValue {
        .object([("name", .string(s.name)), ("id", str(s.id)), ("cidr", .string(s.cidr.description)),
                 ("ipv6Cidr", str(s.ipv6Cidr?.description)), ("availabilityZone", str(s.availabilityZone)),
                 ("mapPublicIp", .bool(s.mapPublicIP))])
    }

    static func nat(_ n: NATGateway) -> JSONValue {
        var kind = "private"
        var eip = JSONValue.null
        if case .public(let e) = n.connectivity {
            kind = "public"
            eip = str(e?.description)
        }
        return .object([("name", .string(n.name)), ("id", str(n.id)), ("subnet", .string(n.subnet)),
                        ("connectivity", .string(kind)), ("eip", eip), ("privateIp", str(n.privateIP?.description))])
    }

    static func route(_ r: Route) -> JSONValue {
        var target = JSONValue.null
        switch r.target {
        case .local: target = .string("local")
        case .blackhole: target = .null
        case .named(let n): target = .string(n)
        case .unmodelled: target = .null
        }
        var unmodelled = JSONValue.null
        if case .unmodelled(let id) = r.target { unmodelled = .string(id) }
        let members: [(String, JSONValue)] = destination(r.destination)
            + [("target", target), ("blackhole", .bool(r.target == .blackhole)), ("unmodelled", unmodelled)]
        return .object(members)
    }

    static func routeTable(_ t: RouteTable) -> JSONValue {
        .object([("name", .string(t.name)), ("id", str(t.id)), ("main", .bool(t.isMain)),
                 ("associations", .array(t.associations.map { .string($0) })), ("routes", .array(t.routes.map(route))),
                 ("propagations", .array(t.propagations.map { .string($0) })),
                 ("edgeAssociations", .array(t.edgeAssociations.map { .string($0) }))])
    }

    static func vpnConnection(_ c: VPNConnection) -> JSONValue {
        let (side, gateway): (String, String) = switch c.awsSide {
        case .vpnGateway(let g): ("vpnGateway", g)
        case .transitGateway(let g): ("transitGateway", g)
        }
        return .object([("name", .string(c.name)), ("id", str(c.id)), (side, .string(gateway)),
                        ("customerGateway", .string(c.customerGateway)), ("staticRoutesOnly", .bool(c.staticRoutesOnly)),
                        ("staticRoutes", .array(c.staticRoutes.map { .string($0.description) })),
                        ("tunnels", .array(c.tunnels.map { .string($0.rawValue) }))])
    }

    static func endpoint(_ e: VPCEndpoint) -> JSONValue {
        var members: [(String, JSONValue)] = [("name", .string(e.name)), ("id", str(e.id)), ("type", .string(e.kind.rawValue)),
                                              ("service", .string(e.service))]
        switch e.kind {
        case .gateway:
            members.append(("routeTables", .array(e.routeTables.map { .string($0) })))
            members.append(("prefixList", str(e.prefixList)))
        case .interface, .gatewayLoadBalancer:
            members.append(("subnets", .array(e.subnets.map { .string($0) })))
            members.append(("securityGroups", .array(e.securityGroups.map { .string($0) })))
            members.append(("ips", .array(e.addresses.map { .string($0.description) })))
            members.append(("networkInterfaceIds", .array(e.interfaceIDs.map { .string($0) })))
            members.append(("privateDns", .bool(e.privateDNS)))
        }
        members.append(("policy", str(e.policy)))
        return .object(members)
    }

    static func securityGroup(_ g: SecurityGroup) -> JSONValue {
        let egress: JSONValue = g.egress.map { .array($0.map(sgRule)) } ?? .string("default")
        return .object([("name", .string(g.name)), ("id", str(g.id)), ("default", .bool(g.isDefault)),
                        ("ingress", .array(g.ingress.map(sgRule))), ("egress", egress)])
    }

    static func networkACL(_ a: NetworkACL) -> JSONValue {
        .object([("name", .string(a.name)), ("id", str(a.id)), ("default", .bool(a.isDefault)), ("associations", .array(a.associations.map { .string($0) })),
                 ("inbound", .array(a.inbound.map(naclRule))), ("outbound", .array(a.outbound.map(naclRule)))])
    }

    static func instance(_ i: Instance) -> JSONValue {
        .object([("name", .string(i.name)), ("id", str(i.id)), ("interfaces", .array(i.interfaces.map(eni))),
                 ("tags", .array(i.tags.map { .object([("key", .string($0.key)), ("value", .string($0.value))]) }))])
    }

    static func vpc(_ v: VPC) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("name", .string(v.name)), ("id", str(v.id)), ("region", str(v.region)), ("account", str(v.account)),
        ]
        members.append(("cidrs", .array(v.cidrs.map { .string($0.description) })))
        members.append(("ipv6Cidrs", .array(v.ipv6Cidrs.map { .string($0.description) })))
        members.append(("internetGateway", gateway(v.internetGateway)))
        members.append(("egressOnlyGateway", gateway(v.egressOnlyGateway)))
        members.append(("subnets", .array(v.subnets.map(subnet))))
        members.append(("natGateways", .array(v.natGateways.map(nat))))
        members.append(("routeTables", .array(v.routeTables.map(routeTable))))
        members.append(("securityGroups", .array(v.securityGroups.map(securityGroup))))
        members.append(("networkAcls", .array(v.networkACLs.map(networkACL))))
        members.append(("instances", .array(v.instances.map(instance))))
        members.append(("default", .bool(v.isDefault)))
        members.append(("vpnGateway", v.vpnGateway.map { g in
            .object([("name", .string(g.name)), ("id", str(g.id)), ("asn", g.asn.map { .int(Int($0)) } ?? .null)])
        } ?? .null))
        members.append(("endpoints", .array(v.endpoints.map(endpoint))))
        return .object(members)
    }

    static func sgRule(_ r: SecurityGroupRule) -> JSONValue {
        let peer: (String, JSONValue) = switch r.peer {
        case .cidr(let p): ("cidr", .string(p.description))
        case .prefixList(let n): ("prefixList", .string(n))
        case .securityGroup(let n): ("securityGroup", .string(n))
        }
        return .object([("protocol", .string(protocolName(r.ipProtocol))), ("ports", ports(r.ports)), peer])
    }

    static func naclRule(_ r: NetworkACLRule) -> JSONValue {
        .object([("number", .int(r.number)), ("action", .string(r.action.rawValue)),
                 ("protocol", .string(protocolName(r.ipProtocol))), ("ports", ports(r.ports)), ("cidr", .string(r.cidr.description))])
    }

    static func eni(_ e: NetworkInterface) -> JSONValue {
        let publicIP: JSONValue = switch e.publicIP {
        case nil: .null
        case .none?: .string("none")
        case .unknown?: .string("unknown")
        case .address(let a)?: .string(a.description)
        }
        return .object([("name", .string(e.name)), ("id", str(e.id)), ("subnet", .string(e.subnet)),
                        ("privateIp", .string(e.privateIP.description)),
                        ("secondaryIps", .array(e.secondaryIPs.map { .string($0.description) })),
                        ("publicIp", publicIP), ("ipv6Addresses", .array(e.ipv6Addresses.map { .string($0.description) })),
                        ("securityGroups", .array(e.securityGroups.map { .string($0) })),
                        ("sourceDestCheck", .bool(e.sourceDestCheck))])
    }

    static func tgw(_ t: TransitGateway) -> JSONValue {
        .object([
            ("name", .string(t.name)), ("id", str(t.id)), ("region", str(t.region)), ("account", str(t.account)),
            ("sgReferencing", .bool(t.securityGroupReferencing)),
            ("attachments", .array(t.attachments.map { a in
                let (kind, target): (String, JSONValue) = switch a.kind {
                case .vpc: ("vpc", .null)
                case .vpn(let c): ("vpn", .string(c))
                case .directConnectGateway(let d): ("dx-gateway", .string(d))
                case .peering(let p): ("peering", .string(p))
                }
                return .object([("name", .string(a.name)), ("id", str(a.id)), ("type", .string(kind)),
                                ("vpc", a.kind == .vpc ? .string(a.vpc) : .null),
                                ("subnets", .array(a.subnets.map { .string($0) })), ("applianceMode", .bool(a.applianceMode)),
                                ("target", target)])
            })),
            ("routeTables", .array(t.routeTables.map { rt in
                .object([("name", .string(rt.name)), ("id", str(rt.id)),
                         ("associations", .array(rt.associations.map { .string($0) })),
                         ("propagations", .array(rt.propagations.map { .string($0) })),
                         ("routes", .array(rt.routes.map { r in
                             let target: JSONValue = switch r.target {
                             case .attachment(let n): .string(n)
                             case .blackhole: .null
                             }
                             return .object(destination(r.destination) + [("target", target), ("blackhole", .bool(r.target == .blackhole))])
                         }))])
            })),
        ])
    }
}
