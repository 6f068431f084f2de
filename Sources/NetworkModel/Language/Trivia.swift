/// What the parser records, besides the model, for `vpckit fmt`: the comments (with positions) and the source
/// lines of statements the model keeps no location for (a VPC's `cidr` lines, `associate` lines, closing
/// braces, the `region` line a VPC was written under…). The formatter attaches each comment to the statement
/// nearest to it by these lines. Recorded only on request (``TopologyParser/parseWithTrivia(_:)``), so plain
/// parsing costs nothing extra.
struct SourceTrivia: Sendable {
    /// A statement that has no ``SourceLocation`` of its own in the model.
    enum AnchorKind: UInt8, Sendable {
        /// The closing `}` of a block.
        case close
        /// An `id` statement inside a block.
        case id
        /// A VPC's `cidr` (index) and `ipv6` (index) statements.
        case cidr, ipv6
        /// `associate` / `propagate` statements of a route table, network ACL or TGW route table (all lines).
        case associate, propagate
        /// A security group's `egress none`.
        case egressNone
        /// A transit gateway's `sg-referencing` statement.
        case sgReferencing
        /// The `region` / `account` statement in force where a VPC or transit gateway was written.
        case region, account
        /// A route table's `edge-associate` statements; an on-premises network's `prefix` statements.
        case edgeAssociate, prefix
    }

    /// A statement, named by the location of the resource it belongs to.
    struct AnchorKey: Hashable, Sendable {
        var line: Int
        var column: Int
        var kind: AnchorKind
        var index: Int
    }

    /// The comments, in source order.
    var comments: [CommentTrivia] = []
    /// Source lines of statements without a model location.
    var anchors: [AnchorKey: [Int]] = [:]

    mutating func note(_ owner: SourceLocation, _ kind: AnchorKind, index: Int = 0, line: Int) {
        guard line > 0 else { return }
        anchors[AnchorKey(line: owner.line, column: owner.column, kind: kind, index: index), default: []].append(line)
    }

    func lines(_ owner: SourceLocation, _ kind: AnchorKind, index: Int = 0) -> [Int] {
        anchors[AnchorKey(line: owner.line, column: owner.column, kind: kind, index: index)] ?? []
    }
}
