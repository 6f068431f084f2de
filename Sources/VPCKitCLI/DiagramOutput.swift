import ArgumentParser
import Diagrams
import FileIO
import NetworkModel
import Reporting

/// The formats a drawing is written in (`graph --format`, `reach --graph-format`, `diff --graph-format`).
enum DiagramFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case dot, mermaid, svg, png, html

    /// Formats laid out by Graphviz's `dot` program.
    var needsGraphviz: Bool { self == .svg || self == .png || self == .html }

    /// The format a file name asks for: `.dot`/`.gv`, `.mmd`/`.mermaid`, `.svg`, `.png`, `.html`/`.htm`.
    init?(fileName: String) {
        guard let dot = fileName.lastIndex(of: "."), !fileName[dot...].contains("/") else { return nil }
        switch fileName[fileName.index(after: dot)...].lowercased() {
        case "dot", "gv": self = .dot
        case "mmd", "mermaid": self = .mermaid
        case "svg": self = .svg
        case "png": self = .png
        case "html", "htm": self = .html
        default: return nil
        }
    }
}

/// Writing a ``Diagram`` in one of the ``DiagramFormat``s, shared by `graph`, `reach --graph` and `diff --graph`.
enum DiagramOutput {
    /// The format of `--graph FILE`: `explicit` (`--graph-format`), else the file's extension; exit 2 when neither
    /// says.
    static func format(forFile path: String, explicit: DiagramFormat?) throws -> DiagramFormat {
        if let explicit { return explicit }
        guard let f = DiagramFormat(fileName: path) else {
            Terminal.writeError("error: --graph '\(Diagnostic.escaped(path))': cannot tell the format from the file name; name it .dot, .mmd, .svg, .png or .html, or give --graph-format dot|mermaid|svg|png|html")
            throw ExitCode(2)
        }
        return f
    }

    /// Graphviz's `dot` program when `format` needs it (nil when it does not); exit 2 with the install hint when it
    /// is not on `PATH`. Called before any work, so that a missing Graphviz is said at once.
    static func graphviz(for format: DiagramFormat, option: String = "--format") throws -> String? {
        guard format.needsGraphviz else { return nil }
        guard let found = ExternalProgram.find("dot", searchPath: ExternalProgram.searchPath) else {
            Terminal.writeError("error: \(option) \(format.rawValue) needs Graphviz's 'dot' program, which is not on PATH; install Graphviz (Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz), or use --format dot or mermaid")
            throw ExitCode(2)
        }
        return found
    }

    /// The drawing of `resolved` (``DiagramBuilder/build(_:detail:focus:)``) that `graph`, `reach --graph` and
    /// `diff --graph` start from; exit 2 naming `option` when it cannot be drawn (an unknown `--focus`).
    static func diagram(_ resolved: ResolvedTopology, detail: DiagramDetail? = nil, focus: String? = nil,
                        option: String) throws -> Diagram {
        switch DiagramBuilder.build(resolved, detail: detail, focus: focus) {
        case .success(let d): return d
        case .failure(let e):
            Terminal.writeError("error: \(option): \(e)")
            throw ExitCode(2)
        }
    }

    /// The bytes of `diagram` in `format` (`program`: the `dot` found by ``graphviz(for:option:)``); exit 2 when
    /// `dot` fails.
    static func render(_ diagram: Diagram, format: DiagramFormat, program: String?, heading: String) throws -> [UInt8] {
        switch format {
        case .dot: return Array(DOTRenderer.render(diagram).utf8)
        case .mermaid: return Array(MermaidRenderer.render(diagram).utf8)
        case .svg, .png:
            return try image(DOTRenderer.render(diagram), program: program ?? "dot", format: format.rawValue)
        case .html:
            let svg = try image(DOTRenderer.render(diagram), program: program ?? "dot", format: "svg")
            guard let page = HTMLRenderer.render(diagram, svg: String(decoding: svg, as: UTF8.self), heading: heading) else {
                Terminal.writeError("error: dot -Tsvg wrote no SVG")
                throw ExitCode(2)
            }
            return Array(page.utf8)
        }
    }

    /// `dot -TFORMAT` of `text`: its standard output, or exit 2 with its messages.
    static func image(_ text: String, program: String, format: String) throws -> [UInt8] {
        let result: ExternalProgram.Output
        do throws(ExternalProgram.RunError) {
            result = try ExternalProgram.run(program, arguments: ["-T" + format], input: Array(text.utf8))
        } catch {
            Terminal.writeError("error: cannot run \(program): \(error)")
            throw ExitCode(2)
        }
        guard result.status == 0, !result.standardOutput.isEmpty else {
            let messages = String(decoding: result.standardError, as: UTF8.self)
            Terminal.writeError("error: \(program) -T\(format) failed (exit \(result.status))" + (messages.isEmpty ? "" : ": " + Diagnostic.escaped(messages)))
            throw ExitCode(2)
        }
        return result.standardOutput
    }
}
