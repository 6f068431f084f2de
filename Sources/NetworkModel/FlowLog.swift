import Reporting

// Flow-log resources (`flow-log NAME on …`, Docs/DSL.md "Flow logs"; AWS semantics §11): what AWS would
// capture, filter, aggregate and deliver for one flow log. The replay (FlowLogs) routes records by these.

/// A VPC Flow Log resource: its scope (a VPC, subnet, interface or transit gateway), traffic filter,
/// aggregation interval, record format and destination.
public struct FlowLog: Hashable, Sendable {
    /// What the flow log is created on.
    public enum Scope: String, Hashable, Sendable, CaseIterable {
        case vpc, subnet, interface
        case transitGateway = "transit-gateway"
    }

    /// AWS's traffic filter (`TrafficType`).
    public enum Traffic: String, Hashable, Sendable, CaseIterable {
        case accept, reject, all
        /// True when the filter keeps a record with this action.
        public func admits(accepted: Bool) -> Bool {
            switch self {
            case .all: true
            case .accept: accepted
            case .reject: !accepted
            }
        }
    }

    /// Where records are delivered.
    public enum Destination: Hashable, Sendable {
        /// An S3 bucket and optional prefix (`to s3://BUCKET[/PREFIX]`).
        case s3(bucket: String, prefix: String?)
        /// A CloudWatch Logs group (`to cloudwatch GROUP`).
        case cloudWatch(group: String)
    }

    public var name: String
    public var scope: Scope
    /// The name of the VPC, subnet, interface (an instance, `instance.interface`, a NAT gateway, or an
    /// interface's `eni-…` id) or transit gateway.
    public var target: String
    public var traffic: Traffic = .all
    /// Aggregation interval in seconds: 60 or 600 (AWS's two); a transit gateway flow log's is always 60.
    public var interval: Int = 600
    /// The custom format's field names in order; nil: AWS's default format.
    public var fields: [String]?
    /// nil: S3, the replay's output folder as the bucket (`--out`).
    public var destination: Destination?
    /// S3 only: Hive-compatible prefixes (`aws-account-id=…/aws-service=vpcflowlogs/…`).
    public var hivePartitions = false
    /// S3 only: an `HH/` (or `hour=HH/`) folder per hour.
    public var hourlyPartitions = false
    /// The AWS id (`fl-…`), if known.
    public var id: String?
    public var location: SourceLocation

    /// `interval` nil: the scope's default (``defaultInterval(_:)``).
    public init(name: String, scope: Scope, target: String, traffic: Traffic = .all, interval: Int? = nil,
                fields: [String]? = nil, destination: Destination? = nil, hivePartitions: Bool = false,
                hourlyPartitions: Bool = false, id: String? = nil, location: SourceLocation = .unknown) {
        self.name = name
        self.scope = scope
        self.target = target
        self.traffic = traffic
        self.interval = interval ?? Self.defaultInterval(scope)
        self.fields = fields
        self.destination = destination
        self.hivePartitions = hivePartitions
        self.hourlyPartitions = hourlyPartitions
        self.id = id
        self.location = location
    }

    /// True when delivered to S3 (written or default).
    public var deliversToS3: Bool {
        if case .cloudWatch? = destination { return false }
        return true
    }

    /// AWS's two aggregation intervals.
    public static let intervals = [60, 600]

    /// The aggregation interval AWS gives a flow log created without one: 600 s, and 60 s (the only value
    /// AWS accepts) for a transit gateway flow log.
    public static func defaultInterval(_ scope: Scope) -> Int { scope == .transitGateway ? 60 : 600 }

    /// True for a transit gateway flow log (its records are per attachment, in the transit gateway fields).
    public var isTransitGateway: Bool { scope == .transitGateway }

    /// The fields a custom format of a flow log on `scope` may use.
    public static func fieldNames(for scope: Scope) -> [String] { scope == .transitGateway ? transitGatewayFieldNames : fieldNames }

    /// The default format's fields of a flow log on `scope`.
    public static func defaultFields(for scope: Scope) -> [String] { scope == .transitGateway ? transitGatewayFieldNames : defaultFields }

    /// Every field of a transit gateway flow log record, in the order of AWS's default transit gateway format
    /// (which is all of them: AWS, "Transit Gateway Flow Logs records"; Docs/SEMANTICS.md "Transit gateway flow
    /// log records").
    public static let transitGatewayFieldNames = [
        "version", "resource-type", "account-id", "tgw-id", "tgw-attachment-id", "tgw-src-vpc-account-id",
        "tgw-dst-vpc-account-id", "tgw-src-vpc-id", "tgw-dst-vpc-id", "tgw-src-subnet-id", "tgw-dst-subnet-id",
        "tgw-src-eni", "tgw-dst-eni", "tgw-src-az-id", "tgw-dst-az-id", "tgw-pair-attachment-id", "srcaddr", "dstaddr",
        "srcport", "dstport", "protocol", "packets", "bytes", "start", "end", "log-status", "type",
        "packets-lost-no-route", "packets-lost-blackhole", "packets-lost-mtu-exceeded", "packets-lost-ttl-expired",
        "tcp-flags", "region", "flow-direction", "pkt-src-aws-service", "pkt-dst-aws-service",
    ]

