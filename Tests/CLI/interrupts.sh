#!/usr/bin/env bash
# Interrupted work loses nothing (Docs/SECURITY.md): SIGINT or SIGTERM sent to a running `vpckit import -o`,
# `fmt --write` of several files and `flowlogs --out` (800 files) leaves the previous files byte for
# byte, or — when the signal came after the renames had begun — every new file whole; never a mix, never a
# temporary file. Each command is signalled many times: when its first temporary file appears (plus a short
# delay, so some signals land while it writes and some during the renames) and after fixed fractions of its
# running time. The process must end by the signal (exit status 130/143 in the shell) or finish normally.
# Usage: Tests/CLI/interrupts.sh PATH/TO/vpckit
set -uo pipefail
vpckit=${1:?usage: interrupts.sh PATH/TO/vpckit}
case $vpckit in /*) ;; *) vpckit="$(pwd)/$vpckit" ;; esac
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
exec python3 - "$vpckit" "$here/../../Topologies/flowlogs-session.vpc" "$tmp" <<'PY'
import json, os, shutil, signal, struct, subprocess, sys, time

vpckit, session, tmp = sys.argv[1:4]
failures = []
interrupted_while_writing = {}   # command -> signals that ended it with temporaries on disk


def fail(message):
    failures.append(message)
    print("interrupts.sh: FAIL: " + message, file=sys.stderr)


def tree(root):
    """Every file under root (hidden ones included): relative path -> bytes."""
    files = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            with open(path, "rb") as f:
                files[os.path.relpath(path, root)] = f.read()
    return files


def default_signals():
    # A background job of a non-interactive shell starts with SIGINT ignored; vpckit keeps an ignored signal
    # ignored, so give it the default disposition a terminal user's process has.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def run(args, cwd):
    start = time.monotonic()
    p = subprocess.run(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=default_signals)
    if p.returncode != 0:
        fail(f"{' '.join(args)} exited {p.returncode}: {p.stderr[:300]!r}")
    return time.monotonic() - start


def trial(name, args, cwd, watch, first, sig, trigger, old, new):
    """Starts args, signals it (trigger: ('temporary', delay) or ('time', seconds)), checks the files under watch:
    exactly old or exactly new, no temporary. `first` is the folder where the first temporary appears (polled
    by listing it alone: fast enough to catch short writes). Returns whether it ended by the signal with
    temporaries seen."""
    p = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=default_signals)
    seen = False
    if trigger[0] == "temporary":
        while p.poll() is None and not any(".tmp-" in n for n in listing(first)):
            time.sleep(0.0002)
        seen = p.poll() is None
        time.sleep(trigger[1])
    else:
        time.sleep(trigger[1])
    if p.poll() is None:
        p.send_signal(sig)
    _, err = p.communicate()
    rc = p.returncode
    label = f"{name} {signal.Signals(sig).name} {trigger}"
    if rc not in (0, -sig):
        fail(f"{label}: exit {rc}, want 0 or killed by the signal; stderr {err[:300]!r}")
    after = tree(watch)
    left = [p for p in after if ".tmp-" in os.path.basename(p)]
    if left:
        fail(f"{label}: temporary files left: {left[:3]}")
    if after != old and after != new:
        changed = sorted(k for k in set(old) | set(new) if after.get(k) not in (old.get(k),) and after.get(k) != new.get(k))
        replaced = sum(1 for k in new if k in after and after[k] == new[k] and old.get(k) != new[k])
        fail(f"{label}: files are neither all old nor all new ({replaced} of {len(new)} new; odd: {changed[:3]})")
    if rc == 0 and after != new:
        fail(f"{label}: finished but the files are not the new ones")
    state = "new" if after == new else "old" if after == old else "mixed"
    print(f"  {label}: exit {rc}, files {state}, temporary seen {seen}")
    return rc == -sig and seen


def campaign(name, args, cwd, watch, first, prepare, old, new, seconds):
    triggers = [("temporary", d) for d in (0, 0.001, 0.005, 0.02, 0.1)]
    triggers += [("time", seconds * f) for f in (0.5, 1.0)]
    hits = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        for trigger in triggers:
            prepare()
            if trial(name, args, cwd, watch, first, sig, trigger, old, new):
                hits.append(sig)
    interrupted_while_writing[name] = hits


def listing(folder):
    try:
        return os.listdir(folder)
    except FileNotFoundError:
        return []


def copy_tree(files, root):
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    for rel, data in files.items():
        os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
        with open(os.path.join(root, rel), "wb") as f:
            f.write(data)


# flowlogs --out: 800 five-minute windows, each one file (TCP SYNs web-1 -> app-1, 5 minutes apart).
fl = os.path.join(tmp, "flowlogs")
os.makedirs(fl)
ip_header = bytes.fromhex("450000280001000040060000") + bytes([10, 20, 0, 10]) + bytes([10, 20, 10, 10])
with open(os.path.join(fl, "many.pcap"), "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    for i in range(800):
        tcp = struct.pack("!HHIIBBHHH", 10000 + i % 50000, 8080, 1, 0, 0x50, 0x02, 8192, 0, 0)
        frame = b"\x00\x01\x02\x03\x04\x05" + b"\x00\x01\x02\x03\x04\x06" + b"\x08\x00" + ip_header + tcp
        f.write(struct.pack("<IIII", 1700000000 + 300 * i, 0, len(frame), len(frame)) + frame)
fl_args = [vpckit, "flowlogs", session, "--pcap", "many.pcap", "--out", "out"]
seconds = run(fl_args, fl)
new = tree(os.path.join(fl, "out"))
if len(new) != 800:
    fail(f"flowlogs --out wrote {len(new)} files, want 800")
# The previous run's files at the same names (other bytes), and an unrelated file the run must not touch.
old = {rel: b"previous " + rel.encode() for rel in new}
old["AWSLogs/notes.txt"] = b"keep me\n"
new["AWSLogs/notes.txt"] = b"keep me\n"
print(f"flowlogs --out: {len(new) - 1} files in {seconds:.2f} s")
first = os.path.join(fl, "out", os.path.dirname(min(k for k in new if k.endswith(".log.gz"))))
campaign("flowlogs --out", fl_args, fl, os.path.join(fl, "out"), first, lambda: copy_tree(old, os.path.join(fl, "out")),
         old, new, seconds)

# import aws -o: 4,096 VPCs and 16,384 subnets.
im = os.path.join(tmp, "import")
os.makedirs(os.path.join(im, "snap"))
os.makedirs(os.path.join(im, "dest"))
vpcs, subnets = [], []
for x in range(256):
    for y in range(0, 256, 16):
        vid = "vpc-%07x" % len(vpcs)
        vpcs.append({"VpcId": vid, "CidrBlock": f"10.{x}.{y}.0/20", "OwnerId": "111122223333", "State": "available"})
        for k in range(4):
            subnets.append({"SubnetId": "subnet-%07x%d" % (len(vpcs), k), "VpcId": vid, "CidrBlock": f"10.{x}.{y + k}.0/24",
                            "AvailabilityZone": "us-east-1a", "Tags": [{"Key": "Name", "Value": f"s{len(vpcs)}-{k}"}]})
with open(os.path.join(im, "snap", "describe-vpcs.json"), "w") as f:
    json.dump({"Vpcs": vpcs}, f)
with open(os.path.join(im, "snap", "describe-subnets.json"), "w") as f:
    json.dump({"Subnets": subnets}, f)
im_args = [vpckit, "import", "aws", "snap", "-o", "dest/imported.vpc"]
seconds = run(im_args, im)
new = tree(os.path.join(im, "dest"))
old = {"imported.vpc": b"# previous import\n"}
print(f"import -o: {len(new['imported.vpc'])} bytes in {seconds:.2f} s")
campaign("import -o", im_args, im, os.path.join(im, "dest"), os.path.join(im, "dest"), lambda: copy_tree(old, os.path.join(im, "dest")),
         old, new, seconds)

# fmt --write of several files: generated topologies indented by two spaces (so fmt rewrites each).
fm = os.path.join(tmp, "fmt")
os.makedirs(os.path.join(fm, "src"))
canonical = {}
for i in range(6):
    path = os.path.join(fm, f"g{i}.vpc")
    run([vpckit, "generate", "--seed", str(i + 1), "--vpcs", "60", "--instances", "600", "-o", path], fm)
    with open(path, "rb") as f:
        canonical[f"t{i}.vpc"] = f.read()
    os.remove(path)
old = {name: b"".join(b"  " + line for line in text.splitlines(keepends=True)) for name, text in canonical.items()}
fm_args = [vpckit, "fmt", "--write"] + [f"src/t{i}.vpc" for i in range(6)]
copy_tree(old, os.path.join(fm, "src"))
seconds = run(fm_args, fm)
if tree(os.path.join(fm, "src")) != canonical:
    fail("fmt --write did not write the canonical files")
print(f"fmt --write: {len(canonical)} files in {seconds:.2f} s")
campaign("fmt --write", fm_args, fm, os.path.join(fm, "src"), os.path.join(fm, "src"), lambda: copy_tree(old, os.path.join(fm, "src")),
         old, canonical, seconds)

for name, hits in interrupted_while_writing.items():
    kinds = sorted({signal.Signals(s).name for s in hits})
    print(f"{name}: {len(hits)} runs ended by a signal while temporary files existed ({', '.join(kinds) or 'none'})")
# flowlogs stages 800 files: the signal must land while it writes, for both signals.
if sorted({signal.Signals(s).name for s in interrupted_while_writing.get("flowlogs --out", [])}) != ["SIGINT", "SIGTERM"]:
    fail("flowlogs --out was never interrupted by both SIGINT and SIGTERM while it wrote (the test proves nothing)")
if failures:
    print(f"interrupts.sh: {len(failures)} failure(s)", file=sys.stderr)
    sys.exit(1)
print("interrupts.sh: ok")
PY
