import IPAddressing

extension TrafficSpec {
    /// Parses a query's traffic as given to `vpckit reach`: `tcp/443`, `udp/53`, `tcp`, `icmp`, `icmp/TYPE`,
    /// `icmpv6`, `all`, `47` or `proto 47` (the language's spelling, one shell argument; `proto/47` is still
    /// read); nil for anything else. TCP/UDP take a destination port, ICMP/ICMPv6 a message type (0…255).
    public init?(commandLine text: String) {
        let spelled = text.hasPrefix("proto ") ? "proto/" + text.dropFirst(6) : Substring(text)
        let parts = spelled.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= 2, let first = parts.first else { return nil }
        let proto: IPProtocol
        var portText: String? = parts.count == 2 ? parts[1] : nil
        if first.lowercased() == "proto" {
            guard let n = portText.flatMap({ UInt8($0) }) else { return nil }
            proto = .number(n)
            portText = nil
        } else {
            guard let p = IPProtocol(lenient: first) else { return nil }
            proto = p
        }
        if let portText {
            // tcp/udp: the destination port; icmp/icmpv6: the message type (code 0).
            let isICMP = proto.isICMP
            guard proto.hasPorts || isICMP, let port = UInt16(portText), !isICMP || port <= 255 else { return nil }
            self.init(ipProtocol: proto, port: port)
            return
        }
        self.init(ipProtocol: proto)
    }
}
