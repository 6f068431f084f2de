import TestSupport
import Reporting
import Testing
@testable import NetworkModel
import Generators

/// Random mutations of the examples: parsing and validation never crash, and every diagnostic points inside
/// the text.
@Suite struct FuzzTests {
    static let fragments: [[UInt8]] = ["{", "}", "->", "<->", "#", "\n", " ", "pl:", "sg", "10.0.0.0/8", "::/0", "999999999999",
                                        "route", "vpc", "instance", "-", "/", ".", "\u{00e9}", "\t", "\r\n", "assert reach"].map { Array($0.utf8) }

    static func mutate(_ input: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var bytes = input
        for _ in 0..<(1 + rng.next() % 6) {
            let position = bytes.isEmpty ? 0 : Int(rng.next() % UInt64(bytes.count + 1))
            switch rng.next() % 6 {
            case 0 where !bytes.isEmpty:   // delete a range
                let end = min(bytes.count, position + Int(rng.next() % 40))
                bytes.removeSubrange(min(position, end)..<end)
            case 1:   // insert a fragment
                bytes.insert(contentsOf: fragments[Int(rng.next() % UInt64(fragments.count))], at: position)
            case 2:   // insert random bytes, invalid UTF-8 included
                bytes.insert(contentsOf: (0..<(1 + rng.next() % 4)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, at: position)
            case 3:   // truncate
                bytes.removeSubrange(position..<bytes.count)
            case 4 where !bytes.isEmpty:   // duplicate a range elsewhere
                let start = Int(rng.next() % UInt64(bytes.count))
                let slice = Array(bytes[start..<min(bytes.count, start + Int(rng.next() % 80))])
                bytes.insert(contentsOf: slice, at: position)
            default:  // flip a digit
                if position < bytes.count { bytes[position] = UInt8(ascii: "0") + UInt8(rng.next() % 10) }
            }
        }
        return bytes
    }

    @Test func mutatedExamplesNeverCrash() {
        var inputs = RoundTripTests.examples.map { Array(Fixtures.read("Topologies/" + $0).utf8) }
        if !Fixtures.contract.isEmpty { inputs.append(Array(Fixtures.contract.utf8)) }
        var rng = SplitMix64(seed: 0xF022)
        var errors = 0
        for round in 0..<600 {
            let input = inputs[round % inputs.count]
            let mutated = FuzzTests.mutate(input, &rng)
            let source = SourceText(bytes: mutated, file: "fuzz.vpc")
            let (_, diagnostics) = TopologyLoader.load(source)
            errors += diagnostics.count
            for d in diagnostics {
                #expect(d.line >= 1 && d.line <= source.lineCount, "round \(round): \(d.rendered)")
                #expect(d.column >= 1)
                _ = d.rendered
            }
        }
        #expect(errors > 300, "mutations should produce diagnostics")
    }

    @Test func printedMutantsReparse() {
        // Whatever parses (with or without errors) prints to text that parses without errors to the same model.
        var rng = SplitMix64(seed: 77)
        let input = Array(Fixtures.read("Topologies/three-tier.vpc").utf8)
        for round in 0..<200 {
            let (model, _) = TopologyParser.parse(SourceText(bytes: FuzzTests.mutate(input, &rng), file: "m.vpc"))
            let printed = TopologyPrinter.format(model)
            let (again, d) = TopologyParser.parse(printed, file: "p.vpc")
            #expect(d.isEmpty, "round \(round): \(d.map(\.rendered))\n\(printed)")
            #expect(again == model, "round \(round)")
        }
    }
}

@Suite struct LayoutIndependenceTests {
    /// Newlines only separate statements: the whole generated topology on one line parses to the same model,
    /// in linear time (columns are counted incrementally).
    @Test func oneLongLineParsesToTheSameModel() {
        let topology = TopologyGenerator(seed: 3, vpcs: 60, subnetsPerVPC: 6, instances: 1200, securityGroups: 120).generate()
        let text = TopologyPrinter.format(topology)
        let oneLine = String(text.map { $0 == "\n" ? " " : $0 })
        #expect(oneLine.utf8.count > 100_000)
        let clock = ContinuousClock()
        let start = clock.now
        let (parsed, diagnostics) = TopologyLoader.load(oneLine, file: "one-line.vpc")
        #expect(diagnostics.isEmpty, "\(diagnostics.prefix(2).map(\.message))")
        #expect(parsed == topology)
        #expect(clock.now - start < .seconds(10))
    }

