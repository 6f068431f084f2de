import Reporting

/// The `.vpc` language's message catalogue: every parse and validation error has one of these stable ids
/// (``Diagnostic/id``), listed here in the order `Docs/DIAGNOSTICS.md` documents them. The text form of a
/// diagnostic does not show the id (golden files pin it); JSON and SARIF outputs carry it.
///
/// Each entry's example is a file that produces the id (a test loads every one).
public enum DSLCatalogue {
    // MARK: Syntax

    /// A token of the wrong kind: a word, a value or a brace where the grammar needs another.
    public static let expected = DiagnosticDescriptor(
        id: "dsl-expected", summary: "the grammar needs another token here (a name, a value, a keyword)",
        example: "vpc {\n}\n")
    /// A word or a brace where no statement can start.
    public static let unexpected = DiagnosticDescriptor(
        id: "dsl-unexpected", summary: "a word or brace where no statement can start",
        example: "}\n")
    /// A keyword the block does not know (with a "did you mean" hint for near misses).
    public static let unknownKeyword = DiagnosticDescriptor(
        id: "dsl-unknown-keyword", summary: "a statement keyword the enclosing block does not have",
        example: "vpc prod {\n  cidr 10.0.0.0/16\n  subnett app 10.0.1.0/24\n}\n")
    /// A block left open at the end of the file.
    public static let missingBrace = DiagnosticDescriptor(
        id: "dsl-missing-brace", summary: "a block is not closed with '}'",
        example: "vpc prod {\n  cidr 10.0.0.0/16\n")
    /// A CIDR block or an address that does not parse, or of the wrong family.
    public static let badAddress = DiagnosticDescriptor(
        id: "dsl-bad-address", summary: "a CIDR block or address that does not parse, or is of the wrong family",
        example: "vpc prod {\n  cidr 10.0.0.300/16\n}\n")
    /// A CIDR block with host bits set (`10.0.1.5/24`).
    public static let hostBits = DiagnosticDescriptor(
        id: "dsl-host-bits", summary: "a CIDR block with host bits set",
        example: "vpc prod {\n  cidr 10.0.0.1/16\n}\n")
    /// A port, port range, ICMP type or client-port range that is out of range, backwards or not allowed.
    public static let badPort = DiagnosticDescriptor(
        id: "dsl-bad-port", summary: "a port, port range, ICMP type/code or client-port range that is not valid here",
        example: "vpc prod {\n  cidr 10.0.0.0/16\n  security-group web {\n    ingress tcp 70000 from 0.0.0.0/0\n  }\n}\n")
    /// A protocol name or number that is not known.
    public static let unknownProtocol = DiagnosticDescriptor(
        id: "dsl-unknown-protocol", summary: "a protocol that is not tcp, udp, icmp, icmpv6, all or a number",
        example: "vpc prod {\n  cidr 10.0.0.0/16\n  security-group web {\n    ingress tpc 443 from 0.0.0.0/0\n  }\n}\n")
    /// A statement without a clause it needs (`in SUBNET`, `ip ADDRESS`, an interface, `vpc NAME`).
    public static let missingClause = DiagnosticDescriptor(
        id: "dsl-missing-clause", summary: "a statement lacks a clause it needs ('in SUBNET', 'ip ADDRESS', …)",
        example: "vpc prod {\n  cidr 10.0.0.0/16\n  subnet app 10.0.1.0/24\n  instance web ip 10.0.1.10\n}\n")
    /// Clauses or statements that contradict each other (`egress none` beside egress rules, an EIP on a private NAT).
    public static let conflict = DiagnosticDescriptor(
        id: "dsl-conflict", summary: "two statements or clauses contradict each other",
        example: "vpc prod {\n  cidr 10.0.0.0/16\n  security-group web {\n    egress none\n    egress tcp 443 to 0.0.0.0/0\n  }\n}\n")

    // MARK: Names

