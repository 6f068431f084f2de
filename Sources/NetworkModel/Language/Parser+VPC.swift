import IPAddressing

extension Parser {
    // MARK: VPC

    mutating func parseVPC() -> Bool {
        advance()
        guard let (n, nt) = name("a VPC name") else { return false }
        var vpc = VPC(name: n, region: region, account: account, cidrs: [], location: location(nt))
        // `vpc NAME default { … }`: AWS's default VPC written out (what the printer writes for one that is not
        // exactly `default-vpc`'s expansion).
        if onSameLine, at("default") { advance(); vpc.isDefault = true }
        noteDefaults(vpc.location)
        let ok = block(Keywords.vpc, context: "in vpc '\(n)'") { p, word in
            p.vpcStatement(word, &vpc)
        }
        note(vpc.location, .close, line: lastCloseLine)
        topology.vpcs.append(vpc)
        return ok && end(Keywords.topLevel, [])
    }

    mutating func vpcStatement(_ word: String, _ vpc: inout VPC) -> Bool? {
        let kw = Keywords.vpc
        // The cases are tried in order: the most frequent statement first.
        if word == "instance" { return parseInstance(&vpc) }
        switch word {
        case "cidr":
            let line = tok.line
            advance()
            guard let p = ipv4Prefix("an IPv4 CIDR") else { return false }
            vpc.cidrs.append(p)
            note(vpc.location, .cidr, index: vpc.cidrs.count - 1, line: line)
            return end(kw, [])
        case "ipv6":
            let line = tok.line
            advance()
            guard let p = ipv6Prefix("an IPv6 CIDR") else { return false }
            vpc.ipv6Cidrs.append(p)
            note(vpc.location, .ipv6, index: vpc.ipv6Cidrs.count - 1, line: line)
            return end(kw, [])
        case "id":
            note(vpc.location, .id, line: tok.line)
            advance()
            guard let t = value("an id") else { return false }
            vpc.id = text(t)
            return end(kw, [])
        case "internet-gateway", "egress-only-gateway":
            let keyword = tok
            advance()
            guard let (n, nt) = name("a gateway name") else { return false }
            var gateway = Gateway(name: n, location: location(nt))
            while onSameLine, at("id") {
                advance()
                guard let t = value("an id") else { return false }
                gateway.id = text(t)
            }
            if word == "internet-gateway" {
                if let old = vpc.internetGateway {
                    error(.onePerVPC, "vpc '\(vpc.name)' already has internet gateway '\(old.name)'", at: keyword,
                          hint: "a VPC has at most one internet gateway")
                } else { vpc.internetGateway = gateway }
            } else {
                if let old = vpc.egressOnlyGateway {
                    error(.onePerVPC, "vpc '\(vpc.name)' already has egress-only gateway '\(old.name)'", at: keyword,
                          hint: "a VPC has at most one egress-only internet gateway")
                } else { vpc.egressOnlyGateway = gateway }
            }
            return end(kw, Keywords.gatewayModifiers)
        case "subnet":
            advance()
            guard let (n, nt) = name("a subnet name") else { return false }
            guard let cidr = ipv4Prefix("the subnet's IPv4 CIDR") else { return false }
            var subnet = Subnet(name: n, cidr: cidr, location: location(nt))
            while onSameLine {
                if at("az") {
                    advance()
                    guard let t = value("an availability zone") else { return false }
                    subnet.availabilityZone = text(t)
                } else if at("ipv6") {
                    advance()
                    guard let p = ipv6Prefix() else { return false }
                    subnet.ipv6Cidr = p
                } else if at("map-public-ip") {
                    advance()
                    subnet.mapPublicIP = true
                } else if at("id") {
                    advance()
                    guard let t = value("an id") else { return false }
                    subnet.id = text(t)
                } else { break }
            }
            vpc.subnets.append(subnet)
            return end(kw, Keywords.subnetModifiers)
        case "nat-gateway":
            return parseNATGateway(&vpc)
        case "route-table":
            return parseRouteTable(&vpc)
        case "security-group":
            return parseSecurityGroup(&vpc)
        case "network-acl":
            return parseNetworkACL(&vpc)
        case "vpn-gateway":
            return parseVPNGateway(&vpc)
        case "endpoint":
            return parseVPCEndpoint(&vpc)
        case "load-balancer":
            return parseLoadBalancer(&vpc)
        case "listener":
            return parseListener(&vpc)
        case "target-group":
            return parseTargetGroup(&vpc)
        case "target":
            return parseTarget(&vpc)
        default:
            return nil
        }
    }

