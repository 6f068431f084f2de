// The network's edges (Docs/DSL.md "Edges"): VPN gateways and VPC endpoints inside a VPC, route propagation and
// gateway route tables, the default VPC one-liner, customer gateways, VPN connections, Direct Connect gateways
// and virtual interfaces, on-premises networks, and the TGW attachment kinds other than VPC.
import IPAddressing

extension Parser {
    // MARK: Values

    /// A decimal BGP ASN (1...4294967295).
    mutating func asn() -> UInt32? {
        guard let t = value("an ASN") else { return nil }
        var n: UInt64 = 0
        var ok = t.end > t.start && t.end - t.start <= 10
        var i = t.start
        while ok, i < t.end {
            let b = source.bytes[i]
            if b < 0x30 || b > 0x39 { ok = false; break }
            n = n * 10 + UInt64(b - 0x30)
            i += 1
        }
        guard ok, n >= 1, n <= UInt64(UInt32.max) else {
            error(.expected, "expected an ASN (1...4294967295), found '\(text(t))'", at: t)
            return nil
        }
        return UInt32(n)
    }

    /// IPv4 prefixes up to the end of the line or a word of `stop`; at least one unless `allowEmpty`.
    mutating func ipv4PrefixList(_ what: String, stop: [String], allowEmpty: Bool = false) -> [IPv4Prefix]? {
        var out: [IPv4Prefix] = []
        while onSameLine, !tokenIsOne(of: stop) {
            guard let p = ipv4Prefix(what) else { return nil }
            out.append(p)
        }
        if out.isEmpty, !allowEmpty { expected(what); return nil }
        return out
    }