    /// A name defined twice (names are unique across a topology).
    public static let duplicateName = DiagnosticDescriptor(
        id: "dsl-duplicate-name", summary: "a name is defined twice",
        example: "vpc prod {\n  cidr 10.0.0.0/16\n  subnet app 10.0.1.0/24\n  subnet app 10.0.2.0/24\n}\n")
    /// A reference to a name that is not defined (with a "did you mean" hint for near misses).
    public static let unknownName = DiagnosticDescriptor(
        id: "dsl-unknown-name", summary: "a reference to a name that is not defined",
        example: "vpc prod {\n  cidr 10.0.0.0/16\n  subnet app 10.0.1.0/24\n  instance web in ap ip 10.0.1.10\n}\n")
    /// A reference to a name of the wrong kind (a subnet where a security group belongs).
    public static let wrongKind = DiagnosticDescriptor(
        id: "dsl-wrong-kind", summary: "a reference names a resource of the wrong kind",
        example: "vpc prod {\n  cidr 10.0.0.0/16\n  subnet app 10.0.1.0/24\n  instance web in app ip 10.0.1.10 sg app\n}\n")
    /// A reference to a resource another VPC (or transit gateway, or region) owns.
    public static let wrongOwner = DiagnosticDescriptor(
        id: "dsl-wrong-owner", summary: "a reference to a resource that belongs to another VPC, gateway or region",
        example: "vpc a {\n  cidr 10.0.0.0/16\n  subnet a-1 10.0.1.0/24\n}\nvpc b {\n  cidr 10.1.0.0/16\n  instance web in a-1 ip 10.0.1.10\n}\n")
    /// `instance.interface` naming an interface the instance does not have.
    public static let unknownInterface = DiagnosticDescriptor(
        id: "dsl-unknown-interface", summary: "an 'instance.interface' reference to an interface the instance does not have",
        example: "vpc prod {\n  cidr 10.0.0.0/16\n  subnet app 10.0.1.0/24\n  instance web in app ip 10.0.1.10\n}\nassert reach web.eth9 -> web tcp/22\n")

    // MARK: Structure

