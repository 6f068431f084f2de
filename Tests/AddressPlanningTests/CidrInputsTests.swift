@testable import AddressPlanning
import IPAddressing
import Reporting
import Testing

@Suite struct CidrInputsTests {
    func list(_ text: String, normalize: Bool = false) -> CidrInputs {
        var inputs = CidrInputs()
        inputs.files.append("l.txt")
        inputs.contents.append(Array(text.utf8))
        inputs.parsePlainList(Array(text.utf8), file: 0, normalize: normalize)
        return inputs
    }

    @Test func plainListsKeepNamesLinesAndColumns() throws {
        let inputs = list("\u{FEFF}# plan\n10.0.0.0/16   prod east\n\n  2001:db8::/32\tv6 # note\n")
        #expect(inputs.v4 == [try IPv4Prefix("10.0.0.0/16")])
        #expect(inputs.v6 == [try IPv6Prefix("2001:db8::/32")])
        #expect(inputs.errorCount == 0)
        let first = inputs.origins[Int(inputs.v4Origin[0])]
        #expect((first.line, first.column, first.kind) == (2, 1, .listLine))
        #expect(inputs.name(of: first) == "prod east")
        let second = inputs.origins[Int(inputs.v6Origin[0])]
        #expect((second.line, second.column) == (4, 3))
        #expect(inputs.name(of: second) == "v6")
        #expect(inputs.prefixCount == 2)
    }

    @Test func badTokensAreDiagnosticsWithAPlace() {
        let inputs = list("10.0.0.1/16 a\n300.0.0.0/8\n")
        #expect(inputs.errorCount == 2)
        let hostBits = inputs.errors[0]
        #expect((hostBits.file, hostBits.line, hostBits.column) == ("l.txt", 1, 1))
        #expect(hostBits.message == "host bits set in '10.0.0.1/16'; did you mean '10.0.0.0/16'?")
        #expect(inputs.errors[1].line == 2)
        // --normalize clears host bits instead.
        let normalized = list("10.0.0.1/16 a\n", normalize: true)
        #expect(normalized.errorCount == 0)
        #expect(normalized.v4.map(\.description) == ["10.0.0.0/16"])
    }

    @Test func aSubnetInItsOwnVPCIsNotReportable() {
        let inputs = CidrInputs()
        func origin(_ kind: CidrSourceKind, group: Int32) -> CidrOrigin {
            CidrOrigin(file: 0, line: 1, column: 1, kind: kind, group: group, nameStart: 0, nameLength: 0, nameIndex: -1)
        }
        #expect(!inputs.isReportable(origin(.vpc, group: 1), origin(.subnet, group: 1)))
        #expect(inputs.isReportable(origin(.vpc, group: 1), origin(.subnet, group: 2)))
        #expect(!inputs.isReportable(origin(.prefixListEntry, group: 3), origin(.vpc, group: 1)))
        #expect(inputs.isReportable(origin(.prefixListEntry, group: 3), origin(.prefixListEntry, group: 3)))
        #expect(inputs.isReportable(origin(.listLine, group: -1), origin(.listLine, group: -1)))
    }

    @Test func theReportNamesBothPlaces() throws {
        var inputs = list("10.0.0.0/16 prod\n10.0.42.0/24 team\n")
        inputs.scope = .all
        var bytes: [UInt8] = []
        var writer = FindingStreamWriter(format: .text, rules: CidrOverlapReport.rules, bufferSize: 1 << 12) {
            bytes += Array($0)
        }
        writer.begin()
        let totals = CidrOverlapReport.report(inputs, limit: .max, to: &writer)
        writer.finish()
        #expect(totals.pairs == 1)
        #expect(totals.findings == 1)
        #expect(totals.shown == 1)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("l.txt:2:1: error: 10.0.42.0/24 'team' lies inside 10.0.0.0/16 'prod' (l.txt:1)"))
    }
}

