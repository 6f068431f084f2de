#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The one place VPCKit starts a program: Graphviz's `dot`, for `vpckit graph --format svg|png` only
/// (Docs/SECURITY.md, "No code or shell execution", and Docs/GRAPH.md). No shell: the program is found on `PATH`
/// (absolute entries only) by its fixed name, started with `posix_spawn` and a fixed argument vector, fed
/// VPCKit's own text on its standard input and read back from its standard output; nothing from the input
/// reaches its arguments or environment.
public enum ExternalProgram {
    /// What a finished program gave back.
    public struct Output: Sendable, Equatable {
        /// The exit status (128 + signal number when a signal ended it).
        public var status: Int32
        public var standardOutput: [UInt8]
        public var standardError: [UInt8]
    }

    /// Why a program could not be run.
    public struct RunError: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// The absolute path of the executable `name` in the first absolute directory of `searchPath` (a `PATH`
    /// value, `:`-separated) that holds one; nil when none does. `name` must be a plain file name.
    public static func find(_ name: String, searchPath: String?) -> String? {
        guard !name.isEmpty, !name.contains("/"), let searchPath else { return nil }
        for dir in searchPath.split(separator: ":", omittingEmptySubsequences: true) where dir.hasPrefix("/") {
            let candidate = dir.hasSuffix("/") ? String(dir) + name : String(dir) + "/" + name
            var st = stat()
            if stat(candidate, &st) == 0, st.st_mode & S_IFMT == S_IFREG, access(candidate, X_OK) == 0 {
                return candidate
            }
        }
        return nil
    }

    /// The process's `PATH`.
    public static var searchPath: String? { getenv("PATH").map { String(cString: $0) } }

    /// Runs the program at `path` (absolute) with `arguments` (argv[1…]), writing `input` to its standard input
    /// and collecting its standard output and error until it exits. The child inherits the environment.
    public static func run(_ path: String, arguments: [String], input: [UInt8]) throws(RunError) -> Output {
        var toChild: [Int32] = [-1, -1], fromChild: [Int32] = [-1, -1], errChild: [Int32] = [-1, -1]
        guard makePipe(&toChild) else { throw RunError(message: errorText()) }
        guard makePipe(&fromChild) else {
            closeAll(toChild)
            throw RunError(message: errorText())
        }
        guard makePipe(&errChild) else {
            closeAll(toChild + fromChild)
            throw RunError(message: errorText())
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errChild[1], 2)

        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, environ)
        close(toChild[0]); close(fromChild[1]); close(errChild[1])
        guard spawned == 0 else {
            closeAll([toChild[1], fromChild[0], errChild[0]])
            throw RunError(message: String(cString: strerror(spawned)))
        }

        // A program that stops reading must not kill VPCKit with SIGPIPE: ignored while it runs.
        let previous = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, previous) }
        _ = fcntl(toChild[1], F_SETFL, fcntl(toChild[1], F_GETFL) | O_NONBLOCK)
        var out: [UInt8] = [], err: [UInt8] = []
        var written = 0
        var writeFD = toChild[1], outFD = fromChild[0], errFD = errChild[0]
        if input.isEmpty { close(writeFD); writeFD = -1 }
        var buffer = [UInt8](repeating: 0, count: 65536)
        while writeFD >= 0 || outFD >= 0 || errFD >= 0 {
            var fds = [pollfd(fd: writeFD, events: Int16(POLLOUT), revents: 0),
                       pollfd(fd: outFD, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: errFD, events: Int16(POLLIN), revents: 0)]
            let n = poll(&fds, 3, -1)
            if n < 0 { if errno == EINTR { continue }; break }
            if writeFD >= 0, fds[0].revents != 0 {
                let w = input.withUnsafeBytes { raw in
                    Glibc.write(writeFD, raw.baseAddress! + written, input.count - written)
                }
                if w > 0 { written += w }
                if w < 0 && errno != EAGAIN && errno != EINTR || written == input.count {
                    close(writeFD)
                    writeFD = -1
                }
            }
            for (k, fd) in [(1, outFD), (2, errFD)] where fd >= 0 && fds[k].revents != 0 {
                let r = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
                if r > 0 {
                    if k == 1 { out += buffer[0..<r] } else if err.count < 65536 { err += buffer[0..<r] }
                } else if r == 0 || (errno != EAGAIN && errno != EINTR) {
                    close(fd)
                    if k == 1 { outFD = -1 } else { errFD = -1 }
                }
            }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exit = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return Output(status: exit, standardOutput: out, standardError: err)
    }

    /// A pipe whose two ends close on exec (the child gets only the ends the file actions give it).
    static func makePipe(_ fds: inout [Int32]) -> Bool {
        guard pipe(&fds) == 0 else { return false }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return true
    }

    static func closeAll(_ fds: [Int32]) { for fd in fds where fd >= 0 { close(fd) } }
    static func errorText() -> String { String(cString: strerror(errno)) }
}