    /// A second main route table, default security group, default network ACL or gateway of a kind a VPC has once.
    public static let onePerVPC = DiagnosticDescriptor(
        id: "dsl-one-per-vpc", summary: "a second one of something a VPC has once (main table, default group or ACL, gateway)",
        example: "vpc prod {\n  cidr 10.0.0.0/16\n  internet-gateway igw-1\n  internet-gateway igw-2\n}\n")
    /// A subnet or attachment associated twice (with two tables, two ACLs, or twice with one).
    public static let duplicateAssociation = DiagnosticDescriptor(
        id: "dsl-duplicate-association", summary: "a subnet or attachment associated with two tables or ACLs, or listed twice",
        example: "vpc prod {\n  cidr 10.0.0.0/16\n  subnet app 10.0.1.0/24\n  route-table a {\n    associate app\n  }\n  route-table b {\n    associate app\n  }\n}\n")
    /// A route table with two routes to one destination.
    public static let duplicateRoute = DiagnosticDescriptor(
        id: "dsl-duplicate-route", summary: "a route table has two routes to the same destination",
        example: "vpc prod {\n  cidr 10.0.0.0/16\n  internet-gateway igw\n  route-table a {\n    route 0.0.0.0/0 -> igw\n    route 0.0.0.0/0 -> igw\n  }\n}\n")
    /// A route to a target that cannot take it (an IPv4 route to an egress-only gateway, IPv6 to a NAT gateway).
    public static let routeTarget = DiagnosticDescriptor(
        id: "dsl-route-target", summary: "a route whose target cannot carry its destination's family",
        example: "vpc prod {\n  cidr 10.0.0.0/16\n  ipv6 2600:1f18:abcd:1200::/56\n  egress-only-gateway eigw\n  route-table a {\n    route 0.0.0.0/0 -> eigw\n  }\n}\n")
    /// A peering that joins a VPC with itself, repeats another, or joins overlapping VPCs.
    public static let badPeering = DiagnosticDescriptor(
        id: "dsl-bad-peering", summary: "a peering of a VPC with itself, a second peering of one pair, or of overlapping VPCs",
        example: "vpc a {\n  cidr 10.0.0.0/16\n}\nvpc b {\n  cidr 10.0.0.0/16\n}\npeering ab a <-> b\n")
    /// A transit gateway attachment without subnets or with two subnets in one availability zone.
    public static let badAttachment = DiagnosticDescriptor(
        id: "dsl-bad-attachment", summary: "a transit gateway attachment with no subnets, or two in one availability zone",
        example: "vpc a {\n  cidr 10.0.0.0/16\n  subnet a-1 10.0.1.0/24 az us-east-1a\n  subnet a-2 10.0.2.0/24 az us-east-1a\n}\ntransit-gateway hub {\n  attachment a-att vpc a subnets a-1 a-2\n}\n")
    /// A network ACL rule number outside 1...32766 or used twice in one direction.
    public static let ruleNumber = DiagnosticDescriptor(
        id: "dsl-rule-number", summary: "a network ACL rule number out of range or used twice",
        example: "vpc prod {\n  cidr 10.0.0.0/16\n  network-acl n {\n    inbound 100 allow tcp 443 from 0.0.0.0/0\n    inbound 100 deny all from 0.0.0.0/0\n  }\n}\n")
    /// A prefix list with both IPv4 and IPv6 entries.
    public static let mixedPrefixList = DiagnosticDescriptor(
        id: "dsl-mixed-prefix-list", summary: "a prefix list mixes IPv4 and IPv6 entries",
        example: "prefix-list corp { 10.0.0.0/8 2001:db8::/32 }\n")
    /// An assertion whose endpoints cannot be tested (both the internet, a private block as the internet, …).
    public static let badEndpoint = DiagnosticDescriptor(
        id: "dsl-bad-endpoint", summary: "an assertion endpoint that cannot be tested (both ends internet, a private block as the internet)",
        example: "assert reach internet -> internet tcp/443\n")

    /// A VPC endpoint AWS would refuse: a gateway endpoint for a service other than S3 or DynamoDB, an interface
    /// endpoint with two subnets in one availability zone or more addresses than subnets, clauses of the other type.
    public static let vpcEndpoint = DiagnosticDescriptor(
        id: "dsl-vpc-endpoint", summary: "a VPC endpoint AWS would refuse (gateway service, subnets per AZ, addresses per subnet)",
        example: "prefix-list ssm { 10.0.0.0/8 }\nvpc prod {\n  cidr 10.0.0.0/16\n  route-table r {\n  }\n  endpoint e gateway ssm route-tables r\n}\n")
    /// An edge AWS would refuse: a VPN connection with more than two tunnels, a transit virtual interface on a
    /// VPN gateway.
    public static let edge = DiagnosticDescriptor(
        id: "dsl-edge", summary: "a VPN connection or Direct Connect virtual interface AWS would refuse",
        example: "vpc prod {\n  cidr 10.0.0.0/16\n  vpn-gateway vgw\n}\ncustomer-gateway cgw ip 198.51.100.1 asn 65000\nvpn-connection v vgw vgw customer-gateway cgw bgp tunnels up up up\n")

