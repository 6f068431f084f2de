#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import FileIO
import IPAddressing
import Loading
import NetworkModel
import Reporting

/// What kind of thing a prefix came from; decides which overlaps are expected (a subnet inside its own VPC).
public enum CidrSourceKind: UInt8, Sendable {
    /// A line of a plain list.
    case listLine
    /// A VPC block (`cidr`, `ipv6-cidr`).
    case vpc
    /// A subnet's IPv4 or IPv6 block.
    case subnet
    /// An entry of a managed prefix list.
    case prefixListEntry
    /// A prefix an on-premises network announces (`onprem NAME { … }` or `--onprem CIDR@EDGE`).
    case onPremises
}

/// Where one prefix came from, kept small: a million of these sit in memory during a large check. Names of
/// plain-list lines stay in the file's bytes until a finding needs them.
public struct CidrOrigin: Sendable {
    public var file: Int32
    public var line: Int32
    public var column: Int32
    public var kind: CidrSourceKind
    /// For `.vpc` and `.subnet`: the VPC's number; for `.prefixListEntry`: the list's number; for `.onPremises`: the
    /// network's number; else -1.
    public var group: Int32
    /// Byte range of the name in the file (`nameLength` 0: no name), or, when `nameIndex >= 0`, an index into
    /// ``CidrInputs/names``.
    public var nameStart: Int32
    public var nameLength: Int32
    public var nameIndex: Int32
}

/// Which blocks of a topology `cidr overlaps` compares (`--scope`); plain-list lines are always compared.
public enum CidrScope: String, CaseIterable, Sendable {
    /// VPC blocks, subnet blocks and prefix-list entries.
    case all
    /// VPC blocks only (IPv4 and IPv6).
    case vpc
    /// Subnet blocks only (IPv4 and IPv6).
    case subnet
}

/// Every prefix read from the inputs, split by family, with origins.
public struct CidrInputs {
    /// The topology blocks ``add(_:path:)`` takes.
    public var scope = CidrScope.all
    /// `--onprem CIDR@EDGE` / `--assume-tunnels-up`, applied to every topology read (their on-premises prefixes
    /// are then compared like VPC blocks).
    public var edgeFacts = EdgeFacts()
    /// True once a topology input was read.
    public var hasTopology = false
    public var files: [String] = []
    /// The bytes of each plain-list file (empty for topologies), kept for names and source lines.
    public var contents: [[UInt8]] = []
    public var names: [String] = []
    public var origins: [CidrOrigin] = []
    public var v4: [IPv4Prefix] = []
    public var v4Origin: [Int32] = []
    public var v6: [IPv6Prefix] = []
    public var v6Origin: [Int32] = []
    /// The first ``maxShownErrors`` input errors.
    public var errors: [Diagnostic] = []
    /// Every input error.
    public var errorCount = 0
    /// Numbers VPCs and prefix lists across all inputs (see ``CidrOrigin/group``).
    var groupCounter: Int32 = 0

    public static let maxShownErrors = 50

    public init() {}

    public var prefixCount: Int { v4.count + v6.count }

    /// The name of an origin, if any.
    public func name(of origin: CidrOrigin) -> String? {
        if origin.nameIndex >= 0 { return names[Int(origin.nameIndex)] }
        if origin.nameLength == 0 { return nil }
        let bytes = contents[Int(origin.file)]
        let start = Int(origin.nameStart)
        return String(decoding: bytes[start..<start + Int(origin.nameLength)], as: UTF8.self)
    }

    mutating func record(_ diagnostic: Diagnostic) {
        errorCount += 1
        if errors.count < CidrInputs.maxShownErrors { errors.append(diagnostic) }
    }

    /// Reads `path`: a topology (`.vpc`, `.json`, a folder) through ``TopologyInput/load(_:messages:reportErrors:)``
    /// (its diagnostics and warnings go to `messages`; its errors throw ``InputError``), anything else as a plain
    /// list, whose problems become ``errors``; the caller decides the exit code.
    public mutating func read(_ path: String, normalize: Bool, messages: MessageSink) throws(InputError) {
        if CidrInputs.isTopology(path) {
            var loaded = try TopologyInput.load(path, messages: messages)
            for warning in loaded.warnings { messages(warning.rendered) }
            if edgeFacts != EdgeFacts() { try edgeFacts.apply(to: &loaded.topology, messages: messages) }
            add(loaded.topology, path: path)
            return
        }
        let bytes: [UInt8]
        switch CidrInputs.readFile(path) {
        case .success(let b): bytes = b
        case .failure(let message):
            // A CIDR given where a file is expected (`--used 10.0.0.0/8`): say so rather than only "cannot read".
            let isCIDR = (try? IPPrefix(path, normalize: true)) != nil || (try? IPAddress(path)) != nil
            let hint = isCIDR ? "'\(Diagnostic.escaped(path))' is a CIDR block, not a file: give a file of blocks, one a line ('-' reads them from standard input)" : nil
            record(Diagnostic(id: CidrListDiagnostics.input.id, file: path, line: 0, column: 0, message: message.message,
                              hint: hint))
            return
        }
        readPlainList(bytes, name: path, normalize: normalize)
    }

