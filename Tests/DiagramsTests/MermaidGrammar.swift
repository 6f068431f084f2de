// A checker for the subset of Mermaid's flowchart grammar that MermaidRenderer writes (no npm here, so no
// Mermaid parser): the rules below follow the flowchart grammar (flow.jison) for these statements.
//
//   document   := "flowchart" ("LR"|"TB"|"RL"|"BT") NL statement*
//   statement  := comment | subgraph | "end" | node | edge | classDef | class | linkStyle
//   comment    := "%%" any
//   subgraph   := "subgraph" ID "[" STRING "]"            (closed by a matching "end")
//   node       := ID shape                                 (declared once)
//   shape      := "[" STRING "]" | "(" STRING ")" | "((" STRING "))" | "{{" STRING "}}" | "{" STRING "}"
//               | "[/" STRING "\]" | "[/" STRING "/]" | "[[" STRING "]]"
//   edge       := ID SP op ("|" STRING "|")? SP ID         (both ends declared nodes)
//   op         := "---" | "-->" | "-.-" | "-.->" | "===" | "==>"
//   classDef   := "classDef" NAME SP style ("," style)*
//   class      := "class" ID ("," ID)* SP NAME             (NAME defined by a classDef)
//   linkStyle  := "linkStyle" N ("," N)* SP style ("," style)*   (N < number of edges)
//   ID         := [A-Za-z_][A-Za-z0-9_]*, not a keyword (end, subgraph, graph, flowchart, class, classDef, …)
//   STRING     := '"' [^"\n]* '"', where '#' only starts an entity "#" (digits | name) ";"
//                 and no '<' other than "<br/>" appears (no raw HTML)

