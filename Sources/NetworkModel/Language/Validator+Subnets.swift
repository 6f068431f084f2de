// Validation of a VPC's blocks, subnets and the addresses written in them.
import IPAddressing
import Reporting

extension Validation {
    // MARK: VPCs

    mutating func checkVPC(_ vpc: VPC, index: Int) {
        if vpc.cidrs.isEmpty {
            error(.vpcBlock, "vpc '\(vpc.name)' has no IPv4 block", at: vpc.location, word: vpc.name, hint: "add 'cidr 10.0.0.0/16'")
        }
        let linkLocal = IPv4Prefix(network: IPv4Address(169, 254, 0, 0), length: 16)
        for (k, c) in vpc.cidrs.enumerated() {
            if c.length < 16 || c.length > 28 {
                error(.vpcBlock, "VPC block \(c) is /\(c.length); AWS allows /16 to /28", at: vpc.location, word: c.description)
            }
            if let linkLocal, linkLocal.overlaps(c) {
                error(.vpcBlock, "VPC block \(c) overlaps 169.254.0.0/16, which a VPC can never use", at: vpc.location, word: c.description)
            }
            for other in vpc.cidrs[..<k] where other.overlaps(c) {
                error(.vpcBlock, "VPC block \(c) overlaps block \(other) of the same VPC", at: vpc.location, word: c.description)
            }
        }
        for c in vpc.ipv6Cidrs where c.length != 56 {
            error(.vpcBlock, "VPC IPv6 block \(c) is /\(c.length); Amazon-provided IPv6 blocks are /56", at: vpc.location,
                  word: c.description)
        }
        if vpc.egressOnlyGateway != nil, vpc.ipv6Cidrs.isEmpty, let g = vpc.egressOnlyGateway {
            error(.vpcBlock, "egress-only gateway '\(g.name)' in vpc '\(vpc.name)', which has no IPv6 block", at: g.location, word: g.name,
                  hint: "add 'ipv6 …/56' to the VPC")
        }
        checkSubnets(vpc, index: index)
        checkAddresses(vpc, index: index)
        checkRouteTables(vpc, index: index)
        checkSecurityGroups(vpc, index: index)
        checkNetworkACLs(vpc, index: index)
        if hasEdges { checkVPCEdges(vpc, index: index) }
    }

    mutating func checkSubnets(_ vpc: VPC, index: Int) {
        for s in vpc.subnets {
            if s.cidr.length < 16 || s.cidr.length > 28 {
                error(.subnetBlock, "subnet '\(s.name)' is /\(s.cidr.length); AWS allows /16 to /28", at: s.location, word: s.cidr.description)
            } else if !vpc.cidrs.isEmpty, !vpc.cidrs.contains(where: { $0.contains(s.cidr) }) {
                error(.subnetBlock, "subnet '\(s.name)' \(s.cidr) is outside the blocks of vpc '\(vpc.name)' (\(vpc.cidrs.map(\.description).joined(separator: ", ")))",
                      at: s.location, word: s.cidr.description)
            }
            if let v6 = s.ipv6Cidr {
                if v6.length != 64 {
                    error(.subnetBlock, "subnet '\(s.name)' IPv6 block \(v6) is /\(v6.length); IPv6 subnets are /64", at: s.location,
                          word: v6.description)
                } else if vpc.ipv6Cidrs.isEmpty {
                    error(.subnetBlock, "subnet '\(s.name)' has an IPv6 block but vpc '\(vpc.name)' has none", at: s.location,
                          word: v6.description, hint: "add 'ipv6 …/56' to the VPC")
                } else if !vpc.ipv6Cidrs.contains(where: { $0.contains(v6) }) {
                    error(.subnetBlock, "subnet '\(s.name)' \(v6) is outside the IPv6 blocks of vpc '\(vpc.name)'", at: s.location,
                          word: v6.description)
                }
            }
        }
        // Overlaps: sort by block, then compare each with the widest block seen so far.
        let v4 = vpc.subnets.indices.sorted { vpc.subnets[$0].cidr < vpc.subnets[$1].cidr }
        var widest: Int? = nil
        for i in v4 {
            let s = vpc.subnets[i]
            if let w = widest, vpc.subnets[w].cidr.overlaps(s.cidr) {
                let o = vpc.subnets[w]
                let (first, second) = o.location.line <= s.location.line ? (o, s) : (s, o)
                error(.subnetOverlap, "subnet '\(second.name)' \(second.cidr) overlaps subnet '\(first.name)' \(first.cidr)", at: second.location,
                      word: second.cidr.description)
            }
            if let w = widest, vpc.subnets[w].cidr.last >= s.cidr.last { continue }
            widest = i
        }
        var seen6: [(IPv6Prefix, Subnet)] = []
        for s in vpc.subnets {
            guard let p = s.ipv6Cidr else { continue }
            if let (_, o) = seen6.first(where: { $0.0.overlaps(p) }) {
                error(.subnetOverlap, "subnet '\(s.name)' IPv6 block \(p) overlaps subnet '\(o.name)'", at: s.location, word: p.description)
            }
            seen6.append((p, s))
        }
    }

