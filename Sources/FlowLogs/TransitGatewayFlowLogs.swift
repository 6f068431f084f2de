// Transit gateway flow logs (Docs/SEMANTICS.md "Transit gateway flow log records"; AWS semantics §11): one
// record per attachment a flow crosses, per direction and interval, in the transit gateway fields. The replay
// makes them from its own per-connection decision (``FlowReplay`` with ``ReplayOptions/transitGatewayRecords``):
// the walk's observations at two attachment ENIs of one transit gateway are a packet entering and leaving it; an
// entry with no exit is a packet the transit gateway dropped (a blackhole route, or no route).
import NetworkModel
import Reachability

/// How a transit gateway flow log record's packets fared at the transit gateway (the `packets-lost-*` fields).
public enum TransitGatewayLoss: UInt8, Sendable, CaseIterable {
    /// Forwarded (or leaving through this attachment).
    case none = 0
    /// Dropped: no route for the destination in the attachment's route table (or no associated table).
    case noRoute = 1
    /// Dropped by a blackhole route.
    case blackhole = 2
}

extension FlowLogRecord {
    /// The ``trafficPath`` values that mark a transit gateway record: this base + its ``TransitGatewayLoss``.
    /// (VPC records use 0…8, NODATA 255.)
    public static let transitGatewayMarker: UInt8 = 0xF0

    /// True for a transit gateway flow log record (made only with ``ReplayOptions/transitGatewayRecords``).
    @inlinable public var isTransitGateway: Bool { trafficPath & 0xF0 == 0xF0 && trafficPath != 0xFF }

    /// A transit gateway record's loss.
    public var transitGatewayLoss: TransitGatewayLoss {
        TransitGatewayLoss(rawValue: trafficPath & 0x0F) ?? .none
    }

    /// A transit gateway record's other attachment ENI (``FlowNetwork/interfaces`` index): where the packet left
    /// (on an ingress record) or came in (on an egress record); nil when the packet was dropped at the transit
    /// gateway or crossed an attachment without an ENI (VPN, Direct Connect gateway, peering). Kept in
    /// ``rejectReason`` (a transit gateway record is never a REJECT).
    public var pairInterface: Int32? { rejectReason > 0 ? Int32(truncatingIfNeeded: rejectReason &- 1) : nil }

    /// A transit gateway record's source and destination attachment ENIs (``interface`` is one of them).
    public var transitGatewayENIs: (source: Int32?, destination: Int32?) {
        isEgress ? (pairInterface, interface) : (interface, pairInterface)
    }
}

/// A field of a transit gateway flow log record, by its AWS name.
public enum TransitGatewayFlowLogField: String, CaseIterable, Sendable {
    case version, resourceType = "resource-type", accountID = "account-id", tgwID = "tgw-id",
         tgwAttachmentID = "tgw-attachment-id", tgwSrcVPCAccountID = "tgw-src-vpc-account-id",
         tgwDstVPCAccountID = "tgw-dst-vpc-account-id", tgwSrcVPCID = "tgw-src-vpc-id", tgwDstVPCID = "tgw-dst-vpc-id",
         tgwSrcSubnetID = "tgw-src-subnet-id", tgwDstSubnetID = "tgw-dst-subnet-id", tgwSrcENI = "tgw-src-eni",
         tgwDstENI = "tgw-dst-eni", tgwSrcAZID = "tgw-src-az-id", tgwDstAZID = "tgw-dst-az-id",
         tgwPairAttachmentID = "tgw-pair-attachment-id", srcaddr, dstaddr, srcport, dstport, `protocol`, packets,
         bytes, start, end, logStatus = "log-status", type, packetsLostNoRoute = "packets-lost-no-route",
         packetsLostBlackhole = "packets-lost-blackhole", packetsLostMTUExceeded = "packets-lost-mtu-exceeded",
         packetsLostTTLExpired = "packets-lost-ttl-expired", tcpFlags = "tcp-flags", region,
         flowDirection = "flow-direction", pktSrcAWSService = "pkt-src-aws-service", pktDstAWSService = "pkt-dst-aws-service"

