/// JUnit XML test reports (the format CI systems show as test results): one `<testsuite>` per suite, one
/// `<testcase>` per case, `<failure>` for a case that failed and `<error>` for one that could not run.
/// Every text is escaped for XML; characters XML 1.0 cannot hold (control characters but tab and line
/// breaks, U+FFFE, U+FFFF) become U+FFFD.
public enum JUnitReport {
    public struct TestCase: Hashable, Sendable {
        public var name: String
        public var classname: String
        /// Where the case is written (`file` and `line` attributes, which GitLab and others show).
        public var file: String
        public var line: Int
        /// A failure: the one-line message and the full text.
        public var failure: (message: String, text: String)?
        /// An error: the case could not be evaluated.
        public var error: (message: String, text: String)?

        public init(name: String, classname: String, file: String, line: Int,
                    failure: (message: String, text: String)? = nil, error: (message: String, text: String)? = nil) {
            self.name = name
            self.classname = classname
            self.file = file
            self.line = line
            self.failure = failure
            self.error = error
        }
        public static func == (a: TestCase, b: TestCase) -> Bool {
            a.name == b.name && a.classname == b.classname && a.file == b.file && a.line == b.line
                && a.failure?.message == b.failure?.message && a.failure?.text == b.failure?.text
                && a.error?.message == b.error?.message && a.error?.text == b.error?.text
        }
        public func hash(into h: inout Hasher) {
            h.combine(name); h.combine(classname); h.combine(file); h.combine(line)
            h.combine(failure?.text); h.combine(error?.text)
        }
    }

    public struct Suite: Hashable, Sendable {
        public var name: String
        public var cases: [TestCase]
        public init(name: String, cases: [TestCase]) {
            self.name = name
            self.cases = cases
        }
    }

    /// The XML document for `suites` (a `<testsuites>` root with totals).
    public static func xml(_ suites: [Suite], name: String = "vpckit check") -> String {
        let tests = suites.reduce(0) { $0 + $1.cases.count }
        let failures = suites.reduce(0) { $0 + $1.cases.filter { $0.failure != nil }.count }
        let errors = suites.reduce(0) { $0 + $1.cases.filter { $0.error != nil && $0.failure == nil }.count }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"\(escape(name))\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"\(errors)\">\n"
        for suite in suites {
            let f = suite.cases.filter { $0.failure != nil }.count
            let e = suite.cases.filter { $0.error != nil && $0.failure == nil }.count
            out += "  <testsuite name=\"\(escape(suite.name))\" tests=\"\(suite.cases.count)\" failures=\"\(f)\" errors=\"\(e)\">\n"
            for c in suite.cases {
                out += "    <testcase name=\"\(escape(c.name))\" classname=\"\(escape(c.classname))\" file=\"\(escape(c.file))\" line=\"\(c.line)\""
                if let failure = c.failure {
                    out += ">\n      <failure message=\"\(escape(failure.message))\" type=\"assertion\">\(escape(failure.text, attribute: false))</failure>\n    </testcase>\n"
                } else if let error = c.error {
                    out += ">\n      <error message=\"\(escape(error.message))\" type=\"input\">\(escape(error.text, attribute: false))</error>\n    </testcase>\n"
                } else {
                    out += "/>\n"
                }
            }
            out += "  </testsuite>\n"
        }
        out += "</testsuites>\n"
        return out
    }

    /// `s` escaped for an XML attribute value (`attribute`, line breaks and tabs as character references, so
    /// parsers keep them) or element text (line breaks and tabs as they are).
    public static func escape(_ s: String, attribute: Bool = true) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n": out += attribute ? "&#10;" : "\n"
            case "\r": out += "&#13;"
            case "\t": out += attribute ? "&#9;" : "\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out.unicodeScalars.append("\u{FFFD}")
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
