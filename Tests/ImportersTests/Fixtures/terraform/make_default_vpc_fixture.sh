#!/usr/bin/env bash
# Produces default-vpc-plan.json beside this script from the configuration in default-vpc/: `terraform show -json`
# of its plan, made by Terraform itself against a moto server on 127.0.0.1 (nothing talks to AWS), like
# make_edges_fixtures.sh. A plan of an adoption knows none of the default VPC's computed values (blocks, ids).
# Needs: terraform (1.11) with the AWS provider in a filesystem mirror (default /opt/tf-plugins), moto.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
port="${MOTO_PORT:-5058}"
. "$here/tf-moto-env.sh"

cp -r "$here/default-vpc" "$work/tf"
cd "$work/tf"
terraform init -input=false -no-color >/dev/null
terraform plan -input=false -no-color "${tf_vars[@]}" -out=plan1 >/dev/null
terraform show -json plan1 > "$here/default-vpc-plan.json"
echo "wrote default-vpc-plan.json" >&2
