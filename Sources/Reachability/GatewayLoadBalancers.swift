import IPAddressing
import NetworkModel

// Gateway Load Balancer endpoints as route targets (Docs/SEMANTICS.md "Gateway Load Balancers"). A packet routed to
// an endpoint enters the endpoint's subnet (its inbound NACL; the endpoint has no security groups), goes to the node
// of the endpoint's Gateway Load Balancer in the endpoint's availability zone, over GENEVE (UDP 6081) to an appliance
// and back — the appliance is modelled as a transparent bump in the wire that returns the packet unchanged — and
// leaves the endpoint again, on by the endpoint subnet's route table. What the GWLB does does not depend on the
// packet (it takes every IP packet), so each endpoint's part is decided once when the topology compiles: the node,
// the appliances it sends to and whether each admits GENEVE from the node (a connection query of its own, UDP 6081
// from the node's address, through the appliance's groups and both subnets' NACLs and back). A connection's reply
// must pass the endpoints its request passed (stateful appliances, GWLB flow stickiness).

/// The plain-data part of a Gateway Load Balancer endpoint the walk reads.
struct GWLBEndpointHot: Sendable {
    /// The endpoint's subnet (its ENI's).
    var subnet: Int32 = -1
    /// The compiled Gateway Load Balancer (index into ``CompiledTopology/loadBalancers``).
    var loadBalancer: Int32 = -1
    /// The node in the endpoint's zone (an interface; -1: none).
    var node: Int32 = -1
    /// The first appliance the node sends to (an interface; -1: none).
    var firstAppliance: Int32 = -1
    /// Why the endpoint carries nothing (nil: it carries packets through its appliances).
    var refusal: ExplanationCode? = .unsupportedComponent
}

/// What a Gateway Load Balancer endpoint's answer is made of, decided when the topology compiles.
struct GWLBEndpointPlan: Sendable {
    var endpoint: String = ""
    var loadBalancer: String = ""
    /// The endpoint's availability zone.
    var zone: String? = nil
    /// The node's interface name (`LB@SUBNET`).
    var node: String = ""
    /// The appliances the node sends to (`fw-1`), each admitting GENEVE from the node.
    var appliances: [String] = []
    /// For a refusal without an appliance explanation: the load balancer problem it reports.
    var problem: ExplanationDetail.LoadBalancerProblem? = nil
    /// For a refusal at an appliance: the GENEVE connection's own explanation (its security groups, NACLs or routes),
    /// its code replaced by the refusal's.
    var applianceExplanation: Explanation? = nil
}

extension CompiledTopology {
    /// The Gateway Load Balancer a GWLB endpoint's service names (its name or ARN), nil when the model has none.
    func gatewayLoadBalancer(forService service: String) -> Int32? {
        loadBalancers.firstIndex { $0.kind == .gateway && ($0.name == service || $0.awsID == service) }.map { Int32($0) }
    }

    /// The endpoint's subnet: the first written one that is its VPC's.
    func gwlbEndpointSubnet(_ id: VPCEndpointID) -> Int32? {
        let e = resolved.vpcEndpoints[id.position]
        for name in resolved.model(id).subnets {
            if let s = resolved.subnet(named: name, in: e.vpc) { return s.index }
        }
        return nil
    }

    /// The GWLB endpoint a route of VPC `vpc` names (by name or id) when the walk can follow it: the endpoint has a
    /// subnet and its service is a Gateway Load Balancer of the model. nil: the route stays a target outside the
    /// model (`UNSUPPORTED_COMPONENT`).
    func followedGWLBEndpoint(named n: String, vpc: Int32) -> VPCEndpointID? {
        for (i, e) in resolved.vpcEndpoints.enumerated() where e.kind == .gatewayLoadBalancer && e.vpc.index == vpc {
            let id = VPCEndpointID(i)
            let m = resolved.model(id)
            guard m.name == n || m.id == n else { continue }
            guard gwlbEndpointSubnet(id) != nil, gatewayLoadBalancer(forService: m.service) != nil else { return nil }
            return id
        }
        return nil
    }

    /// Decides each followed GWLB endpoint's part of the walk (the topology is otherwise complete).
    mutating func planGatewayLoadBalancerEndpoints() {
        let endpoints = resolved.vpcEndpoints
        guard endpoints.contains(where: { $0.kind == .gatewayLoadBalancer }), loadBalancers.contains(where: { $0.kind == .gateway }) else { return }
        var hot = Array(repeating: GWLBEndpointHot(), count: endpoints.count)
        var plans = Array(repeating: GWLBEndpointPlan(), count: endpoints.count)
        for g in endpoints.indices where endpoints[g].kind == .gatewayLoadBalancer {
            let id = VPCEndpointID(g)
            let model = resolved.model(id)
            guard let s = gwlbEndpointSubnet(id), let k = gatewayLoadBalancer(forService: model.service) else { continue }
            (hot[g], plans[g]) = planGWLBEndpoint(model, subnet: s, loadBalancer: k)
        }
        gwlbHot = hot
        gwlbPlans = plans
    }

