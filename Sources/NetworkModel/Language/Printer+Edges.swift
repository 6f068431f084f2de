// Printing the network's edges (Docs/DSL.md "Edges"), in the canonical layout `vpckit fmt` writes.
import IPAddressing

extension TopologyPrinter {
    /// `'text'` with each `'` doubled and control characters (newlines included) as spaces: one quoted word.
    static func quoted(_ text: String) -> String {
        var out = "'"
        for c in LanguageWord.commentSafe(text) {
            out.append(c)
            if c == "'" { out.append("'") }
        }
        return out + "'"
    }

    /// `default-vpc NAME [azs …] [id ID]`: a VPC that is exactly ``VPC/awsDefault``'s expansion.
    static func writeDefaultVPC(_ vpc: VPC, zones: [String], to s: inout PrintSink) {
        s += "default-vpc \(w(vpc.name))"
        if vpc.region.map({ r in ["a", "b", "c"].map { r + $0 } }) != zones {
            s += " azs " + zones.map(w).joined(separator: " ")
        }
        if let id = vpc.id { s += " id \(w(id))" }
        s.from(vpc.location)
        s.endLine()
    }

    static func writeEndpoint(_ e: VPCEndpoint, to s: inout PrintSink) {
        s += "  endpoint \(w(e.name)) \(e.kind.rawValue) \(w(e.service))"
        switch e.kind {
        case .gateway:
            if !e.routeTables.isEmpty { s += " route-tables " + e.routeTables.map(w).joined(separator: " ") }
            if let pl = e.prefixList { s += " prefix-list pl:\(w(pl))" }
        case .interface, .gatewayLoadBalancer:
            if !e.subnets.isEmpty { s += " subnets " + e.subnets.map(w).joined(separator: " ") }
            if !e.securityGroups.isEmpty { s += " sg " + e.securityGroups.map(w).joined(separator: " ") }
            if !e.addresses.isEmpty { s += " ip " + e.addresses.map(\.description).joined(separator: " ") }
            if !e.interfaceIDs.isEmpty { s += " enis " + e.interfaceIDs.map(w).joined(separator: " ") }
            if !e.privateDNS { s += " private-dns off" }
        }
        if let policy = e.policy { s += " policy \(quoted(policy))" }
        if let id = e.id { s += " id \(w(id))" }
        s.from(e.location)
        s.endLine()
    }

    /// Customer gateways, VPN connections, Direct Connect gateways and VIFs, on-premises networks.
    static func writeEdges(_ t: Topology, blank: (inout PrintSink) -> Void, to s: inout PrintSink) {
        if !t.customerGateways.isEmpty { blank(&s) }
        for c in t.customerGateways {
            s += "customer-gateway \(w(c.name)) ip \(c.address) asn \(c.asn)"
            if let id = c.id { s += " id \(w(id))" }
            s.from(c.location)
            s.endLine()
        }
        if !t.vpnConnections.isEmpty { blank(&s) }
        for v in t.vpnConnections {
            s += "vpn-connection \(w(v.name))"
            switch v.awsSide {
            case .vpnGateway(let g): s += " vgw \(w(g))"
            case .transitGateway(let g): s += " tgw \(w(g))"
            }
            s += " customer-gateway \(w(v.customerGateway))"
            s += v.staticRoutesOnly ? " static" : " bgp"
            for p in v.staticRoutes { s += " \(p)" }
            if !v.tunnels.isEmpty { s += " tunnels " + v.tunnels.map(\.rawValue).joined(separator: " ") }
            if let id = v.id { s += " id \(w(id))" }
            s.from(v.location)
            s.endLine()
        }
        for d in t.directConnectGateways {
            blank(&s)
            s += "dx-gateway \(w(d.name))"
            if let asn = d.asn { s += " asn \(asn)" }
            if let id = d.id { s += " id \(w(id))" }
            if d.associations.isEmpty {
                s.from(d.location)
                s.from(d.location, .id)
                s.from(d.location, .close)
                s.endLine()
                continue
            }
            s += " {"
            s.from(d.location)
            s.from(d.location, .id)
            s.endLine()
            for a in d.associations {
                s += "  associate \(w(a.gateway))"
                if !a.allowedPrefixes.isEmpty { s += " allowed " + a.allowedPrefixes.map(\.description).joined(separator: " ") }
                s.from(a.location)
                s.endLine()
            }
            s.closeBlock("", owner: d.location)
        }
        if !t.virtualInterfaces.isEmpty { blank(&s) }
        for v in t.virtualInterfaces {
            s += "dx-vif \(w(v.name)) \(v.kind.rawValue)"
            switch v.awsSide {
            case .vpnGateway(let g): s += " vgw \(w(g))"
            case .directConnectGateway(let g): s += " dx-gateway \(w(g))"
            }
            if let id = v.id { s += " id \(w(id))" }
            if !v.isAvailable { s += " state down" }
            s.from(v.location)
            s.endLine()
        }
        var lastWasLine = false
        for o in t.onPremisesNetworks {
            // One announcement: the one-line form (consecutive ones without blank lines between them).
            if o.announcements.count == 1, let a = o.announcements.first, !o.prefixes.isEmpty {
                if !lastWasLine { blank(&s) }
                lastWasLine = true
                s += "onprem \(w(o.name)) " + o.prefixes.map(\.description).joined(separator: " ")
                writeAnnouncement(a, to: &s)
                s.from(o.location)
                s.from(o.location, .prefix)
                s.from(a.location)
                s.from(o.location, .close)
                s.endLine()
                continue
            }
            lastWasLine = false
            blank(&s)
            s += "onprem \(w(o.name)) {"
            s.from(o.location)
            s.endLine()
            if !o.prefixes.isEmpty {
                s += "  prefix " + o.prefixes.map(\.description).joined(separator: " ")
                s.from(o.location, .prefix)
                s.endLine()
            }
            for a in o.announcements {
                s += " "
                writeAnnouncement(a, to: &s)
                s.from(a.location)
                s.endLine()
            }
            s.closeBlock("", owner: o.location)
        }
    }

