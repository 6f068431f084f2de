import Reporting

/// The lint rule catalogue. Every rule the linter can report is listed here, in `all`, in the order
/// `Docs/LINT.md` documents them.
public enum LintCatalogue {
    // MARK: Security groups

    /// An ingress rule admits TCP 22 from 0.0.0.0/0 or ::/0.
    public static let sgSSHOpenWorld = LintRule(
        id: "sg-ssh-open-world", severity: .error,
        summary: "security group allows SSH (tcp/22) from the whole internet",
        hint: "restrict the source to a bastion, a corporate prefix list or a security group",
        basis: "CIS AWS 5.2/5.3, Security Hub EC2.13")
    /// An ingress rule admits TCP 3389 from 0.0.0.0/0 or ::/0.
    public static let sgRDPOpenWorld = LintRule(
        id: "sg-rdp-open-world", severity: .error,
        summary: "security group allows RDP (tcp/3389) from the whole internet",
        hint: "restrict the source to a bastion, a corporate prefix list or a security group",
        basis: "CIS AWS 5.2/5.3, Security Hub EC2.14")
    /// An ingress rule admits every port (or every protocol) from 0.0.0.0/0 or ::/0.
    public static let sgAllPortsOpenWorld = LintRule(
        id: "sg-all-ports-open-world", severity: .error,
        summary: "security group allows every port from the whole internet",
        hint: "allow only the ports the service listens on",
        basis: "Security Hub EC2.18/EC2.19, checkov CKV_AWS_277")
    /// The VPC's default security group has rules (or is left with AWS's defaults and used).
    public static let defaultSGNotClosed = LintRule(
        id: "default-sg-not-closed", severity: .warning,
        summary: "the VPC's default security group is not closed",
        hint: "declare 'security-group default { egress none }' and give instances their own groups",
        basis: "CIS AWS 5.4, Security Hub EC2.2; AWS-BEHAVIOUR.md §7 (default group)")
    /// A rule names a group in a VPC its own VPC cannot reference.
    public static let sgReferenceNotConnected = LintRule(
        id: "sg-reference-not-peered", severity: .error,
        summary: "security group rule references a group in a VPC that is not peered in the same region",
        hint: "reference the peer's CIDR instead, or peer the VPCs (same region)",
        basis: "AWS-BEHAVIOUR.md §5 (same-region peer groups), §6 (TGW SG referencing), §7 (group reference)")
    /// A security group no interface holds.
    public static let sgUnused = LintRule(
        id: "sg-unused", severity: .warning,
        summary: "security group is attached to no interface",
        hint: "attach it to the instances it was written for, or delete it",
        basis: "Security Hub EC2.22")

    // MARK: Network ACLs

    /// An effective inbound allow admits TCP 22 from 0.0.0.0/0 or ::/0.
    public static let naclSSHOpenWorld = LintRule(
        id: "nacl-ssh-open-world", severity: .error,
        summary: "network ACL allows SSH (tcp/22) in from the whole internet",
        hint: "narrow the rule's CIDR, or add a deny for tcp/22 numbered before it",
        basis: "Security Hub EC2.21")
    /// An effective inbound allow admits TCP 3389 from 0.0.0.0/0 or ::/0.
    public static let naclRDPOpenWorld = LintRule(
        id: "nacl-rdp-open-world", severity: .error,
        summary: "network ACL allows RDP (tcp/3389) in from the whole internet",
        hint: "narrow the rule's CIDR, or add a deny for tcp/3389 numbered before it",
        basis: "Security Hub EC2.21")
    /// Every packet a rule matches is decided by earlier rules, some with the other action.
    public static let naclRuleShadowed = LintRule(
        id: "nacl-rule-shadowed", severity: .warning,
        summary: "network ACL rule never applies: earlier rules decide all its traffic, with the opposite action",
        hint: "renumber the rule below the rules that shadow it, or narrow those rules",
        basis: "AWS-BEHAVIOUR.md §8 (ascending rule numbers, first match decides)")
    /// Every packet a rule matches is decided by earlier rules with the same action.
    public static let naclRuleRedundant = LintRule(
        id: "nacl-rule-redundant", severity: .note,
        summary: "network ACL rule is redundant: earlier rules with the same action cover all its traffic",
        hint: "delete the rule",
        basis: "AWS-BEHAVIOUR.md §8")
    /// The outbound (inbound) list denies the ephemeral reply ports of traffic the subnet's groups admit.
    public static let naclBlocksEphemeralReplies = LintRule(
        id: "nacl-blocks-ephemeral-replies", severity: .warning,
        summary: "network ACL blocks the ephemeral reply ports of traffic its subnet's security groups allow",
        hint: "allow tcp/udp 1024-65535 back to the clients (deny rules for bad ports numbered before it)",
        basis: "AWS-BEHAVIOUR.md §8 (stateless; ephemeral ports table), §13 scenario 2")
    /// A custom NACL associated with no subnet.
    public static let naclUnused = LintRule(
        id: "nacl-unused", severity: .warning,
        summary: "network ACL is associated with no subnet",
        hint: "associate it with the subnets it was written for (they use the VPC's default NACL now), or delete it",
        basis: "AWS-BEHAVIOUR.md §8 (one NACL per subnet, the default unless associated)")

