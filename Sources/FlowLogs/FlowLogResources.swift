// Flow-log resources in the replay (Docs/SEMANTICS.md "Flow log resources"): each `flow-log` of the topology
// resolved to the interfaces in its scope, and the replay's finished records routed to it — its scope, its
// traffic filter, its format, its interval (a replay per distinct interval), its destination. The replay loop
// itself is untouched: routing happens on the finished records.
import NetworkModel
import Reachability

/// A flow log resolved against the replay's interfaces.
public struct ResolvedFlowLog: Sendable {
    /// The resource as written (or imported).
    public let log: FlowLog
    /// The written `fl-…` id, or a stable one made from the name (`fl-0` + 16 hex digits).
    public let id: String
    public let format: FlowLogFormat
    /// Per interface (``FlowNetwork/interfaces`` index): true when the interface is in the flow log's scope.
    public let inScope: [Bool]

    public init(log: FlowLog, id: String, format: FlowLogFormat, inScope: [Bool]) {
        self.log = log
        self.id = id
        self.format = format
        self.inScope = inScope
    }

    public var name: String { log.name }
    /// The aggregation interval in seconds.
    public var interval: Int64 { Int64(log.interval) }

    /// True when AWS would deliver `record` to this flow log: its interface is in scope and the traffic filter
    /// admits its action (a NODATA record has none: every filter gets it). Transit gateway records are never a
    /// VPC flow log's.
    @inlinable public func admits(_ record: FlowLogRecord) -> Bool {
        let i = Int(record.interface)
        return i >= 0 && i < inScope.count && inScope[i] && !record.isTransitGateway
            && (record.isNoData || log.traffic.admits(accepted: record.accepted))
    }

    /// The records this flow log gets, in the replay's order (`records` must come from a replay with this
    /// flow log's ``interval``).
    public func records(from records: FlowLogRecords) -> [FlowLogRecord] {
        records.filter(admits)
    }
}

/// Why a topology's flow logs cannot be replayed as written.
public enum FlowLogResolutionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The target names nothing of the scope's kind (a topology that failed validation).
    case unknownTarget(flowLog: String, scope: String, target: String)
    /// A custom format field the replay does not know.
    case format(flowLog: String, message: String)

    public var description: String {
        switch self {
        case .unknownTarget(let f, let s, let t): "flow log '\(f)': no \(s) '\(t)'"
        case .format(let f, let m): "flow log '\(f)': \(m)"
        }
    }
}

extension CompiledFlowNetwork {
    /// The topology's flow logs resolved to interfaces, in written order; transit-gateway flow logs are in
    /// ``FlowLogPlan/transitGatewayLogs``. `defaultAccount`/`defaultRegion` fill in a transit gateway that does
    /// not say.
    public func flowLogPlan(defaultAccount: String = "123456789012", defaultRegion: String? = nil) throws(FlowLogResolutionError) -> FlowLogPlan {
        var plan = FlowLogPlan()
        for log in compiled.topology.flowLogs {
            if log.scope == .transitGateway {
                plan.transitGatewayLogs.append(try resolveTransitGateway(log, defaultAccount: defaultAccount, defaultRegion: defaultRegion))
                continue
            }
            plan.logs.append(try resolve(log))
        }
        return plan
    }

    /// One flow log resolved: which interfaces are in its scope (a VPC: every interface in it, NAT gateway,
    /// TGW attachment and endpoint ENIs included; a subnet: the interfaces in the subnet; an interface: that one).
    public func resolve(_ log: FlowLog) throws(FlowLogResolutionError) -> ResolvedFlowLog {
        let c = compiled
        var inScope = [Bool](repeating: false, count: c.interfaces.count)
        switch log.scope {
        case .vpc:
            guard let v = c.topology.vpcs.firstIndex(where: { $0.name == log.target || $0.id == log.target }) else {
                throw .unknownTarget(flowLog: log.name, scope: "VPC", target: log.target)
            }
            for i in c.interfaces.indices where c.interfaces[i].vpcID.position == v { inScope[i] = true }
        case .subnet:
            let subnets = c.subnets.indices.filter { c.subnets[$0].name == log.target || c.subnets[$0].awsID == log.target }
            guard !subnets.isEmpty else { throw .unknownTarget(flowLog: log.name, scope: "subnet", target: log.target) }
            for i in c.interfaces.indices where subnets.contains(c.interfaces[i].subnetID.position) { inScope[i] = true }
        case .interface:
            var found = false
            for i in c.interfaces.indices {
                let e = c.interfaces[i]
                var matches = e.name == log.target || (e.awsID == log.target && log.target.hasPrefix("eni-"))
                if !matches, case .instance(let instance) = e.kind {
                    matches = "\(instance).\(c.nicName(ofInterface: InterfaceID(Int32(i))))" == log.target
                }
                if matches { inScope[i] = true; found = true; break }
            }
            guard found else { throw .unknownTarget(flowLog: log.name, scope: "interface", target: log.target) }
        case .transitGateway:
            throw .unknownTarget(flowLog: log.name, scope: "VPC, subnet or interface", target: log.target)
        }
        let format: FlowLogFormat
        if let fields = log.fields {
            do throws(FlowLogFormat.ParseError) {
                format = try FlowLogFormat(parsing: fields.map { "${\($0)}" }.joined(separator: " "))
            } catch {
                throw .format(flowLog: log.name, message: error.description)
            }
        } else {
            format = .default
        }
        return ResolvedFlowLog(log: log, id: log.id ?? Self.syntheticID("fl", log.name), format: format, inScope: inScope)
    }
}

/// The flow logs a replay writes.
public struct FlowLogPlan: Sendable {
    /// The VPC, subnet and interface flow logs, in written order.
    public var logs: [ResolvedFlowLog] = []
    /// The transit gateway flow logs, in written order (their records come from a replay with
    /// ``ReplayOptions/transitGatewayRecords``).
    public var transitGatewayLogs: [ResolvedTransitGatewayFlowLog] = []
    public init() {}

    /// The distinct aggregation intervals of every flow log, ascending: one replay each.
    public var intervals: [Int64] { Array(Set(logs.map(\.interval) + transitGatewayLogs.map(\.interval))).sorted() }

    /// True when the replay of `interval` must make transit gateway records.
    public func needsTransitGatewayRecords(interval: Int64) -> Bool { transitGatewayLogs.contains { $0.interval == interval } }

    /// Every flow log's name, in written order (VPC ones first).
    public var names: [String] { logs.map(\.name) + transitGatewayLogs.map(\.name) }
}
