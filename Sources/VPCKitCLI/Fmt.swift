import ArgumentParser
import FileIO
import NetworkModel
import Reporting

struct Fmt: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fmt",
        abstract: "Print topology files in canonical layout.",
        discussion: "Comments are kept: each stays with the statement it precedes or ends. Exit 1 with --check when a file is not in canonical layout, 2 on input errors.")

    @Flag(help: "Rewrite the files in place.")
    var write = false

    @Flag(help: "Print nothing; exit 1 when a file is not in canonical layout.")
    var check = false

    @Argument(help: "Topology files (.vpc).")
    var files: [String]

    func validate() throws {
        if write && check { throw ValidationError("--write and --check exclude each other") }
    }

    func run() throws {
        var inputError = false
        var unformatted = false
        // fmt --write: every file is staged, then all are renamed at once (an interrupt replaces all or none).
        let rewritten = AtomicFileSet()
        for file in files {
            if file.hasSuffix(".md") || file.hasSuffix(".markdown") {
                Terminal.writeError("\(file): error: fmt formats .vpc files only (it would drop the prose)")
                inputError = true
                continue
            }
            let bytes: [UInt8]
            do { bytes = try readInputFile(file) } catch { inputError = true; continue }
            let text = String(decoding: bytes, as: UTF8.self)
            let (result, diagnostics) = TopologyPrinter.format(source: SourceText(bytes: bytes, file: file))
            guard let formatted = result, diagnostics.isEmpty else {
                for d in diagnostics { Terminal.writeError(d.rendered) }
                inputError = true
                continue
            }
            if check {
                if formatted != text {
                    Terminal.writeError("\(file): not formatted")
                    unformatted = true
                }
            } else if write {
                if formatted != text {
                    do throws(AtomicWriteError) {
                        try rewritten.stage(formatted, toPath: file)
                    } catch {
                        Terminal.writeError("\(file): error: cannot write file: \(Diagnostic.escaped(error.message))")
                        inputError = true
                    }
                }
            } else {
                Terminal.write(formatted)
            }
        }
        do throws(AtomicWriteError) {
            try rewritten.commit()
        } catch {
            Terminal.writeError("error: cannot write files: \(Diagnostic.escaped(error.message))")
            inputError = true
        }
        if inputError { throw ExitCode(2) }
        if unformatted { throw ExitCode(1) }
    }
}
