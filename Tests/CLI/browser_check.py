#!/usr/bin/env python3
"""The HTML pages of `vpckit graph --format html` (a path, lint findings) and `vpckit diff --graph FILE.html` in a
real browser: headless Chromium (Debian's `chromium`, installed by .ci/run) renders each page offline.

For each page:
- the screenshot is not blank: decoded here (zlib + struct, no imaging library), enough of it is not white, and the
  colours the page draws its marks in are there (the blocked node's red, an opened party's green, a finding's amber);
- the DOM after the page's scripts ran (--dump-dom): one inline <svg>, its nodes (Graphviz's `g.node` with the node
  id as <title>), and the tables: the hop table's rows are reach's hops (`vpckit reach --format json`, the same
  question) in order and end with the blocking component, marked `blocked`; the findings are lint's (`vpckit lint
  --format json`) and each located one links to a node the SVG has; the change rows are diff's entries;
- hovering: a copy of the page with one more inline script (the page itself has no test hook) dispatches
  `mouseenter`/`mouseleave` on a row and on a node and writes what is highlighted into the DOM; the row's node
  (and only it) is highlighted while the pointer is on the row, nothing after it leaves, and a node's rows while
  the pointer is on the node;
- nothing is fetched: no http(s) URL in any src/href attribute, no <link>, @import or url(); and Chromium, run in
  a network namespace with no network (`unshare -n`, when allowed) and with a net log, requests nothing for the
  page but file: URLs. The checker is itself run on a page that fetches, which it must refuse.

Usage: Tests/CLI/browser_check.py PATH/TO/vpckit
"""
import html.parser
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

VPCKIT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else sys.exit("usage: browser_check.py PATH/TO/vpckit")
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TMP = tempfile.mkdtemp(prefix="vpckit-browser-")
FAILURES = []
QUIET = [False]   # while the checker is run on pages it must refuse


def fail(message):
    FAILURES.append(message)
    if not QUIET[0]:
        print("browser_check.py: FAIL: " + message, file=sys.stderr)


def vpckit(*args, want=(0,)):
    r = subprocess.run([VPCKIT, *args], capture_output=True, text=True, cwd=ROOT)
    if r.returncode not in want:
        fail(f"vpckit {' '.join(args)}: exit {r.returncode}: {r.stderr[:300]}")
    return r.stdout


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    print("browser_check.py: FAIL: chromium is not installed (.ci/run installs it: apt-get install chromium)", file=sys.stderr)
    sys.exit(1)
OFFLINE = subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0 if shutil.which("unshare") else False


def chromium(page, *mode, netlog=None):
    """Runs headless Chromium on file `page` (offline when possible); returns its stdout."""
    profile = tempfile.mkdtemp(dir=TMP, prefix="profile-")
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", f"--user-data-dir={profile}",
           "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--disable-default-apps", "--disable-extensions", "--run-all-compositor-stages-before-draw",
           "--virtual-time-budget=2000", *mode]
    if netlog:
        cmd.append(f"--log-net-log={netlog}")
    cmd.append("file://" + page)
    if OFFLINE:
        cmd = ["unshare", "-n"] + cmd
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        fail(f"chromium {' '.join(mode)} {page}: exit {r.returncode}: {r.stderr[-400:]}")
    return r.stdout


# --- PNG, decoded with zlib and struct -------------------------------------------------------------------------

