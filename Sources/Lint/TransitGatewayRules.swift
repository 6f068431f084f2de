import IPAddressing
import NetworkModel

/// Transit gateway rules: associations, tables nobody uses, one-way paths, appliance mode, blackholes.
enum TransitGatewayRules {
    static func run(_ context: inout LintContext) {
        let routing = context.routing
        for tgw in context.topology.transitGateways {
            let associated = Set(tgw.routeTables.flatMap(\.associations))
            for attachment in tgw.attachments where !associated.contains(attachment.name) {
                let fix = tgw.routeTables.first.flatMap { table -> LintFix? in
                    guard table.location.isKnown else { return nil }
                    return LintFix("add 'associate \(attachment.name)' to route table '\(table.name)' of '\(tgw.name)' (or to another of its tables)",
                                   [.insert("associate \(attachment.name)", into: table.location)])
                }
                context.report(LintCatalogue.tgwAttachmentNoAssociation, at: attachment.location,
                               "attachment '\(attachment.name)' (VPC '\(attachment.vpc)') of transit gateway '\(tgw.name)' has no associated route table: packets arriving from it are dropped",
                               fix: fix)
            }
            for table in tgw.routeTables {
                if table.associations.isEmpty && (!table.propagations.isEmpty || !table.routes.isEmpty) {
                    let what = table.propagations.isEmpty ? "static routes" : "routes propagated from \(table.propagations.map { "'\($0)'" }.joined(separator: ", "))"
                    context.report(LintCatalogue.tgwRouteTableNotAssociated, at: table.location,
                                   "route table '\(table.name)' of transit gateway '\(tgw.name)' holds \(what) but no attachment is associated with it: no packet ever uses them",
                                   fix: LintFix("associate the attachments whose traffic should use it, or delete it (deleting changes no path)",
                                                [.delete(table.location)]))
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
        // Compact per-attachment facts, so the pairwise loop touches only integers and addresses.
        struct Side {
            var position: Int          // in tgw.attachments
            var vpc: Int
            var table: TGWRouteTableID?  // compiled TGW table, nil: none
            var tablePosition: Int     // in tgw.routeTables
            var compiled: TGWAttachmentID?  // compiled attachment, nil: unknown
            var appliance: Bool
        }
        var compiledIndex: [String: TGWAttachmentID] = [:]
        for (i, c) in routing.compiled.tgwAttachments.enumerated()
        where routing.compiled.transitGateways.indices.contains(c.transitGatewayID.position)
            && routing.compiled[c.transitGatewayID].name == tgw.name {
            compiledIndex[c.name] = TGWAttachmentID(i)
        }
        var tablePositions: [String: (Int, TGWRouteTableID)] = [:]
        for (p, t) in tgw.routeTables.enumerated() {
            guard let i = routing.tgwTableIndex(t.name, tgw: tgw.name) else { continue }
            for name in t.associations where tablePositions[name] == nil { tablePositions[name] = (p, i) }
        }
        var sides: [Side] = []
        var blocks: [[IPv4Prefix]] = []
        for (position, a) in tgw.attachments.enumerated() {
            guard let v = index.vpcIndex[a.vpc] else { continue }
            let table = tablePositions[a.name]
            sides.append(Side(position: position, vpc: v, table: table?.1, tablePosition: table?.0 ?? -1,
                              compiled: compiledIndex[a.name], appliance: isAppliance(a, index)))
            blocks.append(index.topology.vpcs[v].cidrs)
        }
        for ai in sides.indices where !sides[ai].appliance {
            guard let ia = sides[ai].table, sides[ai].compiled != nil else { continue }
            for bi in sides.indices where sides[bi].vpc != sides[ai].vpc && sides[bi].compiled != nil {
                guard let ib = sides[bi].table else { continue }
                for blockB in blocks[bi] where routing.tgwTarget(table: ia, blockB.network) == sides[bi].compiled {
                    for blockA in blocks[ai] where routing.tgwTarget(table: ib, blockA.network) != sides[ai].compiled {
                        let a = tgw.attachments[sides[ai].position], b = tgw.attachments[sides[bi].position]
                        let tableA = tgw.routeTables[sides[ai].tablePosition], tableB = tgw.routeTables[sides[bi].tablePosition]
                        let got: String
                        switch routing.tgwRoute(table: ib, blockA.network) {
                        case nil: got = "has no route"
                        case .blackhole?: got = "blackholes it"
                        case .attachment(let other)?: got = "sends it to '\(other)'"
                        }
                        context.report(LintCatalogue.tgwAsymmetricPath, at: tableB.location,
                                       "transit gateway '\(tgw.name)': table '\(tableA.name)' sends \(blockB) from '\(a.name)' straight to '\(b.name)', but for the reply to \(blockA) table '\(tableB.name)' (associated with '\(b.name)') \(got)",
                                       fix: replyFix(tableB, attachment: a, block: blockA),
                                       related: [(tableA.location, "table '\(tableA.name)' associated with '\(a.name)'")])
                    }
                }
            }
        }
    }

    /// `propagate A` in the return table, when that route would win the reply's lookup: the table does not
    /// propagate A yet and has no static route (or blackhole) for the reply's block as long as it or longer — a
    /// static route beats a propagated one of the same length. Otherwise the fix is a judgement call (the
    /// static route is there for a reason) and only described.
    static func replyFix(_ table: TGWRouteTable, attachment a: TGWAttachment, block: IPv4Prefix) -> LintFix {
        let blocking = table.routes.contains { route in
            switch route.destination {
            case .cidr(.v4(let p)): return p.contains(block.network) && p.length >= block.length
            case .cidr(.v6): return false
            case .prefixList: return true   // not resolved here: leave the choice to the user
            }
        }
        if table.propagations.contains(a.name) || blocking || !table.location.isKnown {
            return LintFix("route \(block) back to '\(a.name)' in table '\(table.name)' (its routes for it send the reply elsewhere)", [])
        }
        return LintFix("add 'propagate \(a.name)' to table '\(table.name)', or 'route \(block) -> \(a.name)'",
                       [.insert("propagate \(a.name)", into: table.location)])
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
                           "attachment '\(attachment.name)' spans \(zones.count) AZs (\(zones.sorted().joined(separator: ", "))) and its subnets route through \(appliances.map { "'\($0)'" }.joined(separator: ", ")), but appliance mode is off: a reply entering in another AZ meets an appliance that never saw the request",
                           fix: LintFix("add 'appliance-mode' to attachment '\(attachment.name)'", [.append("appliance-mode", to: attachment.location)]))
        }
    }
}