    mutating func parseNATGateway(_ vpc: inout VPC) -> Bool {
        let keyword = tok
        advance()
        guard let (n, nt) = name("a NAT gateway name") else { return false }
        var subnet: String?
        var eip: IPv4Address?
        var isPrivate = false
        var privateIP: IPv4Address?
        var id: String?
        while onSameLine {
            if at("in") {
                advance()
                guard let (s, _) = name("a subnet name") else { return false }
                subnet = s
            } else if at("eip") {
                advance()
                guard let a = ipv4Address("an Elastic IP address") else { return false }
                eip = a
            } else if at("private") {
                if eip != nil { error(.conflict, "a private NAT gateway has no Elastic IP", at: tok); return false }
                advance()
                isPrivate = true
            } else if at("ip") {
                advance()
                guard let a = ipv4Address("the NAT gateway's private IPv4 address") else { return false }
                privateIP = a
            } else if at("id") {
                advance()
                guard let t = value("an id") else { return false }
                id = text(t)
            } else { break }
        }
        if isPrivate, eip != nil {
            error(.conflict, "a private NAT gateway has no Elastic IP", at: keyword)
            return false
        }
        guard let subnet else {
            error(.missingClause, "nat-gateway '\(n)' needs 'in SUBNET'", at: nt, hint: "write 'nat-gateway \(n) in SUBNET eip ADDRESS'")
            return false
        }
        vpc.natGateways.append(NATGateway(name: n, id: id, subnet: subnet,
                                          connectivity: isPrivate ? .private : .public(eip: eip),
                                          privateIP: privateIP, location: location(nt)))
        return end(Keywords.vpc, Keywords.natModifiers)
    }

    mutating func parseRouteTable(_ vpc: inout VPC) -> Bool {
        advance()
        guard let (n, nt) = name("a route-table name") else { return false }
        var table = RouteTable(name: n, location: location(nt))
        while onSameLine {
            if at("main") { advance(); table.isMain = true }
            else if at("id") {
                advance()
                guard let t = value("an id") else { return false }
                table.id = text(t)
            } else {
                _ = end(Keywords.vpc, Keywords.routeTableHeader + ["{"])
                return false
            }
        }
        let ok = block(Keywords.routeTable, context: "in route-table '\(n)'") { p, word in
            switch word {
            case "associate":
                p.note(table.location, .associate, line: p.tok.line)
                p.advance()
                guard let names = p.nameList("a subnet name", stop: Keywords.routeTable) else { return false }
                table.associations.append(contentsOf: names)
                return p.end(Keywords.routeTable, [])
            case "route":
                guard let route = p.parseRoute() else { return false }
                table.routes.append(route)
                return p.end(Keywords.routeTable, [])
            case "propagate", "edge-associate":
                let isPropagate = word == "propagate"
                p.note(table.location, isPropagate ? .propagate : .edgeAssociate, line: p.tok.line)
                p.advance()
                guard let names = p.nameList(isPropagate ? "a VPN gateway name" : "an internet or VPN gateway name",
                                             stop: Keywords.routeTable) else { return false }
                if isPropagate { table.propagations.append(contentsOf: names) } else { table.edgeAssociations.append(contentsOf: names) }
                return p.end(Keywords.routeTable, [])
            case "id":
                p.note(table.location, .id, line: p.tok.line)
                p.advance()
                guard let t = p.value("an id") else { return false }
                table.id = p.text(t)
                return p.end(Keywords.routeTable, [])
            default: return nil
            }
        }
        note(table.location, .close, line: lastCloseLine)
        table.closeLocation = lastClose
        vpc.routeTables.append(table)
        return ok && end(Keywords.vpc, [])
    }

    /// `route DEST -> TARGET` or `route DEST blackhole`.
    mutating func parseRoute() -> Route? {
        let keyword = tok
        advance()
        guard let destination = destination() else { return nil }
        if onSameLine, at("blackhole") {
            advance()
            return Route(destination: destination, target: .blackhole, location: location(keyword))
        }
        guard onSameLine, at("->") else { expected("'->' or 'blackhole'"); return nil }
        advance()
        guard let t = value("a route target") else { return nil }
        let word = text(t)
        let target: Route.Target
        switch word {
        case "local": target = .local
        case "blackhole": target = .blackhole
        // `-> unmodelled ID` (addition). Alone on its line `unmodelled` stays a name, as before the addition.
        case "unmodelled" where onSameLine:
            guard let id = value("the id of the unmodelled target") else { return nil }
            target = .unmodelled(text(id))
        default: target = .named(word)
        }
        return Route(destination: destination, target: target, location: location(keyword))
    }