    /// A load balancer, listener, target group or target AWS would refuse: two nodes in one availability zone,
    /// a listener protocol the type does not offer, two listeners on one port, a listener to a target group of
    /// another VPC or an unknown one, a target of the wrong kind for its group.
    public static let loadBalancer = DiagnosticDescriptor(
        id: "dsl-load-balancer", summary: "a load balancer, listener, target group or target AWS would refuse",
        example: "vpc prod {\n  cidr 10.0.0.0/16\n  subnet a 10.0.1.0/24 az us-east-1a\n  subnet b 10.0.2.0/24 az us-east-1a\n  load-balancer lb network internal subnets a b\n}\n")
    /// An instance with two tags of one key (AWS keeps one value per key).
    public static let duplicateTag = DiagnosticDescriptor(
        id: "dsl-duplicate-tag", summary: "an instance has two tags with the same key",
        example: "vpc prod {\n  cidr 10.0.0.0/16\n  subnet app 10.0.1.0/24\n  instance web in app ip 10.0.1.10 tag env=prod tag env=test\n}\n")
    /// A policy endpoint set that does not read: an unknown kind (`sgg:db`), an empty set, a kind without a name.
    public static let badPolicy = DiagnosticDescriptor(
        id: "dsl-bad-policy", summary: "a policy's endpoint set does not read (an unknown kind, an empty set, no name)",
        example: "policy no-db deny internet -> sgg:db tcp/5432\n")
    /// A policy endpoint set that matches no endpoint (a warning: the policy holds vacuously for it).
    public static let policyMatchesNothing = DiagnosticDescriptor(
        id: "dsl-policy-matches-nothing", summary: "a policy's endpoint set matches no endpoint of the topology (a warning)",
        example: "vpc prod {\n  cidr 10.0.0.0/16\n  subnet app 10.0.1.0/24\n  instance web in app ip 10.0.1.10\n}\npolicy p deny internet -> tag:env=prod\n")
    /// A flow log AWS would refuse or the replay cannot deliver: an interval other than 60 or 600, an unknown
    /// format field, a bad S3 bucket or prefix or log group name, a bad `fl-` id, an unknown traffic filter.
    public static let flowLog = DiagnosticDescriptor(
        id: "dsl-flow-log", summary: "a flow log AWS would refuse (interval, format field, bucket, prefix, log group, id)",
        example: "vpc prod {\n  cidr 10.0.0.0/16\n}\nflow-log f on vpc prod interval 300\n")

    // MARK: Addressing

    /// A VPC block that AWS does not allow (no IPv4 block, the wrong size, link-local, overlapping the VPC's own).
    public static let vpcBlock = DiagnosticDescriptor(
        id: "dsl-vpc-block", summary: "a VPC without an IPv4 block, or a block AWS does not allow",
        example: "vpc prod {\n  cidr 10.0.0.0/8\n}\n")
    /// A subnet block that AWS does not allow (the wrong size, outside its VPC's blocks).
    public static let subnetBlock = DiagnosticDescriptor(
        id: "dsl-subnet-block", summary: "a subnet block of the wrong size or outside its VPC's blocks",
        example: "vpc prod {\n  cidr 10.0.0.0/16\n  subnet app 10.1.0.0/24\n}\n")
    /// Two subnets whose blocks overlap.
    public static let subnetOverlap = DiagnosticDescriptor(
        id: "dsl-subnet-overlap", summary: "two subnets' blocks overlap",
        example: "vpc prod {\n  cidr 10.0.0.0/16\n  subnet a 10.0.1.0/24\n  subnet b 10.0.1.0/25\n}\n")
    /// An interface or NAT gateway address outside its subnet, reserved by AWS, or already used.
    public static let badInterfaceAddress = DiagnosticDescriptor(
        id: "dsl-interface-address", summary: "an address outside its subnet, one of the subnet's five reserved addresses, or already used",
        example: "vpc prod {\n  cidr 10.0.0.0/16\n  subnet app 10.0.1.0/24\n  instance web in app ip 10.0.1.1\n}\n")

    // MARK: Limits

    /// Validation stopped reporting after ``Validation/maxErrors`` errors.
    public static let tooManyErrors = DiagnosticDescriptor(
        id: "dsl-too-many-errors", summary: "validation stopped after 1000 errors",
        example: (0...1000).map { "vpc v\($0) {\n}\n" }.joined())

