import IPAddressing
import NetworkModel
import Reporting

// Query endpoints: what a name, an address, an edge or an on-premises network written in a question resolves to.

/// A query endpoint resolved against a compiled topology.
public enum ResolvedEndpoint: Hashable, Sendable, CustomStringConvertible {
    /// An interface (instance ENI, NAT gateway) and the address used.
    case interface(InterfaceID, address: IPAddress)
    /// A host the query places in a subnet (a subnet name: its first usable address, when no interface holds
    /// it): a host with no security groups that takes delivery of its address.
    case host(subnet: SubnetID, address: IPAddress)
    /// A bare address inside a subnet that no interface holds (unused, or reserved by AWS). As a destination
    /// nothing takes it, so packets to it are dropped (`NO_POSSIBLE_DESTINATION`); as a source it is a host with no
    /// security groups sending from that address.
    case unheld(subnet: SubnetID, address: IPAddress)
    /// An address on the internet.
    case internet(IPAddress)
    /// A VPC endpoint named by its name or AWS id (or, `byServiceName`, an interface endpoint by its service's
    /// name with private DNS on). A gateway endpoint's is its service (`address`: one of the service's addresses);
    /// an interface endpoint's is the ENI a query picks (the one in the source's zone, else the first).
    case vpcEndpoint(VPCEndpointID, address: IPAddress, byServiceName: Bool)
    /// An address on premises (`onprem:NAME[:ADDR]`, `EDGE:ADDR`), reached over `edge` (an index of
    /// ``CompiledEdges/edges``; -1: any edge that announces it). The far side is not modelled.
    case onPremises(address: IPAddress, edge: Int32)

    public var address: IPAddress {
        switch self {
        case .interface(_, let a), .host(_, let a), .unheld(_, let a), .internet(let a), .vpcEndpoint(_, let a, _), .onPremises(let a, _): a
        }
    }
    /// True for an endpoint on premises.
    public var isOnPremises: Bool { if case .onPremises = self { true } else { false } }
    /// The edge an on-premises endpoint names (-1: any, and for every other endpoint).
    @inlinable var onPremisesEdge: Int32 { if case .onPremises(_, let e) = self { e } else { -1 } }
    public var description: String { address.description }
}

/// Why an endpoint did not resolve.
public struct EndpointError: Error, Hashable, Sendable, CustomStringConvertible {
    public var text: String
    public var message: String
    /// A close name, for "did you mean".
    public var suggestion: String?
    /// The stable id: ``unknown`` (no such name) or ``invalid`` (the text names something that is no endpoint).
    public var id: String = EndpointError.invalid
    public var description: String { message + (suggestion.map { "; did you mean '\($0)'?" } ?? "") }

    /// A name that resolves to nothing.
    public static let unknown = "endpoint-unknown"
    /// Text that is not an endpoint (a VPC, a private or reserved block as the internet, a bad address).
    public static let invalid = "endpoint-invalid"

    /// The error as a diagnostic at `file:line:column` (an `assert` line; an empty file and line 0 for a
    /// command-line argument): the message, and "did you mean" as the hint.
    public func diagnostic(file: String = "", line: Int = 0, column: Int = 0) -> Diagnostic {
        Diagnostic(id: id, file: file, line: line, column: column, message: message,
                   hint: suggestion.map { "did you mean '\($0)'?" })
    }
}

extension CompiledTopology {
    /// The address used for "internet" when a query names none: outside every VPC (TEST-NET-3 / 2001:db8::).
    public var representativeInternetAddress: IPv4Address {
        var a = IPv4Address(203, 0, 113, 7)
        while vpcs.contains(where: { $0.contains(.v4(a)) }) { a = IPv4Address(bits: a.bits &+ 1) }
        return a
    }

    /// Resolves endpoint text: an instance name (its primary interface), `instance.interface`, a NAT gateway
    /// name, a subnet name (its first usable address), an AWS id (`i-…`, `eni-…`, `subnet-…`, `nat-…`), an IP
    /// address, `internet` or `internet:IP`.
    public func resolve(_ text: String) -> Result<ResolvedEndpoint, EndpointError> {
        if text == "internet" { return resolve(.internet(nil)) }
        if text.hasPrefix("internet:") {
            guard let a = try? IPAddress(String(text.dropFirst("internet:".count))) else {
                return .failure(EndpointError(text: text, message: "'\(text)': not an address after 'internet:'"))
            }
            return resolve(.internet(a))
        }
        if let a = try? IPAddress(text) { return resolve(.address(a)) }
        if let e = Self.onPremisesEndpoint(text) { return resolve(e) }
        return resolve(.named(text))
    }