    func planGWLBEndpoint(_ model: VPCEndpoint, subnet s: Int32, loadBalancer k: Int32) -> (GWLBEndpointHot, GWLBEndpointPlan) {
        let lb = loadBalancers[Int(k)]
        let zone = subnets[Int(s)].availabilityZone
        var h = GWLBEndpointHot(subnet: s, loadBalancer: k)
        var p = GWLBEndpointPlan(endpoint: model.name, loadBalancer: lb.name, zone: zone)
        func refuse(_ code: ExplanationCode, _ problem: ExplanationDetail.LoadBalancerProblem) -> (GWLBEndpointHot, GWLBEndpointPlan) {
            h.refusal = code
            p.problem = problem
            return (h, p)
        }
        // The node in the endpoint's zone: AWS creates an endpoint only in a zone its service serves.
        guard let node = lb.nodes.first(where: { zone == nil || subnets[Int(interfaces[$0.position].subnet)].availabilityZone == zone }) else {
            return refuse(.vpceServiceNotInstalledInAZ, .noNodeInEndpointZone)
        }
        h.node = node.index
        p.node = interfaces[node.position].name
        let groups = resolved.topology.vpcs[Int(lb.vpc)].targetGroups
        guard let li = lb.listeners.firstIndex(where: { l in l.targetGroups.contains { g in groups.contains { $0.name == g } } }),
              li < lb.targets.count else {
            return refuse(.elbv2ListenerHasNoTG, .noTargetGroup)
        }
        let nodeZone = subnets[Int(interfaces[node.position].subnet)].availabilityZone
        let targets = lb.targets[li]
        let eligible = targets.filter { lb.sends(to: $0, fromZone: nodeZone) }
        guard !eligible.isEmpty else {
            return refuse(.elbv2NoTargetsInAZ, targets.contains { $0.getsTraffic } ? .noTargetInZone : .noHealthyTarget)
        }
        let nodeAddress = IPAddress.v4(interfaces[node.position].primaryIP)
        for t in eligible {
            guard t.interface >= 0 else { return refuse(.unsupportedComponent, .applianceNotModelled) }
            let appliance = ResolvedEndpoint.interface(InterfaceID(t.interface), address: .v4(t.address ?? interfaces[Int(t.interface)].primaryIP))
            let geneve = reachDirect(from: .interface(node, address: nodeAddress), to: appliance,
                                     traffic: TrafficSpec(ipProtocol: .udp, port: t.port), sourcePorts: .ephemeral, oneWay: false)
            guard geneve.state != .reachable else {
                if h.firstAppliance < 0 { h.firstAppliance = t.interface }
                p.appliances.append(t.name)
                continue
            }
            guard var e = geneve.explanation else { return refuse(.unsupportedComponent, .applianceNotModelled) }
            switch e.code {
            case .eniSGRulesMismatch, .sgHasNoRules, .subnetACLRestriction:
                // The appliance's filters refuse GENEVE: over TCP the same port would pass — the protocol is the
                // problem; else the port.
                let tcp = reachDirect(from: .interface(node, address: nodeAddress), to: appliance,
                                      traffic: TrafficSpec(ipProtocol: .tcp, port: t.port), sourcePorts: .ephemeral, oneWay: false)
                e.code = tcp.state == .reachable ? .gwlbProtocolRestriction : .gwlbDestinationPortRestriction
            default:
                break
            }
            h.refusal = e.code
            p.applianceExplanation = e
            return (h, p)
        }
        h.refusal = nil
        return (h, p)
    }

    // MARK: The walk

    /// A route to a GWLB endpoint: through the sender's and the endpoint's subnets' NACLs (none within one subnet),
    /// then the endpoint (``throughGWLBEndpoint(_:_:_:_:)``).
    @inline(__always)
    func sendToGWLBEndpoint<S: TraceSink>(_ g: Int32, from a: Int32, subnet s: Int32, table t: Int32, route: Int32, _ flow: inout Flow,
                                          _ ctx: inout WalkContext, _ sink: inout S) -> Step {
        let es = gwlbHot[Int(g)].subnet
        if es == s {
            flushEgress(&ctx, &sink, flow)
            // Just out of this endpoint, its own subnet's table sends the packet straight back to it.
            if a < 0 && ctx.lastGWLBEndpoint == g {
                return .done(.blocked(Block(code: .routingLoop, site: .routeTable(t, route: route))))
            }
        } else {
            if let b = naclCheck(subnet: s, inbound: false, receiver: -1, &flow, &ctx, &sink) { return .done(.blocked(b)) }
            if let b = naclCheck(subnet: es, inbound: true, receiver: -1, &flow, &ctx, &sink) { return .done(.blocked(b)) }
        }
        return throughGWLBEndpoint(g, &flow, &ctx, &sink)
    }