    // MARK: Rules

    /// A protocol and optional ports: `tcp 443`, `udp 1024-65535`, `icmp 8/0`, `all`, `proto 47`.
    mutating func protocolAndPorts() -> (IPProtocol, PortRange?)? {
        guard let t = value("a protocol") else { return nil }
        let proto: IPProtocol
        if t.end - t.start <= 6 {
            let word = text(t)
            if let named = IPProtocol(name: word) {
                proto = named
            } else if word == "proto" {
                guard let n = number("a protocol number", in: 0...255) else { return nil }
                proto = .number(UInt8(n))
            } else {
                unknownProtocol(t)
                return nil
            }
        } else {
            unknownProtocol(t)
            return nil
        }
        guard onSameLine, tok.end > tok.start else { return (proto, nil) }
        let first = source.bytes[tok.start]
        guard first >= 0x30, first <= 0x39 else { return (proto, nil) }
        let pt = tok
        advance()
        // Split at '-' (port range) or '/' (ICMP type/code).
        var sep = pt.start
        while sep < pt.end, source.bytes[sep] != UInt8(ascii: "-"), source.bytes[sep] != UInt8(ascii: "/") { sep += 1 }
        let isICMP = proto.isICMP
        if proto.hasPorts {
            guard let lo = Parser.decimal(source.bytes, pt.start, sep), lo <= 65535 else {
                error(.badPort, "invalid port '\(text(pt))' (0...65535)", at: pt); return nil
            }
            if sep == pt.end { return (proto, PortRange(UInt16(lo))) }
            guard source.bytes[sep] == UInt8(ascii: "-"), let hi = Parser.decimal(source.bytes, sep + 1, pt.end), hi <= 65535 else {
                error(.badPort, "invalid port range '\(text(pt))'", at: pt, hint: "write 'FROM-TO', e.g. '1024-65535'"); return nil
            }
            guard lo <= hi else {
                error(.badPort, "port range '\(text(pt))' is backwards", at: pt, hint: "did you mean '\(hi)-\(lo)'?"); return nil
            }
            return (proto, PortRange(UInt16(lo), UInt16(hi)))
        }
        if isICMP {
            guard let type = Parser.decimal(source.bytes, pt.start, sep), type <= 255 else {
                error(.badPort, "invalid ICMP type '\(text(pt))' (0...255)", at: pt); return nil
            }
            if sep == pt.end { return (proto, PortRange(UInt16(type), 65535)) }
            guard source.bytes[sep] == UInt8(ascii: "/"), let code = Parser.decimal(source.bytes, sep + 1, pt.end), code <= 255 else {
                error(.badPort, "invalid ICMP type/code '\(text(pt))'", at: pt, hint: "write 'TYPE' or 'TYPE/CODE', e.g. 'icmp 3/4'"); return nil
            }
            return (proto, PortRange(UInt16(type), UInt16(code)))
        }
        error(.badPort, "protocol '\(proto)' takes no ports", at: pt, hint: "ports apply to tcp and udp; ICMP takes 'TYPE' or 'TYPE/CODE'")
        return nil
    }

    mutating func unknownProtocol(_ t: Token) {
        let word = text(t)
        error(.unknownProtocol, "unknown protocol '\(word)'", at: t,
              hint: Parser.suggestion(word, Keywords.protocols) ?? "expected 'tcp', 'udp', 'icmp', 'icmpv6', 'all' or 'proto N'")
    }

