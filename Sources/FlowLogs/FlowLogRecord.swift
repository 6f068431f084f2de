// Flow log records and AWS's text formats (default version 2 record, custom `${field}` formats).
import CPrefetch

/// One aggregated flow log record: one interface, one direction, one 5-tuple, one aggregation interval.
public struct FlowLogRecord: Sendable, Equatable {
    /// Index into the network's interfaces.
    public var interface: Int32
    public var isEgress: Bool
    public var accepted: Bool
    /// srcaddr/dstaddr as AWS logs them (the interface side is its primary private IPv4 address).
    public var source: FlowAddress
    public var destination: FlowAddress
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    public var ipProtocol: UInt8
    /// The packet's own addresses at the interface (pkt-srcaddr, pkt-dstaddr).
    public var packetSource: FlowAddress
    public var packetDestination: FlowAddress
    public var packets: UInt64 = 0
    public var bytes: UInt64 = 0
    /// Unix seconds of the first and last packet.
    public var start: Int64
    public var end: Int64
    /// AWS-encoded TCP flags ORed over the interval (FIN 1, SYN 2, RST 4, SYN-ACK 18).
    public var tcpFlags: UInt8 = 0
    /// Egress traffic-path code; 0 = `-`. 255 marks a NODATA record, 0xF0… a transit gateway record.
    public var trafficPath: UInt8
    /// Why a REJECT record was rejected: 1 + an index into the replay's ``FlowReplay/rejectReasons``; 0 when
    /// accepted or the network gave no reason. (Not part of the record's identity; it fills padding.) A transit
    /// gateway record (``isTransitGateway``) keeps its pair attachment ENI here instead (``pairInterface``).
    public var rejectReason: UInt32 = 0
    /// The epoch-aligned aggregation interval the record belongs to.
    public var intervalStart: Int64

    public init(interface: Int32, isEgress: Bool, accepted: Bool, source: FlowAddress, destination: FlowAddress,
                sourcePort: UInt16, destinationPort: UInt16, ipProtocol: UInt8, packetSource: FlowAddress,
                packetDestination: FlowAddress, start: Int64, end: Int64, trafficPath: UInt8, intervalStart: Int64) {
        self.interface = interface
        self.isEgress = isEgress
        self.accepted = accepted
        self.source = source
        self.destination = destination
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.ipProtocol = ipProtocol
        self.packetSource = packetSource
        self.packetDestination = packetDestination
        self.start = start
        self.end = end
        self.trafficPath = trafficPath
        self.intervalStart = intervalStart
    }

    /// A NODATA record (`log-status` `NODATA`): interface `interface` had no traffic from `start` to `end`
    /// (``FlowLogRecords/addingNoData(interfaces:interval:limit:)``). Marked by ``noDataTrafficPath`` (AWS's
    /// traffic-path codes stop at 8), so the record needs no field of its own and keeps its size.
    public static func noData(interface: Int32, start: Int64, end: Int64, intervalStart: Int64) -> FlowLogRecord {
        FlowLogRecord(interface: interface, isEgress: false, accepted: true, source: FlowAddress(v4: 0),
                      destination: FlowAddress(v4: 0), sourcePort: 0, destinationPort: 0, ipProtocol: 0,
                      packetSource: FlowAddress(v4: 0), packetDestination: FlowAddress(v4: 0), start: start, end: end,
                      trafficPath: noDataTrafficPath, intervalStart: intervalStart)
    }

    /// The ``trafficPath`` value that marks a NODATA record.
    public static let noDataTrafficPath: UInt8 = .max

    /// True for a NODATA record (``noData(interface:start:end:intervalStart:)``).
    @inlinable public var isNoData: Bool { trafficPath == Self.noDataTrafficPath }

    /// AWS's tcp-flags value of one packet's flags byte: FIN 1, SYN 2, RST 4, and 16 only together with SYN
    /// (SYN-ACK = 18); ACK, PSH, URG, ECE, CWR alone count 0.
    @inlinable public static func awsTCPFlags(_ flags: UInt8) -> UInt8 {
        let base = flags & (TCPFlag.fin | TCPFlag.syn | TCPFlag.rst)
        return flags & (TCPFlag.syn | TCPFlag.ack) == (TCPFlag.syn | TCPFlag.ack) ? base | 0x10 : base
    }
}

