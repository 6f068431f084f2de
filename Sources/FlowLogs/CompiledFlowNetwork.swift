// The replay's network: an adapter over the Reachability engine's per-packet entry point
// (`CompiledTopology.forward(_:from:tracked:observer:)`). Every route, NACL, security-group, gateway, NAT
// and transit-gateway decision is the compiled data plane's; this file only converts addresses, names the
// interfaces the way flow log records print them, and passes NAT gateway questions to the replay.
import IPAddressing
import NetworkModel
import Reachability

/// The replay's view of a compiled topology.
///
/// A value with one reference inside: copying it (the replay does, once per decision) costs one retain, not a
/// copy of the compiled topology's tables.
public struct CompiledFlowNetwork: FlowNetwork, Sendable {
    final class Storage: Sendable {
        let compiled: CompiledTopology
        let interfaces: [FlowInterface]
        let addressIndex: AddressTable
        /// Addresses whose traffic is never logged (values unused).
        let neverLogged: AddressTable
        /// Per VPC: its region (traffic-path 4 vs 5 across a peering).
        let vpcRegion: [String?]
        /// True when the topology has an edge to on premises or a gateway endpoint (sources no interface holds
        /// may then be other than the internet).
        let hasExternalOrigins: Bool
        /// Preserving NLB legs by target address, port and IP protocol (``preservedLegKey(_:_:_:)``).
        let preservedLegs: [UInt64: [PreservedLeg]]
        init(compiled: CompiledTopology, interfaces: [FlowInterface], addressIndex: AddressTable,
             neverLogged: AddressTable, vpcRegion: [String?], hasExternalOrigins: Bool) {
            self.hasExternalOrigins = hasExternalOrigins
            self.preservedLegs = Self.preservedLegs(of: compiled)
            self.compiled = compiled
            self.interfaces = interfaces
            self.addressIndex = addressIndex
            self.neverLogged = neverLogged
            self.vpcRegion = vpcRegion
        }

        static func preservedLegKey(_ address: UInt32, _ port: UInt16, _ ipProtocol: UInt8) -> UInt64 {
            UInt64(address) << 24 | UInt64(port) << 8 | UInt64(ipProtocol)
        }

        /// Every NLB node that sends to a target with client-IP preservation, by the target's address, port and
        /// protocol (TCP, UDP), with the listener port that forwards there; nodes in written order.
        static func preservedLegs(of compiled: CompiledTopology) -> [UInt64: [PreservedLeg]] {
            var out: [UInt64: [PreservedLeg]] = [:]
            for lb in compiled.loadBalancers where lb.kind == .network {
                for (l, listener) in lb.listeners.enumerated() where l < lb.targets.count {
                    for t in lb.targets[l] where t.preservesClientIP && !t.isLambda {
                        guard let address = t.address else { continue }
                        for node in lb.nodes where lb.sends(to: t, fromZone: compiled.zone(ofNode: node)) {
                            let leg = PreservedLeg(node: node.index, nodeAddress: FlowAddress(v4: compiled.primaryAddress(ofInterface: node).bits),
                                                   listenerPort: listener.port)
                            for ipProtocol: UInt8 in [6, 17] where listener.listenerProtocol.accepts(ipProtocol: ipProtocol) {
                                let key = preservedLegKey(address.bits, t.port, ipProtocol)
                                if out[key]?.contains(leg) != true { out[key, default: []].append(leg) }
                            }
                        }
                    }
                }
            }
            return out
        }

