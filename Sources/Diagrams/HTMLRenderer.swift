/// One self-contained HTML page: the diagram as inline SVG (Graphviz's layout of ``DOTRenderer``'s text), the drawn
/// path's hops as a table beside it (and the lint findings located on it, the change's entries), and a few lines of
/// inline script that highlight a row's nodes while the pointer is on the row (and the rows of a node while it is
/// on the node); a finding's component links to its node. No network fetch: no external script, style,
/// font or image, and a Content-Security-Policy that allows none.
///
/// Every text of the page but the SVG is escaped here (`&`, `<`, `>`, `"`, `'` as entities, control characters as
/// U+FFFD); the SVG is Graphviz's, whose text it escapes itself, and only its `<svg …>…</svg>` element is kept (no
/// XML prolog, DOCTYPE or comments outside it). Hops find their node through the SVG's `<title>`, which Graphviz
/// fills with the node's ``DiagramID`` (letters, digits, `_`).
public enum HTMLRenderer {
    /// The page for `diagram` around `svg` (the output of `dot -Tsvg` on `DOTRenderer.render(diagram)`); nil when
    /// `svg` holds no `<svg` element.
    public static func render(_ diagram: Diagram, svg: String, heading: String) -> String? {
        guard let start = svg.firstRange(of: "<svg"), let end = svg.ranges(of: "</svg>").last,
              start.lowerBound < end.lowerBound else { return nil }
        let image = svg[start.lowerBound..<end.upperBound]
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
        out += "<title>\(escape(heading))</title>\n<style>\n\(style)</style>\n</head>\n<body>\n"
        out += "<h1>\(escape(heading))</h1>\n"
        if let d = diagram.pathDisposition { out += "<p class=\"answer \(d)\">path: \(escape(d))</p>\n" }
        out += "<div class=\"layout\">\n<div class=\"diagram\">\n\(image)\n</div>\n"
        if !diagram.pathSteps.isEmpty || diagram.allNodes.contains(where: { $0.blocked != nil }) {
            out += "<table class=\"hops\">\n<thead><tr><th>#</th><th>direction</th><th>component</th><th>action</th><th>rule</th></tr></thead>\n<tbody>\n"
            for s in diagram.pathSteps {
                out += "<tr class=\"\(s.direction.rawValue)\" data-node=\"\(escape(s.nodeID))\"><td>\(s.number)</td><td>\(s.direction.rawValue)</td>"
                out += "<td>\(escape(s.component.description))</td><td>\(escape(s.actionText))</td><td>\(escape(s.rule ?? ""))</td></tr>\n"
            }
            for n in diagram.allNodes {
                guard let b = n.blocked else { continue }
                out += "<tr class=\"blocked\" data-node=\"\(escape(n.id))\"><td>✗</td><td>\(b.direction.rawValue)</td>"
                out += "<td>\(escape(n.lines.first ?? n.id))</td><td>\(escape(b.code)): \(escape(b.detail))</td><td>\(escape(b.rule ?? ""))</td></tr>\n"
            }
            out += "</tbody>\n</table>\n"
        }
        if !diagram.findings.isEmpty || !diagram.changeEntries.isEmpty { out += "<div class=\"side\">\n" }
        if !diagram.findings.isEmpty {
            out += "<table class=\"findings\">\n<thead><tr><th>#</th><th>severity</th><th>rule</th><th>component</th><th>message</th><th>at</th></tr></thead>\n<tbody>\n"
            for f in diagram.findings {
                let component = f.component.map { escape($0.description) } ?? "(not on the diagram)"
                if let id = f.nodeID {
                    out += "<tr class=\"finding \(f.severity.rawValue)\" data-node=\"\(escape(id))\"><td>\(f.number)</td><td>\(f.severity.rawValue)</td><td>\(escape(f.rule))</td>"
                    out += "<td><a class=\"locate\" tabindex=\"0\" data-node=\"\(escape(id))\">\(component)</a></td>"
                } else {
                    out += "<tr class=\"finding \(f.severity.rawValue) unlocated\"><td>\(f.number)</td><td>\(f.severity.rawValue)</td><td>\(escape(f.rule))</td><td>\(component)</td>"
                }
                out += "<td>\(escape(f.message))</td><td>\(escape(f.place))</td></tr>\n"
            }
            out += "</tbody>\n</table>\n"
        }
        if !diagram.changeEntries.isEmpty {
            out += "<table class=\"changes\">\n<thead><tr><th>change</th><th>sources</th><th>destinations</th><th>traffic</th></tr></thead>\n<tbody>\n"
            for e in diagram.changeEntries {
                let ids = Array(Set(e.sourceNodes + e.destinationNodes)).sorted()
                out += "<tr class=\"\(e.change.rawValue)\" data-nodes=\"\(escape(ids.joined(separator: " ")))\"><td>\(e.change.rawValue)</td>"
                out += "<td>\(escape(e.sources.joined(separator: ", ")))</td><td>\(escape(e.destinations.joined(separator: ", ")))</td><td>\(escape(e.traffic))</td></tr>\n"
            }
            out += "</tbody>\n</table>\n"
        }
        if !diagram.findings.isEmpty || !diagram.changeEntries.isEmpty { out += "</div>\n" }
        out += "</div>\n<script>\n\(script)</script>\n</body>\n</html>\n"
        return out
    }

