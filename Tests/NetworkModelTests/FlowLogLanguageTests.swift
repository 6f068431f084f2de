import TestSupport
import Reporting
import Testing
@testable import NetworkModel

/// `flow-log NAME on …` (Docs/DSL.md "Flow logs"): parsing into the model, validation with positions and hints,
/// the printer's canonical form and its round trip.
@Suite struct FlowLogLanguageTests {
    static let vpc = """
        vpc shop {
          cidr 10.0.0.0/16
          subnet app 10.0.1.0/24
          subnet data 10.0.2.0/24
          nat-gateway nat-a in app private
          instance web-1 in app ip 10.0.1.10
          instance db-1 {
            interface eth0 in data ip 10.0.2.10
            interface eth1 in data ip 10.0.2.11 id eni-0db1
          }
        }
        transit-gateway core {
        }

        """

    /// Parse and validate: the topology and every error, rendered.
    static func load(_ flowLogs: String) -> (Topology, [Diagnostic]) {
        let text = vpc + flowLogs
        let (t, parse) = TopologyParser.parse(text, file: "f.vpc")
        let errors = parse + TopologyValidator.validate(t, sources: ["f.vpc": SourceText(text, file: "f.vpc")])
        return (t, errors)
    }

    @Test func parsesEveryForm() throws {
        let (t, errors) = Self.load("""
            flow-log everything on vpc shop
            flow-log app-rejects on subnet app traffic reject interval 60 to cloudwatch /aws/vpc/app
            flow-log db-nic on interface db-1.eth1 format '${version} ${srcaddr} ${tcp-flags}' to s3://shop-logs/prod/x hive-partitions hourly-partitions id fl-0a1b
            flow-log nat on interface nat-a traffic accept to s3://shop-logs
            flow-log by-id on interface eni-0db1
            flow-log primary on interface web-1
            flow-log hub on transit-gateway core

            """)
        #expect(errors.isEmpty, "\(errors.map(\.rendered))")
        #expect(t.flowLogs.map(\.name) == ["everything", "app-rejects", "db-nic", "nat", "by-id", "primary", "hub"])
        let everything = t.flowLogs[0]
        #expect(everything.scope == .vpc && everything.target == "shop" && everything.traffic == .all && everything.interval == 600
                && everything.fields == nil && everything.destination == nil && everything.id == nil)
        let rejects = t.flowLogs[1]
        #expect(rejects.scope == .subnet && rejects.traffic == .reject && rejects.interval == 60 && rejects.destination == .cloudWatch(group: "/aws/vpc/app"))
        let db = t.flowLogs[2]
        #expect(db.scope == .interface && db.target == "db-1.eth1" && db.fields == ["version", "srcaddr", "tcp-flags"])
        #expect(db.destination == .s3(bucket: "shop-logs", prefix: "prod/x") && db.hivePartitions && db.hourlyPartitions && db.id == "fl-0a1b")
        #expect(t.flowLogs[3].destination == .s3(bucket: "shop-logs", prefix: nil) && t.flowLogs[3].traffic == .accept)
        #expect(t.flowLogs[6].scope == .transitGateway && t.flowLogs[6].location.line == 20)
    }

    @Test func printsCanonicallyAndRoundTrips() throws {
        let written = """
            flow-log a on vpc shop traffic all interval 600
            flow-log b on interface db-1.eth1 id fl-0b hourly-partitions to s3://shop-logs/p format '${srcaddr}  ${dstaddr}' interval 60

            """
        let (t, errors) = Self.load(written)
        #expect(errors.isEmpty, "\(errors.map(\.rendered))")
        #expect(t.flowLogs.map(TopologyPrinter.statement) == [
            "flow-log a on vpc shop",
            "flow-log b on interface db-1.eth1 interval 60 format '${srcaddr} ${dstaddr}' to s3://shop-logs/p hourly-partitions id fl-0b",
        ])
        let printed = TopologyPrinter.format(t)
        let (again, d) = TopologyParser.parse(printed, file: "p.vpc")
        #expect(d.isEmpty)
        #expect(again.flowLogs.map(TopologyPrinter.statement) == t.flowLogs.map(TopologyPrinter.statement))
        #expect(again.flowLogs.map { $0.destination } == t.flowLogs.map { $0.destination })
    }

    /// Each error: its id, its `line:column`, the message and hint that say what to write.
    @Test(arguments: [
        ("flow-log f on vpc shp\n", "dsl-unknown-name", "f.vpc:14:19", "unknown VPC 'shp'", "did you mean 'shop'?"),
        ("flow-log f on subnet shop\n", "dsl-wrong-kind", "f.vpc:14:22", "'shop' is a VPC, not a subnet", nil),
        ("flow-log f on interface app\n", "dsl-wrong-kind", "f.vpc:14:25", "'app' is a subnet, not an interface", nil),
        ("flow-log f on interface db-1.eth2\n", "dsl-unknown-interface", "f.vpc:14:25", "instance 'db-1' has no interface 'eth2'", nil),
        ("flow-log f on interface eni-0nope\n", "dsl-unknown-name", "f.vpc:14:25", "unknown interface 'eni-0nope'", nil),
        ("flow-log f on transit-gateway cor\n", "dsl-unknown-name", "f.vpc:14:31", "unknown transit gateway 'cor'", "did you mean 'core'?"),
        ("flow-log f on vpcs shop\n", "dsl-expected", "f.vpc:14:15", "expected 'vpc', 'subnet', 'interface' or 'transit-gateway', found 'vpcs'", "did you mean 'vpc'?"),
        ("flow-log f on vpc shop interval 300\n", "dsl-flow-log", "f.vpc:14:33", "flow log interval must be 60 or 600 seconds, found '300'", nil),
        ("flow-log f on vpc shop traffic rejected\n", "dsl-flow-log", "f.vpc:14:32", "unknown traffic filter 'rejected'", "did you mean 'reject'?"),
        ("flow-log f on vpc shop format '${srcaddr} ${dst-addr}'\n", "dsl-flow-log", "f.vpc:14:43", "unknown flow log field 'dst-addr'", "did you mean '${dstaddr}'?"),
        ("flow-log f on vpc shop format '${srcaddr} dstaddr'\n", "dsl-flow-log", "f.vpc:14:43", "expected '${field}' in the format, found 'dstaddr'", nil),
        ("flow-log f on vpc shop format srcaddr\n", "dsl-expected", "f.vpc:14:31", "expected the record format in quotes, found 'srcaddr'", nil),
        ("flow-log f on vpc shop to s3://Shop_Logs\n", "dsl-flow-log", "f.vpc:14:32", "S3 bucket name 'Shop_Logs' holds 'S'", nil),
        ("flow-log f on vpc shop to s3://ab\n", "dsl-flow-log", "f.vpc:14:32", "S3 bucket name 'ab' is 2 characters (3-63)", nil),
        ("flow-log f on vpc shop to s3://192.168.1.1\n", "dsl-flow-log", "f.vpc:14:32", "S3 bucket name '192.168.1.1' is formatted as an IP address", nil),
        ("flow-log f on vpc shop to s3://logs/a/../b\n", "dsl-flow-log", "f.vpc:14:39", "S3 prefix 'a/../b' has an empty folder or one starting with '.'", nil),
        ("flow-log f on vpc shop to s3://logs/AWSLogs\n", "dsl-flow-log", "f.vpc:14:37", "S3 prefix 'AWSLogs' uses 'AWSLogs', which AWS reserves for the delivery folders", nil),
        ("flow-log f on vpc shop to cloudwatch 'a b'\n", "dsl-flow-log", "f.vpc:14:38", "log group name ''a b'' holds a character outside letters, digits and '_-/.#'", nil),
        ("flow-log f on vpc shop to kinesis stream\n", "dsl-flow-log", "f.vpc:14:27", "unknown flow log destination 'kinesis'", nil),
        ("flow-log f on vpc shop to cloudwatch g hive-partitions\n", "dsl-conflict", "f.vpc:14:10", "'hive-partitions' and 'hourly-partitions' apply to S3 delivery, not to CloudWatch Logs", nil),
        ("flow-log f on vpc shop interval 60 interval 600\n", "dsl-conflict", "f.vpc:14:36", "'interval' given twice in flow-log 'f'", nil),
        ("flow-log f on vpc shop id FL-1\n", "dsl-flow-log", "f.vpc:14:27", "flow-log id 'FL-1' is not 'fl-' followed by lower-case letters or digits", nil),
        ("flow-log f on transit-gateway core traffic reject\n", "dsl-flow-log", "f.vpc:14:36", "a transit gateway flow log has no traffic filter", nil),
        ("flow-log f on transit-gateway core interval 600\n", "dsl-flow-log", "f.vpc:14:45", "a transit gateway flow log's interval is 60 seconds, found '600'", nil),
        ("flow-log f on transit-gateway core format '${srcaddr} ${action}'\n", "dsl-flow-log", "f.vpc:14:55", "'action' is not a field of transit gateway flow log records", nil),
        ("flow-log f on transit-gateway core format '${tgw-idd}'\n", "dsl-flow-log", "f.vpc:14:44", "unknown flow log field 'tgw-idd'", "did you mean '${tgw-id}'?"),
        ("flow-log f on vpc shop format '${srcaddr} ${tgw-id}'\n", "dsl-flow-log", "f.vpc:14:43", "'tgw-id' is a field of transit gateway flow logs, not of a flow log on a vpc", "put it in a 'flow-log … on transit-gateway …' format"),
        ("flow-log f on vpc shop\nflow-log f on subnet app\n", "dsl-duplicate-name", "f.vpc:15:10", "duplicate name 'f': already a flow log at line 14", nil),
        ("flow-log app on vpc shop\n", "dsl-duplicate-name", "f.vpc:14:10", "duplicate name 'app': already a subnet at line 3", nil),
    ] as [(String, String, String, String, String?)])
    func reportsWithPositionAndHint(_ text: String, _ id: String, _ position: String, _ message: String, _ hint: String?) {
        let (_, errors) = Self.load(text)
        #expect(errors.count == 1, "\(errors.map(\.rendered))")
        guard let e = errors.first else { return }
        #expect(e.id == id)
        #expect("\(e.file):\(e.line):\(e.column)" == position, "\(e.rendered)")
        #expect(e.message == message)
        if let hint { #expect(e.hint == hint) }
        #expect(e.rendered.contains("\n") && e.rendered.contains("^"), "no source line and caret: \(e.rendered)")
    }

    /// A model built another way (an import) is held to the same rules.
    @Test func validatesModelsNotFromText() {
        var t = TopologyParser.parse(Self.vpc, file: "f.vpc").0
        t.flowLogs = [
            FlowLog(name: "x", scope: .vpc, target: "shop", interval: 300, fields: ["srcaddr", "nope"],
                    destination: .s3(bucket: "A", prefix: "../up"), id: "fl-X"),
            FlowLog(name: "y", scope: .subnet, target: "app", destination: .cloudWatch(group: "a b"), hourlyPartitions: true),
        ]
        let messages = TopologyValidator.validate(t).map(\.message)
        #expect(messages.contains("flow log interval must be 60 or 600 seconds, found 300"))
        #expect(messages.contains("unknown flow log field 'nope'"))
        #expect(messages.contains { $0.hasPrefix("S3 bucket name 'A'") })
        #expect(messages.contains { $0.hasPrefix("S3 prefix '../up'") })
        #expect(messages.contains { $0.hasPrefix("flow-log id 'fl-X'") })
        #expect(messages.contains { $0.hasPrefix("log group name 'a b'") })
        #expect(messages.contains { $0.hasPrefix("'hive-partitions' and 'hourly-partitions'") })
        #expect(messages.count == 7, "\(messages)")
    }

    /// A transit gateway flow log: 60 s by default (and printed without it), its own fields, AWS's defaults.
    @Test func transitGatewayFlowLogs() throws {
        let (t, errors) = Self.load("""
            flow-log hub on transit-gateway core
            flow-log drops on transit-gateway core interval 60 format '${tgw-attachment-id} ${srcaddr} ${packets-lost-blackhole} ${flow-direction}' to cloudwatch /tgw

            """)
        #expect(errors.isEmpty, "\(errors.map(\.rendered))")
        #expect(t.flowLogs.map(\.interval) == [60, 60] && t.flowLogs.allSatisfy(\.isTransitGateway))
        #expect(t.flowLogs[1].fields == ["tgw-attachment-id", "srcaddr", "packets-lost-blackhole", "flow-direction"])
        #expect(t.flowLogs.map(TopologyPrinter.statement) == [
            "flow-log hub on transit-gateway core",
            "flow-log drops on transit-gateway core format '${tgw-attachment-id} ${srcaddr} ${packets-lost-blackhole} ${flow-direction}' to cloudwatch /tgw",
        ])
        #expect(FlowLog(name: "x", scope: .transitGateway, target: "core").interval == 60)
        #expect(FlowLog(name: "x", scope: .vpc, target: "shop").interval == 600)
        // AWS's default transit gateway format is every field; the shared fields parse on both kinds.
        #expect(FlowLog.defaultFields(for: .transitGateway) == FlowLog.transitGatewayFieldNames && FlowLog.transitGatewayFieldNames.count == 36)
        #expect(try FlowLog.parseFormat("${srcaddr} ${packets}", scope: .transitGateway).get() == ["srcaddr", "packets"])
        // A model built another way is held to the same rules.
        var m = TopologyParser.parse(Self.vpc, file: "f.vpc").0
        m.flowLogs = [FlowLog(name: "y", scope: .transitGateway, target: "core", traffic: .accept, interval: 600, fields: ["interface-id"])]
        let messages = TopologyValidator.validate(m).map(\.message)
        #expect(messages == ["a transit gateway flow log's interval is 60 seconds, found 600",
                             "a transit gateway flow log has no traffic filter, found 'accept'",
                             "'interface-id' is not a field of transit gateway flow log records"], "\(messages)")
    }

    @Test func exportsAsJSON() {
        let (t, errors) = Self.load("flow-log a on subnet app traffic reject interval 60 format '${srcaddr}' to s3://shop-logs/p hive-partitions id fl-0a\nflow-log b on vpc shop to cloudwatch /g\n")
        #expect(errors.isEmpty)
        let json = TopologyJSON.export(t).serialized()
        #expect(json.contains(#""flowLogs":[{"name":"a","id":"fl-0a","scope":"subnet","target":"app","traffic":"reject","interval":60,"format":["srcaddr"],"destination":{"type":"s3","bucket":"shop-logs","prefix":"p"},"hivePartitions":true,"hourlyPartitions":false,"location":"f.vpc:14:10"},{"name":"b","id":null,"scope":"vpc","target":"shop","traffic":"all","interval":600,"format":null,"destination":{"type":"cloudwatch","group":"/g"}"#), "\(json)")
    }
}
