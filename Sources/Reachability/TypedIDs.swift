import NetworkModel

// Typed access to the compiled arrays. The compiled index of a VPC, subnet, security group, NACL, VPC route
// table, peering, TGW, attachment and TGW route table is its ``ResolvedTopology`` id's; interfaces of the data
// plane (instance, NAT gateway and TGW attachment ENIs) are ``InterfaceID``s, and
// ``CompiledTopology/interface(of:)`` maps a resolved instance interface or NAT gateway to one.
extension CompiledTopology {
    public subscript(id: VPCID) -> CompiledVPC { vpcs[id.position] }
    public subscript(id: SubnetID) -> CompiledSubnet { subnets[id.position] }
    public subscript(id: SecurityGroupID) -> CompiledSecurityGroup { securityGroups[id.position] }
    public subscript(id: NetworkACLID) -> CompiledNetworkACL { networkACLs[id.position] }
    public subscript(id: RouteTableID) -> CompiledRouteTable { routeTables[id.position] }
    public subscript(id: PeeringID) -> CompiledPeering { peerings[id.position] }
    public subscript(id: TransitGatewayID) -> CompiledTransitGateway { transitGateways[id.position] }
    public subscript(id: TGWAttachmentID) -> CompiledTGWAttachment { tgwAttachments[id.position] }
    public subscript(id: TGWRouteTableID) -> CompiledTGWRouteTable { tgwRouteTables[id.position] }
    public subscript(id: InterfaceID) -> CompiledInterface { interfaces[Int(id.index)] }

    /// The data plane's interface for an instance interface of the model; nil when it is unusable (its subnet
    /// did not resolve).
    public func interface(of id: NetworkInterfaceID) -> InterfaceID? {
        let i = interfaceOfENI[id.position]
        return i >= 0 ? InterfaceID(i) : nil
    }

    /// The data plane's interface (its ENI) for a NAT gateway; nil when it is unusable.
    public func interface(of id: NATGatewayID) -> InterfaceID? {
        let i = interfaceOfNAT[id.position]
        return i >= 0 ? InterfaceID(i) : nil
    }

    /// The interface as a component: instances by instance name, NAT gateways and TGW attachment ENIs by theirs.
    public func interfaceComponent(_ e: InterfaceID) -> ComponentRef { interfaceComponent(e.index) }
}

extension CompiledSubnet {
    public var vpcID: VPCID { VPCID(vpc) }
    public var routeTableID: RouteTableID { RouteTableID(routeTable) }
    /// nil: AWS's implied allow-all NACL.
    public var networkACLID: NetworkACLID? { networkACL >= 0 ? NetworkACLID(networkACL) : nil }
}

extension CompiledInterface {
    public var vpcID: VPCID { VPCID(vpc) }
    public var subnetID: SubnetID { SubnetID(subnet) }
}

extension CompiledVPC {
    public var subnetIDs: [SubnetID] { subnets.map(SubnetID.init) }
    public var mainRouteTableID: RouteTableID { RouteTableID(mainRouteTable) }
    /// nil when the VPC has no default group (a marked name that resolves to none).
    public var defaultSecurityGroupID: SecurityGroupID? { defaultSecurityGroup >= 0 ? SecurityGroupID(defaultSecurityGroup) : nil }
}

extension CompiledRouteTable {
    public var vpcID: VPCID { VPCID(vpc) }
}

extension CompiledSecurityGroup {
    public var vpcID: VPCID { VPCID(vpc) }
}

extension CompiledPeering {
    public var vpcIDs: (VPCID, VPCID) { (VPCID(vpcA), VPCID(vpcB)) }
}

extension CompiledTGWAttachment {
    public var transitGatewayID: TransitGatewayID { TransitGatewayID(transitGateway) }
    public var vpcID: VPCID { VPCID(vpc) }
    public var subnetIDs: [SubnetID] { subnets.map(SubnetID.init) }
    public var interfaceIDs: [InterfaceID] { interfaces.map(InterfaceID.init) }
    /// nil: no associated TGW route table.
    public var associatedRouteTableID: TGWRouteTableID? { associatedRouteTable >= 0 ? TGWRouteTableID(associatedRouteTable) : nil }
}

extension CompiledTGWRouteTable {
    public var transitGatewayID: TransitGatewayID { TransitGatewayID(transitGateway) }
}