    mutating func parseSecurityGroup(_ vpc: inout VPC) -> Bool {
        advance()
        guard let (n, nt) = name("a security-group name") else { return false }
        var group = SecurityGroup(name: n, location: location(nt))
        while onSameLine, at("id") || at("default") {
            if at("default") { advance(); group.isDefault = true; continue }
            advance()
            guard let t = value("an id") else { return false }
            group.id = text(t)
        }
        if onSameLine {
            _ = end(Keywords.vpc, Keywords.defaultableHeader + ["{"])
            return false
        }
        var sawEgressNone: Token? = nil
        let ok = block(Keywords.securityGroup, context: "in security-group '\(n)'") { p, word in
            switch word {
            case "ingress", "egress":
                let keyword = p.tok
                let isIngress = word == "ingress"
                p.advance()
                if !isIngress, p.onSameLine, p.at("none") {
                    p.note(group.location, .egressNone, line: keyword.line)
                    p.advance()
                    if let rules = group.egress, !rules.isEmpty {
                        p.error(.conflict, "'egress none' conflicts with the egress rules above", at: keyword)
                        return false
                    }
                    sawEgressNone = keyword
                    group.egress = []
                    group.egressNoneLocation = p.location(keyword)
                    return p.end(Keywords.securityGroup, [])
                }
                guard let (proto, ports) = p.protocolAndPorts() else { return false }
                let direction: StaticString = isIngress ? "from" : "to"
                guard p.onSameLine, p.at(direction) else {
                    p.expected("'\(direction)'", hint: isIngress ? "ingress rules read 'ingress tcp 443 from 0.0.0.0/0'"
                                                     : "egress rules read 'egress tcp 443 to 0.0.0.0/0'")
                    return false
                }
                p.advance()
                guard let peer = p.securityGroupPeer() else { return false }
                let rule = SecurityGroupRule(ipProtocol: proto, ports: ports, peer: peer, location: p.location(keyword))
                if isIngress { group.ingress.append(rule) } else {
                    if sawEgressNone != nil {
                        p.error(.conflict, "egress rule after 'egress none'", at: keyword, hint: "remove 'egress none'")
                        return false
                    }
                    group.egress = (group.egress ?? []) + [rule]
                }
                return p.end(Keywords.securityGroup, [])
            case "id":
                p.note(group.location, .id, line: p.tok.line)
                p.advance()
                guard let t = p.value("an id") else { return false }
                group.id = p.text(t)
                return p.end(Keywords.securityGroup, [])
            default: return nil
            }
        }
        note(group.location, .close, line: lastCloseLine)
        group.closeLocation = lastClose
        vpc.securityGroups.append(group)
        return ok && end(Keywords.vpc, [])
    }

    /// A CIDR, `pl:NAME` or `sg NAME`.
    mutating func securityGroupPeer() -> SecurityGroupRule.Peer? {
        guard onSameLine else { expected("a CIDR, 'pl:NAME' or 'sg NAME'"); return nil }
        if at("sg") {
            advance()
            guard let (n, _) = name("a security-group name") else { return nil }
            return .securityGroup(n)
        }
        if let pl = prefixListReference() { return .prefixList(pl) }
        guard let p = anyPrefix("a CIDR") else { return nil }
        return .cidr(p)
    }

    mutating func parseNetworkACL(_ vpc: inout VPC) -> Bool {
        advance()
        guard let (n, nt) = name("a network-acl name") else { return false }
        var acl = NetworkACL(name: n, location: location(nt))
        while onSameLine, at("id") || at("default") {
            if at("default") { advance(); acl.isDefault = true; continue }
            advance()
            guard let t = value("an id") else { return false }
            acl.id = text(t)
        }
        if onSameLine {
            _ = end(Keywords.vpc, Keywords.defaultableHeader + ["{"])
            return false
        }
        let ok = block(Keywords.networkACL, context: "in network-acl '\(n)'") { p, word in
            switch word {
            case "associate":
                p.note(acl.location, .associate, line: p.tok.line)
                p.advance()
                guard let names = p.nameList("a subnet name", stop: Keywords.networkACL) else { return false }
                acl.associations.append(contentsOf: names)
                return p.end(Keywords.networkACL, [])
            case "inbound", "outbound":
                let keyword = p.tok
                let isInbound = word == "inbound"
                p.advance()
                guard let number = p.number("a rule number", in: 0...999_999) else { return false }
                let action: NetworkACLRule.Action
                if p.at("allow") { action = .allow } else if p.at("deny") { action = .deny } else {
                    p.expected("'allow' or 'deny'", hint: p.onSameLine ? Parser.suggestion(p.text(p.tok), ["allow", "deny"]) : nil)
                    return false
                }
                p.advance()
                guard let (proto, ports) = p.protocolAndPorts() else { return false }
                let direction: StaticString = isInbound ? "from" : "to"
                guard p.onSameLine, p.at(direction) else { p.expected("'\(direction)'"); return false }
                p.advance()
                if p.onSameLine, p.at("sg") || p.text(p.tok).hasPrefix("pl:") {
                    p.error(.badAddress, "a network ACL rule takes a CIDR, not '\(p.text(p.tok))'", at: p.tok,
                            hint: "NACLs cannot reference security groups or prefix lists")
                    return false
                }
                guard let cidr = p.anyPrefix("a CIDR") else { return false }
                let rule = NetworkACLRule(number: number, action: action, ipProtocol: proto, ports: ports, cidr: cidr,
                                          location: p.location(keyword))
                if isInbound { acl.inbound.append(rule) } else { acl.outbound.append(rule) }
                return p.end(Keywords.networkACL, [])
            case "id":
                p.note(acl.location, .id, line: p.tok.line)
                p.advance()
                guard let t = p.value("an id") else { return false }
                acl.id = p.text(t)
                return p.end(Keywords.networkACL, [])
            default: return nil
            }
        }
        note(acl.location, .close, line: lastCloseLine)
        acl.closeLocation = lastClose
        vpc.networkACLs.append(acl)
        return ok && end(Keywords.vpc, [])
    }