def png_pixels(path):
    """(width, height, rows of (r, g, b) tuples) of an 8-bit RGB or RGBA PNG, not interlaced."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace != 0:
        raise ValueError(f"unsupported PNG (depth {depth}, colour type {colour}, interlace {interlace})")
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, previous = [], bytearray(stride)
    for y in range(height):
        filt = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = previous[i]
            c = previous[i - bpp] if i >= bpp else 0
            if filt == 1:
                line[i] = (line[i] + a) & 0xFF
            elif filt == 2:
                line[i] = (line[i] + b) & 0xFF
            elif filt == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif filt == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append([tuple(line[x * bpp:x * bpp + 3]) for x in range(width)])
        previous = line
    return width, height, rows


def near(p, colour, tolerance=40):
    return all(abs(p[k] - colour[k]) <= tolerance for k in range(3))


def check_screenshot(name, page, colours):
    shot = os.path.join(TMP, name + ".png")
    chromium(page, f"--screenshot={shot}", "--window-size=1600,1200")
    if not os.path.exists(shot):
        fail(f"{name}: no screenshot")
        return
    width, height, rows = png_pixels(shot)
    if (width, height) != (1600, 1200):
        fail(f"{name}: screenshot is {width}x{height}")
    pixels = [p for row in rows for p in row]
    ink = sum(1 for p in pixels if p != (255, 255, 255))
    if ink < len(pixels) // 50:
        fail(f"{name}: screenshot is (nearly) blank: {ink} of {len(pixels)} pixels not white")
    for label, colour in colours.items():
        found = sum(1 for p in pixels if near(p, colour, 24))
        if found < 50:
            fail(f"{name}: the {label} colour #{bytes(colour).hex()} is not on the screenshot ({found} pixels)")


# --- DOM ---------------------------------------------------------------------------------------------------------

class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children, self.text = tag, dict(attrs), parent, [], ""

    def classes(self):
        return (self.attrs.get("class") or "").split()

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()

    def all_text(self):
        return self.text + "".join(c.all_text() for c in self.children)


class DOM(html.parser.HTMLParser):
    VOID = {"meta", "br", "img", "input", "link", "hr", "col", "area", "base", "wbr", "source"}

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", [], None)
        self.current = self.root
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        n = Node(tag, attrs, self.current)
        self.current.children.append(n)
        if tag not in self.VOID:
            self.current = n

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, attrs, self.current))

    def handle_endtag(self, tag):
        n = self.current
        while n is not self.root and n.tag != tag:
            n = n.parent
        if n is not self.root:
            self.current = n.parent

    def handle_data(self, data):
        self.current.text += data

    def find(self, tag=None, cls=None, attr=None):
        return [n for n in self.root.walk() if (tag is None or n.tag == tag) and (cls is None or cls in n.classes())
                and (attr is None or attr in n.attrs)]


def svg_nodes(dom):
    """Graphviz's nodes: id (the <title>) -> the g element."""
    out = {}
    for g in dom.find("g", "node"):
        titles = [c for c in g.children if c.tag == "title"]
        if titles:
            out[titles[0].all_text()] = g
    return out


def check_static(name, text):
    dom = DOM(text)
    for n in dom.root.walk():
        for key, value in n.attrs.items():
            if key in ("src", "href", "xlink:href", "action", "poster", "data") and value and \
                    value.strip().lower().startswith(("http:", "https:", "//", "ftp:", "ws:", "wss:")):
                fail(f"{name}: <{n.tag} {key}={value!r}> would fetch")
    for banned in ("<link", "@import", "url(", "<iframe", "<object", "<embed"):
        if banned in text:
            fail(f"{name}: the page holds {banned!r}")
    return dom


def page_requests(netlog):
    """URLs the page (origin file://) requested, from Chromium's net log."""
    d = json.load(open(netlog))
    types = {v: k for k, v in d["constants"]["logEventTypes"].items()}
    out = []
    for e in d["events"]:
        p = e.get("params") or {}
        if types.get(e["type"]) == "URL_REQUEST_START_JOB" and "file://" in p.get("network_isolation_key", ""):
            out.append(p.get("url", ""))
    return out


def check_no_fetch(name, page):
    netlog = os.path.join(TMP, name + ".netlog.json")
    chromium(page, "--dump-dom", netlog=netlog)
    fetched = [u for u in page_requests(netlog) if not u.startswith(("file:", "data:"))]
    if fetched:
        fail(f"{name}: the page fetched {fetched[:3]}")
    return fetched


HOVER = """
<script>
(function () {
  function lit() {
    var out = [];
    document.querySelectorAll('g.node.hl').forEach(function (g) { out.push(g.querySelector('title').textContent); });
    return out;
  }
  function litRows() {
    var out = [];
    document.querySelectorAll('tr.hl').forEach(function (r) { out.push(r.getAttribute('data-node') || r.getAttribute('data-nodes')); });
    return out;
  }
  var rows = document.querySelectorAll('%(rows)s');
  var result = {};
  var row = rows[rows.length > 1 ? 1 : 0];
  result.row = row.getAttribute('data-node') || row.getAttribute('data-nodes');
  row.dispatchEvent(new MouseEvent('mouseenter'));
  result.onRow = lit();
  row.dispatchEvent(new MouseEvent('mouseleave'));
  result.afterRow = lit().concat(litRows());
  var id = result.row.split(' ')[0];
  var node = null;
  document.querySelectorAll('g.node').forEach(function (g) { if (g.querySelector('title').textContent === id) { node = g; } });
  node.dispatchEvent(new MouseEvent('mouseenter'));
  result.rowsOnNode = litRows();
  node.dispatchEvent(new MouseEvent('mouseleave'));
  var pre = document.createElement('pre');
  pre.id = 'hover-result';
  pre.textContent = JSON.stringify(result);
  document.body.appendChild(pre);
})();
</script>
"""


