import FlowLogs
import Testing

@Suite struct AddressMapTests {
    let endpoints: [String: FlowAddress] = ["web-1": FlowAddress(v4: 0x0A14_000A), "web-1.eth1": FlowAddress(v4: 0x0A14_000B)]

    @Test func entriesSkipCommentsAndBlankLinesAndKeepTheirLines() {
        let entries = AddressMap.entries(inFile: "# hosts\n\n 192.0.2.1 = web-1 # web\n\t \n192.0.2.2=10.0.0.9\n", named: "m.txt")
        #expect(entries.map(\.entry) == ["192.0.2.1 = web-1", "192.0.2.2=10.0.0.9"])
        #expect(entries.map(\.origin) == ["m.txt:3", "m.txt:5"])
    }

    @Test func aCRLFFileHasOneEntryALine() {
        // "\r\n" is one Character in Swift: splitting on "\n" alone joined every line of a Windows-saved file.
        let entries = AddressMap.entries(inFile: "# hosts\r\n192.0.2.1=web-1\r\n\r\n192.0.2.2=10.0.0.9\r\n", named: "m.txt")
        #expect(entries.map(\.entry) == ["192.0.2.1=web-1", "192.0.2.2=10.0.0.9"])
        #expect(entries.map(\.origin) == ["m.txt:2", "m.txt:4"])
    }

    @Test func parsesAddressesAndEndpointNames() throws {
        let named = try AddressMap.parse("192.0.2.1 = web-1.eth1", origin: "--map", endpoints: endpoints)
        #expect(named.from == FlowAddress(v4: 0xC000_0201))
        #expect(named.to == FlowAddress(v4: 0x0A14_000B))
        let address = try AddressMap.parse("2001:db8::1=10.0.0.9", origin: "--map", endpoints: [:])
        #expect(address.from.isIPv6)
        #expect(address.to == FlowAddress(v4: 0x0A00_0009))
    }

    @Test func badEntriesSayWhereAndWhy() {
        #expect(throws: AddressMapError(origin: "--map", message: "expected ADDRESS=ENDPOINT, found 'web-1'")) {
            try AddressMap.parse("web-1", origin: "--map", endpoints: endpoints)
        }
        #expect(throws: AddressMapError(origin: "m.txt:2", message: "expected ADDRESS=ENDPOINT, found '300.0.0.1=web-1'")) {
            try AddressMap.parse("300.0.0.1=web-1", origin: "m.txt:2", endpoints: endpoints)
        }
        #expect(throws: AddressMapError(origin: "--map", message: "unknown endpoint 'web-2'; did you mean 'web-1'?")) {
            try AddressMap.parse("192.0.2.1=web-2", origin: "--map", endpoints: endpoints)
        }
        #expect(AddressMapError(origin: "m.txt:2", message: "x").description == "m.txt:2: error: x")
    }
}
