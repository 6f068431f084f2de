import IPAddressing
import Reporting

/// The facts `vpckit cidr info` prints about a block, in display order (the keys are the JSON keys).
public enum CidrFacts {
    /// The block's range, size, masks (IPv4) and the addresses AWS reserves in a subnet of that size.
    public static func describe(_ prefix: IPPrefix) -> [(String, JSONValue)] {
        switch prefix {
        case .v4(let p): describe(p, netmask: true)
        case .v6(let p): describe(p, netmask: false)
        }
    }

    static func describe<A: IPAddressProtocol>(_ p: Prefix<A>, netmask: Bool) -> [(String, JSONValue)] {
        var info: [(String, JSONValue)] = [
            ("prefix", .string(p.description)),
            ("family", .string(A.family.description)),
            ("first", .string(p.first.description)),
            ("last", .string(p.last.description)),
        ]
        if netmask {
            info.append(("netmask", .string(A(bits: Prefix<A>.mask(Int(p.length))).description)))
            info.append(("hostmask", .string(A(bits: p.hostMask).description)))
        }
        info.append(("addresses", .string(powerOfTwo(p.hostBitCount))))
        // AWS: IPv4 subnets /16…/28 and IPv6 subnets /64 reserve the first four addresses and the last.
        let isSubnetSize = A.family == .ipv4 ? (16...28).contains(Int(p.length)) : p.length == 64
        if isSubnetSize {
            info.append(("aws_usable", .string(powerOfTwoMinus5(p.hostBitCount))))
            let roles = ["network", "VPC router", "Amazon DNS", "future use"]
            var reserved: [JSONValue] = []
            for (offset, role) in roles.enumerated() {
                let address = A(bits: p.network.bits | A.Bits(offset))
                reserved.append(.object([("address", .string(address.description)), ("role", .string(role))]))
            }
            reserved.append(.object([("address", .string(p.last.description)),
                                     ("role", .string(A.family == .ipv4 ? "broadcast" : "reserved"))]))
            info.append(("aws_reserved", .array(reserved)))
        } else {
            info.append(("aws_subnet", .string(A.family == .ipv4
                ? "not an AWS subnet size (IPv4 subnets are /16 to /28)"
                : "not an AWS subnet size (IPv6 subnets are /64)")))
        }
        return info
    }

    /// 2^n in decimal (n ≤ 128).
    public static func powerOfTwo(_ n: Int) -> String {
        n == 128 ? "340282366920938463463374607431768211456" : String(UInt128(1) << UInt128(n))
    }
    /// 2^n − 5 in decimal (3 ≤ n ≤ 127).
    static func powerOfTwoMinus5(_ n: Int) -> String { String((UInt128(1) << UInt128(n)) - 5) }
}

extension CidrInputs {
    /// The first `limit` free `/length` blocks of `parent` (`vpckit cidr free`): the blocks not overlapping any
    /// block read so far, in address order. A topology's VPC block that holds the whole parent is the space
    /// being planned, not a block in use.
    public func freeBlocks(in parent: IPPrefix, length: Int, limit: Int) -> [IPPrefix] {
        func used<A: IPAddressProtocol>(_ prefixes: [Prefix<A>], _ origins: [Int32], parent: Prefix<A>) -> PrefixSet<A> {
            PrefixSet(zip(prefixes, origins).filter { prefix, origin in
                !(self.origins[Int(origin)].kind == .vpc && prefix.contains(parent))
            }.map(\.0))
        }
        switch parent {
        case .v4(let p):
            return PrefixSet([p]).subtracting(used(v4, v4Origin, parent: p)).firstBlocks(length: length, limit: limit).map { .v4($0) }
        case .v6(let p):
            return PrefixSet([p]).subtracting(used(v6, v6Origin, parent: p)).firstBlocks(length: length, limit: limit).map { .v6($0) }
        }
    }
}
