#!/usr/bin/env python3
"""Every Swift Testing test asserts something: each @Test function's body holds #expect, #require or
Issue.record, or calls a function of its test target (or TestSupport) that does, directly or through other
helpers. Exit 1 naming the tests that assert nothing. Run by .ci/run: python3 Tests/CLI/tests_assert.py"""
import collections
import glob
import os
import re
import sys

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ASSERTS = re.compile(r"#expect|#require|Issue\.record")
CALL = re.compile(r"\b(\w+)\s*[\(\{]")


def body_at(s, i):
    """The brace-balanced body of the function whose signature starts at i."""
    depth = 0
    while i < len(s):
        c = s[i]
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "{" and depth == 0:
            break
        i += 1
    start, level = i, 0
    while i < len(s):
        if s[i] == "{":
            level += 1
        elif s[i] == "}":
            level -= 1
            if level == 0:
                break
        i += 1
    return s[start:i + 1]


def without_strings(s):
    """`s` with string literals emptied (their braces and parentheses would unbalance the bodies)."""
    for pattern in (r'#"""[\s\S]*?"""#', r'"""[\s\S]*?"""', r'#"(?:[^"\n]|"(?!#))*"#', r'"(?:\\.|[^"\\\n])*"'):
        s = re.sub(pattern, '""', s)
    return re.sub(r"//[^\n]*", "", s)


failures = []
for target in sorted(glob.glob(os.path.join(root, "Tests", "*Tests"))):
    files = glob.glob(target + "/**/*.swift", recursive=True) + glob.glob(os.path.join(root, "Tests", "TestSupport", "**", "*.swift"), recursive=True)
    functions = collections.defaultdict(list)
    tests = []
    for f in files:
        s = without_strings(open(f).read())
        for m in re.finditer(r"\bfunc\s+(\w+)", s):
            functions[m.group(1)].append(body_at(s, m.end()))
        for m in re.finditer(r"@Test\b[\s\S]*?\bfunc\s+(\w+)", s):
            tests.append((os.path.relpath(f, root), m.group(1), body_at(s, m.end())))
    memo = {}

    def asserts(name, seen):
        if name in memo:
            return memo[name]
        if name in seen:
            return False
        result = any(ASSERTS.search(b) or any(c in functions and asserts(c, seen | {name}) for c in set(CALL.findall(b)))
                     for b in functions.get(name, []))
        memo[name] = result
        return result

    for f, name, body in tests:
        if ASSERTS.search(body):
            continue
        if not any(c in functions and c != name and asserts(c, {name}) for c in set(CALL.findall(body))):
            failures.append(f"{f}: @Test {name} asserts nothing")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print(f"tests_assert: ok (every @Test asserts, directly or through a helper)")
