#!/usr/bin/env bash
# Produces edges-plan.json and edges-state.json beside this script from the configuration in edges/, with
# Terraform itself against a moto server on 127.0.0.1 (nothing talks to AWS), like make_fixtures.sh:
#   edges-plan.json   `terraform show -json` of the first plan (-var full=true): every resource of edges/,
#                     including those moto cannot create (VGW route propagation, VPN static routes, Direct
#                     Connect gateways); ids unknown until apply, known only by reference
#   edges-state.json  `terraform show -json` after applying the moto-supported part (-var full=false)
# Needs: terraform (1.11) with the AWS provider in a filesystem mirror (default /opt/tf-plugins), moto.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
port="${MOTO_PORT:-5057}"
. "$here/tf-moto-env.sh"

cp -r "$here/edges" "$work/tf"
cd "$work/tf"
terraform init -input=false -no-color >/dev/null
terraform plan -input=false -no-color "${tf_vars[@]}" -var full=true -out=plan1 >/dev/null
terraform show -json plan1 > "$here/edges-plan.json"
terraform apply -input=false -no-color -auto-approve "${tf_vars[@]}" -var full=false >/dev/null
terraform show -json > "$here/edges-state.json"
echo "wrote edges-plan.json edges-state.json" >&2