/// A field of a VPC flow log record, by its AWS name.
public enum FlowLogField: String, CaseIterable, Sendable {
    case version, accountID = "account-id", interfaceID = "interface-id", srcaddr, dstaddr, srcport, dstport,
         `protocol`, packets, bytes, start, end, action, logStatus = "log-status"
    case vpcID = "vpc-id", subnetID = "subnet-id", instanceID = "instance-id", tcpFlags = "tcp-flags", type,
         pktSrcaddr = "pkt-srcaddr", pktDstaddr = "pkt-dstaddr"
    case region, azID = "az-id", sublocationType = "sublocation-type", sublocationID = "sublocation-id"
    case pktSrcAWSService = "pkt-src-aws-service", pktDstAWSService = "pkt-dst-aws-service",
         flowDirection = "flow-direction", trafficPath = "traffic-path"
    case ecsClusterARN = "ecs-cluster-arn", ecsClusterName = "ecs-cluster-name",
         ecsContainerInstanceARN = "ecs-container-instance-arn", ecsContainerInstanceID = "ecs-container-instance-id",
         ecsContainerID = "ecs-container-id", ecsSecondContainerID = "ecs-second-container-id",
         ecsServiceName = "ecs-service-name", ecsTaskDefinitionARN = "ecs-task-definition-arn",
         ecsTaskARN = "ecs-task-arn", ecsTaskID = "ecs-task-id"

    /// The format version that introduced the field.
    public var version: Int {
        switch self {
        case .version, .accountID, .interfaceID, .srcaddr, .dstaddr, .srcport, .dstport, .protocol, .packets,
             .bytes, .start, .end, .action, .logStatus: 2
        case .vpcID, .subnetID, .instanceID, .tcpFlags, .type, .pktSrcaddr, .pktDstaddr: 3
        case .region, .azID, .sublocationType, .sublocationID: 4
        case .pktSrcAWSService, .pktDstAWSService, .flowDirection, .trafficPath: 5
        default: 7
        }
    }

    /// True for fields AWS types as integers (Parquet INT_32/INT_64).
    public var isInteger: Bool {
        switch self {
        case .version, .srcport, .dstport, .protocol, .packets, .bytes, .start, .end, .tcpFlags, .trafficPath: true
        default: false
        }
    }
}

/// A record format: the ordered fields of each line.
public struct FlowLogFormat: Sendable, Equatable {
    public var fields: [FlowLogField]

    /// AWS's default format: the version 2 fields in order.
    public static let `default` = FlowLogFormat(fields: [
        .version, .accountID, .interfaceID, .srcaddr, .dstaddr, .srcport, .dstport, .protocol, .packets, .bytes,
        .start, .end, .action, .logStatus,
    ])

    public init(fields: [FlowLogField]) { self.fields = fields }

    /// Why a custom format string is rejected.
    public enum ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        case empty
        case notAField(token: String)
        case unknownField(name: String, suggestion: String?)
        public var description: String {
            switch self {
            case .empty: "a custom format needs at least one '${field}'"
            case .notAField(let t): "expected '${field}', found '\(t)'"
            case .unknownField(let n, let s):
                "unknown flow log field '\(n)'" + (s.map { "; did you mean '\($0)'?" } ?? "")
            }
        }
    }

    /// Parses AWS's custom format syntax: space-separated `${field}` tokens, at least one.
    /// - Throws: ``ParseError``.
    public init(parsing text: String) throws(ParseError) {
        var fields: [FlowLogField] = []
        for token in text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }) {
            guard token.hasPrefix("${"), token.hasSuffix("}"), token.count > 3 else {
                throw .notAField(token: String(token))
            }
            let name = String(token.dropFirst(2).dropLast())
            guard let field = FlowLogField(rawValue: name) else {
                throw .unknownField(name: name, suggestion: FlowLogFormat.closest(to: name))
            }
            fields.append(field)
        }
        if fields.isEmpty { throw .empty }
        self.fields = fields
    }

    /// The format's version: the highest version among its fields.
    public var version: Int { fields.map(\.version).max() ?? 2 }

    /// The `${a} ${b}` text of the format.
    public var text: String { fields.map { "${\($0.rawValue)}" }.joined(separator: " ") }

    /// The header line of S3 text files: the field names.
    public var header: String { fields.map(\.rawValue).joined(separator: " ") }

    static func closest(to name: String) -> String? {
        var best: (String, Int)? = nil
        for field in FlowLogField.allCases {
            let d = editDistance(Array(name.utf8), Array(field.rawValue.utf8))
            if d <= max(2, name.count / 3), d < (best?.1 ?? Int.max) { best = (field.rawValue, d) }
        }
        return best?.0
    }

    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where j <= b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