    /// AWS's default format's fields (version 2, in order).
    public static let defaultFields = [
        "version", "account-id", "interface-id", "srcaddr", "dstaddr", "srcport", "dstport", "protocol", "packets",
        "bytes", "start", "end", "action", "log-status",
    ]

    /// Every field name a custom format may use (AWS versions 2–7, semantics §11), in AWS's order.
    public static let fieldNames = [
        "version", "account-id", "interface-id", "srcaddr", "dstaddr", "srcport", "dstport", "protocol", "packets",
        "bytes", "start", "end", "action", "log-status",
        "vpc-id", "subnet-id", "instance-id", "tcp-flags", "type", "pkt-srcaddr", "pkt-dstaddr",
        "region", "az-id", "sublocation-type", "sublocation-id",
        "pkt-src-aws-service", "pkt-dst-aws-service", "flow-direction", "traffic-path",
        "ecs-cluster-arn", "ecs-cluster-name", "ecs-container-instance-arn", "ecs-container-instance-id",
        "ecs-container-id", "ecs-second-container-id", "ecs-service-name", "ecs-task-definition-arn",
        "ecs-task-arn", "ecs-task-id",
    ]

    /// Why a format, bucket, prefix or group name is refused (the message; the caller adds the position).
    public struct Problem: Error, Equatable, Sendable {
        public var message: String
        public var hint: String?
        /// Byte offset in the checked text where the problem starts (for a caret), if it is one place.
        public var offset: Int?
    }

