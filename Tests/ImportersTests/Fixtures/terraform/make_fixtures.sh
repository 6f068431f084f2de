#!/usr/bin/env bash
# Produces the Terraform fixtures beside this script with Terraform itself, against a moto server on
# 127.0.0.1 (nothing talks to AWS):
#   plan.json         `terraform show -json` of the first plan: ids unknown until apply
#   state.json        `terraform show -json` after apply (every id known)
#   plan-change.json  a plan that changes the applied state (-var changed=true: web admits tcp/80, app-1
#                     is replaced with a new address)
# Needs: terraform (1.11) with the AWS provider in a filesystem mirror (default /opt/tf-plugins), moto.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
port="${MOTO_PORT:-5055}"
. "$here/tf-moto-env.sh"

cp -r "$here/three-tier" "$work/tf"
cd "$work/tf"
terraform init -input=false -no-color >/dev/null
terraform plan -input=false -no-color "${tf_vars[@]}" -out=plan1 >/dev/null
terraform show -json plan1 > "$here/plan.json"
terraform apply -input=false -no-color -auto-approve plan1 >/dev/null
terraform show -json > "$here/state.json"
terraform plan -input=false -no-color "${tf_vars[@]}" -var changed=true -out=plan2 >/dev/null
terraform show -json plan2 > "$here/plan-change.json"
echo "wrote plan.json state.json plan-change.json" >&2
