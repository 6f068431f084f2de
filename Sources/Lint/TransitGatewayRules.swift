import IPAddressing
import NetworkModel

/// Transit gateway rules: associations, tables nobody uses, one-way paths, appliance mode, blackholes.
enum TransitGatewayRules {
    static func run(_ context: inout LintContext) {
        let routing = context.routing
        for tgw in context.topology.transitGateways {
            let associated = Set(tgw.routeTables.flatMap(\.associations))
            for attachment in tgw.attachments where !associated.contains(attachment.name) {
                context.report(LintCatalogue.tgwAttachmentNoAssociation, at: attachment.location,
                               "attachment '\(attachment.name)' (VPC '\(attachment.vpc)') of transit gateway '\(tgw.name)' has no associated route table: packets arriving from it are dropped",
                               hint: "add 'associate \(attachment.name)' to a route table of '\(tgw.name)'")
            }
            for table in tgw.routeTables {
                if table.associations.isEmpty && (!table.propagations.isEmpty || !table.routes.isEmpty) {
                    let what = table.propagations.isEmpty ? "static routes" : "routes propagated from \(table.propagations.map { "'\($0)'" }.joined(separator: ", "))"
                    context.report(LintCatalogue.tgwRouteTableNotAssociated, at: table.location,
                                   "route table '\(table.name)' of transit gateway '\(tgw.name)' holds \(what) but no attachment is associated with it: no packet ever uses them")
                }
                for route in table.routes {
                    let at = route.location.isKnown ? route.location : table.location
                    switch route.target {
                    case .blackhole:
                        context.report(LintCatalogue.tgwRouteBlackhole, at: at,
                                       "route \(route.destination) in table '\(table.name)' of transit gateway '\(tgw.name)' drops matching traffic")
                    case .attachment(let name):
                        if !tgw.attachments.contains(where: { $0.name == name }) {
                            let elsewhere = context.index.attachments[name].map { " (it belongs to transit gateway '\(context.topology.transitGateways[$0.tgw].name)')" } ?? ""
                            let rule = elsewhere.isEmpty ? LintCatalogue.routeTargetMissing : LintCatalogue.routeTargetOtherVPC
                            context.report(rule, at: at,
                                           "route \(route.destination) -> \(name) in table '\(table.name)': transit gateway '\(tgw.name)' has no attachment '\(name)'\(elsewhere)")
                        }
                    }
                }
            }
            asymmetry(tgw, routing, &context)
            applianceMode(tgw, &context)
        }
    }

    /// A → B forwarded straight to B by A's table, while B's table sends A's blocks elsewhere (or nowhere).
    static func asymmetry(_ tgw: TransitGateway, _ routing: RoutingView, _ context: inout LintContext) {
        let index = context.index
        var associated: [String: (TGWRouteTable, Int32)] = [:]
        for t in tgw.routeTables {
            guard let i = routing.tgwTableIndex(t.name, tgw: tgw.name) else { continue }
            for name in t.associations where associated[name] == nil { associated[name] = (t, i) }
        }
        func table(of attachment: TGWAttachment) -> (TGWRouteTable, Int32)? { associated[attachment.name] }
        // Compact per-attachment facts, so the pairwise loop touches only integers and addresses.
        struct Side {
            var attachment: TGWAttachment
            var vpc: Int
            var table: (TGWRouteTable, Int32)?
            var compiled: Int32?
            var appliance: Bool
        }
        let compiledIndex = Dictionary(routing.compiled.tgwAttachments.indices.filter {
            routing.compiled.tgwAttachments[$0].transitGateway >= 0
                && routing.compiled.transitGateways[Int(routing.compiled.tgwAttachments[$0].transitGateway)].name == tgw.name
        }.map { (routing.compiled.tgwAttachments[$0].name, Int32($0)) }, uniquingKeysWith: { a, _ in a })
        let sides: [Side] = tgw.attachments.compactMap { a in
            guard let v = index.vpcIndex[a.vpc] else { return nil }
            return Side(attachment: a, vpc: v, table: table(of: a), compiled: compiledIndex[a.name], appliance: isAppliance(a, index))
        }
        for a in sides where !a.appliance {
            guard let (tableA, ia) = a.table, let ca = a.compiled else { continue }
            for b in sides where b.vpc != a.vpc {
                guard let (tableB, ib) = b.table, let cb = b.compiled else { continue }
                for blockB in index.topology.vpcs[b.vpc].cidrs {
                    guard routing.tgwTarget(table: ia, blockB.network) == cb else { continue }
                    for blockA in index.topology.vpcs[a.vpc].cidrs {
                        let back = routing.tgwRoute(table: ib, blockA.network)
                        if routing.tgwTarget(table: ib, blockA.network) == ca { continue }
                        let got: String
                        switch back {
                        case nil: got = "has no route"
                        case .blackhole?: got = "blackholes it"
                        case .attachment(let other)?: got = "sends it to '\(other)'"
                        }
                        let an = a.attachment.name, bn = b.attachment.name
                        context.report(LintCatalogue.tgwAsymmetricPath, at: tableB.location,
                                       "transit gateway '\(tgw.name)': table '\(tableA.name)' sends \(blockB) from '\(an)' straight to '\(bn)', but for the reply to \(blockA) table '\(tableB.name)' (associated with '\(bn)') \(got)",
                                       hint: "add 'propagate \(an)' to table '\(tableB.name)', or route \(blockA) -> \(an) there",
                                       related: [(tableA.location, "table '\(tableA.name)' associated with '\(an)'")])
                    }
                }
            }
        }
    }

    /// Interfaces that attachment subnets' route tables steer traffic to (an inspection or appliance VPC).
    static func appliances(of attachment: TGWAttachment, _ index: TopologyIndex) -> [String] {
        guard let v = index.vpcIndex[attachment.vpc] else { return [] }
        var found: [String] = []
        for subnet in attachment.subnets {
            guard let table = index.routeTable(for: subnet) else { continue }
            for route in table.routes {
                guard case .named(let name) = route.target, case .interface(let w, let instance, let interface) = index.target(name), w == v else { continue }
                let shown = instance.displayName(of: interface)
                if !found.contains(shown) { found.append(shown) }
            }
        }
        return found
    }

    /// An attachment whose traffic is forwarded for others (appliance mode, or subnets routing to an
    /// appliance): its VPC's own blocks are not the sources of what it sends, so one-way checks skip it.
    static func isAppliance(_ attachment: TGWAttachment, _ index: TopologyIndex) -> Bool {
        attachment.applianceMode || !appliances(of: attachment, index).isEmpty
    }

    /// An attachment in several AZs of a VPC whose attachment subnets steer traffic to an appliance interface.
    static func applianceMode(_ tgw: TransitGateway, _ context: inout LintContext) {
        let index = context.index
        for attachment in tgw.attachments where !attachment.applianceMode {
            guard index.vpcIndex[attachment.vpc] != nil else { continue }
            let zones = Set(attachment.subnets.compactMap { index.subnets[$0]?.subnet.availabilityZone })
            guard zones.count > 1 else { continue }
            let appliances = appliances(of: attachment, index)
            guard !appliances.isEmpty else { continue }
            context.report(LintCatalogue.tgwApplianceModeOff, at: attachment.location,
                           "attachment '\(attachment.name)' spans \(zones.count) AZs (\(zones.sorted().joined(separator: ", "))) and its subnets route through \(appliances.map { "'\($0)'" }.joined(separator: ", ")), but appliance mode is off: a reply entering in another AZ meets an appliance that never saw the request")
        }
    }
}