        /// AWS's traffic-path code for a packet interface `e` sends to `destination`: decided by the route its
        /// subnet uses (1 within the VPC, including NAT gateways, appliances and TGW attachments; 2 internet
        /// gateway; 4/5 peering within/across regions; 0 `-` when no route or a blackhole).
        func trafficPath(from e: Int32, to destination: IPAddress) -> UInt8 {
            switch compiled.egressRoute(fromInterface: InterfaceID(e), to: destination) {
            case .sameSubnet: return 1
            case .internetGateway, .egressOnlyGateway: return 2
            case .peering(let p):
                let peering = compiled[p]
                let vpc = compiled.interfaces[Int(e)].vpcID
                let other = peering.other(than: vpc) ?? peering.vpcIDs.1
                let here = vpcRegion[vpc.position], there = compiled[other].region
                return there == nil || here == there ? 4 : 5
            case .vpnGateway: return 3
            case .blackhole, .noRoute, .unmodelled: return 0
            // [choice] 2 (gateway endpoint), as internet gateways get 2 rather than the Nitro codes 7/8.
            case .gatewayEndpoint: return 2
            case .local, .natGateway, .transitGateway, .interface, .unresolved: return 1
            }
        }
    }
    let storage: Storage

    /// The compiled data plane every packet goes through.
    public var compiled: CompiledTopology { storage.compiled }
    /// Indexed like ``CompiledTopology/interfaces``: instance, NAT gateway and TGW attachment ENIs.
    public var interfaces: [FlowInterface] { storage.interfaces }
    /// Names of instances (and `instance.interface`), NAT gateways and interface endpoints (`NAME`, and
    /// `NAME@SUBNET` per ENI) → their primary private address, and `onprem:NAME` → the first host of the
    /// on-premises network's first prefix (built on each call: for `--map`).
    public var endpointAddresses: [String: FlowAddress] {
        // Names from the resolved topology (NetworkModel's one resolver): every instance interface, then the
        // NAT gateways the data plane holds.
        let resolved = compiled.resolved
        var endpoints: [String: FlowAddress] = [:]
        for e in resolved.interfaces.indices {
            let id = NetworkInterfaceID(e)
            let nic = resolved.model(id)
            let address = FlowAddress(v4: nic.privateIP.bits)
            let instance = resolved.name(of: resolved.interfaces[e].instance)
            if resolved.interfaces[e].position == 0 { endpoints[instance] = address }
            endpoints["\(instance).\(nic.name)"] = address
        }
        for g in resolved.natGateways.indices {
            guard let i = compiled.interface(of: NATGatewayID(g)) else { continue }
            endpoints[compiled[i].name] = FlowAddress(v4: compiled[i].primaryIP.bits)
        }
        // Interface endpoints: `NAME@SUBNET` per ENI, and `NAME` for its first ENI.
        for i in compiled.interfaces.indices {
            guard case .vpcEndpoint(let id) = compiled.interfaces[i].kind else { continue }
            let address = FlowAddress(v4: compiled.interfaces[i].primaryIP.bits)
            endpoints[compiled.interfaces[i].name] = address
            let name = resolved.model(id).name
            if endpoints[name] == nil { endpoints[name] = address }
        }
        // On-premises networks: `onprem:NAME` for the first host of its first prefix (an address: any other one).
        for network in compiled.topology.onPremisesNetworks {
            guard let p = network.prefixes.first else { continue }
            let host = p.length >= 31 ? p.network.bits : p.network.bits &+ 1
            endpoints["onprem:\(network.name)"] = FlowAddress(v4: host)
        }
        return endpoints
    }

    /// Compiles `topology` and builds the replay model. `defaultAccount`/`defaultRegion` fill in VPCs that
    /// do not say.
    public init(_ topology: Topology, defaultAccount: String = "123456789012", defaultRegion: String? = nil) {
        self.init(CompiledTopology(topology), defaultAccount: defaultAccount, defaultRegion: defaultRegion)
    }

