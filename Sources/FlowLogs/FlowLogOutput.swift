// Output forms: JSON documents and the S3 delivery layout (gzip files under AWSLogs/…).
import Reporting

extension FlowLogRenderer {
    /// One record as a JSON object keyed by field name: integers for AWS's integer fields, strings
    /// otherwise, `null` for `-`.
    public func json(_ record: FlowLogRecord) -> JSONValue {
        .object(format.fields.map { field in
            switch value(field, of: record) {
            case .int(let i)?: (field.rawValue, .int(Int(i)))
            case .text(let s)?: (field.rawValue, .string(s))
            case nil: (field.rawValue, .null)
            }
        })
    }

    /// The `--format json` document: `{"version", "format", "records": [...], "summary": {...}}`.
    /// `rejectReason` gives a record's `reject-reason` member (added after its fields when non-nil; see
    /// `DropExplanation.json`).
    public func jsonDocument(_ records: some Collection<FlowLogRecord>, summary: ReplaySummary,
                             rejectReason: ((FlowLogRecord) -> JSONValue?)? = nil) -> JSONValue {
        .object([
            ("version", .int(format.version)),
            ("format", .string(format.text)),
            ("records", .array(records.map { record in
                guard let reason = rejectReason?(record), case .object(var members) = json(record) else { return json(record) }
                members.append(("reject-reason", reason))
                return .object(members)
            })),
            ("summary", summary.json(recordsWritten: records.count)),
        ])
    }
}

extension ReplaySummary {
    /// The summary as JSON (`packets-read`, `ip-packets`, `mapped`, `accepted`, `rejected`, `records`,
    /// `skipped` by reason).
    public func json(recordsWritten: Int) -> JSONValue {
        .object([
            ("packets-read", .int(packetsRead)), ("ip-packets", .int(ipPackets)), ("mapped", .int(mapped)),
            ("accepted", .int(accepted)), ("rejected", .int(rejected)), ("records", .int(recordsWritten)),
            ("skipped", .object(SkipReason.allCases.map { ($0.description, .int(skipped($0))) })),
        ])
    }
}

/// One file of an S3 delivery: its key under the bucket and its gzip bytes.
public struct S3Object: Sendable, Equatable {
    public var key: String
    public var contents: [UInt8]
}

/// Why an S3 delivery could not be built or written. Every case names the offending value; nothing is
/// written for a value that fails its check.
public enum S3DeliveryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An interface's account id (from its VPC, or the default) is not 12 digits.
    case invalidAccount(String, interface: String)
    /// An interface's region (from its VPC, or the default) is not an AWS region name.
    case invalidRegion(String, interface: String)
    /// The flow-log id is not `fl-` and lower-case letters or digits.
    case invalidFlowLogID(String)
    /// A record ends at a time the layout cannot name (before 1970 or after 2106).
    case timeOutOfRange(Int64)
    /// gzip compression failed.
    case compression
    /// An object key with an empty, `.`/`..`, hidden or otherwise unsafe component.
    case unsafeKey(String)
    /// The file system refused a write (`path` relative to the output folder, or the folder itself).
    case write(path: String, message: String)

    public var description: String {
        switch self {
        case .invalidAccount(let a, let i):
            "account id '\(a)' of interface \(i) is not 12 digits (the S3 layout puts it in the object path)"
        case .invalidRegion(let r, let i):
            "region '\(r)' of interface \(i) is not an AWS region name such as us-east-1 (the S3 layout puts it in the object path)"
        case .invalidFlowLogID(let f): "flow-log id '\(f)' is not 'fl-' followed by lower-case letters or digits"
        case .timeOutOfRange(let t): "record time \(t) is outside 0…4294967295 Unix seconds"
        case .compression: "gzip compression failed"
        case .unsafeKey(let k): "unsafe object key '\(k)'"
        case .write(let path, let message): "cannot write \(path): \(message)"
        }
    }
}

/// Where a flow log's S3 objects go (semantics §11): `[bucket/][prefix/]AWSLogs/…/yyyy/mm/dd/[HH/]`, with
/// Hive-compatible folder names (`aws-account-id=…/aws-service=vpcflowlogs/aws-region=…/year=…/month=…/day=…[/hour=…]`)
/// when asked. The default is the plain layout at the top of the output folder.
public struct S3Layout: Sendable, Equatable {
    /// Folders before `AWSLogs/` (the bucket, then the prefix's folders), each a safe path component.
    public var leading: [String] = []
    public var hiveCompatible = false
    public var hourly = false
    public init(leading: [String] = [], hiveCompatible: Bool = false, hourly: Bool = false) {
        self.leading = leading
        self.hiveCompatible = hiveCompatible
        self.hourly = hourly
    }

