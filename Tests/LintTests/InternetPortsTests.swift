import Lint
import NetworkModel
import Testing

@Test func internetPortsParseListsAndRanges() {
    #expect(LintOptions.parsePorts("80,443") == [PortRange(80, 80), PortRange(443, 443)])
    #expect(LintOptions.parsePorts(" 8000 - 8080 ,22") == [PortRange(8000, 8080), PortRange(22, 22)])
    for bad in ["", "80,", "90-80", "1-2-3", "http", "65536", "-5"] {
        #expect(LintOptions.parsePorts(bad) == nil, "\(bad)")
    }
}