    // MARK: Subnets and addressing

    /// A subnet hands out public IPv4 addresses at launch.
    public static let subnetMapPublicIP = LintRule(
        id: "subnet-map-public-ip", severity: .note,
        summary: "subnet assigns public IPv4 addresses to instances at launch",
        hint: "remove 'map-public-ip' and give instances that need one a 'public-ip' address of their own",
        basis: "Security Hub EC2.15; AWS-BEHAVIOUR.md §3")
    /// A map-public-ip subnet's route table has no route to an internet gateway.
    public static let subnetMapPublicIPNoIGWRoute = LintRule(
        id: "subnet-public-ip-no-igw-route", severity: .warning,
        summary: "subnet assigns public IPv4 addresses but its route table has no route to an internet gateway",
        hint: "route 0.0.0.0/0 to the VPC's internet gateway in the subnet's route table, or remove 'map-public-ip'",
        basis: "AWS-BEHAVIOUR.md §3 (conditions 1–3)")
    /// Every usable address of a subnet is taken.
    public static let subnetNoFreeAddresses = LintRule(
        id: "subnet-no-free-addresses", severity: .warning,
        summary: "subnet has no free addresses left",
        hint: "move workloads to a larger subnet or add a subnet from a secondary VPC block",
        basis: "AWS-BEHAVIOUR.md §1 (five reserved addresses per subnet)")
    /// A VPC or subnet block overlaps Docker's default bridge network.
    public static let cidrDockerRange = LintRule(
        id: "cidr-docker-range", severity: .warning,
        summary: "block overlaps 172.17.0.0/16, Docker's default bridge network",
        hint: "choose another block; containers on Docker's default bridge cannot reach these addresses",
        basis: "AWS-BEHAVIOUR.md §1")
    /// Two VPCs joined by a peering or a transit gateway have overlapping blocks.
    public static let vpcCIDROverlapConnected = LintRule(
        id: "vpc-cidr-overlap-connected", severity: .error,
        summary: "connected VPCs have overlapping CIDR blocks",
        hint: "re-address one VPC; peering requires disjoint blocks and a TGW does not propagate an overlapping VPC",
        basis: "AWS-BEHAVIOUR.md §5 (no overlap between any blocks), §6 (overlapping VPC does not propagate)")

    // MARK: VPC routing