    /// The format version of the field, as for VPC flow logs: the VPC fields keep theirs, the transit gateway
    /// fields are version 6 (AWS's default transit gateway format is "v2–v6"; the per-field split is **[choice]**).
    public var version: Int {
        switch self {
        case .version, .accountID, .srcaddr, .dstaddr, .srcport, .dstport, .protocol, .packets, .bytes, .start, .end, .logStatus: 2
        case .type, .tcpFlags: 3
        case .region: 4
        case .flowDirection, .pktSrcAWSService, .pktDstAWSService: 5
        default: 6
        }
    }
}

/// A transit gateway flow log's record format.
public struct TransitGatewayFlowLogFormat: Sendable, Equatable {
    public var fields: [TransitGatewayFlowLogField]

    /// AWS's default transit gateway format: every field, in AWS's order (``FlowLog/transitGatewayFieldNames``).
    public static let `default` = TransitGatewayFlowLogFormat(fields: TransitGatewayFlowLogField.allCases)

    public init(fields: [TransitGatewayFlowLogField]) { self.fields = fields }

    /// The format of `names` (field names a validated flow log holds); nil when one is not a transit gateway field.
    public init?(names: [String]) {
        var fields: [TransitGatewayFlowLogField] = []
        for n in names {
            guard let f = TransitGatewayFlowLogField(rawValue: n) else { return nil }
            fields.append(f)
        }
        guard !fields.isEmpty else { return nil }
        self.fields = fields
    }

    /// The highest version among the fields.
    public var version: Int { fields.map(\.version).max() ?? 2 }

    /// The header line of S3 text files: the field names.
    public var header: String { fields.map(\.rawValue).joined(separator: " ") }
}

/// What a transit gateway record prints about one attachment ENI (the network's, by interface index).
public struct TransitGatewayENI: Sendable, Equatable {
    /// `tgw-attach-…`
    public var attachmentID: String
    /// `tgw-…`
    public var transitGatewayID: String
    /// The transit gateway owner's account (`account-id`).
    public var transitGatewayAccount: String
    /// The transit gateway's region (`region`), when known.
    public var region: String?
    public init(attachmentID: String, transitGatewayID: String, transitGatewayAccount: String, region: String?) {
        self.attachmentID = attachmentID
        self.transitGatewayID = transitGatewayID
        self.transitGatewayAccount = transitGatewayAccount
        self.region = region
    }
}

/// Renders transit gateway records: the attachment fields from the ENIs' ``FlowInterface`` (VPC, subnet, ENI,
/// zone, account) and ``TransitGatewayENI`` (attachment, transit gateway).
public struct TransitGatewayRenderer: Sendable {
    public let format: TransitGatewayFlowLogFormat
    public let interfaces: [FlowInterface]
    /// Per interface: its attachment's facts (nil for ENIs of no attachment).
    public let attachments: [TransitGatewayENI?]
    /// `resource-type`: `TransitGateway` (the flow log is on a transit gateway).
    public let resourceType: String

    public init(format: TransitGatewayFlowLogFormat, interfaces: [FlowInterface], attachments: [TransitGatewayENI?],
                resourceType: String = "TransitGateway") {
        self.format = format
        self.interfaces = interfaces
        self.attachments = attachments
        self.resourceType = resourceType
    }

    /// The value of `field` for `record`; nil means `-`.
    public func value(_ field: TransitGatewayFlowLogField, of record: FlowLogRecord) -> String? {
        let here = Int(record.interface)
        let (src, dst) = record.transitGatewayENIs
        func eni(_ i: Int32?) -> FlowInterface? { i.flatMap { Int($0) < interfaces.count && $0 >= 0 ? interfaces[Int($0)] : nil } }
        let attachment = here < attachments.count ? attachments[here] : nil
        let loss = record.transitGatewayLoss
        switch field {
        case .version: return String(format.version)
        case .resourceType: return resourceType
        case .accountID: return attachment?.transitGatewayAccount
        case .tgwID: return attachment?.transitGatewayID
        case .tgwAttachmentID: return attachment?.attachmentID
        case .tgwSrcVPCAccountID: return eni(src)?.accountID
        case .tgwDstVPCAccountID: return eni(dst)?.accountID
        case .tgwSrcVPCID: return eni(src)?.vpcID
        case .tgwDstVPCID: return eni(dst)?.vpcID
        case .tgwSrcSubnetID: return eni(src)?.subnetID
        case .tgwDstSubnetID: return eni(dst)?.subnetID
        case .tgwSrcENI: return eni(src)?.interfaceID
        case .tgwDstENI: return eni(dst)?.interfaceID
        case .tgwSrcAZID: return eni(src)?.azID
        case .tgwDstAZID: return eni(dst)?.azID
        case .tgwPairAttachmentID:
            return record.pairInterface.flatMap { Int($0) < attachments.count && $0 >= 0 ? attachments[Int($0)]?.attachmentID : nil }
        case .srcaddr: return record.source.description
        case .dstaddr: return record.destination.description
        case .srcport: return String(record.sourcePort)
        case .dstport: return String(record.destinationPort)
        case .protocol: return String(record.ipProtocol)
        case .packets: return String(record.packets)
        case .bytes: return String(record.bytes)
        case .start: return String(record.start)
        case .end: return String(record.end)
        case .logStatus: return "OK"
        case .type: return record.source.isIPv6 ? "IPv6" : "IPv4"
        case .packetsLostNoRoute: return loss == .noRoute ? String(record.packets) : "0"
        case .packetsLostBlackhole: return loss == .blackhole ? String(record.packets) : "0"
        case .packetsLostMTUExceeded, .packetsLostTTLExpired: return "0"
        case .tcpFlags: return String(record.tcpFlags)
        case .region: return attachment?.region ?? interfaces[here].region
        case .flowDirection: return record.isEgress ? "egress" : "ingress"
        case .pktSrcAWSService, .pktDstAWSService: return nil  // no AWS IP ranges in the replay
        }
    }