@Suite struct CidrPlanningTests {
    @Test func factsOfAnAWSSubnetSizeListTheReservedAddresses() throws {
        let info = CidrFacts.describe(try IPPrefix("10.0.0.0/24"))
        #expect(info.map(\.0) == ["prefix", "family", "first", "last", "netmask", "hostmask", "addresses", "aws_usable", "aws_reserved"])
        #expect(info.first { $0.0 == "aws_usable" }?.1 == .string("251"))
        #expect(info.first { $0.0 == "netmask" }?.1 == .string("255.255.255.0"))
        let v6 = CidrFacts.describe(try IPPrefix("2001:db8::/32"))
        #expect(v6.first { $0.0 == "aws_subnet" }?.1 == .string("not an AWS subnet size (IPv6 subnets are /64)"))
        #expect(CidrFacts.powerOfTwo(128) == "340282366920938463463374607431768211456")
        #expect(CidrFacts.powerOfTwo(8) == "256")
    }

    @Test func freeBlocksSkipUsedOnesButNotTheVPCBeingPlanned() throws {
        var inputs = CidrInputs()
        inputs.files.append("used.txt")
        inputs.contents.append(Array("10.10.0.0/24\n10.10.2.0/23\n".utf8))
        inputs.parsePlainList(inputs.contents[0], file: 0, normalize: false)
        let free = inputs.freeBlocks(in: try IPPrefix("10.10.0.0/16"), length: 24, limit: 3).map(\.description)
        #expect(free == ["10.10.1.0/24", "10.10.4.0/24", "10.10.5.0/24"])
        // A VPC block holding the whole parent does not count as used.
        inputs.origins.append(CidrOrigin(file: 0, line: 1, column: 1, kind: .vpc, group: 1, nameStart: 0, nameLength: 0, nameIndex: -1))
        inputs.v4.append(try IPv4Prefix("10.10.0.0/16"))
        inputs.v4Origin.append(Int32(inputs.origins.count - 1))
        #expect(inputs.freeBlocks(in: try IPPrefix("10.10.0.0/16"), length: 24, limit: 1).map(\.description) == ["10.10.1.0/24"])
        #expect(inputs.freeBlocks(in: try IPPrefix("10.10.0.0/24"), length: 24, limit: 1).isEmpty)
    }
}

/// `readPlainList` (the CIDR-list fuzz target's entry point) reads bytes as `read` reads a file of them.
@Test func plainListBytesReadLikeAFile() throws {
    let text = "10.0.0.0/8 corp\n2001:db8::/32\n300.1.1.1/8\n"
    var fromBytes = CidrInputs()
    fromBytes.readPlainList(Array(text.utf8), name: "l.txt", normalize: false)
    #expect(fromBytes.files == ["l.txt"])
    #expect(fromBytes.v4 == [try IPv4Prefix("10.0.0.0/8")])
    #expect(fromBytes.v6 == [try IPv6Prefix("2001:db8::/32")])
    #expect(fromBytes.errorCount == 1)
    #expect(fromBytes.errors.first?.file == "l.txt")
    #expect(fromBytes.errors.first?.line == 3)
    var empty = CidrInputs()
    empty.readPlainList(Array(" \n\t\n".utf8), name: "e.txt", normalize: false)
    #expect(empty.errors.map(\.message) == ["the file is empty (expected CIDRs, one a line)"])
    #expect(empty.files.isEmpty)
}

/// A plain list keeps its first 50 errors (``CidrInputs/maxShownErrors``) and counts every one.
@Test func plainListErrorsStopAt50ButAllCount() {
    var inputs = CidrInputs()
    inputs.readPlainList(Array(String(repeating: "10.0.0.0/99\n", count: 120).utf8), name: "bad.txt", normalize: false)
    #expect(inputs.errorCount == 120)
    #expect(inputs.errors.count == CidrInputs.maxShownErrors)
    #expect(inputs.errors.last?.line == 50)
}