    /// Reads `bytes`, the content of the plain list `name` (what ``read(_:normalize:messages:)`` does with a
    /// file that is not a topology; the CIDR-list fuzz target's entry point): its blocks join the inputs, its
    /// problems become ``errors``.
    public mutating func readPlainList(_ bytes: [UInt8], name: String, normalize: Bool) {
        if bytes.withUnsafeBufferPointer(InputFiles.isBlank) {
            // Exit 2 like `import` on an empty file: an empty list is almost always the wrong file.
            record(Diagnostic(id: CidrListDiagnostics.input.id, file: name, line: 0, column: 0,
                              message: "the file is empty (expected CIDRs, one a line)"))
            return
        }
        let fileIndex = Int32(files.count)
        files.append(name)
        contents.append(bytes)
        parsePlainList(bytes, file: fileIndex, normalize: normalize)
    }

    /// True for inputs the topology loader reads.
    public static func isTopology(_ path: String) -> Bool {
        if path.hasSuffix(".vpc") || path.hasSuffix(".json") { return true }
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The whole file (`-`: standard input), or a one-line reason.
    static func readFile(_ path: String) -> Result<[UInt8], FileReadError> {
        if let bytes = InputFiles.read(path) { return .success(bytes) }
        if errno == EISDIR { return .failure(FileReadError(message: "is a directory")) }
        return .failure(FileReadError(message: "cannot read file: \(String(cString: strerror(errno)))"))
    }

    struct FileReadError: Error { var message: String }

    /// One CIDR a line, an optional name after whitespace (the rest of the line), `#` comments, blank lines.
    mutating func parsePlainList(_ bytes: [UInt8], file: Int32, normalize: Bool) {
        bytes.withUnsafeBufferPointer { p in
            let n = p.count
            // A UTF-8 byte-order mark (spreadsheet exports) is not part of the first line.
            var i = n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF ? 3 : 0
            var line: Int32 = 0
            while i < n {
                line += 1
                let lineStart = i
                var lineEnd = i
                while lineEnd < n && p[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
                i = lineEnd + 1
                // Strip a comment, then surrounding whitespace.
                var end = lineStart
                while end < lineEnd && p[end] != UInt8(ascii: "#") { end += 1 }
                var start = lineStart
                while start < end && CidrInputs.isSpace(p[start]) { start += 1 }
                while end > start && CidrInputs.isSpace(p[end - 1]) { end -= 1 }
                if start == end { continue }
                var tokenEnd = start
                while tokenEnd < end && !CidrInputs.isSpace(p[tokenEnd]) { tokenEnd += 1 }
                var nameStart = tokenEnd
                while nameStart < end && CidrInputs.isSpace(p[nameStart]) { nameStart += 1 }
                let token = UnsafeBufferPointer(rebasing: p[start..<tokenEnd])
                let column = Int32(CidrInputs.characterColumn(p, lineStart: lineStart, offset: start))
                let origin = CidrOrigin(file: file, line: line, column: column, kind: .listLine, group: -1,
                                        nameStart: Int32(nameStart), nameLength: Int32(end - nameStart), nameIndex: -1)
                do throws(IPParseError) {
                    if token.contains(UInt8(ascii: ":")) {
                        let prefix = try IPv6Prefix(utf8: token, normalize: normalize)
                        v6.append(prefix)
                        v6Origin.append(Int32(origins.count))
                    } else {
                        let prefix = try IPv4Prefix(utf8: token, normalize: normalize)
                        v4.append(prefix)
                        v4Origin.append(Int32(origins.count))
                    }
                    origins.append(origin)
                } catch {
                    let sourceLine = String(decoding: UnsafeBufferPointer(rebasing: p[lineStart..<lineEnd]), as: UTF8.self)
                    record(CidrInputs.diagnostic(for: error, file: files[Int(file)], line: Int(line), sourceLine: sourceLine,
                                                 tokenColumn: Int(column), token: token))
                }
            }
        }
    }

    @inline(__always) static func isSpace(_ c: UInt8) -> Bool {
        c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r")
    }

    /// The 1-based character column of byte `offset` in the line starting at `lineStart`.
    @inline(__always)
    static func characterColumn(_ p: UnsafeBufferPointer<UInt8>, lineStart: Int, offset: Int) -> Int {
        TextPosition.column(p, lineStart: lineStart, offset: offset)
    }

    /// A `file:line:column: error:` diagnostic for a bad token.
    static func diagnostic(for error: IPParseError, file: String, line: Int, sourceLine: String, tokenColumn: Int,
                           token: UnsafeBufferPointer<UInt8>) -> Diagnostic {
        let offset = min(error.offset, token.count)
        let before = String(decoding: UnsafeBufferPointer(rebasing: token[0..<offset]), as: UTF8.self).count
        let tokenText = String(decoding: token, as: UTF8.self)
        let rest = tokenText.count - before
        let length: Int
        var hint: String? = nil
        var message = "\(error.message) in '\(tokenText)'"
        switch error.kind {
        case .hostBitsSet(let canonical):
            length = tokenText.count
            message = "host bits set in '\(tokenText)'; did you mean '\(canonical)'?"
            hint = "pass --normalize to clear host bits instead"
        case .badPrefixLength, .prefixLengthLeadingZero, .missingPrefixLength, .wrongFieldCount: length = max(1, rest)
        default: length = 1
        }
        return Diagnostic(id: CidrListDiagnostics.parse.id, file: file, line: line, column: tokenColumn + before, length: length,
                          message: message, sourceLine: sourceLine, hint: hint)
    }

    /// Adds every VPC block, subnet block and prefix-list entry of a topology.
    public mutating func add(_ topology: Topology, path: String) {
        hasTopology = true
        let fileIndex = Int32(files.count)
        files.append(path)
        contents.append([])
        func origin(_ location: SourceLocation, kind: CidrSourceKind, group: Int32, name: String) -> Int32 {
            let written = topology.files.name(of: location)
            if !written.isEmpty && written != files[Int(fileIndex)] && !files.contains(written) {
                files.append(written)
                contents.append([])
            }
            let file = written.isEmpty ? fileIndex : Int32(files.lastIndex(of: written) ?? Int(fileIndex))
            names.append(name)
            origins.append(CidrOrigin(file: file, line: Int32(location.line), column: Int32(location.column), kind: kind,
                                      group: group, nameStart: 0, nameLength: 0, nameIndex: Int32(names.count - 1)))
            return Int32(origins.count - 1)
        }
        let takesVPCs = scope != .subnet, takesSubnets = scope != .vpc, takesPrefixLists = scope == .all
        for vpc in topology.vpcs {
            groupCounter += 1
            let vpcNumber = groupCounter
            for block in vpc.cidrs where takesVPCs {
                v4Origin.append(origin(vpc.location, kind: .vpc, group: vpcNumber, name: "vpc \(vpc.name)"))
                v4.append(block)
            }
            for block in vpc.ipv6Cidrs where takesVPCs {
                v6Origin.append(origin(vpc.location, kind: .vpc, group: vpcNumber, name: "vpc \(vpc.name)"))
                v6.append(block)
            }
            for subnet in vpc.subnets where takesSubnets {
                v4Origin.append(origin(subnet.location, kind: .subnet, group: vpcNumber, name: "subnet \(subnet.name)"))
                v4.append(subnet.cidr)
                if let block = subnet.ipv6Cidr {
                    v6Origin.append(origin(subnet.location, kind: .subnet, group: vpcNumber, name: "subnet \(subnet.name)"))
                    v6.append(block)
                }
            }
        }
        // On-premises prefixes compete with VPC blocks for the same routes: compared in scopes all and vpc.
        for network in topology.onPremisesNetworks where takesVPCs {
            groupCounter += 1
            let networkNumber = groupCounter
            for prefix in network.prefixes {
                v4Origin.append(origin(network.location, kind: .onPremises, group: networkNumber, name: "onprem:\(network.name)"))
                v4.append(prefix)
            }
        }
        for list in topology.prefixLists where takesPrefixLists {
            groupCounter += 1
            let listNumber = groupCounter
            for entry in list.entries {
                let o = origin(list.location, kind: .prefixListEntry, group: listNumber, name: "pl:\(list.name)")
                switch entry {
                case .v4(let p): v4.append(p); v4Origin.append(o)
                case .v6(let p): v6.append(p); v6Origin.append(o)
                }
            }
        }
    }

    /// False for overlaps a topology intends: a subnet inside its own VPC's blocks, and prefix-list entries
    /// against anything outside their own list (lists name other networks on purpose).
    public func isReportable(_ a: CidrOrigin, _ b: CidrOrigin) -> Bool {
        if a.kind == .prefixListEntry || b.kind == .prefixListEntry {
            return a.kind == b.kind && a.group == b.group
        }
        let pair = (a.kind, b.kind)
        if (pair == (.vpc, .subnet) || pair == (.subnet, .vpc)) && a.group == b.group { return false }
        // One network announcing an aggregate and a more specific prefix is ordinary.
        if pair == (.onPremises, .onPremises) && a.group == b.group { return false }
        return true
    }
}
