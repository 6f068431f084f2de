import IPAddressing
/// The keywords of each block of the `.vpc` language: what may start a statement there, and the modifiers
/// each statement accepts. Used to end lists and to suggest a near-miss keyword.
enum Keywords {
    static let topLevel = ["region", "account", "prefix-list", "vpc", "peering", "transit-gateway", "assert",
                           "default-vpc", "customer-gateway", "vpn-connection", "dx-gateway", "dx-vif", "onprem", "policy", "flow-log"]
    static let vpc = ["cidr", "ipv6", "id", "internet-gateway", "egress-only-gateway", "subnet", "nat-gateway",
                      "route-table", "security-group", "network-acl", "instance", "vpn-gateway", "endpoint",
                      "load-balancer", "target-group"]
    /// VPC statements that are no stop words (`listener`, `target`: common resource names, which `sg target` must
    /// keep reading as a name); they start a line of their own.
    static let vpcLineStatements = ["listener", "target"]
    static let routeTable = ["associate", "route", "id", "propagate", "edge-associate"]
    static let securityGroup = ["ingress", "egress", "id"]
    static let networkACL = ["associate", "inbound", "outbound", "id"]
    static let instanceBody = ["interface", "id", "tag"]
    static let transitGateway = ["attachment", "route-table", "id", "sg-referencing"]
    static let tgwRouteTable = ["associate", "propagate", "route", "id"]
    static let prefixListBody = ["id"]

    static let subnetModifiers = ["az", "ipv6", "map-public-ip", "id"]
    static let natModifiers = ["in", "eip", "private", "ip", "id"]
    static let interfaceModifiers = ["in", "ip", "secondary-ip", "public-ip", "ipv6", "sg", "source-dest-check", "id"]
    /// Words that end an interface's `sg` list: its modifiers and the statements of the enclosing block (built
    /// once: one concatenation per instance showed in profiles).
    static let interfaceStopInInstance = interfaceModifiers + instanceBody
    static let interfaceStopInVPC = interfaceModifiers + ["tag"] + vpc
    /// What may follow in a one-line instance: the interface modifiers and `tag` (built once, as above).
    static let oneLineInstanceModifiers = interfaceModifiers + ["tag"]
    /// `policy NAME KIND …`.
    static let policyKinds = Policy.Kind.allCases.map(\.rawValue)
    static let gatewayModifiers = ["id"]
    static let routeTableHeader = ["main", "id"]
    /// `security-group NAME [default] [id ID]`, `network-acl NAME [default] [id ID]`.
    static let defaultableHeader = ["default", "id"]
    static let idOnly = ["id"]
    static let assertModifiers = ["client-ports"]
    static let tgwHeader = ["id", "sg-referencing"]
    static let attachmentModifiers = ["vpc", "subnets", "appliance-mode", "id", "vpn", "dx-gateway", "peering"]
    // The network's edges (Docs/DSL.md "Edges").
    static let vpcHeader = ["default"]
    static let vpnGatewayModifiers = ["asn", "id"]
    static let gatewayEndpointModifiers = ["route-tables", "prefix-list", "policy", "id"]
    static let interfaceEndpointModifiers = ["subnets", "sg", "ip", "enis", "private-dns", "policy", "id"]
    static let gwlbEndpointModifiers = ["subnets", "ip", "enis", "policy", "id"]
    static let endpointStopInVPC = gatewayEndpointModifiers + interfaceEndpointModifiers + vpc
    static let defaultVPCModifiers = ["region", "azs", "id"]
    static let customerGatewayModifiers = ["ip", "asn", "id"]
    static let vpnConnectionModifiers = ["vgw", "tgw", "customer-gateway", "static", "bgp", "tunnels", "id"]
    static let dxGatewayHeader = ["asn", "id"]
    static let dxGatewayBody = ["associate", "id"]
    static let dxAssociationModifiers = ["allowed"]
    static let virtualInterfaceModifiers = ["private", "transit", "vgw", "dx-gateway", "id", "state"]
    static let onPremisesBody = ["prefix", "via"]
    static let announcementModifiers = ["local-preference", "as-path"]
    /// `flow-log NAME on KIND TARGET …` (Docs/DSL.md "Flow logs").
    static let flowLogModifiers = ["traffic", "interval", "format", "to", "hive-partitions", "hourly-partitions", "id"]
    static let protocols = IPProtocol.names + ["proto"]
    // Load balancers (Docs/DSL.md "Load balancers").
    static let loadBalancerModifiers = ["subnets", "sg", "ip", "public-ip", "enis", "cross-zone", "ip-type", "dns", "id"]
    static let loadBalancerStop = loadBalancerModifiers + vpc
    static let listenerModifiers = ["rule", "id"]
    static let targetGroupModifiers = ["preserve-client-ip", "id"]
    static let targetModifiers = ["port", "az"] + LoadBalancerTarget.Health.allCases.map(\.rawValue)
}