def check_hover(name, page, rows_selector):
    text = open(page, encoding="utf-8").read()
    probe = page.replace(".html", ".hover.html")
    with open(probe, "w", encoding="utf-8") as f:
        f.write(text.replace("</body>", HOVER % {"rows": rows_selector} + "</body>"))
    dom = DOM(chromium(probe, "--dump-dom"))
    pre = [n for n in dom.find("pre") if n.attrs.get("id") == "hover-result"]
    if not pre:
        fail(f"{name}: the hover probe did not run")
        return
    r = json.loads(pre[0].all_text())
    ids = r["row"].split()
    if sorted(r["onRow"]) != sorted(ids):
        fail(f"{name}: hovering the row of {ids} highlights {r['onRow']}")
    if r["afterRow"]:
        fail(f"{name}: still highlighted after the pointer left the row: {r['afterRow']}")
    if not any(ids[0] in (x or "").split() for x in r["rowsOnNode"]):
        fail(f"{name}: hovering node {ids[0]} highlights the rows {r['rowsOnNode']}")


# --- The pages -----------------------------------------------------------------------------------------------------

three_tier = os.path.join(ROOT, "Topologies/three-tier.vpc")

# 1. A blocked path: web-1 -> db-1 tcp/5432 (blocked at db-nacl).
path_page = os.path.join(TMP, "path.html")
vpckit("graph", three_tier, "--path", "web-1", "db-1", "tcp/5432", "--format", "html", "-o", path_page)
answer = json.loads(vpckit("reach", three_tier, "web-1", "db-1", "tcp/5432", "--format", "json", want=(1,)))
static = check_static("path", open(path_page, encoding="utf-8").read())
dom = DOM(chromium(path_page, "--dump-dom"))
if len(dom.find("svg")) != 1:
    fail(f"path: {len(dom.find('svg'))} <svg> elements in the DOM")
nodes = svg_nodes(dom)
if len(nodes) < 10:
    fail(f"path: only {len(nodes)} diagram nodes in the DOM")
rows = [r for r in dom.find("tr", attr="data-node") if any("hops" in a.classes() for a in [r.parent.parent])]
hop_rows = [r for r in rows if "blocked" not in r.classes()]
blocked_rows = [r for r in rows if "blocked" in r.classes()]
# As the drawing reads the trace: the forward hops, then the reply's (or, when the reply is what fails, its hops
# up to where it is stopped).
reply = answer.get("returnPath") or answer.get("blockedReturnPath") or []
hops = answer.get("forwardPath", []) + reply
if not hops:
    fail("path: reach's JSON has no hops (forwardPath/returnPath)")


def hop_component(h):
    c = h.get("component", {})
    return f"{c.get('kind')} {c.get('name')}" if isinstance(c, dict) else str(c)


cells = [[td.all_text() for td in r.children if td.tag == "td"] for r in hop_rows]
if [c[0] for c in cells] != [str(k + 1) for k in range(len(hop_rows))]:
    fail(f"path: hop rows are not numbered 1..n: {[c[0] for c in cells]}")
want = [hop_component(h) for h in hops]
got = [c[2].split(" (")[0] for c in cells]
if got != want:
    fail(f"path: the hop table's components {got} are not reach's hops {want}")
if [c[1] for c in cells] != ["forward"] * len(answer.get("forwardPath", [])) + ["return"] * len(reply):
    fail(f"path: the hop directions {[c[1] for c in cells]} are not reach's")
for r in rows:
    if r.attrs["data-node"] not in nodes:
        fail(f"path: row for {r.attrs['data-node']} has no node in the SVG")
if len(blocked_rows) != 1:
    fail(f"path: {len(blocked_rows)} blocked rows (want 1)")
else:
    b = blocked_rows[0]
    text = b.all_text()
    code = (answer.get("explanation") or {}).get("code", "?")
    if code not in text:
        fail(f"path: the blocked row does not say {code}: {text!r}")
    g = nodes.get(b.attrs["data-node"])
    stroke = [s.attrs.get("stroke") for s in (g.walk() if g else []) if s.tag in ("polygon", "path", "ellipse")]
    if "#cf222e" not in stroke:
        fail(f"path: the blocking node is not drawn red (strokes {stroke})")
    explanation = answer.get("explanation") or {}
    comp = explanation.get("component")
    if not isinstance(comp, dict) or comp.get("name") not in text:
        fail(f"path: the blocked row does not name {comp}")
check_screenshot("path", path_page, {"blocked red": (0xcf, 0x22, 0x2e), "path blue": (0x1f, 0x6f, 0xeb)})
check_hover("path", path_page, "table.hops tr[data-node]")
check_no_fetch("path", path_page)