    /// The subnet named `name` in `vpc`.
    func subnet(_ name: String, in vpc: VPC) -> Subnet? {
        guard let entry = names[name] else { return nil }
        return subnet(entry, in: vpc)
    }

    /// The subnet a name's `entry` denotes, when it is one of `vpc`'s.
    func subnet(_ entry: Entry, in vpc: VPC) -> Subnet? {
        subnetPosition(entry, in: vpc).map { vpc.subnets[$0] }
    }

    /// The position in `vpc.subnets` of the subnet a name's `entry` denotes, when it is one of `vpc`'s.
    func subnetPosition(_ entry: Entry, in vpc: VPC) -> Int? {
        guard entry.kind == .subnet, topology.vpcs[entry.owner].name == vpc.name,
              entry.position < vpc.subnets.count else { return nil }
        return entry.position
    }

    /// Why `address` cannot be an interface address in `subnet` (outside it, or one of AWS's reserved five).
    static func addressProblem(_ address: IPv4Address, in subnet: Subnet) -> String? {
        guard subnet.cidr.contains(address) else { return "is outside subnet '\(subnet.name)' \(subnet.cidr)" }
        let offset = address.bits &- subnet.cidr.network.bits
        if offset <= 3 || address == subnet.cidr.last {
            let role = offset == 0 ? "the network address" : offset == 1 ? "the VPC router" : offset == 2 ? "the Amazon DNS server"
                : offset == 3 ? "reserved by AWS for future use" : "the broadcast address"
            return "is reserved in subnet '\(subnet.name)' (\(role)); AWS reserves the first four addresses and the last"
        }
        return nil
    }

    static func addressProblem(_ address: IPv6Address, in subnet: Subnet) -> String? {
        guard let block = subnet.ipv6Cidr else { return "is IPv6 but subnet '\(subnet.name)' has no IPv6 block" }
        guard block.contains(address) else { return "is outside subnet '\(subnet.name)' \(block)" }
        let offset = address.bits &- block.network.bits
        if offset <= 3 || address == block.last {
            return "is reserved in subnet '\(subnet.name)'; AWS reserves ::, ::1, ::2, ::3 and the last address"
        }
        return nil
    }

    /// Kind sets `resolve` takes once per reference, built once (a literal builds its array on every call).
    static let subnetKind: ResourceKinds = [.subnet]
    static let securityGroupKind: ResourceKinds = [.securityGroup]
    static let prefixListKind: ResourceKinds = [.prefixList]