    @Test func manyErrorsStopAtTheLimit() {
        let garbage = String(repeating: "bogus\n", count: 50_000)
        let (_, diagnostics) = TopologyLoader.load(garbage, file: "g.vpc")
        #expect(diagnostics.count == Parser.maxErrors + 1)
        #expect(diagnostics.last?.message == "too many errors; stopped parsing here")
    }
}

/// Findings of the fuzz campaigns (Docs/FUZZING.md), each as the failing input it was, minimised.
@Suite struct FuzzFindingTests {
    /// Campaign 2026-12-07 (late), target `vpc`: a control character (U+0003) inside an endpoint policy parsed, and
    /// `fmt` printed it as a space, so parse → print → parse changed the model. Quoted text now refuses control
    /// characters (C0, DEL, C1, U+2028/2029) with the character's position.
    @Test(arguments: [("\u{03}", 1), ("\t", 1), ("\u{7F}", 1), ("\u{85}", 2), ("\u{2028}", 3)])
    func controlCharactersInQuotedTextAreErrors(_ control: String, width: Int) throws {
        let policy = "{\"Action\":\"s3" + control + ":*\"}"
        let text = "vpc v {\n  cidr 10.0.0.0/16\n  route-table r {\n  }\n  endpoint s3-gw gateway s3 route-tables r policy '" + policy + "'\n}\n"
        let (_, d) = TopologyParser.parse(text, file: "f.vpc")
        let e = try #require(d.first)
        #expect(d.count == 1 && e.id == "dsl-expected" && e.line == 5, "\(d.map(\.rendered))")
        #expect(e.message.hasPrefix("control character U+") && e.message.hasSuffix("in the endpoint policy"), "\(e.message)")
        // The caret is under the character (the line is ASCII before it).
        let before = "  endpoint s3-gw gateway s3 route-tables r policy '{\"Action\":\"s3"
        #expect(e.column == before.count + 1, "\(e.column)")
        if width == 1 { #expect(e.length == 1) }
    }

    /// The parser's byte scan and the printer's `commentSafe` agree on what a control character is, for every
    /// Unicode scalar (one definition, ``LanguageWord/isControl(_:)``): the parser refuses exactly what the printer
    /// would turn into a space, so no quoted text can parse and then print differently.
    @Test func theParserAndThePrinterAgreeOnControlCharacters() {
        var refused: [UInt32] = [], disagreements: [UInt32] = []
        var bytes = [UInt8](repeating: 0x27, count: 5)
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            var n = 0
            for b in scalar.utf8 { bytes[n] = b; n += 1 }
            bytes[n] = 0x27
            let width = Parser.controlCharacterWidth(bytes, at: 0, end: n)
            if (width != nil) != LanguageWord.isControl(scalar) || (width != nil && width != n) { disagreements.append(value) }
            if width != nil { refused.append(value) }
        }
        // What the parser refuses is exactly what the printer changes (checked on every refused scalar and on
        // their neighbours).
        for value in refused.flatMap({ [$0, $0 + 1] }) {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = String(Character(scalar))
            if (LanguageWord.commentSafe(text) != text) != refused.contains(value) { disagreements.append(value) }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(10).map { String($0, radix: 16) })")
        // C0 (32), DEL, C1 (32), U+2028, U+2029.
        #expect(refused.count == 67)
        // Cut sequences are not read past the end of the quoted text.
        #expect(Parser.controlCharacterWidth([0xE2, 0x80, 0xA8], at: 0, end: 2) == nil)
        #expect(Parser.controlCharacterWidth([0xC2, 0x85], at: 0, end: 2) == 2)
        #expect(Parser.controlCharacterWidth([0x80, 0x85], at: 0, end: 2) == nil)
    }

    /// The same text with a space instead parses, and fmt keeps it.
    @Test func aSpaceInQuotedTextRoundTrips() throws {
        let text = "vpc v {\n  cidr 10.0.0.0/16\n  route-table r {\n  }\n  endpoint s3-gw gateway s3 route-tables r policy '{\"Action\":\"s3 :*\"}'\n}\n"
        let (t, d) = TopologyParser.parse(text, file: "f.vpc")
        #expect(d.isEmpty, "\(d.map(\.rendered))")
        let (again, d2) = TopologyParser.parse(TopologyPrinter.format(t), file: "p.vpc")
        #expect(d2.isEmpty && again == t)
    }
}
