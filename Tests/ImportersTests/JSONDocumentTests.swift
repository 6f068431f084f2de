#if canImport(Glibc)
import Glibc
#endif
import TestSupport
import Testing
@testable import Importers

/// A reference JSON value for the property test.
indirect enum Ref: Equatable {
    case null, bool(Bool), int(Int), string(String), array([Ref]), object([(String, Ref)])
    static func == (a: Ref, b: Ref) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case let (.bool(x), .bool(y)): x == y
        case let (.int(x), .int(y)): x == y
        case let (.string(x), .string(y)): x == y
        case let (.array(x), .array(y)): x == y
        case let (.object(x), .object(y)): x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    func serialized<R: RandomNumberGenerator>(_ rng: inout R) -> String {
        let ws = [" ", "", "\n", "\t", "  "].randomElement(using: &rng) ?? ""
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .string(let s): return Ref.quote(s, &rng)
        case .array(let a): return "[" + ws + a.map { $0.serialized(&rng) }.joined(separator: "," + ws) + ws + "]"
        case .object(let o): return "{" + ws + o.map { Ref.quote($0.0, &rng) + ws + ":" + $0.1.serialized(&rng) }.joined(separator: ",") + "}"
        }
    }

    static func quote<R: RandomNumberGenerator>(_ s: String, _ rng: inout R) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || Bool.random(using: &rng) && scalar.value > 0x7F && scalar.value < 0xFFFF {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static func random<R: RandomNumberGenerator>(_ rng: inout R, depth: Int) -> Ref {
        let pick = Int.random(in: 0..<(depth > 3 ? 4 : 6), using: &rng)
        switch pick {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2: return .int(Int.random(in: -1_000_000...1_000_000, using: &rng))
        case 3:
            let alphabet: [Unicode.Scalar] = ["a", "Z", "0", "-", " ", "\"", "\\", "\n", "\t", "é", "→", "\u{1}", "/"]
            var s = ""
            for _ in 0..<Int.random(in: 0...8, using: &rng) { s.unicodeScalars.append(alphabet.randomElement(using: &rng) ?? "a") }
            return .string(s)
        case 4: return .array((0..<Int.random(in: 0...4, using: &rng)).map { _ in random(&rng, depth: depth + 1) })
        default:
            return .object((0..<Int.random(in: 0...4, using: &rng)).map { i in ("k\(i)", random(&rng, depth: depth + 1)) })
        }
    }

    init(_ c: JSONCursor) {
        switch c.kind {
        case .null: self = .null
        case .bool: self = .bool(c.boolValue ?? false)
        case .number: self = .int(c.intValue ?? .min)
        case .string: self = .string(c.stringValue ?? "")
        case .array: self = .array(c.elements.map(Ref.init))
        case .object: self = .object(c.members.map { ($0.key, Ref($0.value)) })
        }
    }
}

@Test func parsedValuesEqualTheGeneratedOnes() throws {
    var rng = SplitMix64(seed: 7)
    var containers = 0
    for round in 0..<500 {
        let value = Ref.random(&rng, depth: 0)
        if case .object = value { containers += 1 }
        let text = value.serialized(&rng)
        let doc = try JSONDocument(bytes: Array(text.utf8), file: "r.json")
        #expect(Ref(doc.root) == value, "seed 7 round \(round): \(text)")
    }
    #expect(containers > 50)
}

@Test func everyTruncationOfAValidDocumentIsRejected() throws {
    let text = #"{"RouteTables": [{"Routes": [{"DestinationCidrBlock": "10.0.0.0/16", "State": "active"}, true, null, -1.5e3]}]}"#
    let bytes = Array(text.utf8)
    _ = try JSONDocument(bytes: bytes, file: "t.json")
    for cut in 0..<bytes.count {
        // Cutting after the last '}' only removes nothing; every shorter prefix is not a document.
        #expect(throws: JSONError.self, "prefix of \(cut) bytes") { try JSONDocument(bytes: Array(bytes[0..<cut]), file: "t.json") }
    }
}

