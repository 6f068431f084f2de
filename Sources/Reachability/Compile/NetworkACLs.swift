import IPAddressing
import NetworkModel

extension CompiledTopology {
    /// Network ACLs (same index as their ``NetworkACLID``), rules sorted by number.
    mutating func buildNetworkACLs(_ c: inout CompileContext) {
        for vpc in c.topology.vpcs {
            for acl in vpc.networkACLs {
                networkACLs.append(CompiledNetworkACL(name: acl.name, awsID: acl.id,
                                                      inbound: CompiledTopology.naclRules(acl.inbound, inbound: true, &c),
                                                      outbound: CompiledTopology.naclRules(acl.outbound, inbound: false, &c),
                                                      location: acl.location))
            }
        }
    }

    /// One direction's rules, sorted by number; texts shared between equal rules, as for security groups.
    static func naclRules(_ list: [NetworkACLRule], inbound: Bool, _ c: inout CompileContext) -> [CompiledNACLRule] {
        list.sorted { $0.number < $1.number }.map { r in
            let proto: Int16 = Int16(r.ipProtocol.awsNumber)
            let text = c.naclRuleTexts.text(for: r, first: inbound) {
                "\(inbound ? "inbound" : "outbound") \(r.number) \(r.action.rawValue) "
                    + TopologyPrinter.protocolAndPorts(r.ipProtocol, r.ports) + " \(inbound ? "from" : "to") \(r.cidr)"
            }
            return CompiledNACLRule(number: r.number, allow: r.action == .allow, ipProtocol: proto, ports: r.ports,
                                    cidr: r.cidr, location: r.location, text: text)
        }
    }
}
