#!/usr/bin/env bash
# `vpckit` runs no programs and opens no sockets (Docs/SECURITY.md): its own code imports none of the exec,
# spawn, socket or resolver functions, Sources/ calls none of them, and (when strace is installed) a run of
# every command on the example topologies makes no execve after its own and no socket/connect call.
# The one deliberate exception: `vpckit graph --format svg|png` starts Graphviz's `dot` with posix_spawn, from
# Sources/FileIO/ExternalProgram.swift only (called from Sources/VPCKitCLI/DiagramOutput.swift only, for `graph`, `reach --graph` and `diff --graph`); its strace shows
# exactly one further execve, of a program named dot.
# Usage: Tests/CLI/no-exec-no-network.sh PATH/TO/vpckit
set -uo pipefail
vpckit=${1:?usage: no-exec-no-network.sh PATH/TO/vpckit}
case $vpckit in /*) ;; *) vpckit="$(pwd)/$vpckit" ;; esac
root=$(cd "$(dirname "$0")/../.." && pwd)
failures=0
fail() { echo "no-exec-no-network.sh: FAIL: $*" >&2; failures=$((failures + 1)); }
forbidden='socket|connect|bind|listen|accept|accept4|execve|execv|execvp|execvpe|execl|execlp|execle|system|popen|posix_spawn|posix_spawnp|fork|vfork|getaddrinfo|gethostbyname|sendto|recvfrom|dlopen'

# 1. The executable's own imports (libraries it links, libpcap included, are not vpckit's calls).
if command -v nm >/dev/null 2>&1; then
  found=$(nm -D --undefined-only "$vpckit" | awk '{print $NF}' | sed 's/@.*//' | grep -Ex "$forbidden" | grep -vx posix_spawn | tr '\n' ' ')
  [ -z "$found" ] || fail "vpckit imports $found"
fi
# 2. No call in the sources (Process/Foundation are not used; a C call would read name( ).
hits=$(grep -rnE "\b($forbidden)\(|\bProcess\(|import Foundation" "$root/Sources" --include=*.swift | grep -v '^\s*//' \
  | grep -vE '^[^:]*/Sources/FileIO/ExternalProgram\.swift:[0-9]+:.*\bposix_spawn\(' || true)
[ -z "$hits" ] || fail "Sources call: $hits"
runners=$(grep -rlE "ExternalProgram\.run\(" "$root/Sources" --include=*.swift | sed "s|^$root/||" | tr '\n' ' ')
[ "$runners" = "Sources/VPCKitCLI/DiagramOutput.swift " ] || fail "ExternalProgram.run is called from: $runners (only Sources/VPCKitCLI/DiagramOutput.swift may)"
# 3. At run time, when strace is there.
if command -v strace >/dev/null 2>&1 && strace -f -o /dev/null true 2>/dev/null; then
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  T="$root/Topologies/three-tier.vpc"
  for cmd in "check $T" "lint $T" "reach $T app-1 db-1 tcp/5432" "export $T" "fmt $T" "cidr overlaps $T" \
             "import aws $root/Tests/ImportersTests/Fixtures/moto/dual-stack" \
             "import terraform $root/Tests/ImportersTests/Fixtures/terraform/plan-change.json" \
             "graph $T" "graph $T --format mermaid --path app-1 db-1 tcp/5432"; do
    # shellcheck disable=SC2086
    strace -f -qq -e trace=execve,socket,connect -o "$tmp/trace" "$vpckit" $cmd >/dev/null 2>&1
    calls=$(grep -cE 'execve\(|socket\(|connect\(' "$tmp/trace")
    [ "$calls" -le 1 ] || fail "vpckit $cmd: $(grep -E 'execve\(|socket\(|connect\(' "$tmp/trace" | head -3)"
  done
  # graph --format svg: its own execve and one of Graphviz's dot, nothing else, no socket.
  if command -v dot >/dev/null 2>&1; then
    strace -f -qq -e trace=execve,socket,connect -o "$tmp/trace" "$vpckit" graph "$T" --format svg -o "$tmp/g.svg" >/dev/null 2>&1
    execs=$(grep -c 'execve(' "$tmp/trace"); others=$(grep -E 'execve\(' "$tmp/trace" | sed -n '2,$p' | grep -vcE 'execve\("[^"]*/dot"' || true)
    sockets=$(grep -cE 'socket\(|connect\(' "$tmp/trace" || true)
    [ "$execs" -eq 2 ] && [ "$others" -eq 0 ] && [ "$sockets" -eq 0 ] \
      || fail "vpckit graph --format svg: $(grep -E 'execve\(|socket\(|connect\(' "$tmp/trace" | head -4)"
  fi
fi
if [ $failures -gt 0 ]; then echo "no-exec-no-network.sh: $failures failure(s)" >&2; exit 1; fi
echo "no-exec-no-network.sh: ok"
