import IPAddressing

// The questions a topology asks of itself: the ends and traffic of `assert` lines (and of `reach`).

/// One end of a reachability question.
public enum Endpoint: Hashable, Sendable, CustomStringConvertible {
    /// An instance, `instance.interface`, or a subnet (its first usable address) — resolved by name.
    case named(String)
    case address(IPAddress)
    /// A public address outside every VPC; nil: the set of every such address (`internet`).
    case internet(IPAddress?)
    /// The public addresses of a block outside every VPC (`internet:198.51.100.0/24`).
    case internetBlock(IPPrefix)
    /// `onprem:NAME` (the network's first prefix's first usable address) or `onprem:NAME:10.10.0.5`: a declared
    /// on-premises network.
    case onPremises(String, IPAddress?)
    /// `EDGE:ADDRESS` (`vpn-0abc…:192.168.1.10`): an address on premises reached over the edge named or with
    /// AWS id EDGE (a VPN connection, VIF, VGW or Direct Connect gateway). A bare edge name or id is `.named`.
    case overEdge(String, IPAddress)
    public var description: String {
        switch self {
        case .named(let n): n
        case .address(let a): a.description
        case .internet(nil): "internet"
        case .internet(let a?): "internet:\(a)"
        case .internetBlock(let p): "internet:\(p)"
        case .onPremises(let n, nil): "onprem:\(n)"
        case .onPremises(let n, let a?): "onprem:\(n):\(a)"
        case .overEdge(let e, let a): Endpoint.overEdgeText(e, a)
        }
    }

    /// `EDGE:ADDRESS`, reading back as this endpoint: when the edge's name is hex digits and the canonical
    /// IPv6 text has `::` (`dc` and `2001:db8::5`), `dc:2001:db8::5` would read as one IPv6 address (the address
    /// reading comes first), so the address is written with all eight groups (`dc:2001:db8:0:0:0:0:0:5`, nine
    /// groups in all: never an address). Found by the `query` fuzz target (Docs/FUZZING.md).
    static func overEdgeText(_ edge: String, _ address: IPAddress) -> String {
        let text = "\(edge):\(address)"
        guard case .v6(let v6) = address, (try? IPAddress(parsing: Substring(text))) != nil else { return text }
        var groups: [String] = []
        for i in stride(from: 112, through: 0, by: -16) { groups.append(String(UInt16(truncatingIfNeeded: v6.bits >> UInt128(i)), radix: 16)) }
        return "\(edge):" + groups.joined(separator: ":")
    }
    /// True for `internet`, `internet:IP` and `internet:CIDR`.
    public var isInternet: Bool {
        switch self {
        case .internet, .internetBlock: true
        case .named, .address, .onPremises, .overEdge: false
        }
    }
}

/// The traffic a query or assertion is about: a protocol and, for TCP/UDP, a destination port.
public struct TrafficSpec: Hashable, Sendable, CustomStringConvertible {
    public var ipProtocol: IPProtocol
    /// The destination port (TCP/UDP) or ICMP type; nil: any.
    public var port: UInt16?
    public init(ipProtocol: IPProtocol, port: UInt16? = nil) {
        self.ipProtocol = ipProtocol
        self.port = port
    }
    /// `tcp/443`, `icmp`, `proto 47`.
    public var description: String {
        if let port { return "\(ipProtocol)/\(port)" }
        return ipProtocol.description
    }
}

/// The client source ports a TCP/UDP query or assertion is about: an OS's ephemeral range or written ports.
/// Without one, queries use 1024-65535 (``PortRange/ephemeral``).
public enum ClientPorts: Hashable, Sendable, CustomStringConvertible {
    /// Linux's default ephemeral range, 32768-60999 (`net.ipv4.ip_local_port_range`).
    case linux
    /// Windows' default dynamic range, 49152-65535.
    case windows
    /// Written ports `LO-HI` (or one port `P`).
    case ports(PortRange)

    /// The ports.
    public var range: PortRange {
        switch self {
        case .linux: PortRange(32768, 60999)
        case .windows: PortRange(49152, 65535)
        case .ports(let r): r
        }
    }

    /// Parses `linux`, `windows`, `LO-HI` or `P` (0 ≤ LO ≤ HI ≤ 65535); nil for anything else.
    public init?(parsing written: some StringProtocol) {
        let text = Substring(written)
        switch text {
        case "linux": self = .linux; return
        case "windows": self = .windows; return
        default: break
        }
        let parts = text.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        func port(_ s: Substring) -> UInt16? {
            guard !s.isEmpty, s.count <= 5, s.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            return UInt16(s)
        }
        guard let lo = port(parts[0]) else { return nil }
        let hi: UInt16
        if parts.count == 2 {
            guard let h = port(parts[1]), h >= lo else { return nil }
            hi = h
        } else {
            hi = lo
        }
        self = .ports(PortRange(lo, hi))
    }

    /// `linux`, `windows`, `32768-60999`, `40000`.
    public var description: String {
        switch self {
        case .linux: "linux"
        case .windows: "windows"
        case .ports(let r): r.description
        }
    }
}

/// `assert reach|noreach FROM -> TO PROTO/PORT [client-ports linux|windows|LO-HI]`.
public struct Assertion: Hashable, Sendable {
    /// `reach` (true): holds when every client port works. `noreach` (false): holds when none does.
    public var expectReachable: Bool
    public var source: Endpoint
    public var destination: Endpoint
    public var traffic: TrafficSpec
    /// The client ports the assertion is about (TCP/UDP only); nil: 1024-65535.
    public var clientPorts: ClientPorts?
    public var location: SourceLocation
    public init(expectReachable: Bool, source: Endpoint, destination: Endpoint, traffic: TrafficSpec,
                clientPorts: ClientPorts? = nil, location: SourceLocation = .unknown) {
        self.expectReachable = expectReachable
        self.source = source
        self.destination = destination
        self.traffic = traffic
        self.clientPorts = clientPorts
        self.location = location
    }
}
