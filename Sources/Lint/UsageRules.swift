import NetworkModel

/// Resources nothing uses: security groups, NACLs, route tables.
enum UsageRules {
    static func run(_ context: inout LintContext) {
        let index = context.index
        var referenced = Set<String>()
        for group in context.topology.vpcs.flatMap(\.securityGroups) {
            for rule in group.ingress + (group.egress ?? []) {
                if case .securityGroup(let name) = rule.peer { referenced.insert(name) }
            }
        }
        for (v, vpc) in context.topology.vpcs.enumerated() {
            let subnetNames = Set(vpc.subnets.map(\.name))
            // The default group and NACL are never unused in AWS's sense: they cannot be deleted.
            // Interface endpoints' and load balancers' network interfaces hold their groups too.
            let endpointGroups = Set(vpc.endpoints.filter { $0.kind == .interface }.flatMap(\.securityGroups))
                .union(vpc.loadBalancers.flatMap(\.securityGroups))
            for group in vpc.securityGroups where group.name != "default" && !group.isDefault && !endpointGroups.contains(group.name) {
                if index.interfaces(holding: group.name, vpc: v).isEmpty {
                    context.report(LintCatalogue.sgUnused, at: group.location,
                                   "security group '\(group.name)' is attached to no interface\(referenced.contains(group.name) ? " (other groups reference it, so those rules match nothing)" : "")",
                                   fix: referenced.contains(group.name) ? nil
                                       : LintFix("attach it to the instances it was written for, or delete it (nothing uses it: deleting changes no path)",
                                                 [.delete(group.location)]))
                }
            }
            for acl in vpc.networkACLs where !acl.isDefault && !acl.associations.contains(where: subnetNames.contains) {
                context.report(LintCatalogue.naclUnused, at: acl.location,
                               "network ACL '\(acl.name)' is associated with no subnet of VPC '\(vpc.name)'",
                               fix: LintFix("associate it with the subnets it was written for (they use the VPC's default NACL now), or delete it (deleting changes no path)",
                                            [.delete(acl.location)]))
            }
            // A gateway route table (edge-associated with the IGW or VGW) has no subnets by design.
            for table in vpc.routeTables where !table.isMain && table.edgeAssociations.isEmpty
                && !table.associations.contains(where: subnetNames.contains) {
                context.report(LintCatalogue.routeTableUnused, at: table.location,
                               "route table '\(table.name)' is associated with no subnet of VPC '\(vpc.name)': its \(table.routes.count == 1 ? "route applies" : "\(table.routes.count) routes apply") nowhere",
                               fix: LintFix("associate it with the subnets it was written for (they use the main table now), or delete it (deleting changes no path)",
                                            [.delete(table.location)]))
            }
        }
    }
}
