import IPAddressing

// Elastic Load Balancing (Docs/DSL.md "Load balancers"; Docs/SEMANTICS.md "Load balancers"): application, network
// and classic load balancers, their listeners, target groups and targets. Plain values like the rest of the model;
// they hang off ``VPC``. A load balancer has one node (a requester-managed ENI) per subnet, at most one subnet per
// availability zone; a listener terminates the client's connection and the node opens a new one to a target.

/// A load balancer (`load-balancer NAME application|network|classic …`).
public struct LoadBalancer: Hashable, Sendable {
    /// The load balancer's type (`Type`; a classic load balancer comes from the `elb` API). `gateway`: a Gateway
    /// Load Balancer (GWLB), reached only through its endpoints (`endpoint NAME gateway-load-balancer LB …`), that
    /// hands every packet to an appliance over GENEVE (UDP 6081) and takes it back.
    public enum Kind: String, Hashable, Sendable, CaseIterable { case application, network, classic, gateway }
    /// `Scheme`: internet-facing nodes have public addresses; internal ones only private addresses.
    public enum Scheme: String, Hashable, Sendable, CaseIterable { case internetFacing = "internet-facing", `internal` }
    /// `IpAddressType`.
    public enum AddressType: String, Hashable, Sendable, CaseIterable { case ipv4, dualstack }
    public var name: String
    /// The AWS id (the load balancer's ARN, or its name for a classic one).
    public var id: String?
    public var kind: Kind
    public var scheme: Scheme
    /// The subnets holding its nodes, at most one per availability zone.
    public var subnets: [String] = []
    /// Its security groups (ALB and classic: required by AWS, absent here: the VPC's default group; NLB: none
    /// unless written).
    public var securityGroups: [String] = []
    /// Each node's private address, in the order of ``subnets``; missing ones are picked by the model.
    public var addresses: [IPv4Address] = []
    /// Internet-facing: each node's public address, in the order of ``subnets``; missing ones are unknown.
    public var publicAddresses: [IPv4Address] = []
    /// The nodes' ENI ids (`eni-…`), in the order of ``subnets``, when imported.
    public var interfaceIDs: [String] = []
    /// Cross-zone load balancing; nil: AWS's default for the type (on for ALBs, off for NLBs and classic).
    public var crossZone: Bool?
    public var addressType: AddressType = .ipv4
    /// The DNS name (`DNSName`), which queries may use to name the load balancer.
    public var dnsName: String?
    /// The listeners, in written order (`listener NAME …` lines after the load balancer).
    public var listeners: [Listener] = []
    /// Classic load balancers: the registered instances (`target NAME INSTANCE …` lines).
    public var targets: [LoadBalancerTarget] = []
    public var location: SourceLocation
    public init(name: String, id: String? = nil, kind: Kind, scheme: Scheme, subnets: [String] = [],
                securityGroups: [String] = [], addresses: [IPv4Address] = [], publicAddresses: [IPv4Address] = [],
                interfaceIDs: [String] = [], crossZone: Bool? = nil, addressType: AddressType = .ipv4,
                dnsName: String? = nil, listeners: [Listener] = [], targets: [LoadBalancerTarget] = [],
                location: SourceLocation = .unknown) {
        self.name = name
        self.id = id
        self.kind = kind
        self.scheme = scheme
        self.subnets = subnets
        self.securityGroups = securityGroups
        self.addresses = addresses
        self.publicAddresses = publicAddresses
        self.interfaceIDs = interfaceIDs
        self.crossZone = crossZone
        self.addressType = addressType
        self.dnsName = dnsName
        self.listeners = listeners
        self.targets = targets
        self.location = location
    }
    /// Cross-zone load balancing in effect: as written, else AWS's default (on for ALBs only; off for NLBs, GWLBs
    /// and classic).
    public var crossZoneEnabled: Bool { crossZone ?? (kind == .application) }
    /// The GENEVE port a Gateway Load Balancer exchanges packets with its appliances on (AWS fixes it).
    public static let genevePort: UInt16 = 6081
}

