#!/usr/bin/env python3
"""Builds a classic ELB network with boto3 against moto (mock_aws, in-process) and dumps what the AWS CLI would
print into classic-elb/us-east-1, the layout Docs/IMPORT.md's script produces (make_snapshots.py's helpers):

  one VPC, two public subnets in two AZs with an IGW, an internet-facing classic load balancer `legacy-elb`
  (SG `elb`: tcp 80 from anywhere) with listener TCP 80 -> instance port 8080 in front of `web-1` and `web-2`
  (SG `web`: 8080 from the ELB's SG); `web-2` is OutOfService in describe-instance-health.

    python3 Tests/ImportersTests/Fixtures/moto/make_elb_snapshot.py

moto departures, adjusted here (each adjusted document carries "_vpckit_note"):
  * describe-instance-health reports every registered instance InService: web-2's state is set to OutOfService
    (as a failing health check would make it), so the fixture has one unhealthy instance;
  * describe-load-balancer-attributes and describe-instance-health do not name the load balancer: the file names
    carry it (describe-load-balancer-attributes.legacy-elb.json), as Docs/IMPORT.md says.
"""
import os
import sys

import boto3
from moto import mock_aws

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_snapshots import HERE, REGION, Net, dump, write  # noqa: E402


def classic_elb(ec2, n):
    n.vpc("shop", "10.1.0.0/16")
    n.subnet("pub-a", "shop", "10.1.0.0/24", az="us-east-1a", public=True)
    n.subnet("pub-b", "shop", "10.1.1.0/24", az="us-east-1b", public=True)
    n.igw("shop-igw", "shop")
    n.table("shop-public", "shop", subnets=["pub-a", "pub-b"], routes=[("0.0.0.0/0", "shop-igw")])
    n.sg("elb", "shop", ingress=[("tcp", 80, 80, "0.0.0.0/0")])
    n.sg("web", "shop", ingress=[("tcp", 8080, 8080, "elb")])
    n.instance("web-1", "pub-a", "10.1.0.10", ["web"])
    n.instance("web-2", "pub-b", "10.1.1.10", ["web"])


def main():
    with mock_aws():
        ec2 = boto3.client("ec2", region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing")
        elb = boto3.client("elb", region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing")
        n = Net(ec2)
        classic_elb(ec2, n)
        elb.create_load_balancer(LoadBalancerName="legacy-elb", Subnets=[n.ids["pub-a"], n.ids["pub-b"]],
                                 SecurityGroups=[n.ids["elb"]], Scheme="internet-facing",
                                 Listeners=[{"Protocol": "TCP", "LoadBalancerPort": 80, "InstanceProtocol": "TCP", "InstancePort": 8080}])
        elb.register_instances_with_load_balancer(LoadBalancerName="legacy-elb",
                                                  Instances=[{"InstanceId": n.ids["web-1"]}, {"InstanceId": n.ids["web-2"]}])
        elb.modify_load_balancer_attributes(LoadBalancerName="legacy-elb",
                                            LoadBalancerAttributes={"CrossZoneLoadBalancing": {"Enabled": True}})
        folder = os.path.join(HERE, "classic-elb", REGION)
        dump(ec2, folder, {})
        write(folder, "elb-describe-load-balancers", elb.describe_load_balancers())
        write(folder, "describe-load-balancer-attributes.legacy-elb", elb.describe_load_balancer_attributes(LoadBalancerName="legacy-elb"))
        health = elb.describe_instance_health(LoadBalancerName="legacy-elb")
        for s in health["InstanceStates"]:
            if s["InstanceId"] == n.ids["web-2"]:
                s["State"], s["ReasonCode"], s["Description"] = "OutOfService", "Instance", "Instance has failed at least the UnhealthyThreshold number of health checks consecutively."
        health["_vpckit_note"] = "moto reports every instance InService: web-2 set to OutOfService (make_elb_snapshot.py)"
        write(folder, "describe-instance-health.legacy-elb", health)
        print(f"classic-elb: {len(n.ids)} named resources", file=sys.stderr)


if __name__ == "__main__":
    main()