# 2. Lint findings on the diagram.
lint_page = os.path.join(TMP, "lint.html")
topology = os.path.join(ROOT, "Topologies/lint-findings.vpc")
vpckit("graph", topology, "--lint", "--format", "html", "-o", lint_page)
findings = json.loads(vpckit("lint", topology, "--format", "json", want=(1,)))["findings"]
check_static("lint", open(lint_page, encoding="utf-8").read())
dom = DOM(chromium(lint_page, "--dump-dom"))
nodes = svg_nodes(dom)
rows = [r for r in dom.find("tr", "finding")]
if [[td.all_text() for td in r.children if td.tag == "td"][2] for r in rows] != [f["rule"] for f in findings]:
    fail("lint: the page's findings are not lint's")
links = dom.find("a", "locate")
if len(links) != len([r for r in rows if "unlocated" not in r.classes()]) or not links:
    fail(f"lint: {len(links)} links for {len(rows)} findings")
for a in links:
    g = nodes.get(a.attrs.get("data-node"))
    if g is None:
        fail(f"lint: finding link to {a.attrs.get('data-node')}, which the SVG has not")
    elif "lint #" not in g.all_text():
        fail(f"lint: node {a.attrs.get('data-node')} does not show its finding")
check_screenshot("lint", lint_page, {"finding amber": (0xbf, 0x87, 0x00)})
check_hover("lint", lint_page, "tr.finding[data-node]")
check_no_fetch("lint", lint_page)

# 3. A change: three-tier with tcp 8443 opened to web and app-a's default route removed (DiffFixtures).
old = open(three_tier, encoding="utf-8").read()
new = old.replace("    ingress tcp 80 from 0.0.0.0/0\n", "    ingress tcp 80 from 0.0.0.0/0\n    ingress tcp 8443 from 0.0.0.0/0\n") \
    .replace("    associate app-a\n    route 0.0.0.0/0 -> nat-a\n", "    associate app-a\n")
new_path = os.path.join(TMP, "new.vpc")
open(new_path, "w", encoding="utf-8").write(new)
diff_page = os.path.join(TMP, "diff.html")
vpckit("diff", three_tier, new_path, "--graph", diff_page, want=(1,))
change = json.loads(vpckit("diff", three_tier, new_path, "--format", "json", want=(1,)))
check_static("diff", open(diff_page, encoding="utf-8").read())
dom = DOM(chromium(diff_page, "--dump-dom"))
nodes = svg_nodes(dom)
rows = [r for r in dom.find("tr", attr="data-nodes")]
if [r.classes()[0] for r in rows] != ["opened"] * len(change["opened"]) + ["closed"] * len(change["closed"]):
    fail(f"diff: change rows {[r.classes() for r in rows]} are not diff's entries")
for r in rows:
    for id in r.attrs["data-nodes"].split():
        if id not in nodes:
            fail(f"diff: entry node {id} is not in the SVG")
check_screenshot("diff", diff_page, {"opened green": (0x1a, 0x7f, 0x37), "closed red": (0xcf, 0x22, 0x2e)})
check_hover("diff", diff_page, "table.changes tr[data-nodes]")
check_no_fetch("diff", diff_page)

# 4. The checks can fail: a page that fetches is refused, a blank page is blank.
bad = os.path.join(TMP, "fetches.html")
open(bad, "w").write('<html><body><img src="http://192.0.2.1/x.png"><script>fetch("https://192.0.2.2/y")</script></body></html>')
before = len(FAILURES)
QUIET[0] = True
check_static("fetching page", open(bad).read())
fetched = check_no_fetch("fetching page", bad)
if len(FAILURES) - before != 2 or len(fetched) < 2:
    print(f"browser_check.py: FAIL: the checker did not refuse a page that fetches ({fetched})", file=sys.stderr)
    sys.exit(1)
del FAILURES[before:]
blank = os.path.join(TMP, "blank.html")
open(blank, "w").write("<html><body></body></html>")
check_screenshot("blank page", blank, {})
if len(FAILURES) != before + 1:
    print("browser_check.py: FAIL: the checker did not find a blank screenshot blank", file=sys.stderr)
    sys.exit(1)
del FAILURES[before:]
QUIET[0] = False

shutil.rmtree(TMP, ignore_errors=True)
if FAILURES:
    print(f"browser_check.py: {len(FAILURES)} failure(s)", file=sys.stderr)
    sys.exit(1)
print(f"browser_check.py: ok (chromium {'offline, in its own network namespace' if OFFLINE else 'with a net log'})")