    mutating func checkAddresses(_ vpc: VPC, index: Int) {
        // Address → its first claimant, as an integer map: `(instance, interface)`, or `(NAT gateway, -1)`. The
        // owner's name is built only for an error (a `[UInt32: String]` hashed 100,000 addresses with SipHash
        // and kept a string per address).
        var used = AddressClaims(expected: vpc.instances.count + vpc.natGateways.count)
        var used6: [IPv6Address: String] = [:]
        func owner(_ claim: (Int32, Int32)) -> String {
            let (i, k) = claim
            if k < 0 { return vpc.natGateways[Int(i)].name }
            let instance = vpc.instances[Int(i)]
            return instance.interfaces.count == 1 ? instance.name : "\(instance.name).\(instance.interfaces[Int(k)].name)"
        }
        func claim(_ v: inout Validation, _ a: IPv4Address, _ claimant: (Int32, Int32), _ location: SourceLocation) {
            if let other = used.claim(a.bits, claimant) {
                v.error(.badInterfaceAddress, "address \(a) is already used by '\(owner(other))'", at: location, word: a.description,
                        hint: "private addresses are unique within a VPC")
            }
        }
        for (ni, n) in vpc.natGateways.enumerated() {
            guard resolve(n.subnet, as: Validation.subnetKind, what: "subnet", inVPC: index, at: n.location),
                  let s = subnet(n.subnet, in: vpc) else { continue }
            if let ip = n.privateIP {
                if let problem = Validation.addressProblem(ip, in: s) {
                    error(.badInterfaceAddress, "NAT gateway address \(ip) \(problem)", at: n.location, word: ip.description)
                } else { claim(&self, ip, (Int32(ni), -1), n.location) }
            }
        }
        func checkPrivate(_ v: inout Validation, _ ip: IPv4Address, in s: Subnet, claimant: (Int32, Int32), _ location: SourceLocation) {
            if let problem = Validation.addressProblem(ip, in: s) {
                v.error(.badInterfaceAddress, "address \(ip) \(problem)", at: location, word: ip.description,
                        hint: s.cidr.contains(ip) ? nil : "the first usable address is \(IPv4Address(bits: s.cidr.network.bits &+ 4))")
            } else { claim(&v, ip, claimant, location) }
        }
        // By index: instances and interfaces are read in place, not copied (100,000 of them in a big topology).
        for i in vpc.instances.indices {
            let interfaceCount = vpc.instances[i].interfaces.count
            // Only instances with several interfaces can repeat a name (most have one: no set to build).
            var interfaceNames = Set<String>()
            for k in 0..<interfaceCount {
                if interfaceCount > 1, !interfaceNames.insert(vpc.instances[i].interfaces[k].name).inserted {
                    let eni = vpc.instances[i].interfaces[k]
                    error(.duplicateName, "instance '\(vpc.instances[i].name)' has two interfaces named '\(eni.name)'", at: eni.location,
                          word: eni.name)
                }
                for g in vpc.instances[i].interfaces[k].securityGroups {
                    resolve(g, as: Validation.securityGroupKind, what: "security group", inVPC: index,
                            at: vpc.instances[i].interfaces[k].location)
                }
                guard let entry = resolvedEntry(vpc.instances[i].interfaces[k].subnet, as: Validation.subnetKind, what: "subnet",
                                                inVPC: index, at: vpc.instances[i].interfaces[k].location),
                      let p = subnetPosition(entry, in: vpc) else { continue }
                let claimant = (Int32(i), Int32(k))
                let location = vpc.instances[i].interfaces[k].location
                checkPrivate(&self, vpc.instances[i].interfaces[k].privateIP, in: vpc.subnets[p], claimant: claimant, location)
                for ip in vpc.instances[i].interfaces[k].secondaryIPs {
                    checkPrivate(&self, ip, in: vpc.subnets[p], claimant: claimant, location)
                }
                for ip in vpc.instances[i].interfaces[k].ipv6Addresses {
                    let s = vpc.subnets[p]
                    if let problem = Validation.addressProblem(ip, in: s) {
                        error(.badInterfaceAddress, "address \(ip) \(problem)", at: location, word: ip.description)
                    } else if let other = used6[ip] {
                        error(.badInterfaceAddress, "address \(ip) is already used by '\(other)'", at: location, word: ip.description)
                    } else { used6[ip] = owner(claimant) }
                }
            }
        }
    }
}

/// The private IPv4 addresses claimed in one VPC: address → first claimant (an instance and interface position, or
/// a NAT gateway's position and -1). Open addressing with linear probing over a power-of-two table at most half
/// full: no `Hasher`, no string per address.
struct AddressClaims {
    private var keys: [UInt32]
    private var claimants: [(Int32, Int32)]
    /// Per slot: true when taken (every address value is a valid key).
    private var taken: [Bool]
    private var count = 0

    /// An empty map sized for `expected` addresses.
    init(expected: Int) {
        var capacity = 16
        while capacity < 2 * expected { capacity <<= 1 }
        keys = [UInt32](repeating: 0, count: capacity)
        claimants = [(Int32, Int32)](repeating: (0, 0), count: capacity)
        taken = [Bool](repeating: false, count: capacity)
    }

    /// Claims `address` for `claimant`; returns the earlier claimant when the address was already taken (the map
    /// keeps the first).
    mutating func claim(_ address: UInt32, _ claimant: (Int32, Int32)) -> (Int32, Int32)? {
        if 2 * (count + 1) > keys.count { grow() }
        let mask = keys.count - 1
        var i = Int(truncatingIfNeeded: (UInt64(address) &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
        while taken[i] {
            if keys[i] == address { return claimants[i] }
            i = (i + 1) & mask
        }
        keys[i] = address
        claimants[i] = claimant
        taken[i] = true
        count += 1
        return nil
    }

    private mutating func grow() {
        var bigger = AddressClaims(expected: keys.count)
        for i in keys.indices where taken[i] { _ = bigger.claim(keys[i], claimants[i]) }
        self = bigger
    }
}