    // MARK: Instances

    mutating func parseInstance(_ vpc: inout VPC) -> Bool {
        advance()
        guard let (n, nt) = name("an instance name") else { return false }
        var instance = Instance(name: n, interfaces: [], location: location(nt))
        // Block form: `instance NAME [id X] { interface … }`.
        var headerID: String? = nil
        while onSameLine, at("id") {
            advance()
            guard let t = value("an id") else { return false }
            headerID = text(t)
        }
        if tok.kind == .openBrace {
            instance.id = headerID
            let ok = block(Keywords.instanceBody, context: "in instance '\(n)'") { p, word in
                switch word {
                case "interface":
                    p.advance()
                    guard let (iname, it) = p.name("an interface name") else { return false }
                    guard let eni = p.interfaceModifiers(name: iname, nameToken: it, isInterface: true) else { return false }
                    instance.interfaces.append(eni)
                    return p.end(Keywords.instanceBody, Keywords.interfaceModifiers)
                case "id":
                    p.note(instance.location, .id, line: p.tok.line)
                    p.advance()
                    guard let t = p.value("an id") else { return false }
                    instance.id = p.text(t)
                    return p.end(Keywords.instanceBody, [])
                case "tag":
                    p.advance()
                    guard let tag = p.tag() else { return false }
                    instance.tags.append(tag)
                    return p.end(Keywords.instanceBody, [])
                default: return nil
                }
            }
            note(instance.location, .close, line: lastCloseLine)
            if ok, instance.interfaces.isEmpty {
                error(.missingClause, "instance '\(n)' has no interface", at: nt, hint: "add 'interface eth0 in SUBNET ip ADDRESS'")
            }
            vpc.instances.append(instance)
            return ok && end(Keywords.vpc, [])
        }
        var tags: [ResourceTag] = []
        guard var eni = interfaceModifiers(name: "eth0", nameToken: nt, isInterface: false, tags: &tags) else { return false }
        // In the one-line form an `id` names the instance.
        let id = eni.id ?? headerID
        eni.id = nil
        // Built in place in the array that keeps it (filling in `instance` and appending it copied the record).
        vpc.instances.append(Instance(name: n, id: id, interfaces: [eni], location: instance.location))
        if !tags.isEmpty { vpc.instances[vpc.instances.count - 1].tags = tags }
        return end(Keywords.vpc, Keywords.oneLineInstanceModifiers)
    }

    /// `in SUBNET ip A [secondary-ip A]… [public-ip A|none] [ipv6 A]… [sg N…] [source-dest-check on|off]`.
    mutating func interfaceModifiers(name: String, nameToken: Token, isInterface: Bool) -> NetworkInterface? {
        var tags: [ResourceTag] = []
        return interfaceModifiers(name: name, nameToken: nameToken, isInterface: isInterface, tags: &tags)
    }