    /// ` via EDGE [local-preference P] [as-path N]`.
    static func writeAnnouncement(_ a: OnPremisesNetwork.Announcement, to s: inout PrintSink) {
        s += " via \(w(a.edge))"
        if let p = a.localPreference { s += " local-preference \(p.rawValue)" }
        if let n = a.asPathLength { s += " as-path \(n)" }
    }
}

extension TopologyPrinter {
    /// Target groups with their targets, then load balancers with their listeners (and a classic one's
    /// instances): each `listener`/`target` line after the line it names.
    static func writeLoadBalancers(_ vpc: VPC, to s: inout PrintSink) {
        for g in vpc.targetGroups {
            s.blankLine()
            s += "  target-group \(w(g.name)) \(g.targetType.rawValue)"
            if let p = g.targetProtocol, let port = g.port { s += " \(p.rawValue) \(port)" }
            if let on = g.preserveClientIP { s += " preserve-client-ip \(on ? "on" : "off")" }
            if let id = g.id { s += " id \(w(id))" }
            s.from(g.location)
            s.endLine()
            for t in g.targets { writeTarget(t, of: g.name, to: &s) }
        }
        for lb in vpc.loadBalancers {
            s.blankLine()
            s += "  load-balancer \(w(lb.name)) \(lb.kind.rawValue)"
            if lb.kind != .gateway { s += " \(lb.scheme.rawValue)" }
            s += " subnets " + lb.subnets.map(w).joined(separator: " ")
            if !lb.securityGroups.isEmpty { s += " sg " + lb.securityGroups.map(w).joined(separator: " ") }
            if !lb.addresses.isEmpty { s += " ip " + lb.addresses.map(\.description).joined(separator: " ") }
            if !lb.publicAddresses.isEmpty { s += " public-ip " + lb.publicAddresses.map(\.description).joined(separator: " ") }
            if !lb.interfaceIDs.isEmpty { s += " enis " + lb.interfaceIDs.map(w).joined(separator: " ") }
            if let on = lb.crossZone { s += " cross-zone \(on ? "on" : "off")" }
            if lb.addressType != .ipv4 { s += " ip-type \(lb.addressType.rawValue)" }
            if let d = lb.dnsName { s += " dns \(w(d))" }
            if let id = lb.id { s += " id \(w(id))" }
            s.from(lb.location)
            s.endLine()
            for l in lb.listeners {
                s += "  listener \(w(lb.name)) "
                if lb.kind != .gateway { s += "\(l.listenerProtocol.rawValue) \(l.port) " }
                s += "-> "
                switch l.defaultAction {
                case .forward(let g): s += w(g)
                case .instancePort(let p): s += "port \(p)"
                case .respond: s += "respond"
                }
                for r in l.rules { s += " rule \(quoted(r.condition)) -> \(w(r.targetGroup))" }
                if let id = l.id { s += " id \(w(id))" }
                s.from(l.location)
                s.endLine()
            }
            for t in lb.targets { writeTarget(t, of: lb.name, to: &s) }
        }
    }

    static func writeTarget(_ t: LoadBalancerTarget, of owner: String, to s: inout PrintSink) {
        s += "  target \(w(owner)) \(w(t.target))"
        if let p = t.port { s += " port \(p)" }
        if let z = t.zone { s += " az \(w(z))" }
        if let h = t.health { s += " \(h.rawValue)" }
        s.from(t.location)
        s.endLine()
    }
}