    /// A public NAT gateway whose own subnet does not route to an internet gateway.
    public static let natGatewayNoIGWRoute = LintRule(
        id: "nat-gateway-no-igw-route", severity: .error,
        summary: "public NAT gateway sits in a subnet whose route table has no route to an internet gateway",
        hint: "move the NAT gateway to a public subnet, or route 0.0.0.0/0 to the IGW in its subnet's table",
        basis: "AWS-BEHAVIOUR.md §4 (works only if its own subnet routes to the IGW), §13 scenario 5")
    /// A route names a target no resource has.
    public static let routeTargetMissing = LintRule(
        id: "route-target-missing", severity: .error,
        summary: "route points to a target that does not exist",
        hint: "point the route at an existing gateway, or delete it",
        basis: "AWS-BEHAVIOUR.md §2 (targets)")
    /// A route names a NAT gateway, IGW, instance, peering or TGW that is not usable from this VPC.
    public static let routeTargetOtherVPC = LintRule(
        id: "route-target-other-vpc", severity: .error,
        summary: "route points to a target that belongs to another VPC",
        hint: "use a target of this VPC (a peering must join this VPC; a TGW needs an attachment in it)",
        basis: "AWS-BEHAVIOUR.md §2, §5, §6")
    /// A VPC route in blackhole state.
    public static let routeBlackhole = LintRule(
        id: "route-blackhole", severity: .warning,
        summary: "route is a blackhole: its target is gone and matching traffic is dropped",
        hint: "delete the route or point it at a live target (a blackhole still wins the lookup)",
        basis: "AWS-BEHAVIOUR.md §2 (blackhole, BAD_STATE_ROUTE), §13 scenario 8")
    /// A route forwards to an interface whose source/destination check is on.
    public static let routeTargetSourceDestCheck = LintRule(
        id: "route-target-source-dest-check", severity: .warning,
        summary: "route forwards to an interface whose source/destination check is on",
        hint: "add 'source-dest-check off' to the appliance's interface",
        basis: "AWS-BEHAVIOUR.md §9")
    /// A route into a peering whose peer has no route back.
    public static let peeringNoReturnRoute = LintRule(
        id: "peering-no-return-route", severity: .warning,
        summary: "peering route has no route back from the peer VPC",
        hint: "add a route for this VPC's block to the peering in the peer subnets' route tables",
        basis: "AWS-BEHAVIOUR.md §5 (both sides need routes), §13 scenario 1")
    /// Two prefix-list routes of one table give one prefix different targets.
    public static let prefixListRouteConflict = LintRule(
        id: "prefix-list-route-conflict", severity: .warning,
        summary: "two prefix-list routes give the same prefix different targets",
        hint: "remove the prefix from one list, or add a CIDR route for it (a CIDR route beats prefix-list routes)",
        basis: "AWS-BEHAVIOUR.md §2 (AWS picks one at random)")
    /// A non-main route table associated with no subnet.
    public static let routeTableUnused = LintRule(
        id: "route-table-unused", severity: .warning,
        summary: "route table is associated with no subnet",
        hint: "associate it with the subnets it was written for (they use the main table now), or delete it",
        basis: "AWS-BEHAVIOUR.md §2")

    // MARK: Transit gateways

    /// An attachment no TGW route table associates.
    public static let tgwAttachmentNoAssociation = LintRule(
        id: "tgw-attachment-no-association", severity: .error,
        summary: "transit gateway attachment has no associated route table: traffic arriving from it is dropped",
        hint: "associate the attachment with a TGW route table",
        basis: "AWS-BEHAVIOUR.md §6 (TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION), §13 scenario 7")
    /// A TGW route table that holds routes no attachment uses.
    public static let tgwRouteTableNotAssociated = LintRule(
        id: "tgw-route-table-not-associated", severity: .warning,
        summary: "transit gateway route table has propagated or static routes but no associated attachment",
        hint: "associate the attachments whose traffic should use it, or delete it",
        basis: "AWS-BEHAVIOUR.md §6 (association decides which table a packet uses)")
    /// A TGW path one way has no path back the same way.
    public static let tgwAsymmetricPath = LintRule(
        id: "tgw-asymmetric-path", severity: .warning,
        summary: "transit gateway routes one way between two attachments but not back",
        hint: "propagate (or add a static route for) the source VPC into the table associated with the return attachment",
        basis: "AWS-BEHAVIOUR.md §6 (the reply mirrors the walk), §13 scenario 7")
    /// A multi-AZ appliance VPC attached without appliance mode.
    public static let tgwApplianceModeOff = LintRule(
        id: "tgw-appliance-mode-off", severity: .warning,
        summary: "attachment of an appliance VPC spans several AZs without appliance mode: cross-AZ replies miss the appliance",
        hint: "add 'appliance-mode' to the attachment",
        basis: "AWS-BEHAVIOUR.md §6 (appliance mode, TGW_ATTACH_VPC_AZ_RESTRICTION), §13 scenario 9")
    /// A static TGW blackhole route.
    public static let tgwRouteBlackhole = LintRule(
        id: "tgw-route-blackhole", severity: .note,
        summary: "transit gateway route drops matching traffic (blackhole)",
        hint: "intended as a drop? keep it; otherwise point it at an attachment",
        basis: "AWS-BEHAVIOUR.md §6 (TGW_RTB_BAD_STATE_ROUTE)")