    /// The folder of one object, ending in `/`.
    public func folder(account: String, region: String, year: String, month: String, day: String, hour: String) -> String {
        var parts = leading + ["AWSLogs"]
        if hiveCompatible {
            parts += ["aws-account-id=\(account)", "aws-service=vpcflowlogs", "aws-region=\(region)",
                      "year=\(year)", "month=\(month)", "day=\(day)"]
            if hourly { parts.append("hour=\(hour)") }
        } else {
            parts += [account, "vpcflowlogs", region, year, month, day]
            if hourly { parts.append(hour) }
        }
        return parts.joined(separator: "/") + "/"
    }
}

/// AWS's S3 delivery layout for flow logs.
public enum S3Delivery {
    /// Groups records into S3 objects the way the service delivers them: per account and region, one gzip
    /// file per 5-minute window of record end times, under
    /// `AWSLogs/<account>/vpcflowlogs/<region>/<yyyy>/<mm>/<dd>/<account>_vpcflowlogs_<region>_<flow-log-id>_<YYYYMMDDTHHmmZ>_<hash>.log.gz`.
    /// Each file starts with a header line of the field names. `<hash>` is 8 hex digits of FNV-1a over the
    /// file's text, so the same records give the same names.
    ///
    /// Every value that becomes part of a key is checked first (``AWSIdentifier``): account ids are 12
    /// digits, regions are AWS region names, the flow-log id is `fl-…`, record times are 0…2³²−1.
    /// - Throws: ``S3DeliveryError`` naming the first value that fails, or `.compression`.
    ///
    /// `layout` adds a flow-log resource's destination: the bucket and prefix folders before `AWSLogs/`,
    /// Hive-compatible folder names and the hourly folder (``S3Layout``).
    public static func objects(_ records: some Collection<FlowLogRecord>, renderer: FlowLogRenderer, flowLogID: String,
                               defaultRegion: String, layout: S3Layout = S3Layout()) throws(S3DeliveryError) -> [S3Object] {
        guard AWSIdentifier.isFlowLogID(flowLogID) else { throw .invalidFlowLogID(flowLogID) }
        var order: [Group] = []
        // Each object's text as bytes, header first: lines are rendered straight into it (no `String` per line,
        // no joined copy) and compressed from it.
        var texts: [Group: [UInt8]] = [:]
        var currentGroup: Group? = nil
        var currentText: [UInt8] = []
        let header = Array((renderer.format.header + "\n").utf8)
        var checked = Set<Int32>()
        // The record 8 ahead has its interface's text prefetched (records come in no interface order); the
        // look-ahead index moves with the loop, so a filtered collection is walked twice, not 8 times.
        var ahead = records.index(records.startIndex, offsetBy: 8, limitedBy: records.endIndex) ?? records.endIndex
        for record in records {
            if ahead != records.endIndex { renderer.prefetch(records[ahead]); records.formIndex(after: &ahead) }
            let eni = renderer.interfaces[Int(record.interface)]
            let region = eni.region ?? defaultRegion
            if checked.insert(record.interface).inserted {
                guard AWSIdentifier.isAccountID(eni.accountID) else { throw .invalidAccount(eni.accountID, interface: eni.interfaceID) }
                guard AWSIdentifier.isRegion(region) else { throw .invalidRegion(region, interface: eni.interfaceID) }
            }
            guard record.end >= 0, record.end <= Int64(UInt32.max) else { throw .timeOutOfRange(record.end) }
            let window = record.end - record.end % 300
            let group = Group(account: eni.accountID, region: region, window: window)
            // Consecutive records usually share their object: it stays out of the dictionary while they do.
            if currentGroup != group {
                if let g = currentGroup { texts[g] = currentText }
                if let text = texts.removeValue(forKey: group) {
                    currentText = text
                } else {
                    order.append(group)
                    currentText = header
                    currentText.reserveCapacity(1 << 16)
                }
                currentGroup = group
            }
            renderer.appendLine(record, to: &currentText)
            currentText.append(0x0A)
        }
        if let g = currentGroup { texts[g] = currentText }
        currentText = []
        var objects: [S3Object] = []
        for group in order.sorted(by: { ($0.window, $0.account, $0.region) < ($1.window, $1.account, $1.region) }) {
            let bytes = texts.removeValue(forKey: group) ?? header
            guard let gzip = Gzip.compress(bytes) else { throw .compression }
            let (y, m, d, hh, mm) = civil(group.window)
            let stamp = "\(pad(y, 4))\(pad(m, 2))\(pad(d, 2))T\(pad(hh, 2))\(pad(mm, 2))Z"
            let name = "\(group.account)_vpcflowlogs_\(group.region)_\(flowLogID)_\(stamp)_\(hex8(fnv1a(bytes))).log.gz"
            let key = layout.folder(account: group.account, region: group.region, year: pad(y, 4), month: pad(m, 2),
                                    day: pad(d, 2), hour: pad(hh, 2)) + name
            objects.append(S3Object(key: key, contents: gzip))
        }
        return objects
    }