    /// Builds the replay model over an already compiled topology.
    public init(_ compiled: CompiledTopology, defaultAccount: String = "123456789012", defaultRegion: String? = nil) {
        let topology = compiled.topology
        // Per VPC and subnet once (strings shared by their interfaces' records); by index, so that no whole
        // `VPC` or subnet record is copied.
        let vpcIDs = topology.vpcs.indices.map { topology.vpcs[$0].id ?? Self.syntheticID("vpc", topology.vpcs[$0].name) }
        let subnetIDs = compiled.subnets.indices.map { compiled.subnets[$0].awsID ?? Self.syntheticID("subnet", compiled.subnets[$0].name) }
        var zoneIDs: [String: String] = [:]
        let subnetAZs: [String?] = compiled.subnets.indices.map { s in
            compiled.subnets[s].availabilityZone.map { zone in
                if let id = zoneIDs[zone] { return id }
                let id = Self.azID(zone)
                zoneIDs[zone] = id
                return id
            }
        }
        // Per VPC once: reading `topology.vpcs[v]` per interface would copy a whole `VPC` value each time.
        let vpcRegions = topology.vpcs.indices.map { topology.vpcs[$0].region ?? defaultRegion }
        let vpcAccounts = topology.vpcs.indices.map { topology.vpcs[$0].account ?? defaultAccount }
        var interfaces: [FlowInterface] = []
        interfaces.reserveCapacity(compiled.interfaces.count)
        var addressIndex = AddressTable(capacity: compiled.interfaces.count)
        // By index: the loop reads a few fields of each interface without copying the whole record.
        for i in compiled.interfaces.indices {
            let v = compiled.interfaces[i].vpcID.position, s = compiled.interfaces[i].subnetID.position
            let region = vpcRegions[v]
            let primary = FlowAddress(v4: compiled.interfaces[i].primaryIP.bits)
            let interfaceID: String, instanceID: String?
            var isNAT = false
            var transitGateway: Int32 = -1
            switch compiled.interfaces[i].kind {
            case .instance(let instance):
                // The instance's name for the ENI (`eth0`), as the compiler recorded it.
                let nic = compiled.nicName(ofInterface: InterfaceID(Int32(i)))
                interfaceID = compiled.interfaces[i].awsID ?? Self.syntheticID("eni", instance, ".", nic)
                instanceID = compiled.interfaces[i].instanceID ?? Self.syntheticID("i", instance)
            case .natGateway:
                interfaceID = Self.syntheticID("eni", "nat:", compiled.interfaces[i].name)
                instanceID = nil
                isNAT = true
            case .tgwAttachment(let a):
                interfaceID = Self.syntheticID("eni", "tgw:", compiled.interfaces[i].name)
                instanceID = nil
                transitGateway = compiled[a].transitGatewayID.index
            case .vpcEndpoint:
                // Requester-managed: AWS logs the ENI with instance-id `-`.
                interfaceID = compiled.interfaces[i].awsID ?? Self.syntheticID("eni", "vpce:", compiled.interfaces[i].name)
                instanceID = nil
            case .loadBalancer:
                // Requester-managed, like an endpoint's: instance-id `-`.
                interfaceID = compiled.interfaces[i].awsID ?? Self.syntheticID("eni", "elb:", compiled.interfaces[i].name)
                instanceID = nil
            }
            interfaces.append(FlowInterface(
                interfaceID: interfaceID, accountID: vpcAccounts[v],
                vpcID: vpcIDs[v], subnetID: subnetIDs[s],
                instanceID: instanceID, region: region, azID: subnetAZs[s], primaryAddress: primary,
                publicAddress: compiled.interfaces[i].publicIP.map { FlowAddress(v4: $0.bits) }, isNATGateway: isNAT,
                transitGateway: transitGateway))
            // TGW attachment ENIs originate nothing a capture would show: their addresses stay "the internet".
            if case .tgwAttachment = compiled.interfaces[i].kind { continue }
            addressIndex.insertIfAbsent(primary, Int32(i))
            for a in compiled.interfaces[i].secondaryIPs { addressIndex.insertIfAbsent(FlowAddress(v4: a.bits), Int32(i)) }
            for a in compiled.interfaces[i].ipv6Addresses {
                addressIndex.insertIfAbsent(FlowAddress(bits: a.bits, isIPv6: true), Int32(i))
            }
        }
        var neverLogged = AddressTable(capacity: compiled.vpcs.count + 3)
        for a: UInt32 in [0xA9FE_A9FE, 0xA9FE_A97B, 0xA9FE_A9FD] { neverLogged.insertIfAbsent(FlowAddress(v4: a), 0) }
        for vpc in compiled.vpcs {
            if let first = vpc.cidrs.first { neverLogged.insertIfAbsent(FlowAddress(v4: first.network.bits &+ 2), 0) }
        }
        let hasEdges = !topology.vpnConnections.isEmpty || !topology.directConnectGateways.isEmpty
            || !topology.onPremisesNetworks.isEmpty || topology.vpcs.contains { $0.vpnGateway != nil || !$0.endpoints.isEmpty }
        storage = Storage(compiled: compiled, interfaces: interfaces, addressIndex: addressIndex,
                          neverLogged: neverLogged, vpcRegion: vpcRegions, hasExternalOrigins: hasEdges)
    }