    // MARK: Edges (endpoints, VPN, Direct Connect, TGW peering, on-premises)

    /// S3/DynamoDB CIDRs a VPC without a gateway endpoint for the service sends through a NAT gateway.
    public static let s3DynamoDBThroughNAT = LintRule(
        id: "s3-dynamodb-through-nat", severity: .warning,
        summary: "S3 or DynamoDB traffic leaves through a NAT gateway where a gateway endpoint would carry it",
        hint: "add a gateway endpoint for the service to the route tables of those subnets (no data processing charge)",
        basis: "AWS-BEHAVIOUR.md §10 (gateway endpoints), §4 (NAT gateway), §2 (prefix-list routes)")
    /// A gateway endpoint whose route tables miss tables that send the service's CIDRs to a NAT or internet gateway.
    public static let gatewayEndpointRouteTableMissing = LintRule(
        id: "gateway-endpoint-route-table-missing", severity: .warning,
        summary: "gateway endpoint's route tables miss tables whose subnets send the service's traffic through a NAT or internet gateway",
        hint: "add the tables to the endpoint's 'route-tables'",
        basis: "AWS-BEHAVIOUR.md §10 (gateway endpoints: only the chosen route tables get the route), §2")
    /// An interface endpoint whose security groups admit nothing from its own VPC.
    public static let interfaceEndpointSGClosed = LintRule(
        id: "interface-endpoint-sg-closed", severity: .warning,
        summary: "interface endpoint's security groups admit nothing from its own VPC",
        hint: "admit the VPC's clients (its CIDR or their security group) on the service's port, usually tcp/443",
        basis: "AWS-BEHAVIOUR.md §10 (interface endpoints: inbound decided by the endpoint's SGs), §7")
    /// A VPN connection whose telemetry reports a tunnel down.
    public static let vpnTunnelDown = LintRule(
        id: "vpn-tunnel-down", severity: .warning,
        summary: "VPN connection has a tunnel down",
        hint: "bring the tunnel up (check the customer gateway's configuration for it); with both down traffic is dropped",
        basis: "AWS-BEHAVIOUR.md §10 (two tunnels; both down: BAD_STATE_VPN, TGW_BAD_STATE_VPN)")
    /// A VPN connection whose telemetry has one tunnel only.
    public static let vpnSingleTunnel = LintRule(
        id: "vpn-single-tunnel", severity: .warning,
        summary: "VPN connection has only one tunnel: no redundancy",
        hint: "configure the second tunnel on the customer gateway",
        basis: "AWS-BEHAVIOUR.md §10 (two tunnels per connection)")
    /// An attached VGW that no route table routes to or propagates.
    public static let vgwUnused = LintRule(
        id: "vgw-unused", severity: .warning,
        summary: "virtual private gateway is attached but no route table routes to it or propagates it",
        hint: "add 'propagate VGW' (or a route to it) to the route tables of the subnets that talk to on-premises",
        basis: "AWS-BEHAVIOUR.md §10 (VGW: static routes or route propagation), §2")
    /// Direct Connect reaches a VGW or TGW that no VPN connection backs up.
    public static let dxNoVPNBackup = LintRule(
        id: "dx-no-vpn-backup", severity: .warning,
        summary: "Direct Connect reaches a gateway that no VPN connection backs up",
        hint: "add a Site-to-Site VPN connection on the same VGW or TGW (DX routes win while it is up; the VPN carries traffic when it fails)",
        basis: "AWS-BEHAVIOUR.md §10 (Direct Connect; on a VGW DX routes beat VPN routes), §2")
    /// A TGW peering route whose far side has no static route back.
    public static let tgwPeeringNoReturnRoute = LintRule(
        id: "tgw-peering-no-return-route", severity: .warning,
        summary: "transit gateway peering route has no static route back on the peer",
        hint: "add a static route for this side's VPC blocks to the peering attachment in the peer's table",
        basis: "AWS-BEHAVIOUR.md §10 (TGW peering: static routes only, on both sides), §6")
    /// On-premises prefixes that overlap VPC blocks.
    public static let onPremPrefixOverlapsVPC = LintRule(
        id: "onprem-prefix-overlaps-vpc", severity: .warning,
        summary: "on-premises prefix overlaps a VPC CIDR block",
        hint: "re-address one side, or announce only the on-premises prefixes that do not overlap",
        basis: "AWS-BEHAVIOUR.md §10 (VGW), §2 (propagated routes never replace local)")

