import IPAddressing
import NetworkModel

/// The result of filtering a packet's destination ports through a NACL or security groups.
public struct FilterResult: Sendable {
    /// The destination ports that pass (empty: blocked).
    public var passed: PortSet
    /// The rule that admitted the first passing port (NACL allow rule, or SG rule); nil when blocked.
    public var decidingRule: Int?
    /// For NACLs: the first deny rule that caught ports (nil: the implicit final `*` or nothing denied).
    public var denyingRule: Int?
}

extension CompiledTopology {
    /// Evaluates a NACL (stateless, ascending rule numbers, first match decides, final `*` deny) for a packet
    /// with protocol `ipProtocol` to destination ports `ports`; `remote` is the source (inbound) or the
    /// destination (outbound). Works on port sets: every port is decided by its own first matching rule.
    /// For ICMP and ICMPv6 `ports` holds ICMP keys `type << 8 | code` instead of ports (a rule `icmp 8` matches
    /// 0x0800…0x08FF); for other protocols without ports any single value will do.
    ///
    /// - Returns: the ports allowed, the index (into the rule list) of the allow rule that decided the smallest
    ///   allowed port, and the first deny rule that caught any port.
    /// - Complexity: O(rules); no allocation when `ports` is one range and stays one range.
    ///
    /// `acl` nil: AWS's implied allow-all NACL (``CompiledSubnet/networkACLID``).
    public func evaluateNACL(_ acl: NetworkACLID?, inbound: Bool, ipProtocol: UInt8, remote: IPAddress, ports: PortSet) -> FilterResult {
        guard let acl else { return FilterResult(passed: ports, decidingRule: nil, denyingRule: nil) }
        return evaluateNACLRules(inbound ? naclHot[acl.position].inbound : naclHot[acl.position].outbound, ipProtocol: ipProtocol,
                                 remote: remote, ports: ports)
    }

    /// ``evaluateNACL(_:inbound:ipProtocol:remote:ports:)`` over one rule list (a slice of `naclRuleHot`).
    @inline(__always)
    func evaluateNACLRules(_ slice: RuleSlice, ipProtocol: UInt8, remote: IPAddress, ports: PortSet) -> FilterResult {
        if ports.count == 1 && ports.lower0 == ports.upper0 {
            // One port (every packet, every single-port query): the first rule that matches it decides, no
            // set arithmetic. Same answers as the general loop below.
            let port = ports.lower0
            let decided: Int = naclRuleHot.withUnsafeBufferPointer { all in
                for i in 0..<Int(slice.count) {
                    let rule = all[Int(slice.start) &+ i]
                    if rule.ipProtocol != -1 && rule.ipProtocol != Int16(ipProtocol) { continue }
                    guard rule.cidr.contains(remote) else { continue }
                    if !(rule.lower <= port && port <= rule.upper) { continue }
                    return rule.allow ? i : -2 - i
                }
                return -1
            }
            if decided >= 0 { return FilterResult(passed: ports, decidingRule: decided, denyingRule: nil) }
            return FilterResult(passed: .empty, decidingRule: nil, denyingRule: decided == -1 ? nil : -2 - decided)
        }
        return evaluateNACLRulesBySweep(slice, ipProtocol: ipProtocol, remote: remote, ports: ports)
    }

