#!/usr/bin/env python3
"""Writes plan-moved-reference.json: a plan whose aws_default_route_table moves from one VPC to another.

Two VPCs outside the configuration (data "aws_vpc" a and b), each with a managed subnet, internet gateway,
security group (ssh from anywhere) and instance with a public IP. Before the plan the default route table is
VPC a's main table with 0.0.0.0/0 -> igw a (prior_state: default_route_table_id and vpc_id of a); the plan's
configuration points it at VPC b's main table with 0.0.0.0/0 -> igw b. So `vpckit diff` of the plan must close
internet <-> instance a and open internet <-> instance b on ssh. Resolving the prior side's table through the
planned configuration would put the prior table (and its route to igw a) in VPC b.

Hand-written in the shape `terraform show -json` gives (values as the AWS provider 5.x records them); run from
this folder: python3 make_moved_reference_fixture.py
"""
import json

ACCOUNT = "123456789012"
VPC = {"a": ("vpc-0aaaaaaaaaaaaaaa1", "10.0.0.0/16", "rtb-0aaaaaaaaaaaaaaa1"),
       "b": ("vpc-0bbbbbbbbbbbbbbb1", "10.1.0.0/16", "rtb-0bbbbbbbbbbbbbbb1")}
SUBNET = {"a": ("subnet-0aaaaaaaaaaaaaaa1", "10.0.1.0/24"), "b": ("subnet-0bbbbbbbbbbbbbbb1", "10.1.1.0/24")}
IGW = {"a": "igw-0aaaaaaaaaaaaaaa1", "b": "igw-0bbbbbbbbbbbbbbb1"}
SG = {"a": "sg-0aaaaaaaaaaaaaaa1", "b": "sg-0bbbbbbbbbbbbbbb1"}
INSTANCE = {"a": ("i-0aaaaaaaaaaaaaaa1", "10.0.1.10", "54.240.0.10", "eni-0aaaaaaaaaaaaaaa1"),
            "b": ("i-0bbbbbbbbbbbbbbb1", "10.1.1.10", "54.240.0.11", "eni-0bbbbbbbbbbbbbbb1")}
PROVIDER = "registry.terraform.io/hashicorp/aws"


def resource(address, type_, name, values, mode="managed"):
    return {"address": address, "mode": mode, "type": type_, "name": name, "provider_name": PROVIDER,
            "schema_version": 0, "values": values, "sensitive_values": {}}


def data_vpc(k):
    vpc, cidr, rtb = VPC[k]
    return resource(f"data.aws_vpc.{k}", "aws_vpc", k, {
        "arn": f"arn:aws:ec2:us-east-1:{ACCOUNT}:vpc/{vpc}", "cidr_block": cidr,
        "cidr_block_associations": [{"association_id": f"vpc-cidr-assoc-0{k * 16}", "cidr_block": cidr, "state": "associated"}],
        "default": False, "id": vpc, "main_route_table_id": rtb, "owner_id": ACCOUNT, "tags": {"Name": f"vpc-{k}"},
        "ipv6_association_id": "", "ipv6_cidr_block": ""}, mode="data")


def managed(k):
    vpc, _, _ = VPC[k]
    subnet, subnet_cidr = SUBNET[k]
    instance, private, public, eni = INSTANCE[k]
    return [
        resource(f"aws_subnet.{k}", "aws_subnet", k, {
            "id": subnet, "vpc_id": vpc, "cidr_block": subnet_cidr, "availability_zone": "us-east-1a",
            "ipv6_cidr_block": "", "map_public_ip_on_launch": False, "tags": {"Name": f"subnet-{k}"}}),
        resource(f"aws_internet_gateway.{k}", "aws_internet_gateway", k, {
            "id": IGW[k], "vpc_id": vpc, "owner_id": ACCOUNT, "tags": {"Name": f"igw-{k}"}}),
        resource(f"aws_security_group.{k}", "aws_security_group", k, {
            "id": SG[k], "vpc_id": vpc, "name": f"ssh-{k}", "description": "ssh", "owner_id": ACCOUNT, "tags": {"Name": f"ssh-{k}"},
            "ingress": [{"cidr_blocks": ["0.0.0.0/0"], "description": "", "from_port": 22, "to_port": 22, "protocol": "tcp",
                         "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": [], "self": False}],
            "egress": [{"cidr_blocks": ["0.0.0.0/0"], "description": "", "from_port": 0, "to_port": 0, "protocol": "-1",
                        "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": [], "self": False}]}),
        resource(f"aws_instance.{k}", "aws_instance", k, {
            "id": instance, "subnet_id": subnet, "private_ip": private, "public_ip": public, "associate_public_ip_address": True,
            "primary_network_interface_id": eni, "source_dest_check": True, "vpc_security_group_ids": [SG[k]],
            "instance_type": "t3.micro", "ami": "ami-12c6146b", "tags": {"Name": f"host-{k}"}}),
    ]


