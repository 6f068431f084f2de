import Benchmark
import IPAddressing

/// SplitMix64: the same seeded generator the tests use, so inputs are identical run to run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random blocks shaped like Benchmarks/baselines/generate_cidrs.py: IPv4 /24…/30 anywhere, IPv6 /40…/64
/// inside 2001::/16.
enum Fixtures {
    static func v4(_ count: Int, seed: UInt64) -> [IPv4Prefix] {
        var rng = SplitMix64(state: seed)
        return (0..<count).map { _ in
            IPv4Prefix(network: IPv4Address(bits: UInt32(truncatingIfNeeded: rng.next())), length: Int(rng.next() % 7) + 24)!
        }
    }
    static func v6(_ count: Int, seed: UInt64) -> [IPv6Prefix] {
        var rng = SplitMix64(state: seed)
        return (0..<count).map { _ in
            let high = 0x2001 << 48 | (rng.next() & 0xFFFF_FFFF_FFFF)
            return IPv6Prefix(network: IPv6Address(high: high, low: 0), length: Int(rng.next() % 25) + 40)!
        }
    }
    /// IPv4 blocks shaped like Benchmarks/baselines/generate_allocations.py (many teams' allocations): random
    /// blocks of mixed lengths anywhere, the few short ones (/8…/16) holding many long ones, 1% repeating an
    /// earlier block. A million hold about a million overlapping pairs (the same weights as the script; the
    /// blocks themselves differ, the generators being different).
    static func allocations(_ count: Int, seed: UInt64) -> [IPv4Prefix] {
        let weights: [(length: Int, ppm: UInt64)] = [
            (8, 10), (12, 300), (14, 800), (16, 36_000), (18, 30_000), (19, 30_000), (20, 60_000), (21, 60_000),
            (22, 100_000), (23, 100_000), (24, 350_000), (25, 40_000), (26, 40_000), (27, 40_000), (28, 60_000),
            (29, 20_000), (30, 20_000), (32, 12_890),
        ]
        var rng = SplitMix64(state: seed)
        var blocks: [IPv4Prefix] = []
        blocks.reserveCapacity(count)
        for _ in 0..<count {
            if !blocks.isEmpty && rng.next() % 1_000_000 < 10_000 {
                blocks.append(blocks[Int(rng.next() % UInt64(blocks.count))])
                continue
            }
            var draw = rng.next() % 1_000_000
            var length = 32
            for (l, ppm) in weights {
                if draw < ppm { length = l; break }
                draw -= ppm
            }
            blocks.append(IPv4Prefix(network: IPv4Address(bits: UInt32(truncatingIfNeeded: rng.next())), length: length)!)
        }
        return blocks
    }

    /// One CIDR a line, 80% IPv4 and 20% IPv6, as one UTF-8 buffer.
    static func lines(_ count: Int, seed: UInt64) -> [UInt8] {
        var rng = SplitMix64(state: seed &+ 1)
        let v4 = Fixtures.v4(count, seed: seed), v6 = Fixtures.v6(count / 4 + 1, seed: seed)
        var text = ""
        text.reserveCapacity(count * 22)
        for i in 0..<count {
            text += rng.next() % 5 == 0 ? v6[i / 4].description : v4[i].description
            text += "\n"
        }
        return Array(text.utf8)
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident],
        timeUnits: .milliseconds, maxDuration: .seconds(20), maxIterations: 15)

    Benchmark("cidr/parse/1M-lines") { benchmark, bytes in
        var v4 = 0, v6 = 0
        for _ in benchmark.scaledIterations {
            bytes.withUnsafeBufferPointer { p in
                var start = 0
                while start < p.count {
                    var end = start
                    while p[end] != UInt8(ascii: "\n") { end += 1 }
                    let line = UnsafeBufferPointer(rebasing: p[start..<end])
                    if let prefix = try? IPPrefix(utf8: line) {
                        if case .v4 = prefix { v4 += 1 } else { v6 += 1 }
                    }
                    start = end + 1
                }
            }
        }
        blackHole(v4 + v6)
    } setup: {
        Fixtures.lines(1_000_000, seed: 1)
    }

    Benchmark("cidr/overlaps/1M-ipv4") { benchmark, prefixes in
        for _ in benchmark.scaledIterations {
            var found = 0
            OverlapFinder.sweep(prefixes) { _, _, _ in found += 1 }
            blackHole(found)
        }
    } setup: {
        Fixtures.v4(1_000_000, seed: 2)
    }

    // The findings-heavy input: the sweep alone, then the grouping index built and every group listed
    // (what `vpckit cidr overlaps` does before formatting each finding).
    Benchmark("cidr/overlaps/1M-allocations") { benchmark, prefixes in
        for _ in benchmark.scaledIterations {
            var found = 0
            OverlapFinder.sweep(prefixes) { _, _, _ in found += 1 }
            blackHole(found)
        }
    } setup: {
        Fixtures.allocations(1_000_000, seed: 4)
    }

    Benchmark("cidr/overlap-groups/1M-allocations") { benchmark, prefixes in
        for _ in benchmark.scaledIterations {
            let groups = OverlapGroups(prefixes)
            var partners: [OverlapPartner] = []
            var listed = 0
            for i in 0..<prefixes.count {
                groups.partners(of: i, into: &partners)
                listed += partners.count
            }
            precondition(listed == groups.pairCount)
            blackHole(listed)
        }
    } setup: {
        Fixtures.allocations(1_000_000, seed: 4)
    }

    Benchmark("cidr/overlaps/200k-ipv6") { benchmark, prefixes in
        for _ in benchmark.scaledIterations {
            var found = 0
            OverlapFinder.sweep(prefixes) { _, _, _ in found += 1 }
            blackHole(found)
        }
    } setup: {
        Fixtures.v6(200_000, seed: 3)
    }
}