    /// `'text'` (a quoted word, `''` standing for one quote) as its text; nil and an error when the token is
    /// not quoted or its quote is not closed on the line.
    mutating func quoted(_ what: String) -> String? {
        guard let t = value(what) else { return nil }
        let bytes = source.bytes
        guard t.end - t.start >= 2, bytes[t.start] == 0x27, bytes[t.end - 1] == 0x27 else {
            if t.end > t.start, bytes[t.start] == 0x27 {
                error(.expected, "unterminated quoted text", at: t, hint: "close it with ' on the same line")
            } else {
                error(.expected, "expected \(what) in quotes, found '\(text(t))'", at: t, hint: "write it as '…'")
            }
            return nil
        }
        var out: [UInt8] = []
        out.reserveCapacity(t.end - t.start)
        var i = t.start + 1
        while i < t.end - 1 {
            // A control character (C0, DEL, C1, line or paragraph separator) is refused: the printer writes each as
            // a space (LanguageWord.commentSafe), so accepting it would make `fmt` change the text.
            if let width = Self.controlCharacterWidth(bytes, at: i, end: t.end - 1) {
                let shown = String(decoding: bytes[i..<(i + width)], as: UTF8.self).unicodeScalars.first.map { "U+" + Self.hex4($0.value) } ?? "?"
                error(.expected, "control character \(shown) in \(what)", range: i..<(i + width),
                      hint: "quoted text is one line of printable characters: remove it or write a space")
                return nil
            }
            out.append(bytes[i])
            i += bytes[i] == 0x27 ? 2 : 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The byte length of the control character (``LanguageWord/isControl(_:)``) whose UTF-8 encoding starts at `i`
    /// and ends before `end`, nil when the character there is none (or is not valid UTF-8: left to the caller).
    static func controlCharacterWidth(_ bytes: [UInt8], at i: Int, end: Int) -> Int? {
        let b = bytes[i]
        // The UTF-8 sequence length from the lead byte; a continuation or invalid lead byte is no control character.
        let width = b < 0x80 ? 1 : b >= 0xC2 && b < 0xE0 ? 2 : b >= 0xE0 && b < 0xF0 ? 3 : b >= 0xF0 && b < 0xF5 ? 4 : 0
        guard width > 0, i + width <= end else { return nil }
        var value = width == 1 ? UInt32(b) : UInt32(b) & (0xFF >> (width + 1))
        for k in 1..<width {
            let c = bytes[i + k]
            guard c & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(c & 0x3F)
        }
        guard let scalar = Unicode.Scalar(value), LanguageWord.isControl(scalar) else { return nil }
        return width
    }

    static func hex4(_ v: UInt32) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }

    /// `on` / `off`.
    mutating func onOff() -> Bool? {
        if onSameLine, at("on") { advance(); return true }
        if onSameLine, at("off") { advance(); return false }
        expected("'on' or 'off'")
        return nil
    }

    /// `id ID` at the current `id` keyword.
    mutating func idClause() -> String? {
        advance()
        guard let t = value("an id") else { return nil }
        return text(t)
    }

    // MARK: In a VPC

    /// `vpn-gateway NAME [asn N] [id ID]`.
    mutating func parseVPNGateway(_ vpc: inout VPC) -> Bool {
        let keyword = tok
        advance()
        guard let (n, nt) = name("a VPN gateway name") else { return false }
        var gateway = VPNGateway(name: n, location: location(nt))
        while onSameLine {
            if at("asn") { advance(); guard let a = asn() else { return false }; gateway.asn = a }
            else if at("id") { guard let id = idClause() else { return false }; gateway.id = id }
            else { break }
        }
        if let old = vpc.vpnGateway {
            error(.onePerVPC, "vpc '\(vpc.name)' already has VPN gateway '\(old.name)'", at: keyword,
                  hint: "a VPC has at most one virtual private gateway attached")
        } else { vpc.vpnGateway = gateway }
        return end(Keywords.vpc, Keywords.vpnGatewayModifiers)
    }

    /// `endpoint NAME gateway SERVICE route-tables T… [prefix-list pl:NAME] [policy '…'] [id ID]` or
    /// `endpoint NAME interface SERVICE subnets S… [sg G…] [ip A…] [enis ENI…] [private-dns on|off] [policy '…'] [id ID]`
    /// or `endpoint NAME gateway-load-balancer GWLB subnets S [ip A] [enis ENI] [policy '…'] [id ID]`.
    mutating func parseVPCEndpoint(_ vpc: inout VPC) -> Bool {
        advance()
        guard let (n, nt) = name("an endpoint name") else { return false }
        let kind: VPCEndpoint.Kind
        if onSameLine, at("gateway") { kind = .gateway } else if onSameLine, at("interface") { kind = .interface }
        else if onSameLine, at("gateway-load-balancer") { kind = .gatewayLoadBalancer } else {
            expected("'gateway', 'interface' or 'gateway-load-balancer'",
                     hint: onSameLine ? Parser.suggestion(text(tok), ["gateway", "interface", "gateway-load-balancer"]) : nil)
            return false
        }
        advance()
        guard let st = value(kind == .gatewayLoadBalancer ? "the endpoint's gateway load balancer"
                             : "the endpoint's service (s3, dynamodb, com.amazonaws.REGION.SERVICE)") else { return false }
        var endpoint = VPCEndpoint(name: n, kind: kind, service: text(st), location: location(nt))
        let stop = Keywords.endpointStopInVPC
        let allowed = switch kind {
        case .gateway: Keywords.gatewayEndpointModifiers
        case .interface: Keywords.interfaceEndpointModifiers
        case .gatewayLoadBalancer: Keywords.gwlbEndpointModifiers
        }
        while onSameLine {
            let word = text(tok)
            guard allowed.contains(word) else {
                if kind == .gatewayLoadBalancer, stop.contains(word), !Keywords.vpc.contains(word) {
                    error(.conflict, "a gateway load balancer endpoint takes no '\(word)'", at: tok,
                          hint: "a gateway load balancer endpoint takes 'subnets' (one), 'ip', 'enis', 'policy' and 'id'")
                    return false
                }
                if stop.contains(word), !Keywords.vpc.contains(word) {
                    error(.conflict, "'\(word)' is for \(kind == .gateway ? "interface" : "gateway") endpoints", at: tok,
                          hint: kind == .gateway ? "a gateway endpoint takes 'route-tables', 'prefix-list', 'policy' and 'id'"
                              : "an interface endpoint takes 'subnets', 'sg', 'ip', 'enis', 'private-dns', 'policy' and 'id'")
                    return false
                }
                break
            }
            switch word {
            case "route-tables":
                advance()
                guard let names = nameList("a route-table name", stop: stop) else { return false }
                endpoint.routeTables.append(contentsOf: names)
            case "prefix-list":
                advance()
                if let pl = prefixListReference() { endpoint.prefixList = pl } else {
                    guard let (pl, _) = name("a prefix list ('pl:NAME')") else { return false }
                    endpoint.prefixList = pl
                }
            case "subnets":
                advance()
                guard let names = nameList("a subnet name", stop: stop) else { return false }
                endpoint.subnets.append(contentsOf: names)
            case "sg":
                advance()
                guard let names = nameList("a security-group name", stop: stop) else { return false }
                endpoint.securityGroups.append(contentsOf: names)
            case "ip":
                advance()
                var any = false
                while onSameLine, !tokenIsOne(of: stop) {
                    guard let a = ipv4Address("an endpoint ENI's private IPv4 address") else { return false }
                    endpoint.addresses.append(a)
                    any = true
                }
                if !any { expected("an IPv4 address"); return false }
            case "enis":
                advance()
                guard let names = nameList("an ENI id", stop: stop) else { return false }
                endpoint.interfaceIDs.append(contentsOf: names)
            case "private-dns":
                advance()
                guard let on = onOff() else { return false }
                endpoint.privateDNS = on
            case "policy":
                advance()
                guard let policy = quoted("the endpoint policy") else { return false }
                endpoint.policy = policy
            default:  // "id"
                guard let id = idClause() else { return false }
                endpoint.id = id
            }
        }
        // A gateway endpoint with no route table is valid (AWS allows it; it carries nothing).
        if kind == .interface, endpoint.subnets.isEmpty {
            error(.missingClause, "interface endpoint '\(n)' needs 'subnets SUBNET…'", at: nt,
                  hint: "an interface endpoint has one network interface in each of its subnets")
            return false
        }
        if kind == .gatewayLoadBalancer, endpoint.subnets.count != 1 {
            error(.missingClause, "gateway load balancer endpoint '\(n)' needs exactly one subnet ('subnets SUBNET')", at: nt,
                  hint: "a gateway load balancer endpoint has one network interface, in one subnet")
            return false
        }
        vpc.endpoints.append(endpoint)
        return end(Keywords.vpc, allowed)
    }

    // MARK: Top level

    /// `default-vpc NAME [region R] [azs AZ…] [id ID]`: AWS's default VPC, expanded here (``VPC/awsDefault``).
    mutating func parseDefaultVPC() -> Bool {
        advance()
        guard let (n, nt) = name("a VPC name") else { return false }
        var vpcRegion = region
        var zones: [String] = []
        var id: String?
        while onSameLine {
            if at("region") {
                advance()
                guard let (r, _) = name("a region name") else { return false }
                vpcRegion = r
            } else if at("azs") {
                advance()
                guard let names = nameList("an availability zone", stop: Keywords.defaultVPCModifiers + Keywords.topLevel)
                else { return false }
                zones.append(contentsOf: names)
            } else if at("id") {
                guard let v = idClause() else { return false }
                id = v
            } else { break }
        }
        if zones.isEmpty {
            guard let vpcRegion else {
                error(.missingClause, "default-vpc '\(n)' needs a region for its availability zones", at: nt,
                      hint: "write 'region us-east-1' (here or before it) or 'azs ZONE…'")
                return false
            }
            zones = ["a", "b", "c"].map { vpcRegion + $0 }
        }
        guard zones.count <= 16 else {
            error(.conflict, "default-vpc '\(n)' names \(zones.count) availability zones; its /16 holds 16 /20 subnets", at: nt)
            return false
        }
        var vpc = VPC.awsDefault(name: n, region: vpcRegion, availabilityZones: zones, id: id, location: location(nt))
        vpc.account = account
        noteDefaults(vpc.location)
        topology.vpcs.append(vpc)
        return end(Keywords.topLevel, Keywords.defaultVPCModifiers)
    }

    /// `customer-gateway NAME ip ADDRESS asn N [id ID]`.
    mutating func parseCustomerGateway() -> Bool {
        advance()
        guard let (n, nt) = name("a customer-gateway name") else { return false }
        var address: IPv4Address?
        var asnValue: UInt32?
        var id: String?
        while onSameLine {
            if at("ip") { advance(); guard let a = ipv4Address("the customer gateway's public IPv4 address") else { return false }; address = a }
            else if at("asn") { advance(); guard let a = asn() else { return false }; asnValue = a }
            else if at("id") { guard let v = idClause() else { return false }; id = v }
            else { break }
        }
        guard let address else {
            error(.missingClause, "customer-gateway '\(n)' needs 'ip ADDRESS'", at: nt, hint: "write 'customer-gateway \(n) ip ADDRESS asn N'")
            return false
        }
        guard let asnValue else {
            error(.missingClause, "customer-gateway '\(n)' needs 'asn N'", at: nt, hint: "write 'customer-gateway \(n) ip \(address) asn N'")
            return false
        }
        topology.customerGateways.append(CustomerGateway(name: n, id: id, address: address, asn: asnValue, location: location(nt)))
        return end(Keywords.topLevel, Keywords.customerGatewayModifiers)
    }

    /// `vpn-connection NAME vgw V|tgw T customer-gateway C static P…|bgp [P…] [tunnels up|down…] [id ID]`.
    mutating func parseVPNConnection() -> Bool {
        advance()
        guard let (n, nt) = name("a VPN connection name") else { return false }
        var side: VPNConnection.AWSSide?
        var customer: String?
        var staticOnly: Bool?
        var routes: [IPv4Prefix] = []
        var tunnels: [VPNConnection.TunnelState] = []
        var id: String?
        let stop = Keywords.vpnConnectionModifiers + Keywords.topLevel
        while onSameLine {
            if at("vgw") || at("tgw") {
                let isVGW = at("vgw")
                if side != nil { error(.conflict, "a VPN connection ends on one VGW or TGW", at: tok); return false }
                advance()
                guard let (g, _) = name(isVGW ? "a VPN gateway name" : "a transit-gateway name") else { return false }
                side = isVGW ? .vpnGateway(g) : .transitGateway(g)
            } else if at("customer-gateway") {
                advance()
                guard let (c, _) = name("a customer-gateway name") else { return false }
                customer = c
            } else if at("static") || at("bgp") {
                let isStatic = at("static")
                if staticOnly != nil { error(.conflict, "write one of 'static' and 'bgp'", at: tok); return false }
                advance()
                staticOnly = isStatic
                guard let list = ipv4PrefixList("an on-premises CIDR", stop: stop, allowEmpty: true) else { return false }
                routes.append(contentsOf: list)
            } else if at("tunnels") {
                advance()
                while onSameLine, at("up") || at("down") {
                    tunnels.append(at("up") ? .up : .down)
                    advance()
                }
                if tunnels.isEmpty { expected("'up' or 'down' for each tunnel"); return false }
            } else if at("id") {
                guard let v = idClause() else { return false }
                id = v
            } else { break }
        }
        guard let side else {
            error(.missingClause, "vpn-connection '\(n)' needs 'vgw NAME' or 'tgw NAME'", at: nt,
                  hint: "the AWS end: a VPC's vpn-gateway or a transit gateway")
            return false
        }
        guard let customer else {
            error(.missingClause, "vpn-connection '\(n)' needs 'customer-gateway NAME'", at: nt)
            return false
        }
        guard let staticOnly else {
            error(.missingClause, "vpn-connection '\(n)' needs 'static CIDR…' or 'bgp'", at: nt,
                  hint: "static: the prefixes on premises it carries; bgp: on premises announces them")
            return false
        }
        topology.vpnConnections.append(VPNConnection(name: n, id: id, awsSide: side, customerGateway: customer,
                                                     staticRoutesOnly: staticOnly, staticRoutes: routes, tunnels: tunnels,
                                                     location: location(nt)))
        return end(Keywords.topLevel, Keywords.vpnConnectionModifiers)
    }

    /// `dx-gateway NAME [asn N] [id ID] [{ associate GATEWAY [allowed CIDR…] … }]`.
    mutating func parseDirectConnectGateway() -> Bool {
        advance()
        guard let (n, nt) = name("a Direct Connect gateway name") else { return false }
        var gateway = DirectConnectGateway(name: n, location: location(nt))
        while onSameLine {
            if at("asn") { advance(); guard let a = asn() else { return false }; gateway.asn = a }
            else if at("id") { guard let v = idClause() else { return false }; gateway.id = v }
            else { break }
        }
        var ok = true
        if tok.kind == .openBrace {
            ok = block(Keywords.dxGatewayBody, context: "in dx-gateway '\(n)'") { p, word in
                switch word {
                case "associate":
                    let keyword = p.tok
                    p.advance()
                    guard let (g, _) = p.name("a VPN gateway or transit-gateway name") else { return false }
                    var association = DirectConnectGateway.Association(gateway: g, location: p.location(keyword))
                    if p.onSameLine, p.at("allowed") {
                        p.advance()
                        guard let list = p.ipv4PrefixList("an allowed CIDR", stop: Keywords.dxGatewayBody) else { return false }
                        association.allowedPrefixes = list
                    }
                    gateway.associations.append(association)
                    return p.end(Keywords.dxGatewayBody, Keywords.dxAssociationModifiers)
                case "id":
                    p.note(gateway.location, .id, line: p.tok.line)
                    guard let v = p.idClause() else { return false }
                    gateway.id = v
                    return p.end(Keywords.dxGatewayBody, [])
                default: return nil
                }
            }
            note(gateway.location, .close, line: lastCloseLine)
        }
        topology.directConnectGateways.append(gateway)
        return ok && end(Keywords.topLevel, Keywords.dxGatewayHeader)
    }

    /// `dx-vif NAME private|transit vgw V|dx-gateway D [id ID] [state up|down]`.
    mutating func parseVirtualInterface() -> Bool {
        advance()
        guard let (n, nt) = name("a virtual interface name") else { return false }
        let kind: VirtualInterface.Kind
        if onSameLine, at("private") { kind = .private } else if onSameLine, at("transit") { kind = .transit } else {
            expected("'private' or 'transit'", hint: onSameLine && at("public") ? "public virtual interfaces are not modelled" : nil)
            return false
        }
        advance()
        var side: VirtualInterface.AWSSide?
        var id: String?
        var available = true
        while onSameLine {
            if at("vgw") || at("dx-gateway") {
                let isVGW = at("vgw")
                if side != nil { error(.conflict, "a virtual interface ends on one VGW or Direct Connect gateway", at: tok); return false }
                if isVGW, kind == .transit {
                    error(.conflict, "a transit virtual interface ends on a Direct Connect gateway, not a VGW", at: tok,
                          hint: "write 'dx-gateway NAME'")
                    return false
                }
                advance()
                guard let (g, _) = name(isVGW ? "a VPN gateway name" : "a Direct Connect gateway name") else { return false }
                side = isVGW ? .vpnGateway(g) : .directConnectGateway(g)
            } else if at("id") {
                guard let v = idClause() else { return false }
                id = v
            } else if at("state") {
                advance()
                if onSameLine, at("up") || at("available") { available = true } else if onSameLine, at("down") { available = false } else {
                    expected("'up' or 'down'")
                    return false
                }
                advance()
            } else { break }
        }
        guard let side else {
            error(.missingClause, "dx-vif '\(n)' needs '\(kind == .transit ? "dx-gateway NAME" : "vgw NAME' or 'dx-gateway NAME")'", at: nt)
            return false
        }
        topology.virtualInterfaces.append(VirtualInterface(name: n, id: id, kind: kind, awsSide: side, isAvailable: available,
                                                           location: location(nt)))
        return end(Keywords.topLevel, Keywords.virtualInterfaceModifiers)
    }

    /// `onprem NAME { prefix CIDR… via EDGE [local-preference high|medium|low] [as-path N] … }` or the one-line
    /// form `onprem NAME CIDR… via EDGE […] [via EDGE […]]…`.
    mutating func parseOnPremises() -> Bool {
        advance()
        guard let (n, nt) = name("an on-premises network name") else { return false }
        var network = OnPremisesNetwork(name: n, prefixes: [], location: location(nt))
        if tok.kind == .openBrace {
            let ok = block(Keywords.onPremisesBody, context: "in onprem '\(n)'") { p, word in
                switch word {
                case "prefix":
                    p.note(network.location, .prefix, line: p.tok.line)
                    p.advance()
                    guard let list = p.ipv4PrefixList("an on-premises CIDR", stop: Keywords.onPremisesBody) else { return false }
                    network.prefixes.append(contentsOf: list)
                    return p.end(Keywords.onPremisesBody, [])
                case "via":
                    guard let a = p.announcement() else { return false }
                    network.announcements.append(a)
                    return p.end(Keywords.onPremisesBody, Keywords.announcementModifiers)
                default: return nil
                }
            }
            note(network.location, .close, line: lastCloseLine)
            topology.onPremisesNetworks.append(network)
            return ok && end(Keywords.topLevel, [])
        }
        guard let list = ipv4PrefixList("an on-premises CIDR (or '{')", stop: ["via"]) else { return false }
        network.prefixes = list
        while onSameLine, at("via") {
            guard let a = announcement() else { return false }
            network.announcements.append(a)
        }
        topology.onPremisesNetworks.append(network)
        return end(Keywords.topLevel, Keywords.announcementModifiers + ["via"])
    }

    /// `via EDGE [local-preference high|medium|low] [as-path N]` at the `via` keyword.
    mutating func announcement() -> OnPremisesNetwork.Announcement? {
        let keyword = tok
        advance()
        guard let (edge, _) = name("an edge (VPN connection, virtual interface, VPN gateway or Direct Connect gateway)") else { return nil }
        var a = OnPremisesNetwork.Announcement(edge: edge, location: location(keyword))
        while onSameLine {
            if at("local-preference") {
                advance()
                guard onSameLine, let pref = OnPremisesNetwork.LocalPreference(rawValue: text(tok)) else {
                    expected("'high', 'medium' or 'low'")
                    return nil
                }
                advance()
                a.localPreference = pref
            } else if at("as-path") {
                advance()
                guard let len = number("an AS path length", in: 1...255) else { return nil }
                a.asPathLength = len
            } else { break }
        }
        return a
    }
}

extension VPC {
    /// AWS's default VPC of a region (AWS-BEHAVIOUR.md §10; `default-vpc NAME` in the language): 172.31.0.0/16, one
    /// /20 subnet per availability zone in order (172.31.0.0/20, 172.31.16.0/20, …) with public addresses on
    /// launch, an internet gateway, and the main route table with `0.0.0.0/0 -> IGW`; the default NACL and
    /// security group are implied. Names: `NAME-a`, `NAME-b`, … (the zone's last letter; its position's letter
    /// when the zone does not end in one), `NAME-igw`, `NAME-main`. At most 16 zones are used.
    public static func awsDefault(name: String, region: String?, availabilityZones: [String], id: String? = nil,
                                  location: SourceLocation = .unknown) -> VPC {
        let block = IPv4Prefix(network: IPv4Address(172, 31, 0, 0), length: 16)
        var vpc = VPC(name: name, region: region, cidrs: block.map { [$0] } ?? [], location: location)
        vpc.id = id
        vpc.isDefault = true
        let letters = Array("abcdefghijklmnop")
        for (k, zone) in availabilityZones.prefix(16).enumerated() {
            let last = zone.last.flatMap { $0.isLetter && $0.isASCII ? $0 : nil } ?? letters[k]
            guard let cidr = IPv4Prefix(network: IPv4Address(172, 31, UInt8(k * 16), 0), length: 20) else { continue }
            vpc.subnets.append(Subnet(name: "\(name)-\(last)", cidr: cidr, availabilityZone: zone, mapPublicIP: true,
                                      location: location))
        }
        let igw = "\(name)-igw"
        vpc.internetGateway = Gateway(name: igw, location: location)
        if let all = IPv4Prefix(network: IPv4Address(0, 0, 0, 0), length: 0) {
            vpc.routeTables = [RouteTable(name: "\(name)-main", isMain: true,
                                          routes: [Route(destination: .cidr(.v4(all)), target: .named(igw), location: location)],
                                          location: location)]
        }
        return vpc
    }

    /// When this VPC is exactly ``awsDefault(name:region:availabilityZones:id:location:)`` of its own name, region,
    /// zones and id: the zones (what `default-vpc` writes); nil otherwise.
    public var awsDefaultZones: [String]? {
        guard isDefault else { return nil }
        let zones = subnets.compactMap(\.availabilityZone)
        guard zones.count == subnets.count, !zones.isEmpty else { return nil }
        var expected = VPC.awsDefault(name: name, region: region, availabilityZones: zones, id: id, location: location)
        expected.account = account
        return expected == self ? zones : nil
    }
}
