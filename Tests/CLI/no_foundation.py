#!/usr/bin/env python3
"""No Swift file under Sources/ or Tests/ (or the Benchmarks and Fuzz packages) imports Foundation or one of its parts
(FoundationEssentials, FoundationNetworking, FoundationXML, `import struct Foundation.URL`, `@testable import …`).
Exit 1 naming each offending line. Before scanning, the matcher checks itself on lines it must and must not flag,
so a broken pattern fails here instead of passing silently. Run by .ci/run: python3 Tests/CLI/no_foundation.py"""
import os
import re
import sys

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# An import declaration: optional attributes (@testable, @_implementationOnly, @preconcurrency …), optional
# access level and kind (struct, class, func …), then a module path whose first component starts with Foundation.
IMPORT = re.compile(r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|package|internal|private|fileprivate)\s+)?"
                    r"import\s+(?:(?:struct|class|enum|protocol|typealias|func|let|var)\s+)?Foundation\w*\b")

MUST_FLAG = [
    "import Foundation",
    "  import Foundation  // indented",
    "@testable import Foundation",
    "@preconcurrency import Foundation",
    "@_implementationOnly import FoundationEssentials",
    "internal import FoundationNetworking",
    "import struct Foundation.URL",
    "import FoundationXML",
    "#if canImport(Foundation)\nimport Foundation",
]
MUST_PASS = [
    "// A minimal Encoder (no Foundation) for tests",
    "/// without `import Foundation`",
    "import Glibc",
    "import NetworkModel",
    "let s = \"import Foundation\"",
    "    // import Foundation",
]


def flagged(text):
    return [n for n, line in enumerate(text.split("\n"), 1) if IMPORT.match(line)]


def self_test():
    bad = [s for s in MUST_FLAG if not flagged(s)] + [s for s in MUST_PASS if flagged(s)]
    for s in bad:
        print(f"no_foundation.py: matcher is wrong on {s!r}", file=sys.stderr)
    return not bad


def main():
    if not self_test():
        return 1
    hits, scanned = [], 0
    for top in ("Sources", "Tests", "Benchmarks", "Fuzz"):
        for folder, dirs, files in os.walk(os.path.join(root, top)):
            dirs[:] = [d for d in dirs if d != ".build"]
            for name in sorted(files):
                if not name.endswith(".swift"):
                    continue
                path = os.path.join(folder, name)
                scanned += 1
                with open(path, encoding="utf-8", errors="replace") as f:
                    for n in flagged(f.read()):
                        hits.append(f"{os.path.relpath(path, root)}:{n}: imports Foundation")
    if scanned == 0:
        print("no_foundation.py: no Swift files found under Sources/ or Tests/", file=sys.stderr)
        return 1
    for h in hits:
        print(h, file=sys.stderr)
    if hits:
        print(f"no_foundation.py: {len(hits)} Foundation import(s); use Glibc or Tests/TestSupport instead", file=sys.stderr)
        return 1
    print(f"no_foundation.py: {scanned} Swift files, none imports Foundation")
    return 0


if __name__ == "__main__":
    sys.exit(main())
