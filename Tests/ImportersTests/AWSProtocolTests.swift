import IPAddressing
import Testing
@testable import Importers

/// AWS's `IpProtocol` spellings read as before: numbers and numeric strings (-1 all, 0-255), names in any case.
@Suite struct AWSProtocolTests {
    static func read(_ json: String) throws -> [Result<IPProtocol, JSONError>] {
        let doc = try JSONDocument(bytes: Array(json.utf8), file: "p.json")
        return doc.root.elements.map { c in Result { () throws(JSONError) -> IPProtocol in try parseProtocol(c) } }
    }

    @Test func spellings() throws {
        let got = try Self.read(#"[-1, "-1", "all", "ALL", "tcp", "TCP", "6", 6, "udp", "17", "icmp", "1", "icmpv6", "58", 58, "47", 0, 255]"#)
        let want: [IPProtocol] = [.all, .all, .all, .all, .tcp, .tcp, .tcp, .tcp, .udp, .udp, .icmp, .icmp, .icmpv6, .icmpv6, .icmpv6,
                                  .number(47), .number(0), .number(255)]
        #expect(got.map { try? $0.get() } == want)
    }

    @Test func badSpellingsKeepTheirMessages() throws {
        let got = try Self.read(#"[256, -2, "gre", "+6", "proto 47"]"#)
        let messages = got.map { r -> String in
            if case .failure(let e) = r { return e.message }
            return "accepted"
        }
        #expect(messages == ["protocol number 256 out of range 0-255", "protocol number -2 out of range 0-255",
                             "unknown protocol 'gre'", "unknown protocol '+6'", "unknown protocol 'proto 47'"])
    }
}
