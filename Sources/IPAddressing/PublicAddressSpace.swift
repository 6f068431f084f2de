/// The addresses the public internet uses: what `internet` stands for in a query or an `assert` line
/// (Docs/SEMANTICS.md, "The internet is a set of addresses"), before a topology's VPC blocks are taken out.
///
/// IPv4: every address except the blocks in ``nonPublicIPv4`` (IANA special-purpose blocks that are not
/// globally routable, the private and shared ranges, multicast and the reserved 240.0.0.0/4). The three
/// documentation blocks (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) **stay public**: they are the example
/// addresses every document and test uses for "somewhere on the internet".
/// IPv6: the global unicast block 2000::/3 (it holds the documentation block 2001:db8::/32, kept public for the
/// same reason).
public enum PublicAddressSpace {
    /// IPv4 blocks that are never internet addresses, in address order.
    public static let nonPublicIPv4: [IPv4Prefix] = [
        "0.0.0.0/8",        // "this network" (RFC 791)
        "10.0.0.0/8",       // private (RFC 1918)
        "100.64.0.0/10",    // shared address space (RFC 6598)
        "127.0.0.0/8",      // loopback
        "169.254.0.0/16",   // link local
        "172.16.0.0/12",    // private (RFC 1918)
        "192.0.0.0/24",     // IETF protocol assignments (RFC 6890)
        "192.168.0.0/16",   // private (RFC 1918)
        "198.18.0.0/15",    // benchmarking (RFC 2544)
        "224.0.0.0/4",      // multicast
        "240.0.0.0/4",      // reserved, and the limited broadcast address
    ].compactMap { try? IPv4Prefix($0) }

    /// The IPv6 global unicast block.
    public static let globalUnicastIPv6: IPv6Prefix = IPv6Prefix(network: IPv6Address(bits: UInt128(0x2) << 124), length: 3)!

    /// Every public IPv4 address.
    public static let ipv4: IPv4PrefixSet = IPv4PrefixSet([IPv4Prefix(network: IPv4Address(bits: 0), length: 0)!])
        .subtracting(IPv4PrefixSet(nonPublicIPv4))

    /// Every public IPv6 address.
    public static let ipv6: IPv6PrefixSet = IPv6PrefixSet([globalUnicastIPv6])

    /// True when `address` is a public address (VPC blocks not considered).
    public static func contains(_ address: IPAddress) -> Bool {
        switch address {
        case .v4(let a): ipv4.contains(a)
        case .v6(let a): ipv6.contains(a)
        }
    }

    /// True when every address of `prefix` is public (VPC blocks not considered).
    public static func contains(_ prefix: IPPrefix) -> Bool {
        switch prefix {
        case .v4(let p): ipv4.contains(p)
        case .v6(let p): ipv6.contains(p)
        }
    }
}
