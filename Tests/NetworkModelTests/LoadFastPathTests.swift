import TestSupport
import Testing
@testable import NetworkModel

/// The load path's fast helpers against their obvious twins: line starts found eight bytes at a time, and the
/// name map against `Dictionary`.
@Suite struct LoadFastPathTests {
    /// Random bytes over an alphabet rich in the cases a word-at-a-time scan could get wrong: newlines next to
    /// each other, 0x0B (a borrow would flag it after a newline), bytes with the high bit set, every length mod 8.
    @Test func lineStartsMatchAByteByByteScan() {
        var rng = SplitMix64(seed: 7)
        let alphabet: [UInt8] = [0x0A, 0x0A, 0x0B, 0x09, 0x8A, 0xFF, 0x00, 0x01, 0x61, 0x7F, 0x80, 0x0D]
        var seen = 0
        for length in 0..<200 {
            let bytes = (0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            var expected = [0]
            for (i, b) in bytes.enumerated() where b == 0x0A { expected.append(i + 1) }
            #expect(SourceText.lineStarts(bytes) == expected, "length \(length)")
            seen += expected.count - 1
        }
        #expect(seen > 1000)
    }

    /// Inserts, overwrites and first-write-wins inserts with colliding-looking names (shared prefixes, lengths
    /// across the 8-byte boundary, non-ASCII), checked against a `Dictionary` doing the same.
    @Test func nameMapAgreesWithDictionary() {
        var rng = SplitMix64(seed: 11)
        var map = NameMap<Int>()
        var reference: [String: Int] = [:]
        var order: [String] = []
        for step in 0..<20_000 {
            let n = Int(rng.next() % 3000)
            let name = (n % 3 == 0 ? "vpc-" : n % 3 == 1 ? "instance-long-prefix-" : "é") + String(n, radix: 7)
            if rng.next() % 2 == 0 {
                map.set(step, for: name)
                if reference[name] == nil { order.append(name) }
                reference[name] = step
            } else {
                let inserted = map.insertIfAbsent(name, step)
                #expect(inserted == (reference[name] == nil))
                if reference[name] == nil { reference[name] = step; order.append(name) }
            }
        }
        #expect(map.count == reference.count)
        #expect(map.keys == order)
        for (name, value) in reference { #expect(map[name] == value) }
        #expect(map["absent"] == nil)
        #expect(reference.count > 2000)
    }
}