    // MARK: Exposure

    /// An instance the internet reaches on a port outside the allowed set.
    public static let instanceExposedPort = LintRule(
        id: "instance-internet-exposed", severity: .warning,
        summary: "instance is reachable from the internet on a port outside the allowed internet ports",
        hint: "close the port in the security group or NACL, or allow it with --internet-ports",
        basis: "AWS-BEHAVIOUR.md §3 (internet reachability), §0 (pipeline)")

    // MARK: Load balancers

    /// A load balancer target whose security groups do not admit the load balancer (with NLB client-IP
    /// preservation: its clients).
    public static let lbTargetSGBlocksLB = LintRule(
        id: "lb-target-sg-blocks-lb", severity: .error,
        summary: "load balancer target's security groups do not admit the load balancer (or, with client-IP preservation, its clients)",
        hint: "admit the load balancer's security group (or, with client-IP preservation, the clients) on the target port",
        basis: "AWS-BEHAVIOUR.md §12 (ELB: the target's leg is a new connection), §7; SEMANTICS.md \"Load balancers\"")
    /// An internet-facing load balancer with a node in a subnet that does not route to an internet gateway.
    public static let lbInternetFacingNoIGWRoute = LintRule(
        id: "lb-internet-facing-no-igw-route", severity: .error,
        summary: "internet-facing load balancer has a node in a subnet whose route table has no route to an internet gateway",
        hint: "place the load balancer's nodes in public subnets (route 0.0.0.0/0 to the VPC's internet gateway)",
        basis: "AWS-BEHAVIOUR.md §3 (conditions 1–3), §12 (ELB)")
    /// A load balancer target the internet reaches directly on its target port.
    public static let lbTargetInternetExposed = LintRule(
        id: "lb-target-internet-exposed", severity: .warning,
        summary: "load balancer target is also reachable from the internet directly, bypassing the load balancer",
        hint: "admit only the load balancer on the target port (e.g. 'sg ALB-GROUP'), or move the target to a private subnet",
        basis: "AWS-BEHAVIOUR.md §3 (internet reachability), §12 (ELB); AWS ELB best practices")
    /// A listener whose targets get no traffic (no healthy one, or none in some enabled zone with cross-zone off).
    public static let lbListenerNoHealthyTarget = LintRule(
        id: "lb-listener-no-healthy-target", severity: .warning,
        summary: "load balancer listener has no healthy target (or, cross-zone off, none in one of its availability zones)",
        hint: "register healthy targets for the listener's target groups in every availability zone of the load balancer",
        basis: "AWS-BEHAVIOUR.md §12 (ELBV2_NO_TARGETS_IN_AZ, ELB_NOT_CROSSZONE)")
    /// A rule of a group only load balancers hold, on ports no listener of theirs takes.
    public static let lbSGPortNoListener = LintRule(
        id: "lb-sg-port-no-listener", severity: .warning,
        summary: "load balancer's security group admits ports no listener takes",
        hint: "remove the rule, or narrow it to the listener ports",
        basis: "AWS-BEHAVIOUR.md §12 (ELBV2_LISTENER_PORT_RESTRICTION), Security Hub EC2.18")