def default_table(k):
    vpc, _, rtb = VPC[k]
    return resource("aws_default_route_table.main", "aws_default_route_table", "main", {
        "id": rtb, "default_route_table_id": rtb, "vpc_id": vpc, "owner_id": ACCOUNT, "propagating_vgws": [],
        "route": [{"cidr_block": "0.0.0.0/0", "gateway_id": IGW[k], "ipv6_cidr_block": "", "destination_prefix_list_id": "",
                   "nat_gateway_id": "", "network_interface_id": "", "transit_gateway_id": "", "vpc_endpoint_id": "",
                   "vpc_peering_connection_id": "", "egress_only_gateway_id": "", "carrier_gateway_id": "",
                   "core_network_arn": "", "local_gateway_id": ""}],
        "tags": {"Name": "main"}})


def module(table):
    return [data_vpc("a"), data_vpc("b")] + managed("a") + managed("b") + [table]


def config_resource(address, type_, name, expressions, mode="managed"):
    return {"address": address, "mode": mode, "type": type_, "name": name, "provider_config_key": "aws",
            "expressions": expressions, "schema_version": 0}


def ref(*refs):
    return {"references": list(refs)}


configuration = {"provider_config": {"aws": {"name": "aws", "full_name": PROVIDER,
                                             "expressions": {"region": {"constant_value": "us-east-1"}}}},
                 "root_module": {"resources": []}}
for k in "ab":
    configuration["root_module"]["resources"] += [
        config_resource(f"data.aws_vpc.{k}", "aws_vpc", k, {"id": {"constant_value": VPC[k][0]}}, mode="data"),
        config_resource(f"aws_subnet.{k}", "aws_subnet", k, {"vpc_id": ref(f"data.aws_vpc.{k}.id", f"data.aws_vpc.{k}"),
                                                              "cidr_block": {"constant_value": SUBNET[k][1]}}),
        config_resource(f"aws_internet_gateway.{k}", "aws_internet_gateway", k, {"vpc_id": ref(f"data.aws_vpc.{k}.id", f"data.aws_vpc.{k}")}),
        config_resource(f"aws_security_group.{k}", "aws_security_group", k, {"vpc_id": ref(f"data.aws_vpc.{k}.id", f"data.aws_vpc.{k}")}),
        config_resource(f"aws_instance.{k}", "aws_instance", k, {"subnet_id": ref(f"aws_subnet.{k}.id", f"aws_subnet.{k}"),
                                                                  "vpc_security_group_ids": ref(f"aws_security_group.{k}.id", f"aws_security_group.{k}")}),
    ]
# The planned configuration: the default route table is VPC b's now.
configuration["root_module"]["resources"].append(config_resource(
    "aws_default_route_table.main", "aws_default_route_table", "main", {
        "default_route_table_id": ref("data.aws_vpc.b.main_route_table_id", "data.aws_vpc.b"),
        "route": ref("aws_internet_gateway.b.id", "aws_internet_gateway.b")}))

prior, planned = default_table("a"), default_table("b")
plan = {
    "format_version": "1.2", "terraform_version": "1.9.8",
    "planned_values": {"root_module": {"resources": [r for r in module(planned) if r["mode"] == "managed"]}},
    "resource_changes": [{"address": "aws_default_route_table.main", "mode": "managed", "type": "aws_default_route_table",
                          "name": "main", "provider_name": PROVIDER,
                          "change": {"actions": ["delete", "create"], "before": prior["values"], "after": planned["values"],
                                     "after_unknown": {}, "before_sensitive": {}, "after_sensitive": {}}}],
    "prior_state": {"format_version": "1.0", "terraform_version": "1.9.8", "values": {"root_module": {"resources": module(prior)}}},
    "configuration": configuration,
    "timestamp": "2026-12-07T14:00:00Z", "applyable": True, "complete": True, "errored": False,
}
with open("plan-moved-reference.json", "w") as f:
    json.dump(plan, f, indent=1)
    f.write("\n")