    /// The field names of AWS's custom format syntax: space-separated `${field}` tokens, at least one, each a
    /// field a flow log on `scope` has (``fieldNames(for:)``: a transit gateway's records have no `action` or
    /// `interface-id`, an interface's no `tgw-id`).
    public static func parseFormat(_ text: String, scope: Scope = .vpc) -> Result<[String], Problem> {
        let known = fieldNames(for: scope)
        var fields: [String] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1; continue }
            let start = i
            while i < bytes.count, bytes[i] != 0x20, bytes[i] != 0x09 { i += 1 }
            let token = String(decoding: bytes[start..<i], as: UTF8.self)
            guard token.hasPrefix("${"), token.hasSuffix("}"), token.utf8.count > 3 else {
                return .failure(Problem(message: "expected '${field}' in the format, found '\(token)'",
                                        hint: "a format is space-separated '${field}' tokens, e.g. '${srcaddr} ${dstaddr}'", offset: start))
            }
            let name = String(token.dropFirst(2).dropLast())
            guard known.contains(name) else {
                if let problem = wrongScopeField(name, scope: scope) { return .failure(Problem(message: problem.message, hint: problem.hint, offset: start)) }
                let hint = Suggest.closest(to: name, in: known).map { "did you mean '${\($0)}'?" }
                    ?? "flow log fields are AWS's: version, srcaddr, dstaddr, tcp-flags, … (Docs/DSL.md)"
                return .failure(Problem(message: "unknown flow log field '\(name)'", hint: hint, offset: start))
            }
            fields.append(name)
        }
        if fields.isEmpty {
            return .failure(Problem(message: "a custom format needs at least one '${field}'", hint: nil, offset: nil))
        }
        return .success(fields)
    }

    /// Why `name`, a field of the other kind of flow log, is refused on `scope` (nil when it is no field at all).
    public static func wrongScopeField(_ name: String, scope: Scope) -> Problem? {
        if scope == .transitGateway, fieldNames.contains(name) {
            return Problem(message: "'\(name)' is not a field of transit gateway flow log records",
                           hint: "a transit gateway flow log's fields are its own: tgw-id, tgw-attachment-id, tgw-src-vpc-id, packets-lost-blackhole, … (Docs/DSL.md)", offset: nil)
        }
        if scope != .transitGateway, transitGatewayFieldNames.contains(name) {
            return Problem(message: "'\(name)' is a field of transit gateway flow logs, not of a flow log on a \(scope.rawValue)",
                           hint: "put it in a 'flow-log … on transit-gateway …' format", offset: nil)
        }
        return nil
    }

    /// Checks an S3 bucket name against AWS's general-purpose bucket rules: 3–63 characters of lower-case
    /// letters, digits, `.` and `-`, beginning and ending with a letter or digit, no `..`, not an IPv4
    /// address, not beginning with `xn--`, `sthree-` or `amzn-s3-demo-`, not ending with `-s3alias` or `--ol-s3`.
    public static func checkBucket(_ bucket: String) -> Problem? {
        let b = Array(bucket.utf8)
        let hint = "S3 bucket names are 3-63 lower-case letters, digits, '.' and '-', starting and ending with a letter or digit"
        guard b.count >= 3, b.count <= 63 else {
            return Problem(message: "S3 bucket name '\(bucket)' is \(b.count) characters (3-63)", hint: hint, offset: nil)
        }
        for (k, c) in b.enumerated() {
            let lower = c >= 0x61 && c <= 0x7A, digit = c >= 0x30 && c <= 0x39
            guard lower || digit || c == 0x2E || c == 0x2D else {
                return Problem(message: "S3 bucket name '\(bucket)' holds '\(String(decoding: [c], as: UTF8.self))'", hint: hint, offset: k)
            }
            if (k == 0 || k == b.count - 1) && !(lower || digit) {
                return Problem(message: "S3 bucket name '\(bucket)' must begin and end with a letter or digit", hint: hint, offset: k)
            }
        }
        if bucket.contains("..") { return Problem(message: "S3 bucket name '\(bucket)' holds '..'", hint: hint, offset: nil) }
        let parts = bucket.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 4, parts.allSatisfy({ UInt8($0) != nil }) {
            return Problem(message: "S3 bucket name '\(bucket)' is formatted as an IP address", hint: hint, offset: nil)
        }
        for p in ["xn--", "sthree-", "amzn-s3-demo-"] where bucket.hasPrefix(p) {
            return Problem(message: "S3 bucket names may not begin with '\(p)'", hint: hint, offset: 0)
        }
        for s in ["-s3alias", "--ol-s3"] where bucket.hasSuffix(s) {
            return Problem(message: "S3 bucket names may not end with '\(s)'", hint: hint, offset: nil)
        }
        return nil
    }

    /// Checks an S3 prefix (the folders before `AWSLogs/`): `/`-separated folders of letters, digits, `-`,
    /// `_` and `.`, none empty or starting with `.`, and not `AWSLogs` (which AWS reserves). (S3 allows more
    /// characters; these are the ones every file system takes as they are, since the replay writes the prefix
    /// as folders under `--out`.)
    public static func checkPrefix(_ prefix: String) -> Problem? {
        let hint = "a prefix is folders of letters, digits, '-', '_' and '.' separated by '/', e.g. 's3://my-bucket/flow/prod'"
        var offset = 0
        for part in prefix.split(separator: "/", omittingEmptySubsequences: false) {
            if part.isEmpty || part.hasPrefix(".") {
                return Problem(message: "S3 prefix '\(prefix)' has an empty folder or one starting with '.'", hint: hint, offset: offset)
            }
            if part == "AWSLogs" {
                return Problem(message: "S3 prefix '\(prefix)' uses 'AWSLogs', which AWS reserves for the delivery folders", hint: hint, offset: offset)
            }
            for (k, c) in part.utf8.enumerated() {
                let ok = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
                    || c == 0x2D || c == 0x5F || c == 0x2E
                if !ok {
                    return Problem(message: "S3 prefix '\(prefix)' holds a character other than letters, digits, '-', '_' and '.'", hint: hint, offset: offset + k)
                }
            }
            if part.utf8.count > 255 { return Problem(message: "S3 prefix folder longer than 255 characters", hint: hint, offset: offset) }
            offset += part.utf8.count + 1
        }
        return nil
    }

    /// Checks a CloudWatch Logs group name against AWS's rules: 1–512 characters of letters, digits and
    /// `_ - / . #`.
    public static func checkLogGroup(_ group: String) -> Problem? {
        let hint = "log group names are 1-512 letters, digits and '_-/.#', e.g. '/aws/vpc/flow-logs'"
        let b = Array(group.utf8)
        guard !b.isEmpty, b.count <= 512 else {
            return Problem(message: "log group name is \(b.count) characters (1-512)", hint: hint, offset: nil)
        }
        for (k, c) in b.enumerated() {
            let ok = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
                || c == 0x5F || c == 0x2D || c == 0x2F || c == 0x2E || c == 0x23
            if !ok { return Problem(message: "log group name '\(group)' holds a character outside letters, digits and '_-/.#'", hint: hint, offset: k) }
        }
        return nil
    }

    /// True for `fl-` followed by 1 to 32 lower-case letters or digits (AWS gives `fl-` and 17 hex digits).
    public static func isFlowLogID(_ id: String) -> Bool {
        let rest = id.utf8.dropFirst(3)
        return id.hasPrefix("fl-") && !rest.isEmpty && rest.count <= 32
            && rest.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x7A) }
    }
}