    /// The endpoint, its load balancer's node and the appliances, then out of the endpoint into its subnet: the
    /// packet unchanged, no group identity left (like any middlebox hop).
    func throughGWLBEndpoint<S: TraceSink>(_ g: Int32, _ flow: inout Flow, _ ctx: inout WalkContext, _ sink: inout S) -> Step {
        let h = gwlbHot[Int(g)]
        if ctx.useTrackedSet && ctx.direction == .return && !ctx.forwardGWLBEndpoints.contains(g) {
            // The reply meets an appliance that never saw the request.
            if ctx.lastTGWAttachment >= 0 && !attachmentHot[Int(ctx.lastTGWAttachment)].applianceMode {
                return .done(.blocked(Block(code: .tgwAttachVPCAZRestriction, site: .tgwAttachment(ctx.lastTGWAttachment))))
            }
            return .done(.blocked(Block(code: .gwlbFlowSymmetryRestriction, site: .gatewayLoadBalancerEndpoint(g, bypassed: false))))
        }
        if sink.recordsHops {
            let p = gwlbPlans[Int(g)]
            sink.hop(Hop(component: vpcEndpointComponent(VPCEndpointID(g)),
                         action: .toGatewayLoadBalancerEndpoint(endpoint: p.endpoint, loadBalancer: p.loadBalancer), header: flow.header))
        }
        if let code = h.refusal {
            return .done(.blocked(Block(code: code, site: .gatewayLoadBalancerEndpoint(g, bypassed: false))))
        }
        if ctx.egressReferencePending {
            // What the sender's groups admitted only through references to other VPCs' groups does not hold past a
            // middlebox (the packet carries no group identity on).
            ctx.egressReferencePending = false
            let keep = flow.ruleKeys.intersection(ctx.egressLocalKeys)
            if keep.isEmpty {
                let block = Block(code: .sgReferencesNotPreserved, site: .securityGroups(interface: ctx.egressReferenceSender, ingress: false))
                guard S.explains else { return .done(.blocked(block)) }
                sink.noteBlock(block, flow, direction: ctx.direction, sender: ctx.senderIdentity)
            } else {
                flow.narrow(to: keep)
            }
        }
        if sink.recordsHops {
            let p = gwlbPlans[Int(g)]
            sink.hop(Hop(component: loadBalancerComponent(h.loadBalancer),
                         action: .gatewayLoadBalancerNode(loadBalancer: p.loadBalancer, node: p.node), header: flow.header))
            sink.hop(Hop(component: interfaceComponent(h.firstAppliance),
                         action: .inspectedByAppliances(loadBalancer: p.loadBalancer, appliances: p.appliances), header: flow.header))
            sink.hop(Hop(component: vpcEndpointComponent(VPCEndpointID(g)),
                         action: .fromGatewayLoadBalancerEndpoint(endpoint: p.endpoint), header: flow.header))
        }
        if !ctx.gwlbEndpoints.contains(g) { ctx.gwlbEndpoints.append(g) }
        ctx.senderIdentity = -1
        ctx.lastGWLBEndpoint = g
        return .next(.send(eni: -1, subnet: h.subnet))
    }

    /// A connection's reply that arrived (or left) without passing an endpoint its request passed: the appliance that
    /// saw the request never sees the reply, and the flow is dropped. nil otherwise (or not a connection's reply).
    func gwlbBypassBlock(_ outcome: WalkOutcome, _ ctx: WalkContext) -> Block? {
        guard ctx.useTrackedSet, ctx.direction == .return else { return nil }
        if case .blocked = outcome { return nil }
        for k in 0..<ctx.forwardGWLBEndpoints.count {
            let g = ctx.forwardGWLBEndpoints[k]
            if !ctx.gwlbEndpoints.contains(g) {
                return Block(code: .gwlbFlowSymmetryRestriction, site: .gatewayLoadBalancerEndpoint(g, bypassed: true))
            }
        }
        return nil
    }

    /// The explanation of a block at GWLB endpoint `g`.
    func gwlbExplanation(_ g: Int32, code: ExplanationCode, bypassed: Bool, flow f: Flow, direction: PathDirection) -> Explanation {
        let p = gwlbPlans[Int(g)]
        let endpoint = vpcEndpointComponent(VPCEndpointID(g))
        let traffic = BlockedTraffic(f)
        if code == .gwlbFlowSymmetryRestriction {
            return Explanation(code: code, direction: direction, component: endpoint,
                               detail: .loadBalancer(loadBalancer: p.loadBalancer, problem: bypassed ? .replyBypassedEndpoint : .replyThroughOtherEndpoint,
                                                     traffic: traffic, zone: p.zone))
        }
        if var e = p.applianceExplanation {
            e.code = code
            e.direction = direction
            return e
        }
        let problem = p.problem ?? .applianceNotModelled
        let k = gwlbHot[Int(g)].loadBalancer
        let component = problem == .noNodeInEndpointZone || k < 0 ? endpoint : loadBalancerComponent(k)
        return Explanation(code: code, direction: direction, component: component,
                           detail: .loadBalancer(loadBalancer: p.loadBalancer, problem: problem, traffic: traffic, zone: p.zone))
    }
}