    public var hasExternalOrigins: Bool { storage.hasExternalOrigins }

    /// On premises when an edge announces `source` (the data plane's ``CompiledTopology/isOnPremises(_:)``);
    /// for a reply, a gateway endpoint's service when the receiver's subnet routes `source` to that endpoint
    /// (the path the request left by); else the internet.
    public func externalOrigin(source: FlowAddress, receiver: Int32?, isReply: Bool) -> FlowOrigin {
        let address = Self.ipAddress(source)
        if isReply, let r = receiver, r >= 0, Int(r) < storage.interfaces.count,
           case .gatewayEndpoint(let g) = storage.compiled.egressRoute(fromInterface: InterfaceID(r), to: address) {
            return .gatewayEndpointService(g.index)
        }
        return storage.compiled.isOnPremises(address) ? .onPremises : .internet
    }

    public func interface(holding address: FlowAddress) -> Int32? { storage.addressIndex.value(for: address) }

    public func isNeverLogged(_ address: FlowAddress) -> Bool { storage.neverLogged.value(for: address) != nil }

    public var hasPreservingLoadBalancers: Bool { !storage.preservedLegs.isEmpty }

    public func preservedLegs(target: FlowAddress, port: UInt16, ipProtocol: UInt8) -> [PreservedLeg] {
        guard !target.isIPv6 else { return [] }
        return storage.preservedLegs[Storage.preservedLegKey(UInt32(truncatingIfNeeded: target.bits), port, ipProtocol)] ?? []
    }

    public func forward<Handler: FlowPathHandler>(_ p: DecodedPacket, from origin: FlowOrigin, tracked: Bool,
                                                  handler: inout Handler) -> ForwardEnd {
        let packet = Packet(source: Self.ipAddress(p.source), destination: Self.ipAddress(p.destination), ipProtocol: p.ipProtocol,
                            sourcePort: p.sourcePort, destinationPort: p.destinationPort, tcpFlags: p.tcpFlags,
                            length: Int(p.ipLength), icmpType: p.icmpType, icmpCode: p.icmpCode)
        let start: PacketOrigin
        switch origin {
        case .interface(let i):
            // (An interface endpoint's ENI starts no connection: the engine refuses a packet of one it would start,
            // or an answer whose request was not delivered, at its ENI, with its reason.)
            start = .interface(InterfaceID(i))
        case .internet: start = .internet
        case .onPremises: start = .onPremises
        case .gatewayEndpointService(let g): start = .gatewayEndpointService(VPCEndpointID(g))
        case .loadBalancerNode(let n): start = .loadBalancerNode(InterfaceID(n))
        case .replyToLoadBalancerNode(let t, let n): start = .replyToLoadBalancerNode(target: InterfaceID(t), node: InterfaceID(n))
        }
        let fate = withUnsafeMutablePointer(to: &handler) { pointer in
            var observer = Observer(storage: storage, handler: pointer, template: p)
            return storage.compiled.forward(packet, from: start, tracked: tracked, observer: &observer)
        }
        switch fate {
        case .delivered, .deliveredToAddress: return .delivered
        case .exitedToInternet, .exitedToOnPremises: return .exited
        case .dropped: return .dropped
        }
    }

    /// Bridges the engine's observer to the replay's handler (borrowed for one walk).
    struct Observer<Handler: FlowPathHandler>: PacketObserver {
        let storage: Storage
        let handler: UnsafeMutablePointer<Handler>
        /// The decoded packet the walk started from (ICMP type/code, fragment flags carry over).
        let template: DecodedPacket