/// Renders records in a format, looking up interface metadata.
public struct FlowLogRenderer: Sendable {
    public let format: FlowLogFormat
    public let interfaces: [FlowInterface]
    /// The UTF-8 of the interface text fields the format prints, for ``appendLine(_:to:)``.
    let text: InterfaceText

    public init(format: FlowLogFormat, interfaces: [FlowInterface]) {
        self.format = format
        self.interfaces = interfaces
        text = InterfaceText(format: format, interfaces: interfaces)
    }

    /// Hints what rendering `record` reads first (its interface's prefix) into the cache: call it a few records
    /// ahead of ``appendLine(_:to:)`` when rendering many (interfaces are in no order, so each line's interface
    /// data is otherwise a cache miss).
    @inline(__always) public func prefetch(_ record: FlowLogRecord) {
        text.prefetchPrefix(interface: Int(record.interface))
    }

    /// The value of `field` for `record`; nil means `-` (not applicable).
    public func value(_ field: FlowLogField, of record: FlowLogRecord) -> FieldValue? {
        let eni = interfaces[Int(record.interface)]
        if record.isNoData { return noDataValue(field, eni: eni, record: record) }
        switch field {
        case .version: return .int(Int64(format.version))
        case .accountID: return .text(eni.accountID)
        case .interfaceID: return .text(eni.interfaceID)
        case .srcaddr: return .text(record.source.description)
        case .dstaddr: return .text(record.destination.description)
        case .srcport: return .int(Int64(record.sourcePort))
        case .dstport: return .int(Int64(record.destinationPort))
        case .protocol: return .int(Int64(record.ipProtocol))
        case .packets: return .int(Int64(record.packets))
        case .bytes: return .int(Int64(record.bytes))
        case .start: return .int(record.start)
        case .end: return .int(record.end)
        case .action: return .text(record.accepted ? "ACCEPT" : "REJECT")
        case .logStatus: return .text("OK")
        case .vpcID: return .text(eni.vpcID)
        case .subnetID: return .text(eni.subnetID)
        case .instanceID: return eni.instanceID.map { .text($0) }
        case .tcpFlags: return .int(Int64(record.tcpFlags))
        case .type: return .text(record.packetSource.isIPv6 ? "IPv6" : "IPv4")
        case .pktSrcaddr: return .text(record.packetSource.description)
        case .pktDstaddr: return .text(record.packetDestination.description)
        case .region: return eni.region.map { .text($0) }
        case .azID: return eni.azID.map { .text($0) }
        case .flowDirection: return .text(record.isEgress ? "egress" : "ingress")
        case .trafficPath: return record.isEgress && record.trafficPath != 0 ? .int(Int64(record.trafficPath)) : nil
        default: return nil  // sublocation, AWS service names (no ip-ranges data), ECS metadata
        }
    }

    /// A NODATA record's field (``FlowLogRecord/noData(interface:start:end:)``): the interface's own fields,
    /// the interval's start and end, `log-status` `NODATA`; every traffic field `-`, as AWS writes it.
    func noDataValue(_ field: FlowLogField, eni: FlowInterface, record: FlowLogRecord) -> FieldValue? {
        switch field {
        case .version: .int(Int64(format.version))
        case .accountID: .text(eni.accountID)
        case .interfaceID: .text(eni.interfaceID)
        case .vpcID: .text(eni.vpcID)
        case .subnetID: .text(eni.subnetID)
        case .instanceID: eni.instanceID.map { .text($0) }
        case .region: eni.region.map { .text($0) }
        case .azID: eni.azID.map { .text($0) }
        case .start: .int(record.start)
        case .end: .int(record.end)
        case .logStatus: .text("NODATA")
        default: nil
        }
    }

    /// A field value: text or an integer.
    public enum FieldValue: Sendable, Equatable {
        case text(String)
        case int(Int64)
        public var text: String {
            switch self {
            case .text(let s): s
            case .int(let i): String(i)
            }
        }
    }

