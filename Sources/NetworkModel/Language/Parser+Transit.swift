import IPAddressing

extension Parser {
    // MARK: Transit gateways

    mutating func parseTransitGateway() -> Bool {
        advance()
        guard let (n, nt) = name("a transit-gateway name") else { return false }
        var tgw = TransitGateway(name: n, region: region, account: account, location: location(nt))
        noteDefaults(tgw.location)
        while onSameLine {
            if at("id") {
                advance()
                guard let t = value("an id") else { return false }
                tgw.id = text(t)
            } else if at("sg-referencing") {
                advance()
                tgw.securityGroupReferencing = true
            } else {
                _ = end(Keywords.topLevel, Keywords.tgwHeader + ["{"])
                return false
            }
        }
        let ok = block(Keywords.transitGateway, context: "in transit-gateway '\(n)'") { p, word in
            switch word {
            case "attachment":
                p.advance()
                guard let (an, at) = p.name("an attachment name") else { return false }
                var attachment = TGWAttachment(name: an, vpc: "", subnets: [], location: p.location(at))
                var sawVPC = false
                var other: TGWAttachment.Kind?
                while p.onSameLine {
                    // The VPC attachment's modifiers first (the common case), the other kinds after.
                    if other != nil, p.at("vpc") || p.at("subnets") || p.at("appliance-mode") {
                        p.error(.conflict, "'\(p.text(p.tok))' is only for VPC attachments", at: p.tok)
                        return false
                    } else if p.at("vpc") {
                        p.advance()
                        guard let (v, _) = p.name("a VPC name") else { return false }
                        attachment.vpc = v
                        sawVPC = true
                    } else if p.at("subnets") {
                        p.advance()
                        guard let names = p.nameList("a subnet name", stop: Keywords.attachmentModifiers + Keywords.transitGateway)
                        else { return false }
                        attachment.subnets.append(contentsOf: names)
                    } else if p.at("appliance-mode") {
                        p.advance()
                        attachment.applianceMode = true
                    } else if p.at("id") {
                        p.advance()
                        guard let t = p.value("an id") else { return false }
                        attachment.id = p.text(t)
                    } else if p.at("vpn") || p.at("dx-gateway") || p.at("peering") {
                        let keyword = p.tok
                        let kindWord = p.text(keyword)
                        if sawVPC || other != nil {
                            p.error(.conflict, "an attachment is of one kind: 'vpc', 'vpn', 'dx-gateway' or 'peering'", at: keyword)
                            return false
                        }
                        p.advance()
                        guard let (target, _) = p.name(kindWord == "vpn" ? "a VPN connection name"
                                                       : kindWord == "peering" ? "the peer transit-gateway name"
                                                       : "a Direct Connect gateway name") else { return false }
                        other = kindWord == "vpn" ? .vpn(connection: target)
                            : kindWord == "peering" ? .peering(transitGateway: target) : .directConnectGateway(target)
                    } else { break }
                }
                if let other {
                    tgw.attachments.append(TGWAttachment(name: an, id: attachment.id, kind: other, location: attachment.location))
                    return p.end(Keywords.transitGateway, Keywords.attachmentModifiers)
                }
                guard sawVPC else {
                    p.error(.missingClause, "attachment '\(an)' needs 'vpc NAME'", at: at, hint: "write 'attachment \(an) vpc VPC subnets SUBNET…' (or 'vpn', 'dx-gateway', 'peering')")
                    return false
                }
                tgw.attachments.append(attachment)
                return p.end(Keywords.transitGateway, Keywords.attachmentModifiers)
            case "route-table":
                guard let table = p.parseTGWRouteTable() else { return false }
                tgw.routeTables.append(table)
                return p.end(Keywords.transitGateway, [])
            case "id":
                p.note(tgw.location, .id, line: p.tok.line)
                p.advance()
                guard let t = p.value("an id") else { return false }
                tgw.id = p.text(t)
                return p.end(Keywords.transitGateway, [])
            case "sg-referencing":
                p.note(tgw.location, .sgReferencing, line: p.tok.line)
                p.advance()
                tgw.securityGroupReferencing = true
                return p.end(Keywords.transitGateway, [])
            default: return nil
            }
        }
        note(tgw.location, .close, line: lastCloseLine)
        topology.transitGateways.append(tgw)
        return ok && end(Keywords.topLevel, [])
    }

    mutating func parseTGWRouteTable() -> TGWRouteTable? {
        advance()
        guard let (n, nt) = name("a route-table name") else { return nil }
        var table = TGWRouteTable(name: n, location: location(nt))
        while onSameLine, at("id") {
            advance()
            guard let t = value("an id") else { return nil }
            table.id = text(t)
        }
        let ok = block(Keywords.tgwRouteTable, context: "in route-table '\(n)'") { p, word in
            switch word {
            case "associate", "propagate":
                p.note(table.location, word == "associate" ? .associate : .propagate, line: p.tok.line)
                p.advance()
                guard let names = p.nameList("an attachment name", stop: Keywords.tgwRouteTable) else { return false }
                if word == "associate" { table.associations.append(contentsOf: names) } else {
                    table.propagations.append(contentsOf: names)
                }
                return p.end(Keywords.tgwRouteTable, [])
            case "route":
                let keyword = p.tok
                p.advance()
                guard let destination = p.destination() else { return false }
                if p.onSameLine, p.at("blackhole") {
                    p.advance()
                    table.routes.append(TGWRoute(destination: destination, target: .blackhole, location: p.location(keyword)))
                    return p.end(Keywords.tgwRouteTable, [])
                }
                guard p.onSameLine, p.at("->") else { p.expected("'->' or 'blackhole'"); return false }
                p.advance()
                guard let (target, _) = p.name("an attachment name") else { return false }
                table.routes.append(TGWRoute(destination: destination,
                                             target: target == "blackhole" ? .blackhole : .attachment(target),
                                             location: p.location(keyword)))
                return p.end(Keywords.tgwRouteTable, [])
            case "id":
                p.note(table.location, .id, line: p.tok.line)
                p.advance()
                guard let t = p.value("an id") else { return false }
                table.id = p.text(t)
                return p.end(Keywords.tgwRouteTable, [])
            default: return nil
            }
        }
        note(table.location, .close, line: lastCloseLine)
        table.closeLocation = lastClose
        return ok ? table : nil
    }
}