        mutating func observe(_ o: ENIObservation) {
            let egress = o.direction == .egress
            let e = o.interface.index
            handler.pointee.observe(InterfaceObservation(
                interface: e, isEgress: egress, accepted: o.accepted,
                packetSource: CompiledFlowNetwork.flowAddress(o.packet.source),
                packetDestination: CompiledFlowNetwork.flowAddress(o.packet.destination),
                sourcePort: o.packet.sourcePort, destinationPort: o.packet.destinationPort,
                trafficPath: egress ? storage.trafficPath(from: e, to: o.packet.destination) : 0,
                interfaceAddress: FlowAddress(v4: storage.compiled.primaryAddress(ofInterface: o.interface).bits)))
        }
        mutating func natSourcePort(gateway: InterfaceID, original: Packet, translated: Packet) -> UInt16 {
            handler.pointee.natSourcePort(gateway: gateway.index, original: decoded(original))
        }
        mutating func natReverse(gateway: InterfaceID, reply: Packet) -> (address: IPAddress, port: UInt16)? {
            guard let (address, port) = handler.pointee.natReverse(gateway: gateway.index, reply: decoded(reply)) else { return nil }
            return (CompiledFlowNetwork.ipAddress(address), port)
        }
        mutating func dropped(at site: DropSite) { handler.pointee.dropped(at: site) }
        func decoded(_ p: Packet) -> DecodedPacket {
            var d = template
            d.source = CompiledFlowNetwork.flowAddress(p.source)
            d.destination = CompiledFlowNetwork.flowAddress(p.destination)
            d.sourcePort = p.sourcePort
            d.destinationPort = p.destinationPort
            return d
        }
    }

    @inline(__always) static func ipAddress(_ a: FlowAddress) -> IPAddress {
        a.isIPv6 ? .v6(IPv6Address(bits: a.bits)) : .v4(IPv4Address(bits: UInt32(truncatingIfNeeded: a.bits)))
    }

    @inline(__always) static func flowAddress(_ a: IPAddress) -> FlowAddress {
        switch a {
        case .v4(let x): FlowAddress(v4: x.bits)
        case .v6(let x): FlowAddress(bits: x.bits, isIPv6: true)
        }
    }

    /// `us-east-1a` → `use1-az1` (AWS's zone ids differ per account; this is a stable stand-in).
    static func azID(_ zone: String) -> String {
        let parts = zone.split(separator: "-")
        guard parts.count == 3, let last = parts[2].last, let number = parts[2].first, last.isLetter else { return zone }
        let area = parts[1].prefix(1) + (parts[1].count > 5 ? String(parts[1].dropFirst(5).prefix(1)) : "")
        let letter = Int(last.asciiValue ?? 97) - 96
        return "\(parts[0])\(area)\(number)-az\(letter)"
    }

    /// A stable AWS-shaped id for a resource written without one: `eni-` + `0` + 16 hex digits of the 64-bit
    /// FNV-1a hash of the name, given as `parts` that are hashed as if joined (no joined string is built).
    static func syntheticID(_ prefix: String, _ parts: String...) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for part in parts {
            h = part.utf8.withContiguousStorageIfAvailable { bytes in
                var h = h
                for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
                return h
            } ?? part.utf8.reduce(h) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
        }
        let prefixBytes = prefix.utf8.count
        return String(unsafeUninitializedCapacity: prefixBytes + 18) { buffer in
            var n = 0
            for b in prefix.utf8 { buffer[n] = b; n += 1 }
            buffer[n] = UInt8(ascii: "-")
            buffer[n + 1] = UInt8(ascii: "0")
            n += 2
            let digits: StaticString = "0123456789abcdef"
            for k in 0..<16 {
                buffer[n + k] = digits.utf8Start[Int(truncatingIfNeeded: (h >> UInt64(60 - 4 * k)) & 0xF)]
            }
            return n + 16
        }
    }
}