    /// `onprem:NAME`, `onprem:NAME:ADDR` and `EDGE:ADDR` as model endpoints (nil: none of these forms).
    public static func onPremisesEndpoint(_ text: String) -> Endpoint? {
        if text.hasPrefix("onprem:") {
            let rest = text.dropFirst("onprem:".count)
            if let colon = rest.firstIndex(of: ":") {
                guard let a = try? IPAddress(String(rest[rest.index(after: colon)...])) else { return nil }
                return .onPremises(String(rest[..<colon]), a)
            }
            return rest.isEmpty ? nil : .onPremises(String(rest), nil)
        }
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex,
              let a = try? IPAddress(String(text[text.index(after: colon)...])) else { return nil }
        return .overEdge(String(text[..<colon]), a)
    }

    /// Resolves a model endpoint (from an `assert` line or a query).
    public func resolve(_ endpoint: Endpoint) -> Result<ResolvedEndpoint, EndpointError> {
        switch endpoint {
        case .internet(nil):
            return .success(.internet(.v4(representativeInternetAddress)))
        case .internet(let a?):
            if let owner = interface(withPublicAddress: a) { return .success(.interface(owner, address: a)) }
            return .success(.internet(a))
        case .internetBlock(let p):
            // One address of the block (``resolveQuery(_:side:)`` gives the whole set).
            return internetAddresses(in: p).flatMap { set in
                let first: IPAddress? = set.v4.ranges.first.map { .v4($0.lower) } ?? set.v6.ranges.first.map { .v6($0.lower) }
                return first.map { .success(.internet($0)) }
                    ?? .failure(EndpointError(text: p.description, message: "'internet:\(p)' holds no internet address"))
            }
        case .address(let a):
            if let owner = interface(withPublicAddress: a), case .v4 = a { return .success(.interface(owner, address: a)) }
            for (vi, v) in vpcs.enumerated() where v.contains(a) {
                if case let owner = privateOwner(vpc: Int32(vi), a), owner >= 0 {
                    return .success(.interface(InterfaceID(owner), address: a))
                }
                if let s = subnetLPM[vi].lookup(a)?.value { return .success(.unheld(subnet: SubnetID(s), address: a)) }
            }
            // An address some edge announces is on premises (only topologies with edges have announcements).
            if case .v4(let x) = a, edgePlane.announces(x) { return .success(.onPremises(address: a, edge: -1)) }
            return .success(.internet(a))
        case .named(let name):
            let names = endpointNames
            if let c = names.byName[name], let i = interface(of: c) {
                return .success(.interface(i, address: .v4(interfaces[Int(i.index)].primaryIP)))
            }
            if let s = resolved.subnet(named: name) { return .success(subnetEndpoint(s)) }
            if let c = names.byAWSID[name] {
                switch c {
                case .networkInterface, .natGateway:
                    if let i = interface(of: c) { return .success(.interface(i, address: .v4(interfaces[Int(i.index)].primaryIP))) }
                case .subnet(let s): return .success(subnetEndpoint(s))
                case .vpc: return .failure(EndpointError(text: name, message: "'\(name)' is a VPC; name an instance, interface, subnet or address"))
                }
            }
            if let e = resolveVPCEndpoint(name) { return e }
            if let e = resolveLoadBalancer(name) { return e }
            if resolved.hasEdges, resolved.edge(named: name) != nil { return resolveOverEdge(name, address: nil) }
            let candidates = names.byName.keys + resolved.subnetByName.keys + resolved.vpcEndpoints.indices.map { resolved.name(of: VPCEndpointID($0)) }
            return .failure(EndpointError(text: name, message: "unknown endpoint '\(name)'", suggestion: Suggest.closest(to: name, in: candidates),
                                          id: EndpointError.unknown))
        case .onPremises(let name, let address):
            return resolveOnPremises(network: name, address: address)
        case .overEdge(let name, let address):
            return resolveOverEdge(name, address: address)
        }
    }