/// The first rule `text` breaks, nil when it follows the grammar above.
func mermaidGrammarError(_ text: String) -> String? {
    let keywords: Set<String> = ["end", "subgraph", "graph", "flowchart", "class", "classDef", "linkStyle", "style",
                                 "click", "call", "href", "direction", "default", "interpolate"]
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    guard let first = lines.first, ["flowchart LR", "flowchart TB", "flowchart RL", "flowchart BT"].contains(first) else {
        return "line 1: expected 'flowchart LR'"
    }
    var nodes: Set<String> = [], clusters: Set<String> = [], classes: Set<String> = []
    var depth = 0, edges = 0
    var pendingClasses: [(Int, String)] = []

    func isID(_ s: Substring) -> Bool {
        guard let c = s.first, c.isASCII, c.isLetter || c == "_" else { return false }
        return s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") } && !keywords.contains(String(s))
    }
    /// Checks a quoted string at the start of `s`; returns what follows it.
    func string(_ s: Substring) -> (ok: Bool, rest: Substring, why: String) {
        guard s.first == "\"" else { return (false, s, "expected '\"'") }
        let body = s.dropFirst()
        guard let close = body.firstIndex(of: "\"") else { return (false, s, "unterminated string") }
        let inside = body[..<close]
        var i = inside.startIndex
        while i < inside.endIndex {
            let c = inside[i]
            if c == "#" {
                guard let semi = inside[i...].firstIndex(of: ";") else { return (false, s, "'#' without ';'") }
                let entity = inside[inside.index(after: i)..<semi]
                guard !entity.isEmpty, entity.allSatisfy({ $0.isASCII && ($0.isNumber || $0.isLetter) }) else {
                    return (false, s, "bad entity '#\(entity);'")
                }
                i = inside.index(after: semi)
                continue
            }
            if c == "<" {
                guard inside[i...].hasPrefix("<br/>") else { return (false, s, "raw '<' in a label") }
                i = inside.index(i, offsetBy: 5)
                continue
            }
            if c == ">" || c == "&" || c == "|" || c == "\\" || c.isNewline { return (false, s, "raw '\(c)' in a label") }
            i = inside.index(after: i)
        }
        return (true, body[body.index(after: close)...], "")
    }
    let shapes: [(String, String)] = [("((", "))"), ("{{", "}}"), ("[/", "\\]"), ("[/", "/]"), ("[[", "]]"),
                                      ("[", "]"), ("(", ")"), ("{", "}")]

    for (n, raw) in lines.enumerated().dropFirst() {
        let where_ = "line \(n + 1)"
        let line = raw.drop { $0 == " " }
        if line.hasPrefix("%%") { continue }
        if line == "end" {
            depth -= 1
            if depth < 0 { return "\(where_): 'end' without 'subgraph'" }
            continue
        }
        if line.hasPrefix("subgraph ") {
            let rest = line.dropFirst("subgraph ".count)
            guard let open = rest.firstIndex(of: "["), isID(rest[..<open]) else { return "\(where_): bad subgraph id" }
            let id = String(rest[..<open])
            guard clusters.insert(id).inserted, !nodes.contains(id) else { return "\(where_): id '\(id)' used twice" }
            let s = string(rest[rest.index(after: open)...])
            guard s.ok else { return "\(where_): \(s.why)" }
            guard s.rest == "]" else { return "\(where_): expected ']' after the subgraph title" }
            depth += 1
            continue
        }
        if line.hasPrefix("classDef ") {
            let parts = line.split(separator: " ")
            guard parts.count == 3, isID(parts[1]) || parts[1] == "path" else { return "\(where_): bad classDef" }
            guard parts[2].split(separator: ",").allSatisfy({ $0.split(separator: ":").count == 2 }) else {
                return "\(where_): bad classDef style"
            }
            classes.insert(String(parts[1]))
            continue
        }
        if line.hasPrefix("class ") {
            let parts = line.split(separator: " ")
            guard parts.count == 3 else { return "\(where_): bad class statement" }
            for id in parts[1].split(separator: ",") where !nodes.contains(String(id)) {
                return "\(where_): class names undeclared node '\(id)'"
            }
            pendingClasses.append((n + 1, String(parts[2])))
            continue
        }
        if line.hasPrefix("linkStyle ") {
            let parts = line.split(separator: " ")
            guard parts.count == 3 else { return "\(where_): bad linkStyle" }
            for k in parts[1].split(separator: ",") {
                guard let v = Int(k), v >= 0, v < edges else { return "\(where_): linkStyle index '\(k)' is not an edge" }
            }
            continue
        }
        // An edge: ID SP op [|STRING|] SP ID
        let words = line.split(separator: " ", maxSplits: 1)
        if words.count == 2, let opEnd = words[1].firstIndex(where: { $0 == "|" || $0 == " " }) {
            let op = words[1][..<opEnd]
            if ["---", "-->", "-.-", "-.->", "===", "==>"].contains(String(op)) {
                guard nodes.contains(String(words[0])) else { return "\(where_): edge from undeclared node '\(words[0])'" }
                var rest = words[1][opEnd...]
                if rest.first == "|" {
                    let s = string(rest.dropFirst())
                    guard s.ok else { return "\(where_): \(s.why)" }
                    guard s.rest.first == "|" else { return "\(where_): edge label not closed by '|'" }
                    rest = s.rest.dropFirst()
                }
                guard rest.first == " ", nodes.contains(String(rest.dropFirst())) else {
                    return "\(where_): edge to undeclared node '\(rest.dropFirst())'"
                }
                edges += 1
                continue
            }
        }
        // A node: ID shape
        guard let open = line.firstIndex(where: { "[({".contains($0) }), isID(line[..<open]) else {
            return "\(where_): not a statement of the grammar: \(raw)"
        }
        let id = String(line[..<open])
        let body = line[open...]
        var matched = false
        for (o, c) in shapes where body.hasPrefix(o) {
            let s = string(body.dropFirst(o.count))
            if s.ok && s.rest == c { matched = true; break }
        }
        guard matched else { return "\(where_): bad node shape or label: \(raw)" }
        guard nodes.insert(id).inserted, !clusters.contains(id) else { return "\(where_): id '\(id)' used twice" }
    }
    if depth != 0 { return "unclosed subgraph" }
    for (line, name) in pendingClasses where !classes.contains(name) { return "line \(line): class '\(name)' has no classDef" }
    return nil
}
