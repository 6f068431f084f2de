import IPAddressing

/// One address block a topology declares, named for overlap reports (`vpckit cidr overlaps prod.vpc`).
public struct NamedBlock: Hashable, Sendable {
    /// `vpc prod`, `subnet prod/app-a`, `prefix-list corp`.
    public var name: String
    public var prefix: IPPrefix
    public var location: SourceLocation
    public init(name: String, prefix: IPPrefix, location: SourceLocation) {
        self.name = name
        self.prefix = prefix
        self.location = location
    }
}

extension Topology {
    /// Every VPC block (IPv4 and IPv6), subnet block and prefix-list entry, in source order.
    public var namedBlocks: [NamedBlock] {
        var out: [NamedBlock] = []
        for list in prefixLists {
            for entry in list.entries { out.append(NamedBlock(name: "prefix-list \(list.name)", prefix: entry, location: list.location)) }
        }
        for vpc in vpcs {
            for c in vpc.cidrs { out.append(NamedBlock(name: "vpc \(vpc.name)", prefix: .v4(c), location: vpc.location)) }
            for c in vpc.ipv6Cidrs { out.append(NamedBlock(name: "vpc \(vpc.name)", prefix: .v6(c), location: vpc.location)) }
            for s in vpc.subnets {
                out.append(NamedBlock(name: "subnet \(vpc.name)/\(s.name)", prefix: .v4(s.cidr), location: s.location))
                if let v6 = s.ipv6Cidr { out.append(NamedBlock(name: "subnet \(vpc.name)/\(s.name)", prefix: .v6(v6), location: s.location)) }
            }
        }
        return out
    }
}
