#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import FlowLogs
import Reporting

/// The captures of a `vpckit flowlogs` run (Docs/SEMANTICS.md "Many captures, many machines"): the `--pcap`
/// files (folders expanded), how they are grouped (one timeline, or one group per capture with
/// `--per-capture`), the `--window` and the `--shard` id the output names carry.
struct CaptureRun {
    var paths: [String]
    var perCapture: Bool
    var window: CaptureWindow?
    var shard: String?

    /// Replayed together: all the captures as one timeline, or each on its own.
    var groups: [[String]] { perCapture ? paths.map { [$0] } : [paths] }

    /// The tag of group `k`'s output names (nil: none of `--window`, `--shard`, `--per-capture`).
    func tag(group k: Int) -> String? {
        OutputTag(window: window, shard: shard, capture: perCapture ? k + 1 : nil).text
    }

    /// The summary line's start: the capture's name when each is replayed on its own.
    func summaryPrefix(_ group: [String]) -> String {
        perCapture ? "\(Diagnostic.escaped(group[0])): " : ""
    }
}

/// What replaying one group of captures met besides packets.
struct CaptureOutcome {
    var problems: [CaptureProblem] = []
    /// Packets outside `--window` (nil: no window).
    var outsideWindow: Int? = nil

    /// `; N packets outside --window` for the summary line, or nothing.
    var windowNote: String { outsideWindow.map { "; \($0) packets outside --window" } ?? "" }
}

extension FlowLogsCommand {
    /// The captures, window and shard of the command line, checked.
    func captureInputs() throws -> CaptureRun {
        guard !pcaps.isEmpty else { throw ValidationError("Missing expected argument '--pcap <pcap>' (a capture, or a folder of captures)") }
        var window: CaptureWindow? = nil
        if let text = self.window {
            do throws(CaptureWindowError) { window = try CaptureWindow(parsing: text) } catch {
                throw ValidationError("--window: \(Diagnostic.escaped(error.description))")
            }
        }
        if let shard, !OutputTag.isShardID(shard) {
            throw ValidationError("--shard must be 1 to 32 letters, digits or '-' (it becomes part of output file names), found '\(Diagnostic.escaped(shard))'")
        }
        if perCapture && format == .json && out == nil {
            throw ValidationError("--per-capture with --format json would print one JSON document per capture: give --out DIR, or replay the captures one by one")
        }
        let paths: [String]
        do throws(CaptureInputError) { paths = try CaptureInputs.expand(pcaps) } catch {
            Terminal.writeError("error: --pcap: \(Diagnostic.escaped(error.description))")
            throw InputError()
        }
        if paths.filter({ $0 == "-" }).count > 1 { throw ValidationError("--pcap -: standard input can be given once") }
        return CaptureRun(paths: paths, perCapture: perCapture, window: window, shard: shard)
    }

    /// Replays `group` as one timeline into `replay`. A `--filter` that does not compile, or the run's only
    /// capture not opening, is fatal (exit 2, nothing written); any other capture that cannot be opened or read
    /// to its end is a problem of the outcome (reported by ``report(_:)`` after the records).
    func replayCaptures(_ group: [String], into replay: inout FlowReplay<CompiledFlowNetwork>, inputs: CaptureRun,
                        progress: Bool) throws -> CaptureOutcome {
        var meter = ProgressMeter()
        defer { if meter.drawn { Terminal.writeAll(fd: 2, "\r\u{1B}[K") } }
        // Every 65,536 packets (about 100 times a second at full speed), drawn at most 10 times a second.
        let every = progress ? 1 << 16 : Int.max
        let sole = inputs.paths.count == 1
        if group.count == 1, inputs.window == nil {
            // One capture: read straight from its file, as always.
            do {
                try replay.replayCapture(path: group[0], filter: filter, progressEvery: every) { p in
                    if let line = meter.line(for: p) { Terminal.writeAll(fd: 2, "\r\u{1B}[K" + line) }
                }
            } catch {
                try fatalIfNeeded(error, path: group[0], sole: sole)
                return CaptureOutcome(problems: [CaptureProblem(path: group[0], error: error)])
            }
            return CaptureOutcome()
        }
        if group.count > 64 {
            // Captures that overlap in time are open together: allow as many files as the system lets this process.
            var limit = rlimit()
            if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max {
                limit.rlim_cur = limit.rlim_max
                _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
            }
        }
        let merge: CaptureMerge
        do { merge = try CaptureMerge(paths: group, filter: filter, window: inputs.window) } catch {
            try fatalIfNeeded(error, path: group[0], sole: sole)
            return CaptureOutcome(problems: [CaptureProblem(path: group[0], error: error)])
        }
        if let first = merge.problems.first { try fatalIfNeeded(first.error, path: first.path, sole: sole) }
        replay.replayCaptures(merge, progressEvery: every) { p in
            if let line = meter.line(for: p) { Terminal.writeAll(fd: 2, "\r\u{1B}[K" + line) }
        }
        return CaptureOutcome(problems: merge.problems, outsideWindow: inputs.window == nil ? nil : merge.outsideWindow)
    }

    /// Throws (after saying why) for a filter error, or an open error of the run's only capture.
    func fatalIfNeeded(_ error: CaptureError, path: String, sole: Bool) throws {
        if case .filter = error { Terminal.writeError("error: \(error)"); throw InputError() }
        if case .open = error, sole { Terminal.writeError("\(path): error: \(error)"); throw InputError() }
    }

    /// Prints each problem of `outcome` (`PATH: error: …`); true when there was one (the run then exits 2).
    func report(_ outcome: CaptureOutcome) -> Bool {
        for problem in outcome.problems {
            let path = Diagnostic.escaped(problem.path)
            if case .open = problem.error {
                Terminal.writeError("\(path): error: \(problem.error) (capture skipped)")
            } else {
                Terminal.writeError("\(path): error: \(problem.error) (records above cover the packets before it)")
            }
        }
        return !outcome.problems.isEmpty
    }
}
