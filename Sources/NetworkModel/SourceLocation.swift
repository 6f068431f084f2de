/// Where a resource was written. Equality and hashing ignore the position, so that two models compare by
/// content: `parse(print(model)) == model` holds although lines move.
///
/// Stored as three 32-bit integers, the file as an index into the file table of the topology the location
/// belongs to (``Topology/files``, a ``SourceFileTable``): every resource and compiled rule carries a location,
/// and a `String` field made each copy of such a record retain and release the file name (and each location
/// 32 bytes instead of 12). A location therefore has no file name of its own: renderers ask the table
/// (``SourceFileTable/name(of:)``, ``SourceFileTable/place(of:)``). File index 0 is "no file" (``unknown``).
/// Imported resources are located in the JSON they came from (the describe-* or Terraform file, the line and
/// column of the object's first byte; ``SourceFileKind/json``); what a command-line option added, at line 0 of
/// a name that is the option (``SourceFileKind/option``).
public struct SourceLocation: Hashable, Sendable {
    /// The file's index in its topology's ``SourceFileTable`` (0: no file).
    public let fileIndex: UInt32
    @usableFromInline var storedLine: Int32
    @usableFromInline var storedColumn: Int32

    /// 1-based line (0: unknown).
    @inlinable public var line: Int {
        get { Int(storedLine) }
        set { storedLine = Int32(clamping: newValue) }
    }
    /// 1-based column in characters (0: unknown).
    @inlinable public var column: Int {
        get { Int(storedColumn) }
        set { storedColumn = Int32(clamping: newValue) }
    }
    /// A location in the file at `fileIndex` of a ``SourceFileTable`` (the parser adds its file once, see
    /// ``SourceFileTable/index(of:)``).
    @inlinable public init(fileIndex: UInt32, line: Int, column: Int) {
        self.fileIndex = fileIndex
        storedLine = Int32(clamping: line)
        storedColumn = Int32(clamping: column)
    }
    /// No file, line or column.
    public static let unknown = SourceLocation(fileIndex: 0, line: 0, column: 0)
    @inlinable public static func == (lhs: SourceLocation, rhs: SourceLocation) -> Bool { true }
    @inlinable public func hash(into hasher: inout Hasher) {}
}

extension DefaultStringInterpolation {
    /// A location has no file name of its own: print it with ``SourceFileTable/place(of:)`` (or
    /// ``SourceFileTable/name(of:)``) of its topology's table. (Without this, `"\(location)"` would compile and
    /// print the struct's fields; if the warning is ignored, the place prints without its file.)
    @available(*, deprecated, message: "print a location through its topology's file table: files.place(of:)")
    public mutating func appendInterpolation(_ location: SourceLocation) {
        appendLiteral(SourceFileTable().place(of: location))
    }
    @available(*, deprecated, message: "print a location through its topology's file table: files.place(of:)")
    public mutating func appendInterpolation(_ location: SourceLocation?) {
        appendLiteral(location.map { SourceFileTable().place(of: $0) } ?? "nil")
    }
}

/// What a name in a ``SourceFileTable`` is, and so what a location in it allows.
public enum SourceFileKind: UInt8, Hashable, Sendable {
    /// Text of the `.vpc` language (or Markdown holding it): statements can be added at its lines.
    case language
    /// An imported JSON document (AWS describe-* output, a Terraform plan or state): a place to point at, never
    /// one to put a statement of the language (the imported topology is changed in AWS, in Terraform, or in the
    /// `.vpc` text `vpckit import` prints).
    case json
    /// A command-line option (`--onprem 10.0.10.0/24@vpn-1`): locations in it are at line 0 (no line).
    case option
}

/// The names of the source files a topology's ``SourceLocation``s refer to, by index; index 0 is the empty
/// name (no file). A value that travels with its ``Topology`` (and so with the resolved and compiled
/// topologies built from it): there is no process-wide registry, so topologies parsed at the same time on
/// different threads each keep their own names.
///
/// Equality and hashing ignore the table, as they ignore locations: two topologies compare by content.
public struct SourceFileTable: Hashable, Sendable {
    /// The names, by index (`names[0]` is `""`).
    public private(set) var names: [String] = [""]
    /// What each name is, by index (``SourceFileKind``; the empty name's is `.language`).
    public private(set) var kinds: [SourceFileKind] = [.language]

    /// A table holding only the empty name.
    public init() {}

    /// The index of `name`, added to the table as a file of `kind` if new (the empty name is index 0; a name
    /// already in the table keeps the kind it was added with).
    ///
    /// - Complexity: O(number of files): a topology has a handful (an import, one per describe-* file).
    public mutating func index(of name: String, kind: SourceFileKind = .language) -> UInt32 {
        if let i = names.firstIndex(of: name) { return UInt32(i) }
        names.append(name)
        kinds.append(kind)
        return UInt32(names.count - 1)
    }

    /// A location in file `name` (added to the table as a file of `kind` if new).
    public mutating func location(file name: String, line: Int, column: Int, kind: SourceFileKind = .language) -> SourceLocation {
        SourceLocation(fileIndex: index(of: name, kind: kind), line: line, column: column)
    }

    /// What the file of `location` is (`.language` for a location without a file or not in this table).
    public func kind(of location: SourceLocation) -> SourceFileKind {
        Int(location.fileIndex) < kinds.count ? kinds[Int(location.fileIndex)] : .language
    }

    /// The file name of `location` as written (empty when it has none or its index is not in this table).
    public func name(of location: SourceLocation) -> String {
        Int(location.fileIndex) < names.count ? names[Int(location.fileIndex)] : ""
    }

    /// `file:line:column` for `location` (what diagnostics and reports print).
    public func place(of location: SourceLocation) -> String {
        "\(name(of: location)):\(location.line):\(location.column)"
    }

    public static func == (lhs: SourceFileTable, rhs: SourceFileTable) -> Bool { true }
    public func hash(into hasher: inout Hasher) {}
}
