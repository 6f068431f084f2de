import IPAddressing
import NetworkModel
import TestSupport
import Testing
@testable import Reachability

/// ``CompiledTopology/connectionTable(sources:destinations:traffic:)`` holds exactly the non-empty
/// ``CompiledTopology/connections(from:to:traffic:)`` answers, in order, and agrees with who-can-reach and
/// reachable-from.
@Suite struct ConnectionTableTests {
    @Test(arguments: ["three-tier", "hub-and-spoke"]) func tableIsEveryNonEmptyPair(_ name: String) throws {
        let c = try ConnectionsTests.compiled(name)
        let sources = c.questionParties(asSources: true)
        let destinations = c.questionParties(asSources: false)
        let traffic = QuestionTraffic()
        let table = c.connectionTable(sources: sources, destinations: destinations, traffic: traffic)
        #expect(table.rows.count == sources.count)
        var nonEmpty = 0
        for (i, s) in sources.enumerated() {
            let row = table.rows[i]
            #expect(row.map(\.destination) == row.map(\.destination).sorted(), "\(s.name): order")
            for (j, d) in destinations.enumerated() {
                let cell = table.grants(source: i, destination: j)
                if s.isSameParty(as: d) { #expect(cell.isEmpty); continue }
                let g = c.connections(from: s.endpoint, to: d.endpoint, traffic: traffic)
                #expect(cell == g, "\(s.name) -> \(d.name)")
                #expect(row.contains { $0.destination == j } == !g.isEmpty)
                if !g.isEmpty { nonEmpty += 1 }
            }
        }
        #expect(nonEmpty > 0)
        // A row equals reachable-from; a column equals who-can-reach.
        let db = try #require(destinations.firstIndex { $0.kind == .interface })
        let who = c.whoCanReach(destinations[db].endpoint, traffic: traffic)
        let column = table.cells.filter { $0.destination == db }
        #expect(who.map(\.party.name) == column.map { sources[$0.source].name })
        #expect(who.map(\.grants) == column.map(\.grants))
        let src = try #require(sources.firstIndex { $0.kind == .interface })
        let from = c.reachableFrom(sources[src].endpoint, traffic: traffic)
        #expect(from.map(\.party.name) == table.rows[src].map { destinations[$0.destination].name })
        #expect(from.map(\.grants) == table.rows[src].map(\.grants))
    }
}
