// Validation of load balancers (Docs/DSL.md "Load balancers"): subnets and groups of the VPC, one node per
// availability zone, addresses per node, listeners to target groups of the VPC, targets of the right kind.
import IPAddressing
import Reporting

extension Validation {
    static let instanceKind: ResourceKinds = [.instance]

    mutating func checkLoadBalancers(_ vpc: VPC, index: Int) {
        for lb in vpc.loadBalancers { checkLoadBalancer(lb, vpc: vpc, index: index) }
        for g in vpc.targetGroups {
            if g.targetProtocol == .geneve, let port = g.port, port != LoadBalancer.genevePort {
                error(.loadBalancer, "geneve target group '\(g.name)' uses port \(port); GENEVE runs on port \(LoadBalancer.genevePort)",
                      at: g.location, word: String(port), hint: "write 'target-group \(g.name) \(g.targetType.rawValue) geneve 6081'")
            }
            for t in g.targets { checkTarget(t, type: g.targetType, owner: g.name, vpc: vpc, index: index) }
        }
    }

    mutating func checkLoadBalancer(_ lb: LoadBalancer, vpc: VPC, index: Int) {
        let subnets = zonalSubnets(lb.subnets, of: "load balancer '\(lb.name)'", kind: .loadBalancer, vpc: vpc, index: index, at: lb.location,
                                   hint: "a load balancer has one node per availability zone: at most one subnet in each")
        if lb.kind == .gateway, !lb.securityGroups.isEmpty {
            error(.loadBalancer, "gateway load balancer '\(lb.name)' has no security groups", at: lb.location,
                  word: lb.securityGroups[0], hint: "the appliances' security groups decide what the GWLB may send them")
        }
        for g in lb.securityGroups {
            resolve(g, as: Validation.securityGroupKind, what: "security group", inVPC: index, at: lb.location)
        }
        if lb.addresses.count > lb.subnets.count {
            error(.loadBalancer, "load balancer '\(lb.name)' has \(lb.addresses.count) addresses for \(lb.subnets.count) subnets",
                  at: lb.location, word: lb.addresses[lb.subnets.count].description,
                  hint: "'ip' gives one address per subnet, in the order of 'subnets'")
        }
        if lb.publicAddresses.count > lb.subnets.count {
            error(.loadBalancer, "load balancer '\(lb.name)' has \(lb.publicAddresses.count) public addresses for \(lb.subnets.count) subnets",
                  at: lb.location, word: lb.publicAddresses[lb.subnets.count].description,
                  hint: "'public-ip' gives one address per subnet, in the order of 'subnets'")
        }
        if !lb.publicAddresses.isEmpty, lb.scheme == .internal {
            error(.loadBalancer, "internal load balancer '\(lb.name)' has no public addresses", at: lb.location,
                  word: lb.publicAddresses[0].description, hint: "make it 'internet-facing', or remove 'public-ip'")
        }
        if lb.interfaceIDs.count > lb.subnets.count {
            error(.loadBalancer, "load balancer '\(lb.name)' has \(lb.interfaceIDs.count) ENI ids for \(lb.subnets.count) subnets",
                  at: lb.location, word: lb.interfaceIDs[lb.subnets.count])
        }
        checkNodeAddresses(lb.addresses, in: subnets, what: "load balancer address", vpc: vpc,
                           before: VPCEndpoint(name: "", kind: .interface, service: ""), at: lb.location)
        for l in lb.listeners {
            for g in l.targetGroups {
                guard let group = vpc.targetGroups.first(where: { $0.name == g }) else {
                    if let e = edgeNames[g], e.kind == .targetGroup {
                        error(.wrongOwner, "target group '\(g)' is in vpc '\(vpcName(e.owner))', not in vpc '\(vpc.name)'",
                              at: l.location, word: g, hint: "a load balancer forwards to target groups of its own VPC")
                    } else {
                        error(.unknownName, "listener \(l.listenerProtocol.rawValue) \(l.port) of '\(lb.name)' forwards to unknown target group '\(g)'",
                              at: l.location, word: g, hint: didYouMean(g, vpc.targetGroups.map(\.name)) ?? "declare it: 'target-group \(g) instance tcp PORT'")
                    }
                    continue
                }
                if lb.kind == .application, group.targetProtocol.map({ $0 != .http && $0 != .https }) ?? false {
                    error(.loadBalancer, "application load balancer '\(lb.name)' cannot forward to \(group.targetProtocol?.rawValue ?? "") target group '\(g)'",
                          at: l.location, word: g, hint: "an ALB's target groups use http or https")
                }
                if lb.kind == .gateway {
                    if group.targetProtocol != .geneve || group.targetType == .lambda {
                        error(.loadBalancer, "gateway load balancer '\(lb.name)' forwards only to geneve target groups, not '\(g)'",
                              at: l.location, word: g, hint: "write 'target-group \(g) instance|ip geneve 6081'")
                    }
                } else if group.targetProtocol == .geneve {
                    error(.loadBalancer, "\(lb.kind.rawValue) load balancer '\(lb.name)' cannot forward to geneve target group '\(g)'",
                          at: l.location, word: g, hint: "geneve target groups serve gateway load balancers")
                }
                if lb.kind == .network, group.targetType == .lambda {
                    error(.loadBalancer, "network load balancer '\(lb.name)' cannot forward to lambda target group '\(g)'",
                          at: l.location, word: g)
                }
            }
        }
        if lb.kind == .classic {
            for t in lb.targets { checkTarget(t, type: .instance, owner: lb.name, vpc: vpc, index: index) }
        }
    }

    mutating func checkTarget(_ t: LoadBalancerTarget, type: TargetGroup.TargetType, owner: String, vpc: VPC, index: Int) {
        switch type {
        case .instance:
            resolve(t.target, as: Validation.instanceKind, what: "instance", inVPC: index, at: t.location)
        case .ip:
            // Parsed as an address already; one inside the VPC must be in one of its subnets.
            guard let a = try? IPv4Address(parsing: Substring(t.target)) else { return }
            if vpc.cidrs.contains(where: { $0.contains(a) }), !vpc.subnets.contains(where: { $0.cidr.contains(a) }) {
                error(.loadBalancer, "target \(a) of '\(owner)' is in vpc '\(vpc.name)' but in none of its subnets", at: t.location,
                      word: t.target)
            }
        case .lambda:
            break
        }
        if type == .lambda, t.port != nil {
            error(.loadBalancer, "a lambda target has no port", at: t.location, word: t.target)
        }
    }
}