    /// Every id, in `Docs/DIAGNOSTICS.md` order.
    public static let all: [DiagnosticDescriptor] = [
        expected, unexpected, unknownKeyword, missingBrace, badAddress, hostBits, badPort, unknownProtocol,
        missingClause, conflict,
        duplicateName, unknownName, wrongKind, wrongOwner, unknownInterface,
        onePerVPC, duplicateAssociation, duplicateRoute, routeTarget, badPeering, badAttachment, ruleNumber,
        mixedPrefixList, badEndpoint, vpcEndpoint, edge, loadBalancer, duplicateTag, badPolicy, policyMatchesNothing, flowLog,
        vpcBlock, subnetBlock, subnetOverlap, badInterfaceAddress,
        tooManyErrors,
    ]
}

/// The catalogue's entries as implicit members, so message sites read `error(.unknownName, …)`.
extension DiagnosticDescriptor {
    static var expected: DiagnosticDescriptor { DSLCatalogue.expected }
    static var unexpected: DiagnosticDescriptor { DSLCatalogue.unexpected }
    static var unknownKeyword: DiagnosticDescriptor { DSLCatalogue.unknownKeyword }
    static var missingBrace: DiagnosticDescriptor { DSLCatalogue.missingBrace }
    static var badAddress: DiagnosticDescriptor { DSLCatalogue.badAddress }
    static var hostBits: DiagnosticDescriptor { DSLCatalogue.hostBits }
    static var badPort: DiagnosticDescriptor { DSLCatalogue.badPort }
    static var unknownProtocol: DiagnosticDescriptor { DSLCatalogue.unknownProtocol }
    static var missingClause: DiagnosticDescriptor { DSLCatalogue.missingClause }
    static var conflict: DiagnosticDescriptor { DSLCatalogue.conflict }
    static var duplicateName: DiagnosticDescriptor { DSLCatalogue.duplicateName }
    static var unknownName: DiagnosticDescriptor { DSLCatalogue.unknownName }
    static var wrongKind: DiagnosticDescriptor { DSLCatalogue.wrongKind }
    static var wrongOwner: DiagnosticDescriptor { DSLCatalogue.wrongOwner }
    static var unknownInterface: DiagnosticDescriptor { DSLCatalogue.unknownInterface }
    static var onePerVPC: DiagnosticDescriptor { DSLCatalogue.onePerVPC }
    static var duplicateAssociation: DiagnosticDescriptor { DSLCatalogue.duplicateAssociation }
    static var duplicateRoute: DiagnosticDescriptor { DSLCatalogue.duplicateRoute }
    static var routeTarget: DiagnosticDescriptor { DSLCatalogue.routeTarget }
    static var badPeering: DiagnosticDescriptor { DSLCatalogue.badPeering }
    static var badAttachment: DiagnosticDescriptor { DSLCatalogue.badAttachment }
    static var ruleNumber: DiagnosticDescriptor { DSLCatalogue.ruleNumber }
    static var mixedPrefixList: DiagnosticDescriptor { DSLCatalogue.mixedPrefixList }
    static var badEndpoint: DiagnosticDescriptor { DSLCatalogue.badEndpoint }
    static var vpcEndpoint: DiagnosticDescriptor { DSLCatalogue.vpcEndpoint }
    static var edge: DiagnosticDescriptor { DSLCatalogue.edge }
    static var loadBalancer: DiagnosticDescriptor { DSLCatalogue.loadBalancer }
    static var duplicateTag: DiagnosticDescriptor { DSLCatalogue.duplicateTag }
    static var badPolicy: DiagnosticDescriptor { DSLCatalogue.badPolicy }
    static var policyMatchesNothing: DiagnosticDescriptor { DSLCatalogue.policyMatchesNothing }
    static var flowLog: DiagnosticDescriptor { DSLCatalogue.flowLog }
    static var vpcBlock: DiagnosticDescriptor { DSLCatalogue.vpcBlock }
    static var subnetBlock: DiagnosticDescriptor { DSLCatalogue.subnetBlock }
    static var subnetOverlap: DiagnosticDescriptor { DSLCatalogue.subnetOverlap }
    static var badInterfaceAddress: DiagnosticDescriptor { DSLCatalogue.badInterfaceAddress }
    static var tooManyErrors: DiagnosticDescriptor { DSLCatalogue.tooManyErrors }
}
