import TestSupport
import Testing
@testable import IPAddressing

/// The generic range set against a brute-force twin: with `UInt8` bounds a set is a 256-entry membership
/// table, so every operation is checked value by value, and every result checked to be normalised.
@Suite struct ClosedRangeSetTests {
    typealias Set8 = ClosedRangeSet<UInt8>

    static func randomRanges(_ rng: inout SplitMix64) -> [ClosedRange<UInt8>] {
        (0..<Int.random(in: 0...6, using: &rng)).map { _ in
            // Bias towards the ends so ranges touching 0 and 255 (no predecessor/successor) come up often.
            let pick = { (rng: inout SplitMix64) -> UInt8 in
                switch Int.random(in: 0..<8, using: &rng) {
                case 0: 0
                case 1: 255
                default: UInt8.random(in: 0...255, using: &rng)
                }
            }
            let a = pick(&rng), b = pick(&rng)
            return Swift.min(a, b)...Swift.max(a, b)
        }
    }
    static func table(_ ranges: [ClosedRange<UInt8>]) -> [Bool] {
        (0...255).map { v in ranges.contains { $0.contains(UInt8(v)) } }
    }
    static func table(_ set: Set8) -> [Bool] { (0...255).map { set.contains(UInt8($0)) } }
    /// Sorted, disjoint and non-adjacent.
    static func isNormalized(_ set: Set8) -> Bool {
        zip(set.ranges, set.ranges.dropFirst()).allSatisfy { Int($0.upperBound) + 1 < Int($1.lowerBound) }
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64]) func algebraAgainstBruteForce(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for round in 0..<400 {
            let ra = Self.randomRanges(&rng), rb = Self.randomRanges(&rng)
            let a = Set8(ra), b = Set8(rb)
            let ta = Self.table(ra), tb = Self.table(rb)
            let context = "seed \(seed) round \(round): \(ra) \(rb)"
            #expect(Self.table(a) == ta, "\(context)")
            #expect(Self.isNormalized(a), "\(context)")
            let u = a.union(b), i = a.intersection(b), d = a.subtracting(b)
            #expect(Self.table(u) == zip(ta, tb).map { $0 || $1 }, "union \(context)")
            #expect(Self.table(i) == zip(ta, tb).map { $0 && $1 }, "intersection \(context)")
            #expect(Self.table(d) == zip(ta, tb).map { $0 && !$1 }, "subtracting \(context)")
            #expect(Self.isNormalized(u) && Self.isNormalized(i) && Self.isNormalized(d), "\(context)")
            // Equal membership ⇔ equal values (normalisation makes the representation unique).
            #expect((a == b) == (ta == tb), "\(context)")
            // Iteration yields the ranges, in order.
            #expect(Array(a) == a.ranges)
            // contains(range) is "every value of the range is in the set".
            for r in rb { #expect(a.contains(r) == r.allSatisfy { ta[Int($0)] }, "contains \(r) \(context)") }
            // The single-range forms (their own fast paths: all, nothing, one range) against the table.
            for r in rb {
                let kept = a.intersection(r)
                #expect(Self.table(kept) == (0...255).map { ta[$0] && r.contains(UInt8($0)) }, "intersection \(r) \(context)")
                #expect(Self.isNormalized(kept) && kept == a.intersection(Set8([r])), "\(context)")
                #expect(Array(a.indices(overlapping: r)) == a.ranges.indices.filter { a.ranges[$0].overlaps(r) }, "indices \(r) \(context)")
                #expect(Self.table(a.subtracting(Set8([r]))) == (0...255).map { ta[$0] && !r.contains(UInt8($0)) }, "\(context)")
            }
            // The mutating forms agree with the plain ones.
            var m = a
            m.formUnion(b); #expect(m == u)
            m = a; m.formIntersection(b); #expect(m == i)
            m = a; m.subtract(b); #expect(m == d)
            if let r = rb.first {
                m = a; m.insert(r); #expect(m == a.union(Set8([r])))
                m = a; m.remove(r); #expect(m == a.subtracting(Set8([r])))
            }
        }
    }

    @Test func edges() {
        let all = Set8([0...255])
        #expect(all.ranges == [0...255])
        #expect(Set8([0...10, 11...255]) == all)
        #expect(Set8([200...255, 0...100, 101...199]) == all)
        #expect(all.subtracting(all).isEmpty)
        #expect(all.subtracting(Set8([0...0])).ranges == [1...255])
        #expect(all.subtracting(Set8([255...255])).ranges == [0...254])
        #expect(Set8([5...5, 7...7]).ranges == [5...5, 7...7])
        #expect(Set8([5...5, 6...6]).ranges == [5...6])
        #expect(Set8().union(Set8()).isEmpty)
        #expect(Set8(sorted: [1...3, 2...9, 10...12]).ranges == [1...12])
        #expect(ClosedRangeSet<UInt16>([0...65535]).subtracting(ClosedRangeSet([1024...65535])).ranges == [0...1023])
    }

    /// Prefix sets and port sets are the same algorithm: their ranges agree with a ClosedRangeSet built
    /// from the same input.
    @Test func prefixSetUsesTheSharedSet() throws {
        let blocks = [try IPv4Prefix("10.0.0.0/24"), try IPv4Prefix("10.0.1.0/24"), try IPv4Prefix("10.0.3.0/24")]
        let set = PrefixSet(blocks)
        #expect(set.addresses == ClosedRangeSet(blocks.map { $0.first...$0.last }))
        #expect(set.ranges.map(\.description) == ["10.0.0.0-10.0.1.255", "10.0.3.0-10.0.3.255"])
        #expect(PrefixSet(set.addresses) == set)
    }
}