    /// One record as a line of text (no newline), fields separated by single spaces, `-` where none applies.
    public func line(_ record: FlowLogRecord) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(160)
        appendLine(record, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends ``line(_:)``'s text (no newline) to `out` as UTF-8, without building strings for numbers and
    /// IPv4 addresses (the CLI renders millions of records this way).
    public func appendLine(_ record: FlowLogRecord, to out: inout [UInt8]) {
        if record.isNoData {
            for (k, field) in format.fields.enumerated() {
                if k > 0 { out.append(0x20) }
                out.append(contentsOf: (value(field, of: record)?.text ?? "-").utf8)
            }
            return
        }
        // Bytes go to a stack buffer through a pointer and reach `out` in one copy per line (appending byte by
        // byte to the array cost a uniqueness check and a bounds check per byte).
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: LineBuffer.capacity) { scratch in
            guard let base = scratch.baseAddress else { return }
            var b = LineBuffer(base: base)
            let e = Int(record.interface)
            // The leading fields that depend only on the interface (the default format's version, account and
            // interface id) are one precomputed run per interface.
            text.withPrefix(interface: e) { b.bytes($0, out: &out) }
            var first = text.prefixFields == 0
            for field in format.fields[text.prefixFields...] {
                if b.count > LineBuffer.capacity - LineBuffer.fieldRoom { b.flush(to: &out) }
                if first { first = false } else { b.put(0x20) }
                switch field {
                case .version: b.number(UInt64(format.version))
                case .accountID, .interfaceID, .vpcID, .subnetID, .instanceID, .region, .azID:
                    text.withBytes(interface: e, field: field) { b.bytes($0, out: &out) }
                case .srcaddr: b.address(record.source, out: &out)
                case .dstaddr: b.address(record.destination, out: &out)
                case .srcport: b.number(UInt64(record.sourcePort))
                case .dstport: b.number(UInt64(record.destinationPort))
                case .protocol: b.number(UInt64(record.ipProtocol))
                case .packets: b.number(record.packets)
                case .bytes: b.number(record.bytes)
                case .start where record.start >= 0: b.number(UInt64(record.start))
                case .end where record.end >= 0: b.number(UInt64(record.end))
                case .action: b.word(record.accepted ? LineBuffer.accept : LineBuffer.reject, count: 6)
                case .logStatus: b.put(0x4F); b.put(0x4B)  // OK
                case .pktSrcaddr: b.address(record.packetSource, out: &out)
                case .pktDstaddr: b.address(record.packetDestination, out: &out)
                case .tcpFlags: b.number(UInt64(record.tcpFlags))
                default: b.text(value(field, of: record)?.text ?? "-", out: &out)
                }
            }
            b.flush(to: &out)
        }
    }
}

/// A line being rendered: bytes written through a pointer into a fixed stack buffer, flushed to the output
/// array when a field might not fit (fixed-width fields need at most ``fieldRoom`` bytes; longer text is
/// flushed around).
struct LineBuffer {
    static let capacity = 512
    /// Room kept free before each field: a space, 20 digits, or an IPv4 address.
    static let fieldRoom = 24
    let base: UnsafeMutablePointer<UInt8>
    var count = 0

    @inline(__always) init(base: UnsafeMutablePointer<UInt8>) { self.base = base }

    @inline(__always) mutating func put(_ byte: UInt8) {
        base[count] = byte
        count &+= 1
    }

    mutating func flush(to out: inout [UInt8]) {
        guard count > 0 else { return }
        out.append(contentsOf: UnsafeBufferPointer(start: base, count: count))
        count = 0
    }

    /// Decimal digits of `n` (at most 20 bytes), two at a time.
    @inline(__always) mutating func number(_ n: UInt64) {
        if n < 10 { put(0x30 &+ UInt8(truncatingIfNeeded: n)); return }
        var digits = 2
        var limit: UInt64 = 100
        while digits < 20, n >= limit { digits &+= 1; limit = limit &* 10 }
        var x = n
        var i = count &+ digits
        count = i
        LineBuffer.digitPairs.withUnsafeBufferPointer { pairs in
            while x >= 100 {
                let pair = Int(truncatingIfNeeded: x % 100) &* 2
                x /= 100
                i &-= 2
                base[i] = pairs[pair]
                base[i &+ 1] = pairs[pair &+ 1]
            }
            if x >= 10 {
                let pair = Int(truncatingIfNeeded: x) &* 2
                base[i &- 2] = pairs[pair]
                base[i &- 1] = pairs[pair &+ 1]
            } else {
                base[i &- 1] = 0x30 &+ UInt8(truncatingIfNeeded: x)
            }
        }
    }