    /// The general case of ``evaluateNACLRules(_:ipProtocol:remote:ports:)`` (a set of ports): one sweep up the
    /// ports instead of set arithmetic per rule. The rules that match the protocol and `remote` (up to the first
    /// one covering every port, which decides all that is left) are gathered on the stack; then each stretch of
    /// ports on which no matching rule starts or ends is decided by its first matching rule, and the allowed
    /// stretches are appended in order. Same answer as the rule-by-rule subtraction
    /// (``evaluateNACLRulesBySubtraction(_:ipProtocol:remote:ports:)``, kept as the tests' reference): a rule's
    /// index is the deciding (denying) rule when it is the first matching rule of some port, the lowest such.
    func evaluateNACLRulesBySweep(_ slice: RuleSlice, ipProtocol: UInt8, remote: IPAddress, ports: PortSet) -> FilterResult {
        if ports.isEmpty { return FilterResult(passed: .empty, decidingRule: nil, denyingRule: nil) }
        return naclRuleHot.withUnsafeBufferPointer { all in
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: Int(slice.count)) { matching in
                var m = 0
                for i in 0..<Int(slice.count) {
                    let rule = all[Int(slice.start) &+ i]
                    if rule.ipProtocol != -1 && rule.ipProtocol != Int16(ipProtocol) { continue }
                    guard rule.cidr.contains(remote) else { continue }
                    matching[m] = Int32(i); m += 1
                    if rule.lower == 0 && rule.upper == .max { break }
                }
                var deciding = Int.max, denying = Int.max
                // The allowed ports, built in ascending order: the first range inline, the rest only when needed.
                var count = 0, lower0: UInt16 = 0, upper0: UInt16 = 0
                var more: [ClosedRange<UInt16>] = []
                func allow(_ lo: UInt16, _ hi: UInt16) {
                    if count == 0 { count = 1; lower0 = lo; upper0 = hi; return }
                    if more.isEmpty {
                        if UInt32(lo) <= UInt32(upper0) + 1 { upper0 = hi; return }
                        more.append(lower0...upper0)
                    } else if let last = more.last, UInt32(lo) <= UInt32(last.upperBound) + 1 {
                        more[more.count - 1] = last.lowerBound...hi; return
                    }
                    more.append(lo...hi); count += 1
                }
                func sweep(_ lo: UInt16, _ hi: UInt16) {
                    var pos = lo
                    while true {
                        // The first matching rule holding `pos`, and where the stretch it decides ends: its own
                        // end, or just before an earlier rule starts.
                        var end = hi
                        var decider = -1
                        for k in 0..<m {
                            let rule = all[Int(slice.start) &+ Int(matching[k])]
                            if rule.lower <= pos && pos <= rule.upper {
                                decider = Int(matching[k])
                                if rule.upper < end { end = rule.upper }
                                break
                            }
                            if rule.lower > pos && rule.lower <= end { end = rule.lower - 1 }
                        }
                        if decider >= 0 {
                            if all[Int(slice.start) &+ decider].allow {
                                if decider < deciding { deciding = decider }
                                allow(pos, end)
                            } else if decider < denying {
                                denying = decider
                            }
                        }
                        if end >= hi { return }
                        pos = end + 1
                    }
                }
                if ports.count == 1 {
                    sweep(ports.lower0, ports.upper0)
                } else {
                    for r in ports.many.ranges { sweep(r.lowerBound, r.upperBound) }
                }
                let passed: PortSet = switch count {
                case 0: .empty
                case 1: PortSet(count: 1, lower0: lower0, upper0: upper0, many: ClosedRangeSet())
                default: PortSet(ClosedRangeSet(sorted: more))
                }
                return FilterResult(passed: passed, decidingRule: deciding == .max ? nil : deciding,
                                    denyingRule: denying == .max ? nil : denying)
            }
        }
    }

    /// The rule-by-rule form of the general case of ``evaluateNACLRules(_:ipProtocol:remote:ports:)``: each
    /// matching rule takes the ports still undecided that it holds. The reference the sweep is tested against.
    func evaluateNACLRulesBySubtraction(_ slice: RuleSlice, ipProtocol: UInt8, remote: IPAddress, ports: PortSet) -> FilterResult {
        return naclRuleHot.withUnsafeBufferPointer { all in
            var remaining = ports
            var allowed = PortSet.empty
            var deciding: Int? = nil
            var denying: Int? = nil
            for i in 0..<Int(slice.count) {
                let rule = all[Int(slice.start) &+ i]
                if rule.ipProtocol != -1 && rule.ipProtocol != Int16(ipProtocol) { continue }
                guard rule.cidr.contains(remote) else { continue }
                let hit: PortSet
                if rule.lower != 0 || rule.upper != .max {
                    hit = remaining.intersection(PortRange(rule.lower, rule.upper))
                } else {
                    hit = remaining
                }
                if hit.isEmpty { continue }
                if rule.allow {
                    if deciding == nil { deciding = i }
                    allowed = allowed.union(hit)
                } else if denying == nil {
                    denying = i
                }
                remaining = hit == remaining ? .empty : remaining.subtracting(hit)
                if remaining.isEmpty { break }
            }
            return FilterResult(passed: allowed, decidingRule: deciding, denyingRule: denying)
        }
    }

    /// Evaluates an interface's security groups (the union of all their rules; allow-only) for a packet.
    ///
    /// `remote` is the packet's source (ingress) or destination (egress). A group reference matches when the
    /// remote address is the private address of an interface holding that group, in the same VPC, a peered
    /// VPC, or a VPC joined by a transit gateway with security-group referencing on.
    ///
    /// `ports` holds destination ports (TCP/UDP) or ICMP keys `type << 8 | code` (ICMP/ICMPv6), as for
    /// ``evaluateNACL(_:inbound:ipProtocol:remote:ports:)``.
    ///
    /// - Returns: the destination ports allowed and the index (into the set's rule list) of a matching rule.
    ///
    /// `set` nil: an interface without security groups (everything passes); `vpc` is the interface's VPC.
    public func evaluateSecurityGroups(_ set: SecurityGroupSetID?, ingress: Bool, vpc: VPCID, ipProtocol: UInt8, remote: IPAddress,
                                       ports: PortSet) -> FilterResult {
        guard let set else { return FilterResult(passed: ports, decidingRule: nil, denyingRule: nil) }
        return evaluateSecurityGroupRules(ingress ? sgSetHot[set.position].ingress : sgSetHot[set.position].egress, vpc: vpc.index,
                                          ipProtocol: ipProtocol, remote: remote, ports: ports)
    }

    /// ``evaluateSecurityGroups(_:ingress:vpc:ipProtocol:remote:ports:)`` over one rule list (a slice of
    /// `sgRuleHot`) of a set that exists.
    ///
    /// `sender` says how a group reference is matched: ``byAddress`` (the remote address's interface holds the
    /// group: egress rules, and callers outside a walk), ``sameVPCReferencesOnly`` (the same, but references to
    /// other VPCs' groups never match), or for ingress within a walk the interface whose groups the packet
    /// carries (-1: none left, so no reference matches).
    func evaluateSecurityGroupRules(_ slice: RuleSlice, vpc: Int32, ipProtocol: UInt8, remote: IPAddress,
                                    ports: PortSet, sender: Int32 = CompiledTopology.byAddress) -> FilterResult {
        if ports.count == 1 && ports.lower0 == ports.upper0 {
            // One port: the first rule that admits it decides (same answers as the general loop below).
            let port = ports.lower0
            let decided: Int = sgRuleHot.withUnsafeBufferPointer { all in
                for i in 0..<Int(slice.count) {
                    let rule = all[Int(slice.start) &+ i]
                    if rule.ipProtocol != -1 && rule.ipProtocol != Int16(ipProtocol) { continue }
                    if !(rule.lower <= port && port <= rule.upper) { continue }
                    switch rule.peer {
                    case .cidr(let p):
                        guard p.contains(remote) else { continue }
                    case .group(let g):
                        guard groupMatches(g.index, remote: remote, sender: sender, fromVPC: vpc) else { continue }
                    }
                    return i
                }
                return -1
            }
            if decided >= 0 { return FilterResult(passed: ports, decidingRule: decided, denyingRule: nil) }
            return FilterResult(passed: .empty, decidingRule: nil, denyingRule: nil)
        }
        return sgRuleHot.withUnsafeBufferPointer { all in
            var allowed = PortSet.empty
            var deciding: Int? = nil
            for i in 0..<Int(slice.count) {
                let rule = all[Int(slice.start) &+ i]
                if rule.ipProtocol != -1 && rule.ipProtocol != Int16(ipProtocol) { continue }
                switch rule.peer {
                case .cidr(let p):
                    guard p.contains(remote) else { continue }
                case .group(let g):
                    guard groupMatches(g.index, remote: remote, sender: sender, fromVPC: vpc) else { continue }
                }
                let hit: PortSet
                if rule.lower != 0 || rule.upper != .max {
                    hit = ports.intersection(PortRange(rule.lower, rule.upper))
                } else {
                    hit = ports
                }
                if hit.isEmpty { continue }
                if deciding == nil { deciding = i }
                allowed = allowed.union(hit)
                if allowed == ports { break }
            }
            return FilterResult(passed: allowed, decidingRule: deciding, denyingRule: nil)
        }
    }

    /// Group-reference matching by the remote address (``evaluateSecurityGroupRules(_:vpc:ipProtocol:remote:ports:sender:)``).
    static let byAddress: Int32 = -2
    /// Group-reference matching by the remote address, references to other VPCs' groups excluded.
    static let sameVPCReferencesOnly: Int32 = -3
    /// The well-known NAT64 prefix 64:ff9b::/96, as the high 96 bits of an address.
    static let nat64Prefix: UInt128 = UInt128(0x0064_ff9b) << 96

    /// Whether a rule referencing group `g`, on an interface in `vpc`, matches (see `sender` above).
    @inline(__always) func groupMatches(_ g: Int32, remote: IPAddress, sender: Int32, fromVPC vpc: Int32) -> Bool {
        if sender == Self.byAddress { return remoteHoldsGroup(remote, group: g, fromVPC: vpc) }
        if sender == Self.sameVPCReferencesOnly { return sgVPCHot[Int(g)] == vpc && remoteHoldsGroup(remote, group: g, fromVPC: vpc) }
        guard sender >= 0 else { return false }
        return interfaceHoldsGroup(sender, group: g, fromVPC: vpc)
    }

    /// True when interface `i` holds group `g`, and the group's VPC may be referenced from `vpc`.
    func interfaceHoldsGroup(_ i: Int32, group g: Int32, fromVPC vpc: Int32) -> Bool {
        let groupVPC = sgVPCHot[Int(g)]
        if groupVPC != vpc {
            guard sgReferencablePairs.find(CompiledTopology.pairKey(vpc, groupVPC)) >= 0 else { return false }
        }
        let set = interfaceHot[Int(i)].securityGroupSet
        guard set >= 0 else { return false }
        let groups = sgSetHot[Int(set)].groups
        return sgGroupHot.withUnsafeBufferPointer { all in
            for k in Int(groups.start)..<Int(groups.start + groups.count) where all[k] == g { return true }
            return false
        }
    }

    /// True when `address` is the private address of an interface holding group `g`, and the group's VPC may
    /// be referenced from `vpc` (same VPC, peered, or TGW with SG referencing).
    func remoteHoldsGroup(_ address: IPAddress, group g: Int32, fromVPC vpc: Int32) -> Bool {
        let owner = privateOwner(vpc: sgVPCHot[Int(g)], address)
        return owner >= 0 && interfaceHoldsGroup(owner, group: g, fromVPC: vpc)
    }

    /// The interface holding `address` as a private address in `vpc`.
    public func interface(holding address: IPAddress, inVPC vpc: VPCID) -> InterfaceID? {
        interface(holding: address, inVPC: vpc.index)
    }
    @inline(__always) func interface(holding address: IPAddress, inVPC vpc: Int32) -> InterfaceID? {
        let owner = privateOwner(vpc: vpc, address)
        return owner >= 0 ? InterfaceID(owner) : nil
    }

    /// The interface whose public IPv4 (or EIP) is `address`, or that holds the (global) IPv6 `address`.
    public func interface(withPublicAddress address: IPAddress) -> InterfaceID? {
        switch address {
        case .v4(let a):
            let owner = publicOwner.find(UInt64(a.bits))
            return owner >= 0 ? InterfaceID(owner) : nil
        case .v6(let a): return ipv6Owner[a.bits].map(InterfaceID.init)
        }
    }

    /// The subnet of `vpc` containing `address`.
    public func subnet(containing address: IPAddress, inVPC vpc: VPCID) -> SubnetID? {
        subnet(containing: address, inVPC: vpc.index).map(SubnetID.init)
    }
    @inline(__always) func subnet(containing address: IPAddress, inVPC vpc: Int32) -> Int32? {
        subnetLPM[Int(vpc)].lookup(address)?.value
    }
}