@Test func syntaxErrorsNameLineColumnAndPath() {
    let text = "{\n  \"RouteTables\": [\n    {\"Routes\": [1, 2,, 3]}\n  ]\n}"
    do {
        _ = try JSONDocument(bytes: Array(text.utf8), file: "describe-route-tables.json")
        Issue.record("accepted malformed JSON")
    } catch {
        #expect(error.file == "describe-route-tables.json")
        #expect(error.line == 3)
        #expect(error.column == 22)
        #expect(error.path == "$.RouteTables[0].Routes[2]")
        #expect(error.description.hasPrefix("describe-route-tables.json:3:22: $.RouteTables[0].Routes[2]: "))
    }
}

@Test func truncatedFileSaysSo() {
    do {
        _ = try JSONDocument(bytes: Array(#"{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0"#.utf8), file: "vpcs.json")
        Issue.record("accepted a truncated file")
    } catch {
        #expect(error.message.contains("truncated"))
        #expect(error.path == "$.Vpcs[0].CidrBlock")
    }
}

@Test func valuePathsAreComputedFromTheTape() throws {
    let doc = try JSONDocument(bytes: Array(#"{"A": [{"b": 1}, {"c": [true, {"weird key": "x"}]}]}"#.utf8), file: "p.json")
    let x = try #require(doc.root["A"]?.elements[1]["c"]?.elements[1]["weird key"])
    #expect(x.stringValue == "x")
    #expect(x.path == #"$.A[1].c[1]["weird key"]"#)
    #expect(x.error("bad").description == #"p.json: $.A[1].c[1]["weird key"]: bad"#)
}

@Test func rejectsWhatRFC8259Rejects() {
    for bad in ["", "01", "1.", "-", "+1", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "\"\u{1}\"", "\"\\x\"", "tru", "nul", "[1] 2", "{'a': 1}", "\"\\u12G4\""] {
        #expect(throws: JSONError.self, "\(bad.debugDescription)") { try JSONDocument(bytes: Array(bad.utf8), file: "x") }
    }
    for good in ["0", "-0.5e-3", "[]", "{}", " \n[ ]\t", "\"\\ud83d\\ude00\"", "\u{FEFF}{}"] {
        #expect((try? JSONDocument(bytes: Array(good.utf8), file: "x")) != nil, "\(good.debugDescription)")
    }
}

@Test func escapesAndSurrogatesDecode() throws {
    let doc = try JSONDocument(bytes: Array(#"["a\"b\\c\/d\n", "\u00e9\ud83d\ude00"]"#.utf8), file: "e.json")
    #expect(doc.root.elements[0].stringValue == "a\"b\\c/d\n")
    #expect(doc.root.elements[1].stringValue == "é😀")
}

@Test func deepNestingIsAnErrorNotACrash() {
    let text = String(repeating: "[", count: 100_000)
    #expect(throws: JSONError.self) { try JSONDocument(bytes: Array(text.utf8), file: "deep.json") }
}

/// The reader's size limit: 4 GiB or more is one clear error, given before anything is read (a sparse file,
/// mapped: no page of it is touched, and nothing is reserved for it).
@Test func filesOf4GiBOrMoreAreRefusedWithoutReading() throws {
    let folder = temporaryFolder()
    defer { removeTree(folder) }
    let path = folder + "/huge.json"
    let fd = open(path, O_RDWR | O_CREAT, 0o600)
    try #require(fd >= 0)
    let size = Int(UInt32.max) + 1
    try #require(ftruncate(fd, off_t(size)) == 0)
    guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
        close(fd)
        Issue.record("cannot map a sparse 4 GiB file")
        return
    }
    defer { munmap(base, size); close(fd) }
    let buffer = UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: size)
    do {
        _ = try JSONDocument(parsing: buffer, file: "huge.json")
        Issue.record("a 4 GiB document was accepted")
    } catch {
        #expect(error.message == "file too large (4 GiB or more)")
        #expect(error.path == "$")
    }
}
