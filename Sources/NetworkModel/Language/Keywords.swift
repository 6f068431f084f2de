import IPAddressing
/// The keywords of each block of the `.vpc` language: what may start a statement there, and the modifiers
/// each statement accepts. Used to end lists and to suggest a near-miss keyword.
enum Keywords {
    static let topLevel = ["region", "account", "prefix-list", "vpc", "peering", "transit-gateway", "assert"]
    static let vpc = ["cidr", "ipv6", "id", "internet-gateway", "egress-only-gateway", "subnet", "nat-gateway",
                      "route-table", "security-group", "network-acl", "instance"]
    static let routeTable = ["associate", "route", "id"]
    static let securityGroup = ["ingress", "egress", "id"]
    static let networkACL = ["associate", "inbound", "outbound", "id"]
    static let instanceBody = ["interface", "id"]
    static let transitGateway = ["attachment", "route-table", "id", "sg-referencing"]
    static let tgwRouteTable = ["associate", "propagate", "route", "id"]
    static let prefixListBody = ["id"]

    static let subnetModifiers = ["az", "ipv6", "map-public-ip", "id"]
    static let natModifiers = ["in", "eip", "private", "ip", "id"]
    static let interfaceModifiers = ["in", "ip", "secondary-ip", "public-ip", "ipv6", "sg", "source-dest-check", "id"]
    /// Words that end an interface's `sg` list: its modifiers and the statements of the enclosing block (built
    /// once: one concatenation per instance showed in profiles).
    static let interfaceStopInInstance = interfaceModifiers + instanceBody
    static let interfaceStopInVPC = interfaceModifiers + vpc
    static let gatewayModifiers = ["id"]
    static let routeTableHeader = ["main", "id"]
    /// `security-group NAME [default] [id ID]`, `network-acl NAME [default] [id ID]`.
    static let defaultableHeader = ["default", "id"]
    static let idOnly = ["id"]
    static let assertModifiers = ["client-ports"]
    static let tgwHeader = ["id", "sg-referencing"]
    static let attachmentModifiers = ["vpc", "subnets", "appliance-mode", "id"]
    static let protocols = IPProtocol.names + ["proto"]
}