    /// "00", "01", … "99" as ASCII pairs.
    static let digitPairs: [UInt8] = {
        var pairs: [UInt8] = []
        for n in 0..<100 {
            let tens = UInt8(truncatingIfNeeded: n / 10), ones = UInt8(truncatingIfNeeded: n % 10)
            pairs.append(0x30 + tens)
            pairs.append(0x30 + ones)
        }
        return pairs
    }()

    /// 0…255 as ASCII (up to 3 bytes, low byte first) with its length in the top byte.
    static let octets: [UInt32] = (0..<256).map { (n: Int) -> UInt32 in
        let text = Array(String(n).utf8)
        var packed = UInt32(text.count) << 24
        for (k, b) in text.enumerated() { packed |= UInt32(b) << (8 * k) }
        return packed
    }

    /// "ACCEPT" and "REJECT" as little-endian words for ``word(_:count:)``.
    static let accept: UInt64 = 0x5450_4543_4341  // "ACCEPT"
    static let reject: UInt64 = 0x5443_454A_4552  // "REJECT"

    /// The first `count` bytes (at most 8) of `word`, low byte first; stores all 8 (the buffer keeps room).
    @inline(__always) mutating func word(_ word: UInt64, count n: Int) {
        UnsafeMutableRawPointer(base + count).storeBytes(of: word.littleEndian, as: UInt64.self)
        count &+= n
    }

    /// The UTF-8 of `s`; text longer than the room left goes straight to `out`.
    @inline(__always) mutating func text(_ s: String, out: inout [UInt8]) {
        var s = s
        s.withUTF8 { bytes($0, out: &out) }
    }

    /// `utf8` as is; text longer than the room left goes straight to `out`.
    @inline(__always) mutating func bytes(_ utf8: UnsafeBufferPointer<UInt8>, out: inout [UInt8]) {
        if utf8.count > LineBuffer.capacity - count {
            flush(to: &out)
            if utf8.count > LineBuffer.capacity { out.append(contentsOf: utf8); return }
        }
        if let source = utf8.baseAddress { (base + count).update(from: source, count: utf8.count) }
        count &+= utf8.count
    }

    /// An IPv4 address as four numbers (at most 15 bytes), an IPv6 address through its description.
    @inline(__always) mutating func address(_ a: FlowAddress, out: inout [UInt8]) {
        guard !a.isIPv6 else { text(a.description, out: &out); return }
        let v = UInt32(truncatingIfNeeded: a.low)
        LineBuffer.octets.withUnsafeBufferPointer { octets in
            octet(octets[Int(v >> 24)]); put(0x2E)
            octet(octets[Int(v >> 16 & 0xFF)]); put(0x2E)
            octet(octets[Int(v >> 8 & 0xFF)]); put(0x2E)
            octet(octets[Int(v & 0xFF)])
        }
    }

    /// One packed ``octets`` entry: its three bytes are stored (the buffer keeps room), its length counted.
    @inline(__always) mutating func octet(_ packed: UInt32) {
        UnsafeMutableRawPointer(base + count).storeBytes(of: (packed & 0xFF_FFFF).littleEndian, as: UInt32.self)
        count &+= Int(packed >> 24)
    }
}

/// The UTF-8 of each interface's text fields that a format prints (account, interface, VPC, subnet and instance
/// ids, region, zone id), in one byte array: rendering a line copies bytes instead of touching `String`s
/// (a retain, a release and a UTF-8 check per field per line otherwise).
struct InterfaceText: Sendable {
    /// The text fields of the format, each once, in column order.
    let columns: [FlowLogField]
    /// Per interface and column, where its text starts in ``bytes`` (one more entry at the end).
    let starts: [Int]
    let bytes: [UInt8]
    /// How many leading fields of the format are the version or interface text: rendered as one run per
    /// interface (``withPrefix(interface:_:)``; the space before the next field is the line's).
    let prefixFields: Int
    /// Interface `e`'s prefix run is at `prefixBytes[e * prefixStride + 1 ...]`, its length in the slot's first
    /// byte: fixed-size slots, so a line costs one (prefetchable) cache miss for its interface, not two
    /// dependent ones (where does it start, then the bytes). 0 when there is no prefix.
    let prefixStride: Int
    let prefixBytes: [UInt8]