    /// One record as a line (no newline), `-` where a field has no value.
    public func line(_ record: FlowLogRecord) -> String {
        format.fields.map { value($0, of: record) ?? "-" }.joined(separator: " ")
    }

    /// ``line(_:)``'s UTF-8 appended to `out`.
    public func appendLine(_ record: FlowLogRecord, to out: inout [UInt8]) {
        for (k, field) in format.fields.enumerated() {
            if k > 0 { out.append(0x20) }
            out.append(contentsOf: (value(field, of: record) ?? "-").utf8)
        }
    }
}

/// A transit gateway flow log resolved against the replay's interfaces.
public struct ResolvedTransitGatewayFlowLog: Sendable {
    public let log: FlowLog
    /// The written `fl-…` id, or a stable one made from the name.
    public let id: String
    public let format: TransitGatewayFlowLogFormat
    /// Per interface: true for the attachment ENIs of the flow log's transit gateway.
    public let inScope: [Bool]
    /// The transit gateway's id, owner account and region (S3 keys, CloudWatch stream).
    public let transitGatewayID: String
    public let account: String
    public let region: String?

    public var name: String { log.name }
    /// Always 60 s (AWS accepts nothing else for transit gateway flow logs).
    public var interval: Int64 { Int64(log.interval) }

    /// True when AWS would deliver `record` to this flow log: a transit gateway record at one of its attachments.
    @inlinable public func admits(_ record: FlowLogRecord) -> Bool {
        let i = Int(record.interface)
        return record.isTransitGateway && i >= 0 && i < inScope.count && inScope[i]
    }

    /// The records this flow log gets, in the replay's order.
    public func records(from records: FlowLogRecords) -> [FlowLogRecord] { records.filter(admits) }
}

extension CompiledFlowNetwork {
    /// Per interface: its transit gateway attachment's facts (nil for other ENIs). The transit gateway's account
    /// and region are its own when written, else `defaultAccount`/`defaultRegion`; a missing id is made from the
    /// name (`tgw-0…`, `tgw-attach-0…`).
    public func transitGatewayENIs(defaultAccount: String = "123456789012", defaultRegion: String? = nil) -> [TransitGatewayENI?] {
        let c = compiled
        return c.interfaces.indices.map { i -> TransitGatewayENI? in
            guard let a = c.interfaces[i].tgwAttachmentID else { return nil }
            let attachment = c[a]
            let tgw = c[attachment.transitGatewayID]
            let model = c.topology.transitGateways.first { $0.name == tgw.name }
            return TransitGatewayENI(
                attachmentID: attachment.awsID ?? Self.syntheticID("tgw-attach", tgw.name, "/", attachment.name),
                transitGatewayID: tgw.awsID ?? model?.id ?? Self.syntheticID("tgw", tgw.name),
                transitGatewayAccount: model?.account ?? defaultAccount,
                region: model?.region ?? defaultRegion)
        }
    }