    /// `text` as HTML text or attribute value.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for s in text.unicodeScalars {
            switch s {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case _ where s.value < 0x20 || s.value == 0x7F || (0x80...0x9F).contains(s.value): out += "\u{FFFD}"
            default: out.unicodeScalars.append(s)
            }
        }
        return out
    }

    static let style = """
        body { font-family: Helvetica, Arial, sans-serif; margin: 1em; color: #1f2328; }
        .layout { display: flex; gap: 1.5em; align-items: flex-start; }
        .diagram { flex: 1 1 auto; overflow: auto; border: 1px solid #d0d7de; }
        .diagram svg { max-width: 100%; height: auto; }
        table.hops { border-collapse: collapse; font-size: 13px; flex: 0 1 40em; }
        table.hops th, table.hops td { border: 1px solid #d0d7de; padding: 3px 6px; text-align: left; vertical-align: top; }
        .side { flex: 0 1 40em; }
        .side table { border-collapse: collapse; font-size: 13px; margin-bottom: 1em; }
        .side th, .side td { border: 1px solid #d0d7de; padding: 3px 6px; text-align: left; vertical-align: top; }
        tr.finding.error td:nth-child(2) { color: #cf222e; font-weight: bold; }
        tr.finding.warning td:nth-child(2) { color: #9a6700; font-weight: bold; }
        a.locate { color: #0969da; text-decoration: underline; cursor: pointer; }
        tr.opened td:first-child { color: #1a7f37; font-weight: bold; }
        tr.closed td:first-child { color: #cf222e; font-weight: bold; }
        tr.forward td:first-child { color: #1f6feb; font-weight: bold; }
        tr.return td:first-child { color: #2da44e; font-weight: bold; }
        tr.blocked td { color: #82071e; background: #ffebe9; }
        tr.hl td, .side tr.hl td { background: #fff8c5; }
        .answer { font-weight: bold; }
        .answer.blocked, .answer.unproven { color: #cf222e; }
        .answer.reachable { color: #1a7f37; }
        g.node.hl polygon, g.node.hl path, g.node.hl ellipse { stroke: #bf8700; stroke-width: 6px; }

        """

    static let script = """
        (function () {
          var nodes = {};
          document.querySelectorAll('g.node').forEach(function (g) {
            var t = g.querySelector('title');
            if (t) { nodes[t.textContent] = g; }
          });
          var rows = document.querySelectorAll('tr[data-node], tr[data-nodes]');
          function ids(r) {
            return (r.getAttribute('data-node') || r.getAttribute('data-nodes') || '').split(' ').filter(function (x) { return x; });
          }
          function mark(id, on) {
            if (nodes[id]) { nodes[id].classList.toggle('hl', on); }
            rows.forEach(function (r) { if (ids(r).indexOf(id) >= 0) { r.classList.toggle('hl', on); } });
          }
          rows.forEach(function (r) {
            r.addEventListener('mouseenter', function () { ids(r).forEach(function (id) { mark(id, true); }); });
            r.addEventListener('mouseleave', function () { ids(r).forEach(function (id) { mark(id, false); }); });
          });
          document.querySelectorAll('a[data-node]').forEach(function (a) {
            a.addEventListener('click', function (ev) {
              ev.preventDefault();
              var g = nodes[a.getAttribute('data-node')];
              if (g) { g.scrollIntoView({ block: 'center', inline: 'center' }); }
            });
          });
          Object.keys(nodes).forEach(function (id) {
            nodes[id].addEventListener('mouseenter', function () { mark(id, true); });
            nodes[id].addEventListener('mouseleave', function () { mark(id, false); });
          });
        })();

        """
}