    /// `tag KEY=VALUE` after its keyword: one word (plain, or quoted as a whole: `'Cost Center=Team A'`) split at
    /// its first `=`; the value may be empty.
    mutating func tag() -> ResourceTag? {
        guard let t = value("'KEY=VALUE'") else { return nil }
        let word = substring(t)
        var body = String(word)
        if word.first == "'" {
            guard let unquoted = LanguageWord.unquoted(word) else {
                error(.expected, "unterminated quoted text", at: t, hint: "close it with ' on the same line")
                return nil
            }
            body = unquoted
        }
        guard let eq = body.firstIndex(of: "="), eq != body.startIndex else {
            error(.expected, "expected 'KEY=VALUE' after 'tag', found '\(text(t))'", at: t,
                  hint: "write 'tag env=prod', or quote the whole tag when it holds spaces: tag 'Cost Center=Team A'")
            return nil
        }
        return ResourceTag(key: String(body[..<eq]), value: String(body[body.index(after: eq)...]), location: location(t))
    }

    /// The interface's modifiers; in the one-line instance form also its `tag`s (into `tags`).
    mutating func interfaceModifiers(name: String, nameToken: Token, isInterface: Bool,
                                     tags: inout [ResourceTag]) -> NetworkInterface? {
        var subnet: String?
        var ip: IPv4Address?
        // The fields are gathered in locals and the record is built once at the end (filling in a record as
        // the words come showed up in profiles as whole-record copies).
        var id: String?
        var secondaryIPs: [IPv4Address] = []
        var publicIP: NetworkInterface.PublicIP?
        var ipv6Addresses: [IPv6Address] = []
        var securityGroups: [String] = []
        var sourceDestCheck = true
        let stop = isInterface ? Keywords.interfaceStopInInstance : Keywords.interfaceStopInVPC
        while onSameLine {
            if at("in") {
                advance()
                guard let (s, _) = self.name("a subnet name") else { return nil }
                subnet = s
            } else if at("ip") {
                advance()
                guard let a = ipv4Address("a private IPv4 address") else { return nil }
                ip = a
            } else if at("secondary-ip") {
                advance()
                guard let a = ipv4Address("a secondary private IPv4 address") else { return nil }
                secondaryIPs.append(a)
            } else if at("public-ip") {
                advance()
                if onSameLine, at("none") { advance(); publicIP = NetworkInterface.PublicIP.none }
                else if onSameLine, at("unknown") { advance(); publicIP = .unknown }
                else {
                    guard let a = ipv4Address("a public IPv4 address or 'none'") else { return nil }
                    publicIP = .address(a)
                }
            } else if at("ipv6") {
                advance()
                guard let a = ipv6Address() else { return nil }
                ipv6Addresses.append(a)
            } else if at("sg") {
                advance()
                guard let names = nameList("a security-group name", stop: stop) else { return nil }
                // The first list is taken whole (no copy); a repeated `sg` appends.
                if securityGroups.isEmpty { securityGroups = names } else { securityGroups.append(contentsOf: names) }
            } else if at("source-dest-check") {
                advance()
                if at("on") { sourceDestCheck = true } else if at("off") { sourceDestCheck = false } else {
                    expected("'on' or 'off'")
                    return nil
                }
                advance()
            } else if at("id") {
                advance()
                guard let t = value("an id") else { return nil }
                id = text(t)
            } else if !isInterface, at("tag") {
                advance()
                guard let tag = tag() else { return nil }
                tags.append(tag)
            } else { break }
        }
        // Built only for an error: one interpolated string per instance showed in profiles.
        var what: String { isInterface ? "interface '\(name)'" : "instance '\(text(nameToken))'" }
        guard let subnet else {
            error(.missingClause, "\(what) needs 'in SUBNET'", at: nameToken); return nil
        }
        guard let ip else {
            error(.missingClause, "\(what) needs 'ip ADDRESS'", at: nameToken, hint: "every interface has a primary private IPv4 address"); return nil
        }
        return NetworkInterface(name: name, id: id, subnet: subnet, privateIP: ip, secondaryIPs: secondaryIPs, publicIP: publicIP,
                                ipv6Addresses: ipv6Addresses, securityGroups: securityGroups, sourceDestCheck: sourceDestCheck,
                                location: location(nameToken))
    }

    /// Records which `region` / `account` statements a VPC or transit gateway was written under (trivia).
    mutating func noteDefaults(_ owner: SourceLocation) {
        guard trivia != nil else { return }
        if region != nil { note(owner, .region, line: regionLine) }
        if account != nil { note(owner, .account, line: accountLine) }
    }
}