    /// A transit gateway flow log resolved: the attachment ENIs of its transit gateway (by name or `tgw-…` id).
    public func resolveTransitGateway(_ log: FlowLog, defaultAccount: String = "123456789012",
                                      defaultRegion: String? = nil) throws(FlowLogResolutionError) -> ResolvedTransitGatewayFlowLog {
        let c = compiled
        guard let t = c.transitGateways.indices.first(where: { c.transitGateways[$0].name == log.target || c.transitGateways[$0].awsID == log.target }) else {
            throw .unknownTarget(flowLog: log.name, scope: "transit gateway", target: log.target)
        }
        var inScope = [Bool](repeating: false, count: c.interfaces.count)
        for i in c.interfaces.indices where interfaces[i].transitGateway == Int32(t) { inScope[i] = true }
        let format: TransitGatewayFlowLogFormat
        if let fields = log.fields {
            guard let f = TransitGatewayFlowLogFormat(names: fields) else {
                throw .format(flowLog: log.name, message: "a transit gateway flow log's format has only transit gateway fields")
            }
            format = f
        } else {
            format = .default
        }
        let tgw = c.transitGateways[t]
        let model = c.topology.transitGateways.first { $0.name == tgw.name }
        return ResolvedTransitGatewayFlowLog(
            log: log, id: log.id ?? Self.syntheticID("fl", log.name), format: format, inScope: inScope,
            transitGatewayID: tgw.awsID ?? model?.id ?? Self.syntheticID("tgw", tgw.name),
            account: model?.account ?? defaultAccount, region: model?.region ?? defaultRegion)
    }
}

extension FlowReplay {
    /// The transit gateway records of one decision (Docs/SEMANTICS.md "Transit gateway flow log records"), from
    /// its observations in path order: an accepted ingress at a transit gateway attachment ENI is the packet
    /// entering that transit gateway; the next egress at an attachment ENI of the same transit gateway is where it
    /// left. Each crossing gives an ingress record at the entry and an egress record at the exit, each naming the
    /// other. An entry without an exit on a dropped packet was dropped at the transit gateway: the entry's record
    /// counts its packets as lost (a blackhole route, else no route). Records have the packet's own addresses and
    /// ports; their `accepted` is true and their reason slot holds the pair (``FlowLogRecord/pairInterface``).
    mutating func addTransitGatewayKeys(interval: Int64, ipProtocol: UInt8, hasPorts: Bool, droppedBy site: DropSite?, ended: ForwardEnd) {
        var entry = -1
        func key(_ o: InterfaceObservation) -> RecordKey {
            RecordKey(interval: interval, interface: o.interface, isEgress: o.isEgress, accepted: true,
                      source: o.packetSource, destination: o.packetDestination,
                      sourcePort: hasPorts ? o.sourcePort : 0, destinationPort: hasPorts ? o.destinationPort : 0,
                      ipProtocol: ipProtocol, packetSource: o.packetSource, packetDestination: o.packetDestination,
                      kind: RecordKey.transitGatewayKind)
        }
        func add(_ o: InterfaceObservation, pair: Int32?, loss: TransitGatewayLoss) {
            let k = key(o)
            let hash = k.hash
            recordIndex.prefetch(hash)
            pendingKeys.append(PendingRecord(key: k, hash: hash, trafficPath: FlowLogRecord.transitGatewayMarker | loss.rawValue,
                                             rejectReason: pair.map { UInt32(bitPattern: $0) &+ 1 } ?? 0))
        }
        for k in observations.indices {
            let o = observations[k]
            let tgw = interfaces[Int(o.interface)].transitGateway
            guard tgw >= 0 else { continue }
            if !o.isEgress {
                // A packet that entered and never left (an edge attachment took it: VPN, Direct Connect, peering)
                // has only its entry record, with no pair.
                if entry >= 0 { add(observations[entry], pair: nil, loss: .none) }
                entry = o.accepted ? k : -1
            } else if entry >= 0, interfaces[Int(observations[entry].interface)].transitGateway == tgw {
                add(observations[entry], pair: o.interface, loss: .none)
                add(o, pair: observations[entry].interface, loss: .none)
                entry = -1
            }
        }
        if entry >= 0 {
            let loss: TransitGatewayLoss
            if ended == .dropped { loss = site?.code == .tgwRTBBadStateRoute ? .blackhole : .noRoute } else { loss = .none }
            add(observations[entry], pair: nil, loss: loss)
        }
    }
}
