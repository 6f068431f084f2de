import IPAddressing
import NetworkModel

extension CompiledTopology {
    /// Resolves and compiles `topology` (``TopologyResolver/resolve(_:)``, then ``init(resolved:)``).
    ///
    /// - Complexity: O(size of the topology), plus sorting each table's routes.
    public init(_ topology: Topology) {
        self.init(resolved: TopologyResolver.resolve(topology))
    }

    /// Compiles a resolved topology: one builder per component kind (`Compile/*.swift`), in dependency order,
    /// reading references as the resolver's typed ids (no name is looked up here). Dangling references
    /// (validation's job) compile to unusable components rather than trapping: a route to an unknown target
    /// becomes an `unresolved` target that blocks with `BAD_STATE_ROUTE`; an unknown subnet drops the
    /// interface. Debug builds check the result's invariants (``invariantViolations()``) and trap on one.
    public init(resolved: ResolvedTopology) {
        self.resolved = resolved
        var context = CompileContext(resolved)
        reserveCapacity(&context)
        buildVPCs(&context)
        buildSecurityGroups(&context)
        buildNetworkACLs(&context)
        buildSubnets(&context)
        reserveEndpointAddresses(&context)
        reserveLoadBalancerAddresses(&context)
        buildInterfaces(&context)
        buildEdges(&context)
        buildTransitGateways(&context)
        buildInterfaceEndpoints(&context)
        buildLoadBalancers(&context)
        buildPeerings(&context)
        buildRouteTables(&context)
        interfaceOfENI = context.interfaceOfENI
        interfaceOfNAT = context.interfaceOfNAT
        buildLookups()
        buildHotData()
        resolveLoadBalancerTargets()
        planGatewayLoadBalancerEndpoints()
        #if DEBUG
        let violations = invariantViolations()
        precondition(violations.isEmpty, "compiled topology breaks its invariants: \(violations.prefix(5))")
        #endif
    }
}

/// What the builders share while one topology compiles.
struct CompileContext {
    let resolved: ResolvedTopology
    var topology: Topology { resolved.topology }
    /// Addresses taken in each VPC's subnets (an integer map used as a set: key the address bits): the written
    /// ones, then those picked for NAT gateway and TGW ENIs whose address is not written.
    var usedAddresses = IndexMap()
    /// The next synthetic public address (``CompiledTopology/syntheticPublicBase``).
    var syntheticPublic = CompiledTopology.syntheticPublicBase
    /// Interned security-group sets of several groups, by sorted group list.
    var sgSetIndex: [[Int32]: Int32] = [:]
    /// Sets of one group (most interfaces have one) by group index: no array key to sort and hash.
    var singleGroupSet = IndexMap()
    /// The compiled interface of each resolved instance interface and NAT gateway (-1: unusable).
    var interfaceOfENI: [Int32] = []
    var interfaceOfNAT: [Int32] = []
    /// Texts shared between equal rules and routes (equality ignores the location).
    var sgRuleTexts = RuleTexts<SecurityGroupRule>()
    var naclRuleTexts = RuleTexts<NetworkACLRule>()
    var routeTexts = RuleTexts<Route>()
    /// Gateway endpoints by the index of each route table that gets their route (empty without endpoints).
    var gatewayEndpointsByTable: [Int32: [VPCEndpointID]] = [:]
    /// Each gateway endpoint's prefix-list routes, built once (index = the endpoint's; empty for interface
    /// endpoints and without a prefix list): every table of the endpoint shares them, text included.
    var gatewayEndpointRoutes: [[CompiledRoute]] = []

    init(_ resolved: ResolvedTopology) { self.resolved = resolved }
}

extension CompiledTopology {
    /// Sizes up front, so that the arrays never grow.
    mutating func reserveCapacity(_ c: inout CompileContext) {
        let r = c.resolved
        var natCount = 0
        for n in r.natGateways where n.subnet != nil { natCount += 1 }
        // TGW attachment ENIs (one per attachment subnet) come last: without them in the reservation, the
        // interface array (100,000 records on the benchmark topology) was copied once more at the first one.
        var attachmentENICount = 0
        for a in r.tgwAttachments { attachmentENICount += a.subnets.count }
        vpcs.reserveCapacity(r.vpcs.count)
        subnets.reserveCapacity(r.subnets.count)
        securityGroups.reserveCapacity(r.securityGroups.count)
        networkACLs.reserveCapacity(r.networkACLs.count)
        routeTables.reserveCapacity(r.routeTables.count)
        interfaces.reserveCapacity(r.interfaces.count + natCount + attachmentENICount)
        interfaceNICNames.reserveCapacity(r.interfaces.count + natCount + attachmentENICount)
        c.usedAddresses = IndexMap(expected: r.interfaces.count + r.natGateways.count)
        c.singleGroupSet = IndexMap(expected: r.securityGroups.count)
        // At most one text per written route: the table grew (and rehashed) a dozen times otherwise.
        c.routeTexts.reserveCapacity(first: r.routes.count)
    }
}
