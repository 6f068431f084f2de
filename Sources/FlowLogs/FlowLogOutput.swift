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
    public func jsonDocument(_ records: some Collection<FlowLogRecord>, summary: ReplaySummary) -> JSONValue {
        .object([
            ("version", .int(format.version)),
            ("format", .string(format.text)),
            ("records", .array(records.map(json))),
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

/// AWS's S3 delivery layout for flow logs.
public enum S3Delivery {
    /// Groups records into S3 objects the way the service delivers them: per account and region, one gzip
    /// file per 5-minute window of record end times, under
    /// `AWSLogs/<account>/vpcflowlogs/<region>/<yyyy>/<mm>/<dd>/<account>_vpcflowlogs_<region>_<flow-log-id>_<YYYYMMDDTHHmmZ>_<hash>.log.gz`.
    /// Each file starts with a header line of the field names. `<hash>` is 8 hex digits of FNV-1a over the
    /// file's text, so the same records give the same names.
    public static func objects(_ records: FlowLogRecords, renderer: FlowLogRenderer, flowLogID: String,
                               defaultRegion: String) -> [S3Object]? {
        struct Group: Hashable { var account: String; var region: String; var window: Int64 }
        var order: [Group] = []
        var lines: [Group: [String]] = [:]
        for record in records {
            let eni = renderer.interfaces[Int(record.interface)]
            let window = record.end - ((record.end % 300) + 300) % 300
            let group = Group(account: eni.accountID, region: eni.region ?? defaultRegion, window: window)
            if lines[group] == nil { order.append(group) }
            lines[group, default: []].append(renderer.line(record))
        }
        var objects: [S3Object] = []
        for group in order.sorted(by: { ($0.window, $0.account, $0.region) < ($1.window, $1.account, $1.region) }) {
            var text = renderer.format.header + "\n"
            for line in lines[group] ?? [] { text += line + "\n" }
            let bytes = Array(text.utf8)
            guard let gzip = Gzip.compress(bytes) else { return nil }
            let (y, m, d, hh, mm) = civil(group.window)
            let stamp = "\(pad(y, 4))\(pad(m, 2))\(pad(d, 2))T\(pad(hh, 2))\(pad(mm, 2))Z"
            let name = "\(group.account)_vpcflowlogs_\(group.region)_\(flowLogID)_\(stamp)_\(hex8(fnv1a(bytes))).log.gz"
            let key = "AWSLogs/\(group.account)/vpcflowlogs/\(group.region)/\(pad(y, 4))/\(pad(m, 2))/\(pad(d, 2))/\(name)"
            objects.append(S3Object(key: key, contents: gzip))
        }
        return objects
    }

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