/// A listener (`listener LB PROTOCOL PORT -> TARGET-GROUP …`): what a load balancer accepts and where it sends it.
public struct Listener: Hashable, Sendable {
    /// The listener protocol. ALB: http, https; NLB: tcp, tls, udp, tcp-udp; classic: http, https, tcp, ssl.
    public enum ListenerProtocol: String, Hashable, Sendable, CaseIterable {
        case http, https, tcp, tls, udp, tcpUDP = "tcp-udp", ssl
        /// GENEVE (UDP 6081): a Gateway Load Balancer's listener (every IP packet) and target groups.
        case geneve
        /// True when the listener accepts IP protocol `number` (6 TCP, 17 UDP; a GWLB's: every protocol).
        public func accepts(ipProtocol number: UInt8) -> Bool {
            switch self {
            case .geneve: true
            case .udp: number == 17
            case .tcpUDP: number == 6 || number == 17
            default: number == 6
            }
        }
        /// The protocols a load balancer of `kind` offers.
        public static func allowed(for kind: LoadBalancer.Kind) -> [ListenerProtocol] {
            switch kind {
            case .application: [.http, .https]
            case .network: [.tcp, .tls, .udp, .tcpUDP]
            case .classic: [.http, .https, .tcp, .ssl]
            case .gateway: [.geneve]
            }
        }
    }
    /// What the listener does with a connection.
    public enum Action: Hashable, Sendable {
        /// Forward to a target group (by name), ALB and NLB.
        case forward(String)
        /// A classic load balancer's listener: to its registered instances on this port.
        case instancePort(UInt16)
        /// ALB `fixed-response` or `redirect`: the load balancer answers itself.
        case respond
    }
    /// An ALB listener rule: its conditions as one opaque label, and the target group it forwards to.
    public struct Rule: Hashable, Sendable {
        public var condition: String
        public var targetGroup: String
        public init(condition: String, targetGroup: String) {
            self.condition = condition
            self.targetGroup = targetGroup
        }
    }
    public var listenerProtocol: ListenerProtocol
    public var port: UInt16
    public var defaultAction: Action
    /// ALB rules (recorded; a connection may reach any of their target groups or the default one).
    public var rules: [Rule] = []
    public var id: String?
    public var location: SourceLocation
    public init(listenerProtocol: ListenerProtocol, port: UInt16, defaultAction: Action, rules: [Rule] = [],
                id: String? = nil, location: SourceLocation = .unknown) {
        self.listenerProtocol = listenerProtocol
        self.port = port
        self.defaultAction = defaultAction
        self.rules = rules
        self.id = id
        self.location = location
    }
    /// The target groups a connection to this listener may be forwarded to: the default action's, then the
    /// rules', each once.
    public var targetGroups: [String] {
        var out: [String] = []
        if case .forward(let g) = defaultAction { out.append(g) }
        for r in rules where !out.contains(r.targetGroup) { out.append(r.targetGroup) }
        return out
    }
}

/// A target group (`target-group NAME instance|ip|lambda [PROTOCOL PORT] …`).
public struct TargetGroup: Hashable, Sendable {
    public enum TargetType: String, Hashable, Sendable, CaseIterable { case instance, ip, lambda }
    public var name: String
    /// The ARN.
    public var id: String?
    public var targetType: TargetType
    /// The protocol to targets (http, https, tcp, tls, udp, tcp-udp; geneve for a GWLB's appliances); nil for lambda.
    public var targetProtocol: Listener.ListenerProtocol?
    /// The port targets listen on (nil for lambda).
    public var port: UInt16?
    /// NLB client-IP preservation; nil: AWS's default (on for instance targets, off for ip targets over TCP/TLS).
    public var preserveClientIP: Bool?
    public var targets: [LoadBalancerTarget] = []
    public var location: SourceLocation
    public init(name: String, id: String? = nil, targetType: TargetType, targetProtocol: Listener.ListenerProtocol? = nil,
                port: UInt16? = nil, preserveClientIP: Bool? = nil, targets: [LoadBalancerTarget] = [],
                location: SourceLocation = .unknown) {
        self.name = name
        self.id = id
        self.targetType = targetType
        self.targetProtocol = targetProtocol
        self.port = port
        self.preserveClientIP = preserveClientIP
        self.targets = targets
        self.location = location
    }
    /// Client-IP preservation in effect (for an NLB): as written, else on for instance targets, off for IP ones
    /// (UDP and TCP_UDP groups always preserve).
    public var preservesClientIP: Bool {
        if let p = preserveClientIP { return p }
        switch targetType {
        case .instance: return true
        case .ip: return targetProtocol == .udp || targetProtocol == .tcpUDP || targetProtocol == .geneve
        case .lambda: return false
        }
    }
}

/// One registered target (`target GROUP TARGET [port N] [az ZONE] [HEALTH]`).
public struct LoadBalancerTarget: Hashable, Sendable {
    /// `TargetHealth.State`. Only `healthy` targets get traffic, except that when none of a group's targets is
    /// healthy AWS fails open to every registered one (not modelled: none then get traffic, Docs/SEMANTICS.md).
    public enum Health: String, Hashable, Sendable, CaseIterable {
        case healthy, unhealthy, initial, unused, draining, unavailable
    }
    /// An instance name (instance targets, classic), an IPv4 address (ip targets), or a function ARN (lambda).
    public var target: String
    /// The port override; nil: the group's port.
    public var port: UInt16?
    /// The availability zone (IP targets outside the VPC: `all`); nil: the target's subnet's.
    public var zone: String?
    /// nil: not reported (treated as healthy).
    public var health: Health?
    public var location: SourceLocation
    public init(target: String, port: UInt16? = nil, zone: String? = nil, health: Health? = nil,
                location: SourceLocation = .unknown) {
        self.target = target
        self.port = port
        self.zone = zone
        self.health = health
        self.location = location
    }
    /// True when the target gets traffic: healthy or not reported.
    public var getsTraffic: Bool { health == nil || health == .healthy }
}
