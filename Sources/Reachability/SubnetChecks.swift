// The walk's per-subnet helpers: which addresses an interface or VPC holds, delivery to an address no interface
// holds, the NACL check at a subnet boundary (with its flow-log bookkeeping) and the appliance-mode flow hash.
// Used by the steps in Trace.swift and InternetGateway.swift.
import IPAddressing

extension CompiledTopology {
    // MARK: Addresses

    /// A packet that reached subnet `ds` toward an address no interface there holds: dropped (AWS delivers only
    /// to an interface holding the address), unless the query placed a host at exactly that address.
    @inline(__always) func deliverUnheld(subnet ds: Int32, _ flow: Flow, _ ctx: WalkContext) -> Step {
        if let h = ctx.hostAddress, h == flow.destination { return .done(.deliveredToHost(subnet: ds)) }
        return .done(.blocked(Block(code: .noPossibleDestination, site: .subnet(ds))))
    }

    /// True when `address` is the interface's own private address.
    @inline(__always) func owns(_ i: Int32, _ address: IPAddress) -> Bool {
        let hot = interfaceHot[Int(i)]
        if hot.hasOnlyPrimary {
            if case .v4(let a) = address { return a == hot.primaryIP }
            return false
        }
        return interfaces[Int(i)].owns(address)
    }

    /// True when `address` is in one of the VPC's blocks.
    @inline(__always) func vpcContains(_ v: Int32, _ address: IPAddress) -> Bool {
        switch address {
        case .v4(let a):
            vpcCIDRHot.withUnsafeBufferPointer { c in
                let s = vpcHot[Int(v)].cidrs
                for k in Int(s.start)..<Int(s.start + s.count) where c[k].contains(a) { return true }
                return false
            }
        case .v6(let a): vpcHot[Int(v)].hasIPv6 && vpcs[Int(v)].ipv6Cidrs.contains { $0.contains(a) }
        }
    }

    /// The VPC one of whose interfaces holds `address` privately, or whose subnets contain it (first found).
    func privateVPC(of address: IPAddress) -> Int32? {
        vpcBySubnetBlock.lookup(address)?.value
    }

    // MARK: NACLs and flow-log bookkeeping

    /// Checks `subnet`'s NACL for the packet leaving (outbound) or entering (inbound); narrows its destination
    /// ports; returns a block when no port passes.
    func naclCheck<S: TraceSink>(subnet s: Int32, inbound: Bool, receiver: Int32, _ flow: inout Flow, _ ctx: inout WalkContext,
                                 _ sink: inout S) -> Block? {
        let hot = subnetHot[Int(s)]
        let acl = hot.networkACL
        let r = acl < 0 ? FilterResult(passed: flow.ruleKeys, decidingRule: nil, denyingRule: nil)
            : evaluateNACLRules(inbound ? hot.naclInbound : hot.naclOutbound, ipProtocol: flow.ipProtocol,
                                remote: inbound ? flow.source : flow.destination, ports: flow.ruleKeys)
        if r.passed.isEmpty {
            if inbound {
                flushEgress(&ctx, &sink, flow)
                if receiver >= 0 { if S.observesInterfaces { sink.observe(interface: receiver, egress: false, accept: false, flow: flow) } }
            } else if ctx.pendingEgress >= 0 {
                if S.observesInterfaces { sink.observe(interface: ctx.pendingEgress, egress: true, accept: false, flow: flow) }
                ctx.pendingEgress = -1
            }
            let block = Block(code: .subnetACLRestriction,
                              site: .networkACL(subnet: s, inbound: inbound, rule: -1, denyRule: Int32(r.denyingRule ?? -1)))
            guard S.explains else { return block }
            // Explaining: note it and go on as if the NACL allowed the packet.
            sink.noteBlock(block, flow, direction: ctx.direction, sender: ctx.senderIdentity)
            return nil
        }
        if S.explains, let removed = sink.clientPortsRemoved(flow, passed: r.passed) {
            // Explaining a reply: a NACL that stops some of the client's ports blocks those; go on with all of them.
            var stopped = flow
            stopped.destinationPorts = removed
            sink.noteBlock(Block(code: .subnetACLRestriction,
                                 site: .networkACL(subnet: s, inbound: inbound, rule: -1, denyRule: Int32(r.denyingRule ?? -1))),
                           stopped, direction: ctx.direction, sender: ctx.senderIdentity)
        } else {
            flow.narrow(to: r.passed)
        }
        if !inbound { flushEgress(&ctx, &sink, flow) }
        if sink.recordsHops && acl >= 0 {
            let rules = inbound ? networkACLs[Int(acl)].inbound : networkACLs[Int(acl)].outbound
            let rule = r.decidingRule.map { rules[$0] }
            sink.hop(Hop(component: ComponentRef(kind: .networkACL, name: networkACLs[Int(acl)].name, awsID: networkACLs[Int(acl)].awsID),
                         action: .networkACLAllowed(inbound: inbound, subnet: subnets[Int(s)].name),
                         rule: rule.map { RuleRef(text: $0.text, ruleNumber: $0.number, location: $0.location) }, header: flow.header))
        }
        return nil
    }

    @inline(__always) func flushEgress<S: TraceSink>(_ ctx: inout WalkContext, _ sink: inout S, _ flow: Flow) {
        if ctx.pendingEgress >= 0 {
            if S.observesInterfaces { sink.observe(interface: ctx.pendingEgress, egress: true, accept: true, flow: flow) }
            ctx.pendingEgress = -1
        }
    }

    /// A hash equal for both directions of a flow (appliance mode pins both to one ENI).
    static func symmetricHash(_ flow: Flow) -> UInt64 {
        func bits(_ a: IPAddress) -> UInt64 {
            switch a {
            case .v4(let x): UInt64(x.bits)
            case .v6(let x): x.high ^ x.low
            }
        }
        let a = bits(flow.source), b = bits(flow.destination)
        var h = (a ^ b) &* 0x9E37_79B9_7F4A_7C15 &+ (a &+ b)
        h ^= h >> 31
        h = h &* 0xBF58_476D_1CE4_E5B9
        h ^= UInt64(flow.ipProtocol)
        return h ^ (h >> 29)
    }
}
