#!/bin/sh
# Builds the hash-table micro-benchmark in release and prints wall times (pinned to one core) and, per table
# and variant, callgrind instruction counts per operation net of the set-up (variant `none`).
set -e
cd "$(dirname "$0")"
out=${TMPDIR:-/tmp}/vpckit-hashtables
swiftc -O -wmo -swift-version 6 main.swift -o "$out"
taskset -c 1 "$out" all 10000000 both
ops=1000000
for table in index address connection record; do
    variants="custom dictionary"
    [ "$table" = connection ] && variants="custom dictionary cheap"
    base=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$out" $table $ops none 2>&1 | sed -n 's/.*Collected : \([0-9]*\).*/\1/p')
    for v in $variants; do
        n=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$out" $table $ops $v 2>&1 | sed -n 's/.*Collected : \([0-9]*\).*/\1/p')
        echo "$table $v: $(( (n - base) / ops )) instructions/op (callgrind, $ops ops)"
    done
done