    init(format: FlowLogFormat, interfaces: [FlowInterface]) {
        var columns: [FlowLogField] = []
        for field in format.fields where Self.isInterfaceText(field) && !columns.contains(field) { columns.append(field) }
        var starts: [Int] = []
        starts.reserveCapacity(interfaces.count * columns.count + 1)
        var bytes: [UInt8] = []
        for eni in interfaces {
            for field in columns {
                starts.append(bytes.count)
                let value: String?
                switch field {
                case .accountID: value = eni.accountID
                case .interfaceID: value = eni.interfaceID
                case .vpcID: value = eni.vpcID
                case .subnetID: value = eni.subnetID
                case .instanceID: value = eni.instanceID
                case .region: value = eni.region
                default: value = eni.azID
                }
                bytes.append(contentsOf: (value ?? "-").utf8)
            }
        }
        starts.append(bytes.count)
        self.columns = columns
        self.starts = starts
        self.bytes = bytes
        var leading = 0
        while leading < format.fields.count, format.fields[leading] == .version || Self.isInterfaceText(format.fields[leading]) {
            leading += 1
        }
        // The runs are written straight into their slots (no array per interface: 100,000 interfaces here).
        let versionText = Array(String(format.version).utf8)
        let leadingColumns = format.fields[..<leading].map { $0 == .version ? -1 : (columns.firstIndex(of: $0) ?? 0) }
        var longest = 0
        for e in interfaces.indices {
            var n = leadingColumns.count - 1
            for c in leadingColumns {
                n += c < 0 ? versionText.count : starts[e * columns.count + c + 1] - starts[e * columns.count + c]
            }
            longest = max(longest, n)
        }
        // A run longer than a slot's length byte can say (ids are short; only odd input gets there): no prefix.
        if leading > 0 && longest <= 255 {
            let stride = (longest + 1 + 15) & ~15
            var slots = [UInt8](repeating: 0, count: stride * interfaces.count)
            slots.withUnsafeMutableBufferPointer { out in
                for e in interfaces.indices {
                    var at = e * stride + 1
                    for (k, c) in leadingColumns.enumerated() {
                        if k > 0 { out[at] = 0x20; at += 1 }
                        let run = c < 0 ? versionText[...] : bytes[starts[e * columns.count + c] ..< starts[e * columns.count + c + 1]]
                        for byte in run { out[at] = byte; at += 1 }
                    }
                    out[e * stride] = UInt8(at - e * stride - 1)
                }
            }
            prefixFields = leading
            prefixStride = stride
            prefixBytes = slots
        } else {
            prefixFields = 0
            prefixStride = 0
            prefixBytes = []
        }
    }

    /// Hints interface `e`'s prefix slot into the cache (a line is rendered a few records later).
    @inline(__always) func prefetchPrefix(interface e: Int) {
        guard prefixStride > 0 else { return }
        prefixBytes.withUnsafeBufferPointer { all in
            guard let base = all.baseAddress, e >= 0, e &* prefixStride < all.count else { return }
            vpckit_prefetch(base + e &* prefixStride)
            vpckit_prefetch(base + (e &* prefixStride &+ prefixStride &- 1))
        }
    }

    /// Calls `body` with interface `e`'s prefix run (nothing when the format starts with another field).
    @inline(__always) func withPrefix(interface e: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        guard prefixFields > 0 else { return }
        let slot = e &* prefixStride
        prefixBytes.withUnsafeBufferPointer { all in
            let start = slot &+ 1
            body(UnsafeBufferPointer(rebasing: all[start ..< start &+ Int(all[slot])]))
        }
    }

    static func isInterfaceText(_ field: FlowLogField) -> Bool {
        switch field {
        case .accountID, .interfaceID, .vpcID, .subnetID, .instanceID, .region, .azID: true
        default: false
        }
    }

    /// Calls `body` with the bytes of `field` (one of ``columns``) for interface `e`.
    @inline(__always) func withBytes(interface e: Int, field: FlowLogField, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var column = 0
        while column < columns.count, columns[column] != field { column &+= 1 }
        let i = e &* columns.count &+ column
        let start = starts[i], end = starts[i &+ 1]
        bytes.withUnsafeBufferPointer { all in
            body(UnsafeBufferPointer(rebasing: all[start..<end]))
        }
    }
}
