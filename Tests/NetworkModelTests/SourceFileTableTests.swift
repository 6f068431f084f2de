import NetworkModel
import Testing

/// Source-file names travel with their topology (``Topology/files``): there is no process-wide registry.
@Suite struct SourceFileTableTests {
    static let text = """
    vpc v {
      cidr 10.0.0.0/16
      subnet a 10.0.1.0/24
    }
    """

    @Test func topologiesParsedConcurrentlyKeepTheirOwnNames() async {
        let results = await withTaskGroup(of: (Int, Topology).self) { group in
            for i in 0..<16 {
                group.addTask { (i, TopologyLoader.load(Self.text, file: "file-\(i).vpc").topology) }
            }
            var all: [(Int, Topology)] = []
            for await r in group { all.append(r) }
            return all
        }
        #expect(results.count == 16)
        for (i, t) in results {
            // Each topology has a table of its own: the no-file entry and its one file, at index 1.
            #expect(t.files.names == ["", "file-\(i).vpc"])
            let vpc = t.vpcs[0], subnet = vpc.subnets[0]
            #expect(vpc.location.fileIndex == 1 && subnet.location.fileIndex == 1)
            #expect(t.files.name(of: vpc.location) == "file-\(i).vpc")
            #expect(t.files.place(of: subnet.location) == "file-\(i).vpc:3:10")
        }
    }

    @Test func aLocationsPlaceComesFromTheTableItIsReadWith() {
        let a = TopologyLoader.load(Self.text, file: "a.vpc").topology
        let b = TopologyLoader.load(Self.text, file: "dir/b.vpc").topology
        let location = a.vpcs[0].location
        #expect(a.files.place(of: location) == "a.vpc:1:5")
        // The location is only an index: another topology's table names its own file.
        #expect(b.files.place(of: location) == "dir/b.vpc:1:5")
        // An index the table does not hold, and the no-file location, have the empty name.
        #expect(SourceFileTable().name(of: location) == "")
        #expect(a.files.name(of: .unknown) == "" && a.files.place(of: .unknown) == ":0:0")
    }

    @Test func theTableAddsEachNameOnceAndKeepsTheEmptyNameAtZero() {
        var files = SourceFileTable()
        #expect(files.index(of: "") == 0)
        let x = files.index(of: "x.vpc"), y = files.index(of: "y.vpc")
        #expect((x, y, files.index(of: "x.vpc")) == (1, 2, 1))
        let l = files.location(file: "y.vpc", line: 4, column: 2)
        #expect(l.fileIndex == y && files.place(of: l) == "y.vpc:4:2")
        #expect(files.names == ["", "x.vpc", "y.vpc"])
    }

    @Test func aLocationStaysThreeIntegersWithNoReferenceToRetain() {
        #expect(MemoryLayout<NetworkModel.SourceLocation>.size == 12)
        #expect(_isPOD(NetworkModel.SourceLocation.self))
    }

    @Test func topologyEqualityIgnoresTheFileTable() {
        let a = TopologyLoader.load(Self.text, file: "a.vpc").topology
        let b = TopologyLoader.load(Self.text, file: "b.vpc").topology
        #expect(a.files.names != b.files.names)
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
    }

    @Test func validationNamesTheFileFromTheTopologysTable() {
        let bad = Self.text.replacing("subnet a 10.0.1.0/24", with: "subnet a 10.9.1.0/24")
        let (_, diagnostics) = TopologyLoader.load(bad, file: "named.vpc")
        #expect(!diagnostics.isEmpty && diagnostics.allSatisfy { $0.file == "named.vpc" })
        #expect(diagnostics.first?.sourceLine == "  subnet a 10.9.1.0/24")
    }

    @Test func editorsOnlyEditLocationsOfTheirOwnFile() throws {
        var files = SourceFileTable()
        let other = files.index(of: "other.vpc"), mine = files.index(of: "mine.vpc")
        let editor = SourceEditor(SourceText(Self.text, file: "mine.vpc"), files: files)
        #expect(editor.delete(statementAt: SourceLocation(fileIndex: other, line: 3, column: 10)) == nil)
        let edit = try #require(editor.delete(statementAt: SourceLocation(fileIndex: mine, line: 3, column: 10)))
        #expect(edit.file == "mine.vpc" && edit.startLine == 3)
        // A table that does not name the editor's file: no location is in it.
        #expect(SourceEditor(SourceText(Self.text, file: "mine.vpc"), files: SourceFileTable())
            .delete(statementAt: SourceLocation(fileIndex: 0, line: 3, column: 10)) == nil)
    }

    @Test func jsonExportPlacesAssertionsFromTheTable() {
        let withAssert = """
        vpc v {
          cidr 10.0.0.0/16
          subnet a 10.0.1.0/24
          instance i1 in a ip 10.0.1.10
          instance i2 in a ip 10.0.1.11
        }
        assert reach i1 -> i2 tcp/443
        """
        let (t, diagnostics) = TopologyLoader.load(withAssert, file: "exp.vpc")
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.rendered))")
        let json = TopologyJSON.export(t).serialized()
        #expect(json.contains("\"location\":\"exp.vpc:7:1\""), "\(json)")
    }
}
