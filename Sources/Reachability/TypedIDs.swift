import NetworkModel

// Typed access to the compiled arrays. The compiled index of a VPC, subnet, security group, NACL, VPC route
// table, peering, TGW, attachment and TGW route table is its ``ResolvedTopology`` id's; interfaces of the data
// plane (instance, NAT gateway and TGW attachment ENIs) are ``InterfaceID``s, and
// ``CompiledTopology/interface(of:)`` maps a resolved instance interface or NAT gateway to one.
extension CompiledTopology {
    @inlinable public subscript(id: VPCID) -> CompiledVPC { vpcs[id.position] }
    @inlinable public subscript(id: SubnetID) -> CompiledSubnet { subnets[id.position] }
    @inlinable public subscript(id: SecurityGroupID) -> CompiledSecurityGroup { securityGroups[id.position] }
    @inlinable public subscript(id: NetworkACLID) -> CompiledNetworkACL { networkACLs[id.position] }
    @inlinable public subscript(id: RouteTableID) -> CompiledRouteTable { routeTables[id.position] }
    @inlinable public subscript(id: PeeringID) -> CompiledPeering { peerings[id.position] }
    @inlinable public subscript(id: TransitGatewayID) -> CompiledTransitGateway { transitGateways[id.position] }
    @inlinable public subscript(id: TGWAttachmentID) -> CompiledTGWAttachment { tgwAttachments[id.position] }
    @inlinable public subscript(id: TGWRouteTableID) -> CompiledTGWRouteTable { tgwRouteTables[id.position] }
    @inlinable public subscript(id: InterfaceID) -> CompiledInterface { interfaces[Int(id.index)] }
    @inlinable public subscript(id: SecurityGroupSetID) -> CompiledSecurityGroupSet { securityGroupSets[id.position] }

    /// The data plane's interface for an instance interface of the model; nil when it is unusable (its subnet
    /// did not resolve).
    @inlinable public func interface(of id: NetworkInterfaceID) -> InterfaceID? {
        let i = interfaceOfENI[id.position]
        return i >= 0 ? InterfaceID(i) : nil
    }

    /// The data plane's interface (its ENI) for a NAT gateway; nil when it is unusable.
    @inlinable public func interface(of id: NATGatewayID) -> InterfaceID? {
        let i = interfaceOfNAT[id.position]
        return i >= 0 ? InterfaceID(i) : nil
    }

    /// The interface as a component: instances by instance name, NAT gateways and TGW attachment ENIs by theirs.
    public func interfaceComponent(_ e: InterfaceID) -> ComponentRef { interfaceComponent(e.index) }
}

extension CompiledSubnet {
    @inlinable public var vpcID: VPCID { VPCID(vpc) }
    @inlinable public var routeTableID: RouteTableID { RouteTableID(routeTable) }
    /// nil: AWS's implied allow-all NACL.
    @inlinable public var networkACLID: NetworkACLID? { networkACL >= 0 ? NetworkACLID(networkACL) : nil }
}

extension CompiledInterface {
    @inlinable public var vpcID: VPCID { VPCID(vpc) }
    @inlinable public var subnetID: SubnetID { SubnetID(subnet) }
    /// nil: the interface has no security groups.
    @inlinable public var securityGroupSetID: SecurityGroupSetID? { securityGroupSet >= 0 ? SecurityGroupSetID(securityGroupSet) : nil }
    /// The TGW attachment of a TGW attachment ENI.
    @inlinable public var tgwAttachmentID: TGWAttachmentID? { if case .tgwAttachment(let a) = kind { a } else { nil } }
}

extension CompiledSGRule {
    /// The group the rule belongs to.
    @inlinable public var groupID: SecurityGroupID { SecurityGroupID(group) }
}

extension CompiledSecurityGroupSet {
    @inlinable public var groupIDs: [SecurityGroupID] { groups.map(SecurityGroupID.init) }
}

extension CompiledTransitGateway {
    @inlinable public var attachmentIDs: [TGWAttachmentID] { attachments.map(TGWAttachmentID.init) }
}

extension CompiledVPC {
    @inlinable public var subnetIDs: [SubnetID] { subnets.map(SubnetID.init) }
    @inlinable public var mainRouteTableID: RouteTableID { RouteTableID(mainRouteTable) }
    /// nil when the VPC has no default group (a marked name that resolves to none).
    @inlinable public var defaultSecurityGroupID: SecurityGroupID? { defaultSecurityGroup >= 0 ? SecurityGroupID(defaultSecurityGroup) : nil }
}

extension CompiledRouteTable {
    @inlinable public var vpcID: VPCID { VPCID(vpc) }
}

extension CompiledSecurityGroup {
    @inlinable public var vpcID: VPCID { VPCID(vpc) }
}

extension CompiledPeering {
    @inlinable public var vpcIDs: (VPCID, VPCID) { (VPCID(vpcA), VPCID(vpcB)) }
}

extension CompiledTGWAttachment {
    @inlinable public var transitGatewayID: TransitGatewayID { TransitGatewayID(transitGateway) }
    @inlinable public var vpcID: VPCID { VPCID(vpc) }
    @inlinable public var subnetIDs: [SubnetID] { subnets.map(SubnetID.init) }
    @inlinable public var interfaceIDs: [InterfaceID] { interfaces.map(InterfaceID.init) }
    /// nil: no associated TGW route table.
    @inlinable public var associatedRouteTableID: TGWRouteTableID? { associatedRouteTable >= 0 ? TGWRouteTableID(associatedRouteTable) : nil }
}

extension CompiledTGWRouteTable {
    @inlinable public var transitGatewayID: TransitGatewayID { TransitGatewayID(transitGateway) }
}
