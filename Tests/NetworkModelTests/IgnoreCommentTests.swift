import NetworkModel
import Testing

@Suite struct IgnoreCommentTests {
    static let text = """
        vpc prod {                                   # line 1
          cidr 10.0.0.0/16
          # vpckit:ignore sg-ssh-open-world,sg-rdp-open-world bastion only
          # (reviewed 2026-12)
          security-group web {
            ingress tcp 22 from 0.0.0.0/0
          }
          security-group old { ingress tcp 80 from 10.0.0.0/8 }  # vpckit:ignore sg-unused
          # vpckit:ignore nacl-unused stale

          instance web-1 in a ip 10.0.0.10 sg web  #vpckit:ignore   default-sg-not-closed   legacy   box
          # vpckit:ignored sg-unused not ours
          # vpckit:ignore
        }
        """

    @Test func commentsNameTheirStatementAndBlock() throws {
        let comments = IgnoreComment.scan(SourceText(Self.text, file: "t.vpc"))
        #expect(comments.map(\.line) == [3, 8, 9, 11, 13])
        // Above a block header: the header's line through the closing brace, past another comment line.
        #expect(comments[0].ruleIDs == ["sg-ssh-open-world", "sg-rdp-open-world"])
        #expect(comments[0].reason == "bastion only")
        #expect(comments[0].coveredLines == 5...7)
        // Trailing a one-line block: that line.
        #expect(comments[1].ruleIDs == ["sg-unused"] && comments[1].reason == nil && comments[1].coveredLines == 8...8)
        // A blank line between comment and statement: about nothing.
        #expect(comments[2].coveredLines == nil)
        // Spacing is free; the reason keeps its inner spaces.
        #expect(comments[3].ruleIDs == ["default-sg-not-closed"] && comments[3].reason == "legacy   box" && comments[3].coveredLines == 11...11)
        // `vpckit:ignored` is not the marker; a bare marker names no rule (and is about the closing brace's line).
        #expect(comments[4].ruleIDs.isEmpty)
        #expect(comments[4].column == 3)
        let source = SourceText(Self.text, file: "t.vpc")
        #expect(String(decoding: source.bytes[comments[0].idsRange], as: UTF8.self) == "sg-ssh-open-world,sg-rdp-open-world")
    }

    @Test func filesWithoutTheMarkerHaveNoComments() {
        #expect(IgnoreComment.scan(SourceText("vpc a { cidr 10.0.0.0/16 }  # ignore me\n", file: "a.vpc")).isEmpty)
        #expect(IgnoreComment.scan(SourceText("", file: "a.vpc")).isEmpty)
    }
}