    /// A transit gateway flow log's S3 objects: the layout and names of ``objects(_:renderer:flowLogID:defaultRegion:layout:)``
    /// (AWS delivers transit gateway flow logs as VPC flow logs are, under `vpcflowlogs`: Docs/SEMANTICS.md
    /// "Transit gateway flow log records"), every object under the transit gateway owner's `account` and `region`.
    /// - Throws: ``S3DeliveryError`` naming the first value that cannot be in a key.
    public static func transitGatewayObjects(_ records: some Collection<FlowLogRecord>, renderer: TransitGatewayRenderer,
                                             flowLogID: String, account: String, region: String,
                                             layout: S3Layout = S3Layout()) throws(S3DeliveryError) -> [S3Object] {
        guard AWSIdentifier.isFlowLogID(flowLogID) else { throw .invalidFlowLogID(flowLogID) }
        guard AWSIdentifier.isAccountID(account) else { throw .invalidAccount(account, interface: "of the transit gateway") }
        guard AWSIdentifier.isRegion(region) else { throw .invalidRegion(region, interface: "of the transit gateway") }
        let header = Array((renderer.format.header + "\n").utf8)
        var order: [Int64] = []
        var texts: [Int64: [UInt8]] = [:]
        for record in records {
            guard record.end >= 0, record.end <= Int64(UInt32.max) else { throw .timeOutOfRange(record.end) }
            let window = record.end - record.end % 300
            if texts[window] == nil { order.append(window); texts[window] = header }
            renderer.appendLine(record, to: &texts[window, default: header])
            texts[window, default: header].append(0x0A)
        }
        var objects: [S3Object] = []
        for window in order.sorted() {
            let bytes = texts[window] ?? header
            guard let gzip = Gzip.compress(bytes) else { throw .compression }
            let (y, m, d, hh, mm) = civil(window)
            let stamp = "\(pad(y, 4))\(pad(m, 2))\(pad(d, 2))T\(pad(hh, 2))\(pad(mm, 2))Z"
            let name = "\(account)_vpcflowlogs_\(region)_\(flowLogID)_\(stamp)_\(hex8(fnv1a(bytes))).log.gz"
            let key = layout.folder(account: account, region: region, year: pad(y, 4), month: pad(m, 2), day: pad(d, 2), hour: pad(hh, 2)) + name
            objects.append(S3Object(key: key, contents: gzip))
        }
        return objects
    }

    /// One S3 object's records: one account, region and 5-minute window.
    struct Group: Hashable { var account: String; var region: String; var window: Int64 }

    /// UTC calendar fields of Unix time `t` (proleptic Gregorian; Howard Hinnant's days-to-civil).
    public static func civil(_ t: Int64) -> (year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64) {
        let days = t >= 0 ? t / 86400 : (t - 86399) / 86400
        let secs = t - days * 86400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day, secs / 3600, secs % 3600 / 60)
    }

    static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    static func fnv1a(_ bytes: [UInt8]) -> UInt32 {
        var h: UInt32 = 2_166_136_261
        for b in bytes { h = (h ^ UInt32(b)) &* 16_777_619 }
        return h
    }

    static func hex8(_ v: UInt32) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 8 - s.count) + s
    }
}