    /// `onprem:NAME[:ADDR]`: an address of a declared on-premises network (default: its first prefix's first
    /// host address), reached over whichever edge announces it.
    func resolveOnPremises(network name: String, address: IPAddress?) -> Result<ResolvedEndpoint, EndpointError> {
        let text = Endpoint.onPremises(name, address).description
        guard let n = edgePlane.networks.last(where: { $0.name == name }) ?? resolved.topology.onPremisesNetworks.last(where: { $0.name == name })
            .map({ (name: $0.name, prefixes: $0.prefixes) }) else {
            return .failure(EndpointError(text: text, message: "unknown on-premises network '\(name)'",
                                          suggestion: Suggest.closest(to: name, in: resolved.topology.onPremisesNetworks.map(\.name)),
                                          id: EndpointError.unknown))
        }
        if let address {
            guard case .v4(let a) = address, n.prefixes.contains(where: { $0.contains(a) }) else {
                return .failure(EndpointError(text: text, message: "'\(text)': \(address) is not in on-premises network '\(name)' (\(n.prefixes.map(\.description).joined(separator: " ")))"))
            }
            return .success(.onPremises(address: address, edge: -1))
        }
        guard let first = n.prefixes.first else {
            return .failure(EndpointError(text: text, message: "on-premises network '\(name)' has no prefix"))
        }
        let host = first.length >= 31 ? first.network : IPv4Address(bits: first.network.bits &+ 1)
        return .success(.onPremises(address: .v4(host), edge: -1))
    }

    /// `EDGE:ADDR` (and a bare edge name or id, `address` nil): on premises over that edge — a VPN connection,
    /// VIF, VGW or Direct Connect gateway by name or AWS id. A bare edge takes the first prefix it announces; an
    /// edge that announces nothing has unknown routes: an error that says so (with `EDGE:ADDR` the answer does).
    func resolveOverEdge(_ name: String, address: IPAddress?) -> Result<ResolvedEndpoint, EndpointError> {
        let text = address.map { "\(name):\($0)" } ?? name
        guard let edge = resolved.edge(named: name) else {
            return .failure(EndpointError(text: text, message: "unknown edge '\(name)' (a VPN connection, virtual interface, VGW or Direct Connect gateway)",
                                          id: EndpointError.unknown))
        }
        let label = resolved.awsID(of: edge).map { "\(resolved.name(of: edge)) (\($0))" } ?? resolved.name(of: edge)
        // The compiled edges for it (a DX gateway or VIF may reach several VGWs: the first). A transit VIF carries
        // traffic through its Direct Connect gateway's TGW attachments: the DX gateway's edges are its own.
        var carrier = edge
        if case .virtualInterface(let v) = edge, resolved.model(v).kind == .transit,
           case .directConnectGateway(let d) = resolved.virtualInterfaces[v.position].awsSide {
            carrier = .directConnectGateway(d)
        }
        let candidates = edgePlane.edges.indices.filter {
            let e = edgePlane.edges[$0]
            return e.name == resolved.name(of: carrier) || (e.awsID != nil && e.awsID == resolved.awsID(of: carrier))
        }
        let chosen: Int32 = candidates.first.map { Int32($0) } ?? -1
        if let address {
            guard chosen >= 0 else {
                return .failure(EndpointError(text: text, message: "edge \(label) ends on no virtual private gateway of the model: it carries nothing to a VPC"))
            }
            return .success(.onPremises(address: address, edge: candidates.count == 1 ? chosen : -1))
        }
        let vpc = chosen >= 0 ? edgePlane.edges[Int(chosen)].vpc : -1
        let announced = vpc >= 0 ? edgePlane.announcementsByVGW[Int(vpc)] : edgePlane.tgwAnnouncements
        guard chosen >= 0, let first = announced.first(where: { candidates.contains(Int($0.edge)) }) else {
            return .failure(EndpointError(text: text, message: "edge \(label): its on-premises routes are unknown (no static routes, no announcement); declare them with --onprem CIDR@\(name) or name an address (\(name):ADDR)"))
        }
        let p = first.prefix
        return .success(.onPremises(address: .v4(p.length >= 31 ? p.network : IPv4Address(bits: p.network.bits &+ 1)),
                                    edge: candidates.count == 1 ? chosen : -1))
    }

    /// The data plane's interface named `name`: an instance (its primary interface), `instance.interface` or a
    /// NAT gateway (``EndpointNameTable/byName``); nil for any other name.
    public func interface(named name: String) -> InterfaceID? {
        endpointNames.byName[name].flatMap { interface(of: $0) }
    }

    /// The data plane's interface for an endpoint name's instance interface or NAT gateway (nil for subnets,
    /// VPCs, and a component without one).
    func interface(of c: EndpointComponent) -> InterfaceID? {
        switch c {
        case .networkInterface(let e): interface(of: e)
        case .natGateway(let g): interface(of: g)
        case .subnet, .vpc: nil
        }
    }

    func subnetEndpoint(_ s: SubnetID) -> ResolvedEndpoint {
        let a = IPAddress.v4(subnets[s.position].firstUsableAddress)
        if case let owner = privateOwner(vpc: subnets[s.position].vpc, a), owner >= 0 {
            return .interface(InterfaceID(owner), address: a)
        }
        return .host(subnet: s, address: a)
    }
}
