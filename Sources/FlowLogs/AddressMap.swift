// The `--map ADDRESS=ENDPOINT` grammar of `vpckit flowlogs`: rewriting capture addresses onto topology endpoints.
import IPAddressing
import Reporting

/// A bad `--map` entry: ``origin`` is `--map` or `FILE:LINE`; ``description`` is the line the CLI prints.
public struct AddressMapError: Error, Sendable, Equatable, CustomStringConvertible {
    public var origin: String
    public var message: String
    public init(origin: String, message: String) {
        self.origin = origin
        self.message = message
    }
    public var description: String { "\(origin): error: \(message)" }
}

/// Parses address-map entries into ``ReplayOptions/addressMap``.
///
/// An entry is `ADDRESS=ENDPOINT`: the capture address (IPv4 or IPv6), then either an address or the name of a
/// topology endpoint (``CompiledFlowNetwork/endpointAddresses``: an instance, `instance.interface`, a NAT
/// gateway), spaces and tabs around either side ignored. A map file holds one entry a line; `#` starts a
/// comment; blank lines are skipped.
public enum AddressMap {
    /// The entries of a map file's `text`, each with its origin (`file:line`).
    public static func entries(inFile text: String, named file: String) -> [(entry: String, origin: String)] {
        var out: [(entry: String, origin: String)] = []
        // A CRLF file's line break is one `Character` ("\r\n"), which a split on "\n" would not see.
        for (n, line) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let trimmed = trimmed(content, " \t\r")
            if !trimmed.isEmpty { out.append((trimmed, "\(file):\(n + 1)")) }
        }
        return out
    }

    /// Parses `entry`: the capture address and the address it stands for. `endpoints` names the topology's
    /// endpoints (a wrong name gets the nearest one as a hint).
    public static func parse(_ entry: String, origin: String,
                             endpoints: [String: FlowAddress]) throws(AddressMapError) -> (from: FlowAddress, to: FlowAddress) {
        let parts = entry.split(separator: "=", maxSplits: 1).map { trimmed($0, " \t") }
        guard parts.count == 2, let from = try? IPAddress(parts[0]) else {
            throw AddressMapError(origin: origin, message: "expected ADDRESS=ENDPOINT, found '\(entry)'")
        }
        if let address = try? IPAddress(parts[1]) { return (CompiledFlowNetwork.flowAddress(from), CompiledFlowNetwork.flowAddress(address)) }
        if let named = endpoints[parts[1]] { return (CompiledFlowNetwork.flowAddress(from), named) }
        let hint = Suggest.closest(to: parts[1], in: Array(endpoints.keys)).map { "; did you mean '\($0)'?" } ?? ""
        throw AddressMapError(origin: origin, message: "unknown endpoint '\(parts[1])'\(hint)")
    }

    /// `text` without leading and trailing characters of `set`.
    static func trimmed(_ text: Substring, _ set: String) -> String {
        let chars = Set(set)
        var s = text
        while let f = s.first, chars.contains(f) { s = s.dropFirst() }
        while let l = s.last, chars.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
