#!/usr/bin/env python3
"""Builds four networks with boto3 against moto (an implementation of the AWS API, in-process: mock_aws,
no network) and dumps the describe-* / get-* / search-* JSON the AWS CLI would print, one folder per
network, the layout Docs/IMPORT.md's script produces.

    pip install moto boto3   # test-time only; not needed by CI, which uses the committed JSON
    python3 Tests/ImportersTests/Fixtures/moto/make_snapshots.py   # rewrites the folders beside this file

Networks (resources are pinned by their Name tags: moto's ids are random per run):
  three-tier    one VPC: public/app/db subnets, IGW, NAT gateway, SGs chained web -> app -> db, a db NACL
  tgw-hub       a transit gateway with a shared-services hub and two spokes; spokes are isolated from each
                other by TGW route tables; a static blackhole route
  peering-mesh  three VPCs peered pairwise (full mesh) plus a fourth peered only with the first
  dual-stack    IPv6 VPC and subnet, egress-only IGW, instance with an IPv6 address
  edges         a VPC with a VGW (static route to it), a customer gateway and a static VPN to the VGW, a
                gateway route table (edge association with the IGW), an S3 gateway endpoint and an SSM interface
                endpoint; a TGW with a VPN attachment; moto's default VPC kept (IsDefault)

Where moto departs from AWS (the issue lists them), the dump is adjusted here, never by hand, and each
adjusted document carries a "_vpckit_note" key saying what was changed (importers ignore unknown keys):
  * moto creates a default VPC (172.31.0.0/16) with default subnets, SG, NACL and route table by itself:
    resources of the default VPC are dropped from the dump (a real account has one too, but these fixtures
    describe only the networks built here);
  * search-transit-gateway-routes returns static routes without their TransitGatewayAttachments: the
    attachment the route was created with is added back;
  * moto does not implement get-transit-gateway-route-table-associations: the associations document is
    written from the calls this script made (file named after the table id, as Docs/IMPORT.md's script does);
  * moto creates a default TGW route table even with DefaultRouteTableAssociation disabled, associates every
    attachment with it, and keeps that as the attachment's Association after associate-transit-gateway-route-
    table (AWS refuses a second association): left as is; the importer takes the per-table association
    documents as authoritative (VPC endpoints' and attachments' tags are also not kept by moto);
  * a NAT gateway's private IP can fall outside its subnet (left as moto prints it: the importer warns and
    lets the model pick the address);
  * custom NACLs lack the 32767 deny entries (left as is: the final deny is implicit in the language);
  * a subnet's Ipv6CidrBlockState.State comes back as a Python dict's repr: set to "associated";
  * run-instances ignores Ipv6Addresses: the address is assigned with assign-ipv6-addresses afterwards;
  * the default NACL of an IPv6 VPC lacks AWS's rules 101 for ::/0: they are created with the API.
  * edges: moto does not implement enable-vgw-route-propagation or create-vpn-connection-route, and prints
    VPN connections without Options, Routes and VgwTelemetry: Options.StaticRoutesOnly and the static Routes
    are written from the calls made, the telemetry is left out (no telemetry: the tunnels count as up);
    an interface endpoint's ENI gets an address outside its subnet (left as is: the importer warns and lets
    the model pick the address); describe-prefix-lists prints no Cidrs, so get-managed-prefix-list-entries
    is dumped for the AWS-managed lists the endpoints use; the default VPC is kept in this network only.
"""
import json
import os
import sys

import boto3
from moto import mock_aws

HERE = os.path.dirname(os.path.abspath(__file__))
REGION = "us-east-1"


def tags(name):
    return [{"Key": "Name", "Value": name}]


def spec(kind, name):
    return [{"ResourceType": kind, "Tags": tags(name)}]


