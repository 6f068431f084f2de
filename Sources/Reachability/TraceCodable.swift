import IPAddressing
import NetworkModel

// `Codable` for the typed trace (hops, step actions, translations, explanations, dispositions), so a trace can
// be stored and read back by any encoder (no Foundation here: the encoder is the caller's). Addresses are
// written in their canonical text and read back with the strict `IPAddressing` parsers; port sets as
// `[[lower, upper], …]`; a source location as `fileIndex` (its index in the file table of the topology the
// trace belongs to, ``Topology/files``), `line`, `column`. Most conformances are synthesised.

extension ExplanationCode: Codable {}
extension PathDirection: Codable {}
extension ComponentKind: Codable {}

/// The coding helpers for values whose own modules do not make them `Codable`.
enum TraceCoding {
    static func address<K: CodingKey>(_ c: KeyedDecodingContainer<K>, _ key: K) throws -> IPAddress {
        let text = try c.decode(String.self, forKey: key)
        do { return try IPAddress(text) } catch {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "bad IP address '\(text)': \(error)")
        }
    }
    static func ports(_ p: PortSet) -> [[UInt16]] { p.ranges.map { [$0.lower, $0.upper] } }
    static func ports<K: CodingKey>(_ c: KeyedDecodingContainer<K>, _ key: K) throws -> PortSet {
        let pairs = try c.decode([[UInt16]].self, forKey: key)
        var ranges: [PortRange] = []
        for p in pairs {
            guard p.count == 2, p[0] <= p[1] else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "a port range is [lower, upper] with lower <= upper")
            }
            ranges.append(PortRange(p[0], p[1]))
        }
        return PortSet(ranges: ranges)
    }
}

/// `[[lower, upper], …]`, read back through the same checks as a trace's port sets.
extension PortSet: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let pairs = try c.decode([[UInt16]].self)
        var ranges: [PortRange] = []
        for p in pairs {
            guard p.count == 2, p[0] <= p[1] else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "a port range is [lower, upper] with lower <= upper")
            }
            ranges.append(PortRange(p[0], p[1]))
        }
        self.init(ranges: ranges)
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(TraceCoding.ports(self))
    }
}

extension TranslatedAddress: Codable {
    enum CodingKeys: String, CodingKey { case address, ports, unknownPublicAddressOf }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        address = try TraceCoding.address(c, .address)
        ports = try c.contains(.ports) && !c.decodeNil(forKey: .ports) ? TraceCoding.ports(c, .ports) : nil
        unknownPublicAddressOf = try c.decodeIfPresent(String.self, forKey: .unknownPublicAddressOf)
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(address.description, forKey: .address)
        try c.encodeIfPresent(ports.map(TraceCoding.ports), forKey: .ports)
        try c.encodeIfPresent(unknownPublicAddressOf, forKey: .unknownPublicAddressOf)
    }
}

extension Flow: Codable {
    enum CodingKeys: String, CodingKey { case source, destination, ipProtocol, sourcePorts, destinationPorts, icmpTypeCode }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(source: try TraceCoding.address(c, .source), destination: try TraceCoding.address(c, .destination),
                  ipProtocol: try c.decode(UInt8.self, forKey: .ipProtocol),
                  sourcePorts: try TraceCoding.ports(c, .sourcePorts), destinationPorts: try TraceCoding.ports(c, .destinationPorts),
                  icmpTypeCode: try c.decode(UInt16.self, forKey: .icmpTypeCode))
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(source.description, forKey: .source)
        try c.encode(destination.description, forKey: .destination)
        try c.encode(ipProtocol, forKey: .ipProtocol)
        try c.encode(TraceCoding.ports(sourcePorts), forKey: .sourcePorts)
        try c.encode(TraceCoding.ports(destinationPorts), forKey: .destinationPorts)
        try c.encode(icmpTypeCode, forKey: .icmpTypeCode)
    }
}

extension RuleRef: Codable {
    enum CodingKeys: String, CodingKey { case text, ruleNumber, fileIndex, line, column }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        var location: SourceLocation? = nil
        if let file = try c.decodeIfPresent(UInt32.self, forKey: .fileIndex) {
            location = SourceLocation(fileIndex: file, line: try c.decode(Int.self, forKey: .line), column: try c.decode(Int.self, forKey: .column))
        }
        self.init(text: try c.decode(String.self, forKey: .text), ruleNumber: try c.decodeIfPresent(Int.self, forKey: .ruleNumber),
                  location: location)
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(text, forKey: .text)
        try c.encodeIfPresent(ruleNumber, forKey: .ruleNumber)
        if let location {
            try c.encode(location.fileIndex, forKey: .fileIndex)
            try c.encode(location.line, forKey: .line)
            try c.encode(location.column, forKey: .column)
        }
    }
}
