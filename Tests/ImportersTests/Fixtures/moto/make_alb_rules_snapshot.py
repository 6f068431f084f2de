#!/usr/bin/env python3
"""Builds an ALB with listener rules and a weighted default forward with boto3 against moto (mock_aws,
in-process) and dumps what the AWS CLI would print into alb-rules/us-east-1 (make_snapshots.py's helpers):

  one VPC, two public subnets with an IGW, an internet-facing ALB `shop-alb` (SG `alb`: tcp 80 from anywhere),
  listener HTTP 80 whose default action forwards to `blue` (weight 80) and `green` (weight 20), and a rule
  (priority 10, path-pattern /api/*) forwarding to `api`; `web-1` in blue, `web-2` in green, `api-1` in api,
  each on 8080. `web` (web-1, web-2) admits 8080 from the ALB's SG; `api-1`'s SG `api` does not (9090 only).

    python3 Tests/ImportersTests/Fixtures/moto/make_alb_rules_snapshot.py
"""
import os
import sys

import boto3
from moto import mock_aws

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_snapshots import HERE, REGION, Net, dump, write  # noqa: E402


def main():
    with mock_aws():
        kw = dict(region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing")
        ec2 = boto3.client("ec2", **kw)
        elbv2 = boto3.client("elbv2", **kw)
        n = Net(ec2)
        n.vpc("shop", "10.2.0.0/16")
        n.subnet("pub-a", "shop", "10.2.0.0/24", az="us-east-1a", public=True)
        n.subnet("pub-b", "shop", "10.2.1.0/24", az="us-east-1b", public=True)
        n.igw("shop-igw", "shop")
        n.table("shop-public", "shop", subnets=["pub-a", "pub-b"], routes=[("0.0.0.0/0", "shop-igw")])
        n.sg("alb", "shop", ingress=[("tcp", 80, 80, "0.0.0.0/0")])
        n.sg("web", "shop", ingress=[("tcp", 8080, 8080, "alb")])
        n.sg("api", "shop", ingress=[("tcp", 9090, 9090, "alb")])
        n.instance("web-1", "pub-a", "10.2.0.10", ["web"])
        n.instance("web-2", "pub-b", "10.2.1.10", ["web"])
        n.instance("api-1", "pub-a", "10.2.0.20", ["api"])
        lb = elbv2.create_load_balancer(Name="shop-alb", Subnets=[n.ids["pub-a"], n.ids["pub-b"]],
                                        SecurityGroups=[n.ids["alb"]], Scheme="internet-facing", Type="application")
        lb_arn = lb["LoadBalancers"][0]["LoadBalancerArn"]
        groups = {}
        for name, members in [("blue", ["web-1"]), ("green", ["web-2"]), ("api", ["api-1"])]:
            tg = elbv2.create_target_group(Name=name, Protocol="HTTP", Port=8080, VpcId=n.ids["shop"], TargetType="instance")
            groups[name] = tg["TargetGroups"][0]["TargetGroupArn"]
            elbv2.register_targets(TargetGroupArn=groups[name], Targets=[{"Id": n.ids[m], "Port": 8080} for m in members])
        listener = elbv2.create_listener(LoadBalancerArn=lb_arn, Protocol="HTTP", Port=80, DefaultActions=[{
            "Type": "forward", "ForwardConfig": {"TargetGroups": [
                {"TargetGroupArn": groups["blue"], "Weight": 80}, {"TargetGroupArn": groups["green"], "Weight": 20}]}}])
        listener_arn = listener["Listeners"][0]["ListenerArn"]
        elbv2.create_rule(ListenerArn=listener_arn, Priority=10,
                          Conditions=[{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/api/*"]}}],
                          Actions=[{"Type": "forward", "TargetGroupArn": groups["api"]}])
        folder = os.path.join(HERE, "alb-rules", REGION)
        dump(ec2, folder, {})
        write(folder, "elbv2-describe-load-balancers", elbv2.describe_load_balancers())
        write(folder, "elbv2-describe-listeners", elbv2.describe_listeners(LoadBalancerArn=lb_arn))
        write(folder, "elbv2-describe-rules", elbv2.describe_rules(ListenerArn=listener_arn))
        write(folder, "elbv2-describe-target-groups", elbv2.describe_target_groups())
        for name, arn in groups.items():
            # describe-target-health does not name its group: the ARN is added as Docs/IMPORT.md's script adds it.
            health = elbv2.describe_target_health(TargetGroupArn=arn)
            write(folder, f"elbv2-describe-target-health.{name}", {"TargetGroupArn": arn, **health})
        print(f"alb-rules: {len(n.ids)} named resources", file=sys.stderr)


if __name__ == "__main__":
    main()