class Net:
    def __init__(self, ec2):
        self.ec2 = ec2
        self.ids = {}

    def vpc(self, name, cidr, ipv6=False):
        v = self.ec2.create_vpc(CidrBlock=cidr, AmazonProvidedIpv6CidrBlock=ipv6, TagSpecifications=spec("vpc", name))["Vpc"]
        self.ids[name] = v["VpcId"]
        return v["VpcId"]

    def subnet(self, name, vpc, cidr, az="us-east-1a", public=False, ipv6=None):
        args = dict(VpcId=self.ids[vpc], CidrBlock=cidr, AvailabilityZone=az, TagSpecifications=spec("subnet", name))
        if ipv6:
            args["Ipv6CidrBlock"] = ipv6
        s = self.ec2.create_subnet(**args)["Subnet"]
        if public:
            self.ec2.modify_subnet_attribute(SubnetId=s["SubnetId"], MapPublicIpOnLaunch={"Value": True})
        self.ids[name] = s["SubnetId"]
        return s["SubnetId"]

    def igw(self, name, vpc):
        g = self.ec2.create_internet_gateway(TagSpecifications=spec("internet-gateway", name))["InternetGateway"]
        self.ec2.attach_internet_gateway(InternetGatewayId=g["InternetGatewayId"], VpcId=self.ids[vpc])
        self.ids[name] = g["InternetGatewayId"]
        return g["InternetGatewayId"]

    def table(self, name, vpc, subnets=(), routes=(), main=False):
        if main:
            t = self.ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [self.ids[vpc]]},
                                                        {"Name": "association.main", "Values": ["true"]}])["RouteTables"][0]
            self.ec2.create_tags(Resources=[t["RouteTableId"]], Tags=tags(name))
        else:
            t = self.ec2.create_route_table(VpcId=self.ids[vpc], TagSpecifications=spec("route-table", name))["RouteTable"]
        rid = t["RouteTableId"]
        self.ids[name] = rid
        for s in subnets:
            self.ec2.associate_route_table(RouteTableId=rid, SubnetId=self.ids[s])
        for dest, target in routes:
            args = {"RouteTableId": rid}
            args["DestinationIpv6CidrBlock" if ":" in dest else "DestinationCidrBlock"] = dest
            t_id = self.ids.get(target, target)
            key = {"igw": "GatewayId", "nat": "NatGatewayId", "pcx": "VpcPeeringConnectionId", "tgw": "TransitGatewayId",
                   "eigw": "EgressOnlyInternetGatewayId", "i-": "InstanceId"}[t_id.split("-")[0] if not t_id.startswith("i-") else "i-"]
            args[key] = t_id
            self.ec2.create_route(**args)
        return rid

    def sg(self, name, vpc, ingress=(), egress=None):
        g = self.ec2.create_security_group(GroupName=name, Description=name, VpcId=self.ids[vpc],
                                           TagSpecifications=spec("security-group", name))["GroupId"]
        self.ids[name] = g
        perms = []
        for proto, lo, hi, peer in ingress:
            p = {"IpProtocol": proto, "FromPort": lo, "ToPort": hi}
            if peer in self.ids:
                p["UserIdGroupPairs"] = [{"GroupId": self.ids[peer]}]
            elif ":" in peer:
                p["Ipv6Ranges"] = [{"CidrIpv6": peer}]
            else:
                p["IpRanges"] = [{"CidrIp": peer}]
            perms.append(p)
        if perms:
            self.ec2.authorize_security_group_ingress(GroupId=g, IpPermissions=perms)
        if egress is not None:
            self.ec2.revoke_security_group_egress(GroupId=g, IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
            for proto, lo, hi, cidr in egress:
                self.ec2.authorize_security_group_egress(GroupId=g, IpPermissions=[{"IpProtocol": proto, "FromPort": lo, "ToPort": hi, "IpRanges": [{"CidrIp": cidr}]}])
        return g

    def instance(self, name, subnet, ip, sgs, ipv6=None):
        args = dict(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, InstanceType="t3.micro",
                    TagSpecifications=spec("instance", name),
                    NetworkInterfaces=[{"DeviceIndex": 0, "SubnetId": self.ids[subnet], "PrivateIpAddress": ip,
                                        "Groups": [self.ids[g] for g in sgs]}])
        if ipv6:
            args["NetworkInterfaces"][0]["Ipv6Addresses"] = [{"Ipv6Address": ipv6}]
        i = self.ec2.run_instances(**args)["Instances"][0]
        self.ids[name] = i["InstanceId"]
        if ipv6 and not i["NetworkInterfaces"][0].get("Ipv6Addresses"):
            # moto ignores Ipv6Addresses at launch; assign it the way one would afterwards.
            self.ec2.assign_ipv6_addresses(NetworkInterfaceId=i["NetworkInterfaces"][0]["NetworkInterfaceId"], Ipv6Addresses=[ipv6])
        return i["InstanceId"]


def three_tier(ec2, n):
    n.vpc("prod", "10.0.0.0/16")
    n.subnet("public-a", "prod", "10.0.0.0/24", public=True)
    n.subnet("app-a", "prod", "10.0.10.0/24")
    n.subnet("db-a", "prod", "10.0.20.0/24")
    n.igw("prod-igw", "prod")
    eip = ec2.allocate_address(Domain="vpc")
    nat = ec2.create_nat_gateway(SubnetId=n.ids["public-a"], AllocationId=eip["AllocationId"],
                                 TagSpecifications=spec("natgateway", "nat-a"))["NatGateway"]
    n.ids["nat-a"] = nat["NatGatewayId"]
    n.table("public", "prod", ["public-a"], [("0.0.0.0/0", "prod-igw")])
    n.table("private", "prod", ["app-a", "db-a"], [("0.0.0.0/0", "nat-a")], main=True)
    n.sg("web", "prod", [("tcp", 443, 443, "0.0.0.0/0"), ("tcp", 22, 22, "10.0.0.0/8")])
    n.sg("app", "prod", [("tcp", 8080, 8080, "web")])
    n.sg("db", "prod", [("tcp", 5432, 5432, "app")], egress=[("tcp", 443, 443, "0.0.0.0/0")])
    acl = ec2.create_network_acl(VpcId=n.ids["prod"], TagSpecifications=spec("network-acl", "db-nacl"))["NetworkAcl"]["NetworkAclId"]
    for num, egress, action, lo, hi, cidr in [(100, False, "allow", 5432, 5432, "10.0.10.0/24"),
                                              (110, False, "allow", 1024, 65535, "0.0.0.0/0"),
                                              (100, True, "allow", 1024, 65535, "10.0.10.0/24"),
                                              (110, True, "allow", 443, 443, "0.0.0.0/0")]:
        ec2.create_network_acl_entry(NetworkAclId=acl, RuleNumber=num, Protocol="6", RuleAction=action, Egress=egress,
                                     CidrBlock=cidr, PortRange={"From": lo, "To": hi})
    assoc = [a for a in ec2.describe_network_acls(Filters=[{"Name": "association.subnet-id", "Values": [n.ids["db-a"]]}])["NetworkAcls"][0]["Associations"]
             if a["SubnetId"] == n.ids["db-a"]][0]
    ec2.replace_network_acl_association(AssociationId=assoc["NetworkAclAssociationId"], NetworkAclId=acl)
    n.instance("web-1", "public-a", "10.0.0.10", ["web"])
    n.instance("app-1", "app-a", "10.0.10.10", ["app"])
    n.instance("db-1", "db-a", "10.0.20.5", ["db"])


def tgw_hub(ec2, n):
    tgw = ec2.create_transit_gateway(Description="core", Options={"DefaultRouteTableAssociation": "disable",
                                                                  "DefaultRouteTablePropagation": "disable"},
                                     TagSpecifications=spec("transit-gateway", "core"))["TransitGateway"]["TransitGatewayId"]
    n.ids["core"] = tgw
    attachments = {}
    for name, cidr in [("shared", "10.100.0.0/16"), ("spoke-a", "10.1.0.0/16"), ("spoke-b", "10.2.0.0/16")]:
        n.vpc(name, cidr)
        n.subnet(name + "-sub", name, cidr.replace("0.0/16", "1.0/24"))
        att = ec2.create_transit_gateway_vpc_attachment(TransitGatewayId=tgw, VpcId=n.ids[name], SubnetIds=[n.ids[name + "-sub"]],
                                                        TagSpecifications=spec("transit-gateway-attachment", name + "-att"))
        attachments[name] = att["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
        n.ids[name + "-att"] = attachments[name]
        others = "10.0.0.0/8"
        n.table(name + "-rt", name, [], [(others, tgw)], main=True)
        n.sg(name + "-sg", name, [("tcp", 443, 443, "10.0.0.0/8"), ("icmp", -1, -1, "10.0.0.0/8")])
        n.instance(name + "-1", name + "-sub", cidr.replace("0.0/16", "1.10"), [name + "-sg"])
    tables = {}
    assoc_calls = {}
    for tname in ["spokes", "hub"]:
        t = ec2.create_transit_gateway_route_table(TransitGatewayId=tgw, TagSpecifications=spec("transit-gateway-route-table", tname))
        tables[tname] = t["TransitGatewayRouteTable"]["TransitGatewayRouteTableId"]
        n.ids[tname] = tables[tname]
    static = {}
    for tname, assoc, props, routes in [("spokes", ["spoke-a", "spoke-b"], ["shared"], [("10.99.0.0/16", None)]),
                                        ("hub", ["shared"], ["spoke-a", "spoke-b"], [("10.50.0.0/16", "spoke-a")])]:
        for a in assoc:
            ec2.associate_transit_gateway_route_table(TransitGatewayRouteTableId=tables[tname], TransitGatewayAttachmentId=attachments[a])
            assoc_calls.setdefault(tables[tname], []).append({"TransitGatewayAttachmentId": attachments[a], "ResourceId": n.ids[a],
                                                              "ResourceType": "vpc", "State": "associated"})
        for p in props:
            ec2.enable_transit_gateway_route_table_propagation(TransitGatewayRouteTableId=tables[tname], TransitGatewayAttachmentId=attachments[p])
        for dest, target in routes:
            if target is None:
                ec2.create_transit_gateway_route(DestinationCidrBlock=dest, TransitGatewayRouteTableId=tables[tname], Blackhole=True)
            else:
                ec2.create_transit_gateway_route(DestinationCidrBlock=dest, TransitGatewayRouteTableId=tables[tname],
                                                 TransitGatewayAttachmentId=attachments[target])
                static[(tables[tname], dest)] = (attachments[target], n.ids[target])
    return {"associations": assoc_calls, "static": static}


def peering_mesh(ec2, n):
    for name, cidr in [("mesh-a", "10.10.0.0/16"), ("mesh-b", "10.20.0.0/16"), ("mesh-c", "10.30.0.0/16"), ("edge", "10.40.0.0/16")]:
        n.vpc(name, cidr)
        n.subnet(name + "-sub", name, cidr.replace("0.0/16", "1.0/24"))
        n.sg(name + "-sg", name, [("tcp", 22, 22, "10.0.0.0/8"), ("icmp", 8, -1, "10.0.0.0/8")])
        n.instance(name + "-1", name + "-sub", cidr.replace("0.0/16", "1.10"), [name + "-sg"])
    routes = {v: [] for v in ["mesh-a", "mesh-b", "mesh-c", "edge"]}
    cidr = {"mesh-a": "10.10.0.0/16", "mesh-b": "10.20.0.0/16", "mesh-c": "10.30.0.0/16", "edge": "10.40.0.0/16"}
    for a, b in [("mesh-a", "mesh-b"), ("mesh-a", "mesh-c"), ("mesh-b", "mesh-c"), ("mesh-a", "edge")]:
        pcx = ec2.create_vpc_peering_connection(VpcId=n.ids[a], PeerVpcId=n.ids[b],
                                                TagSpecifications=spec("vpc-peering-connection", f"{a}--{b}"))["VpcPeeringConnection"]["VpcPeeringConnectionId"]
        ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=pcx)
        n.ids[f"{a}--{b}"] = pcx
        routes[a].append((cidr[b], pcx))
        routes[b].append((cidr[a], pcx))
    # edge also routes mesh-b's block to mesh-a: peering is not transitive, so it goes nowhere.
    routes["edge"].append((cidr["mesh-b"], n.ids["mesh-a--edge"]))
    for v, rs in routes.items():
        n.table(v + "-rt", v, [], rs, main=True)


def dual_stack(ec2, n):
    v = n.vpc("ds", "10.60.0.0/16", ipv6=True)
    block = ec2.describe_vpcs(VpcIds=[v])["Vpcs"][0]["Ipv6CidrBlockAssociationSet"][0]["Ipv6CidrBlock"]
    prefix = block.split("::")[0]
    sub6 = prefix[:-2] + "10::/64" if prefix.endswith("00") else block.replace("/56", "/64")
    n.subnet("ds-app", "ds", "10.60.1.0/24", ipv6=sub6)
    n.igw("ds-igw", "ds")
    eig = ec2.create_egress_only_internet_gateway(VpcId=v, TagSpecifications=spec("egress-only-internet-gateway", "ds-eigw"))
    n.ids["ds-eigw"] = eig["EgressOnlyInternetGateway"]["EgressOnlyInternetGatewayId"]
    n.table("ds-rt", "ds", ["ds-app"], [("::/0", "ds-eigw"), ("0.0.0.0/0", "ds-igw")])
    # AWS gives the default NACL of an IPv6 VPC rules 101 allowing ::/0 both ways; moto does not: add them.
    default_acl = ec2.describe_network_acls(Filters=[{"Name": "vpc-id", "Values": [v]}, {"Name": "default", "Values": ["true"]}])["NetworkAcls"][0]
    for egress in (False, True):
        ec2.create_network_acl_entry(NetworkAclId=default_acl["NetworkAclId"], RuleNumber=101, Protocol="-1", RuleAction="allow",
                                     Egress=egress, Ipv6CidrBlock="::/0")
    n.sg("ds-sg", "ds", [("tcp", 443, 443, "::/0"), ("tcp", 443, 443, "0.0.0.0/0")])
    n.instance("ds-1", "ds-app", "10.60.1.10", ["ds-sg"], ipv6=sub6.replace("::/64", "::10"))


def edges(ec2, n):
    n.vpc("edge-prod", "10.70.0.0/16")
    n.subnet("edge-app-a", "edge-prod", "10.70.1.0/24")
    n.subnet("edge-app-b", "edge-prod", "10.70.2.0/24", az="us-east-1b")
    n.igw("edge-igw", "edge-prod")
    vgw = ec2.create_vpn_gateway(Type="ipsec.1", AmazonSideAsn=65010, TagSpecifications=spec("vpn-gateway", "edge-vgw"))["VpnGateway"]["VpnGatewayId"]
    ec2.attach_vpn_gateway(VpnGatewayId=vgw, VpcId=n.ids["edge-prod"])
    n.ids["edge-vgw"] = vgw
    rt = n.table("edge-private", "edge-prod", ["edge-app-a", "edge-app-b"], [("0.0.0.0/0", "edge-igw")])
    ec2.create_route(RouteTableId=rt, DestinationCidrBlock="192.168.0.0/16", GatewayId=vgw)
    ingress = n.table("edge-ingress", "edge-prod")
    ec2.associate_route_table(RouteTableId=ingress, GatewayId=n.ids["edge-igw"])
    cgw = ec2.create_customer_gateway(Type="ipsec.1", PublicIp="198.51.100.10", BgpAsn=65000,
                                      TagSpecifications=spec("customer-gateway", "office"))["CustomerGateway"]["CustomerGatewayId"]
    n.ids["office"] = cgw
    vpn = ec2.create_vpn_connection(Type="ipsec.1", CustomerGatewayId=cgw, VpnGatewayId=vgw, Options={"StaticRoutesOnly": True},
                                    TagSpecifications=spec("vpn-connection", "office-vpn"))["VpnConnection"]["VpnConnectionId"]
    n.ids["office-vpn"] = vpn
    tgw = ec2.create_transit_gateway(Description="edge-core", TagSpecifications=spec("transit-gateway", "edge-core"))["TransitGateway"]["TransitGatewayId"]
    n.ids["edge-core"] = tgw
    branch = ec2.create_vpn_connection(Type="ipsec.1", CustomerGatewayId=cgw, TransitGatewayId=tgw,
                                       TagSpecifications=spec("vpn-connection", "branch-vpn"))["VpnConnection"]["VpnConnectionId"]
    n.ids["branch-vpn"] = branch
    gw = ec2.create_vpc_endpoint(VpcId=n.ids["edge-prod"], ServiceName="com.amazonaws.us-east-1.s3", VpcEndpointType="Gateway",
                                 RouteTableIds=[rt], TagSpecifications=spec("vpc-endpoint", "s3-gw"))["VpcEndpoint"]["VpcEndpointId"]
    n.ids["s3-gw"] = gw
    sg = n.sg("endpoints", "edge-prod", [("tcp", 443, 443, "10.70.0.0/16")])
    ssm = ec2.create_vpc_endpoint(VpcId=n.ids["edge-prod"], ServiceName="com.amazonaws.us-east-1.ssm", VpcEndpointType="Interface",
                                  SubnetIds=[n.ids["edge-app-a"]], SecurityGroupIds=[sg], PrivateDnsEnabled=True,
                                  TagSpecifications=spec("vpc-endpoint", "ssm"))["VpcEndpoint"]["VpcEndpointId"]
    n.ids["ssm"] = ssm
    n.sg("edge-app-sg", "edge-prod", [("tcp", 443, 443, "192.168.0.0/16")])
    n.instance("edge-app-1", "edge-app-a", "10.70.1.10", ["edge-app-sg"])
    return {"keep_default_vpc": True,
            "vpn": {vpn: {"StaticRoutesOnly": True, "Routes": ["192.168.0.0/16"]}, branch: {"StaticRoutesOnly": False, "Routes": []}}}


CALLS = [
    ("describe-vpcs", "describe_vpcs"), ("describe-subnets", "describe_subnets"),
    ("describe-route-tables", "describe_route_tables"), ("describe-internet-gateways", "describe_internet_gateways"),
    ("describe-egress-only-internet-gateways", "describe_egress_only_internet_gateways"),
    ("describe-nat-gateways", "describe_nat_gateways"), ("describe-addresses", "describe_addresses"),
    ("describe-vpc-peering-connections", "describe_vpc_peering_connections"),
    ("describe-transit-gateways", "describe_transit_gateways"),
    ("describe-transit-gateway-attachments", "describe_transit_gateway_attachments"),
    ("describe-transit-gateway-vpc-attachments", "describe_transit_gateway_vpc_attachments"),
    ("describe-transit-gateway-route-tables", "describe_transit_gateway_route_tables"),
    ("describe-managed-prefix-lists", "describe_managed_prefix_lists"),
    ("describe-security-groups", "describe_security_groups"), ("describe-security-group-rules", "describe_security_group_rules"),
    ("describe-network-acls", "describe_network_acls"), ("describe-network-interfaces", "describe_network_interfaces"),
    ("describe-instances", "describe_instances"), ("describe-vpc-endpoints", "describe_vpc_endpoints"),
    ("describe-vpn-gateways", "describe_vpn_gateways"), ("describe-customer-gateways", "describe_customer_gateways"),
    ("describe-vpn-connections", "describe_vpn_connections"),
]


def write(folder, name, doc):
    doc.pop("ResponseMetadata", None)
    with open(os.path.join(folder, name + ".json"), "w") as f:
        json.dump(doc, f, indent=2, sort_keys=True, default=str)
        f.write("\n")


def drop_default_vpc(doc, default_vpcs):
    """Removes resources of moto's own default VPC (see the module docstring)."""
    def keep(item):
        if not isinstance(item, dict):
            return True
        vpc = item.get("VpcId") or (item.get("Attachments") or [{}])[0].get("VpcId")
        return vpc not in default_vpcs

    for key, value in list(doc.items()):
        if isinstance(value, list):
            if key == "Reservations":
                for r in value:
                    r["Instances"] = [i for i in r["Instances"] if keep(i)]
                doc[key] = [r for r in value if r["Instances"]]
            else:
                doc[key] = [i for i in value if keep(i)]
    return doc


def dump(ec2, folder, extra):
    os.makedirs(folder, exist_ok=True)
    for f in os.listdir(folder):
        if f.endswith(".json"):
            os.remove(os.path.join(folder, f))
    default_vpcs = set() if extra.get("keep_default_vpc") else {v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"] if v.get("IsDefault")}
    default_groups = {g["GroupId"] for g in ec2.describe_security_groups()["SecurityGroups"] if g.get("VpcId") in default_vpcs}
    for cli, method in CALLS:
        doc = drop_default_vpc(getattr(ec2, method)(), default_vpcs)
        if method == "describe_security_group_rules":
            doc["SecurityGroupRules"] = [r for r in doc["SecurityGroupRules"] if r.get("GroupId") not in default_groups]
        if method == "describe_vpcs" and default_vpcs:
            doc["_vpckit_note"] = "moto's default VPC removed (make_snapshots.py)"
        if method == "describe_vpn_connections":
            for c in doc["VpnConnections"]:
                c.pop("CustomerGatewayConfiguration", None)   # the customer router's config: large and not modelled
                calls = extra.get("vpn", {}).get(c["VpnConnectionId"])
                if calls is not None:
                    c["Options"] = {"StaticRoutesOnly": calls["StaticRoutesOnly"]}
                    c["Routes"] = [{"DestinationCidrBlock": r, "Source": "Static", "State": "available"} for r in calls["Routes"]]
                    doc["_vpckit_note"] = "moto omits Options and Routes: written from the calls made (make_snapshots.py)"
        if method == "describe_subnets":
            for sub in doc["Subnets"]:
                for assoc in sub.get("Ipv6CidrBlockAssociationSet", []):
                    state = assoc.get("Ipv6CidrBlockState", {}).get("State", "")
                    if state.startswith("{"):
                        assoc["Ipv6CidrBlockState"]["State"] = "associated"
                        doc["_vpckit_note"] = "Ipv6CidrBlockState.State printed by moto as a Python dict; set to 'associated' (make_snapshots.py)"
        write(folder, cli, doc)
    for t in ec2.describe_transit_gateway_route_tables()["TransitGatewayRouteTables"]:
        tid = t["TransitGatewayRouteTableId"]
        props = ec2.get_transit_gateway_route_table_propagations(TransitGatewayRouteTableId=tid)
        write(folder, f"get-transit-gateway-route-table-propagations.{tid}", props)
        assoc = {"Associations": extra.get("associations", {}).get(tid, []),
                 "_vpckit_note": "moto lacks get-transit-gateway-route-table-associations: written from the calls made (make_snapshots.py)"}
        write(folder, f"get-transit-gateway-route-table-associations.{tid}", assoc)
        routes = ec2.search_transit_gateway_routes(TransitGatewayRouteTableId=tid, Filters=[{"Name": "type", "Values": ["static", "propagated"]}])
        patched = False
        for r in routes.get("Routes", []):
            key = (tid, r.get("DestinationCidrBlock"))
            if r.get("Type") == "static" and r.get("State") != "blackhole" and not r.get("TransitGatewayAttachments") and key in extra.get("static", {}):
                att, resource = extra["static"][key]
                r["TransitGatewayAttachments"] = [{"TransitGatewayAttachmentId": att, "ResourceId": resource, "ResourceType": "vpc"}]
                patched = True
        if patched:
            routes["_vpckit_note"] = "TransitGatewayAttachments of static routes added back (moto omits them; make_snapshots.py)"
        write(folder, f"search-transit-gateway-routes.{tid}", routes)
    used = {r.get("DestinationPrefixListId") for t in ec2.describe_route_tables()["RouteTables"] for r in t["Routes"]}
    for pl in ec2.describe_managed_prefix_lists()["PrefixLists"]:
        if pl.get("OwnerId") == "AWS" and pl["PrefixListId"] not in used:
            continue
        entries = ec2.get_managed_prefix_list_entries(PrefixListId=pl["PrefixListId"])
        write(folder, f"get-managed-prefix-list-entries.{pl['PrefixListId']}", entries)


def main():
    builders = {"three-tier": three_tier, "tgw-hub": tgw_hub, "peering-mesh": peering_mesh, "dual-stack": dual_stack, "edges": edges}
    only = sys.argv[1:] or list(builders)
    for name in only:
        with mock_aws():
            ec2 = boto3.client("ec2", region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing")
            net = Net(ec2)
            extra = builders[name](ec2, net) or {}
            dump(ec2, os.path.join(HERE, name, REGION), extra)
            print(f"{name}: {len(net.ids)} named resources", file=sys.stderr)


if __name__ == "__main__":
    main()
