import IPAddressing
import NetworkModel

// Helpers the builders share.
extension CompiledTopology {
    /// Builds an LPM table whose value for each prefix is the index of the best-ranked entry (lowest
    /// ``RouteOrigin/rank``; then the lowest `tiers[i]` when given — a TGW table's propagated routes: VPC 0, DX
    /// gateway 1, VPN 2, §6; among prefix lists, the first list name in sorted order; else the first written).
    static func buildLPM(_ entries: [(IPPrefix, RouteOrigin)], tiers: [UInt32] = []) -> RouteLPM<Int32> {
        buildLPM(count: entries.count, prefix: { entries[$0].0 }, origin: { entries[$0].1 }, tiers: tiers)
    }

    /// ``buildLPM(_:tiers:)`` over a VPC table's routes, read in place (no array of pairs).
    static func buildLPM(routes: [CompiledRoute]) -> RouteLPM<Int32> {
        buildLPM(count: routes.count, prefix: { routes[$0].prefix }, origin: { routes[$0].origin }, tiers: [])
    }

    @inline(__always)
    private static func buildLPM(count: Int, prefix: (Int) -> IPPrefix, origin: (Int) -> RouteOrigin,
                                 tiers: [UInt32]) -> RouteLPM<Int32> {
        @inline(__always) func beats(_ i: Int, _ j: Int) -> Bool {
            let a = origin(i), b = origin(j)
            if !tiers.isEmpty, a.rank == b.rank, tiers[i] != tiers[j] { return tiers[i] < tiers[j] }
            return outranks(a, b)
        }
        // Most tables hold a handful of routes: a linear search beats hashing each prefix (the LPM table does
        // not depend on the order of its entries).
        if count <= 16 {
            var best: [(IPPrefix, Int32)] = []
            best.reserveCapacity(count)
            for i in 0..<count {
                let p = prefix(i)
                if let k = best.firstIndex(where: { $0.0 == p }) {
                    if beats(i, Int(best[k].1)) { best[k].1 = Int32(i) }
                } else {
                    best.append((p, Int32(i)))
                }
            }
            return RouteLPM(best)
        }
        var best: [IPPrefix: Int] = [:]
        best.reserveCapacity(count)
        for i in 0..<count {
            let p = prefix(i)
            if let j = best[p] {
                if beats(i, j) { best[p] = i }
            } else {
                best[p] = i
            }
        }
        return RouteLPM(best.map { ($0.key, Int32($0.value)) })
    }

    /// True when a route of origin `a` beats an equal-prefix route of origin `b` written earlier.
    static func outranks(_ a: RouteOrigin, _ b: RouteOrigin) -> Bool {
        if a.rank != b.rank { return a.rank < b.rank }
        if case .prefixList(let x) = a, case .prefixList(let y) = b { return x < y }
        return false
    }

    /// An unused address in `cidr`, from the top down (NAT gateway and TGW ENIs whose address is not written).
    /// `used` holds the addresses taken (key: the address bits).
    static func pickAddress(in cidr: IPv4Prefix, used: inout IndexMap) -> IPv4Address {
        var bits = cidr.last.bits &- 1
        while bits > cidr.network.bits &+ 3 {
            if used.find(UInt64(bits)) < 0 { used.insertIfAbsent(UInt64(bits), 0); return IPv4Address(bits: bits) }
            bits &-= 1
        }
        return IPv4Address(bits: cidr.network.bits &+ 4)
    }

    @inlinable static func pairKey(_ a: Int32, _ b: Int32) -> UInt64 {
        let lo = UInt32(bitPattern: min(a, b)), hi = UInt32(bitPattern: max(a, b))
        return UInt64(lo) << 32 | UInt64(hi)
    }
}

/// The `text` of compiled rules and routes, built once per distinct rule (and direction) and then shared: equal
/// rules (equality ignores the location) recur across groups, ACLs and route tables, and formatting each again
/// cost more than a look-up.
struct RuleTexts<Rule: Hashable> {
    /// Index 0: the first direction (ingress, inbound; routes use only this one); 1: the other.
    private var texts: [[Rule: String]] = [[:], [:]]

    /// Room for `count` distinct rules in the first direction without rehashing.
    mutating func reserveCapacity(first count: Int) { texts[0].reserveCapacity(count) }

    /// The text of `rule` in the direction `first` selects, built by `build` the first time.
    mutating func text(for rule: Rule, first: Bool, build: () -> String) -> String {
        let k = first ? 0 : 1
        if let known = texts[k][rule] { return known }
        let text = build()
        texts[k][rule] = text
        return text
    }
}
