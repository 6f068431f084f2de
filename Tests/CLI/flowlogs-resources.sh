#!/usr/bin/env bash
# vpckit flowlogs with flow-log resources: each flow log's S3 objects (read back by flowlogs-reader from a
# moto-mocked bucket), Hive and hourly layouts, CloudWatch stream files, --flow-log, usage errors, the TGW note
# (Tests/CLI/flowlogs_resources_check.py).
# Usage: Tests/CLI/flowlogs-resources.sh PATH/TO/vpckit
set -uo pipefail
vpckit=${1:?usage: flowlogs-resources.sh PATH/TO/vpckit}
exec python3 "$(dirname "$0")/flowlogs_resources_check.py" "$vpckit"