    /// Every rule, in catalogue order.
    public static let all: [LintRule] = [
        sgSSHOpenWorld, sgRDPOpenWorld, sgAllPortsOpenWorld, defaultSGNotClosed, sgReferenceNotConnected, sgUnused,
        naclSSHOpenWorld, naclRDPOpenWorld, naclRuleShadowed, naclRuleRedundant, naclBlocksEphemeralReplies, naclUnused,
        subnetMapPublicIP, subnetMapPublicIPNoIGWRoute, subnetNoFreeAddresses, cidrDockerRange, vpcCIDROverlapConnected,
        natGatewayNoIGWRoute, routeTargetMissing, routeTargetOtherVPC, routeBlackhole, routeTargetSourceDestCheck,
        peeringNoReturnRoute, prefixListRouteConflict, routeTableUnused,
        tgwAttachmentNoAssociation, tgwRouteTableNotAssociated, tgwAsymmetricPath, tgwApplianceModeOff, tgwRouteBlackhole,
        s3DynamoDBThroughNAT, gatewayEndpointRouteTableMissing, interfaceEndpointSGClosed, vpnTunnelDown, vpnSingleTunnel,
        vgwUnused, dxNoVPNBackup, tgwPeeringNoReturnRoute, onPremPrefixOverlapsVPC,
        instanceExposedPort,
        lbTargetSGBlocksLB, lbInternetFacingNoIGWRoute, lbTargetInternetExposed, lbListenerNoHealthyTarget, lbSGPortNoListener,
    ]

    /// The rule with `id`, if any.
    public static func rule(_ id: String) -> LintRule? { all.first { $0.id == id } }

    // MARK: Suppression comment warnings

    /// A `# vpckit:ignore` comment without a rule id.
    public static let suppressionNoRule = DiagnosticDescriptor(
        id: "suppression-no-rule", summary: "a suppression comment names no rule",
        example: "# vpckit:ignore\nvpc prod {\n  cidr 10.0.0.0/16\n}\n")
    /// A `# vpckit:ignore` comment naming a rule the catalogue does not have.
    public static let suppressionUnknownRule = DiagnosticDescriptor(
        id: "suppression-unknown-rule", summary: "a suppression comment names a rule that does not exist",
        example: "# vpckit:ignore sg-ssh-open-wrld legacy bastion\nvpc prod {\n  cidr 10.0.0.0/16\n}\n")
    /// A `# vpckit:ignore` comment separated from every statement by a blank line.
    public static let suppressionNoStatement = DiagnosticDescriptor(
        id: "suppression-no-statement", summary: "a suppression comment is about no statement (a blank line follows it)",
        example: "# vpckit:ignore sg-unused kept for the migration\n\nvpc prod {\n  cidr 10.0.0.0/16\n}\n")
    /// A `# vpckit:ignore RULE` comment without a reason.
    public static let suppressionNoReason = DiagnosticDescriptor(
        id: "suppression-no-reason", summary: "a suppression comment gives no reason",
        example: "vpc prod {\n  cidr 10.0.0.0/16\n  # vpckit:ignore sg-unused\n  security-group old { ingress tcp 80 from 10.0.0.0/8 }\n}\n")
    /// A `# vpckit:ignore RULE reason` comment with no finding of that rule on its statement.
    public static let suppressionUnused = DiagnosticDescriptor(
        id: "suppression-unused", summary: "a suppression comment suppresses no finding",
        example: "vpc prod {\n  # vpckit:ignore sg-unused no group here\n  cidr 10.0.0.0/16\n}\n")
    /// The warnings about suppression comments (``Linter/applySuppressions(_:sources:options:)``), in
    /// `Docs/DIAGNOSTICS.md` order.
    public static let suppressionWarnings: [DiagnosticDescriptor] = [
        suppressionNoRule, suppressionUnknownRule, suppressionNoStatement, suppressionNoReason, suppressionUnused,
    ]
}
