#!/usr/bin/env bash
# Produces lb-plan.json and lb-state.json beside this script from the configuration in load-balancers/, with
# Terraform itself against a moto server on 127.0.0.1 (nothing talks to AWS), like make_refs_fixtures.sh:
#   lb-plan.json   `terraform show -json` of the first plan: every id and ARN unknown, known only by reference
#   lb-state.json  `terraform show -json` after applying everything but the classic ELB (-var classic=false: the
#                  provider crashes reading a classic ELB back from moto 5.2)
# Needs: terraform (1.11) with the AWS provider in a filesystem mirror (default /opt/tf-plugins), moto.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
port="${MOTO_PORT:-5058}"
. "$here/tf-moto-env.sh"

cp -r "$here/load-balancers" "$work/tf"
cd "$work/tf"
terraform init -input=false -no-color >/dev/null
terraform plan -input=false -no-color "${tf_vars[@]}" -out=plan1 >/dev/null
terraform show -json plan1 > "$here/lb-plan.json"
terraform apply -input=false -no-color -auto-approve "${tf_vars[@]}" -var classic=false >/dev/null
terraform show -json > "$here/lb-state.json"
echo "wrote lb-plan.json lb-state.json" >&2
