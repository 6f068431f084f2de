#!/usr/bin/env bash
# Produces refs-plan.json and refs-state.json beside this script from the configuration in refs/, with
# Terraform itself against a moto server on 127.0.0.1 (nothing talks to AWS), like make_fixtures.sh:
#   refs-plan.json   `terraform show -json` of the first plan: every id unknown, known only by reference
#   refs-state.json  `terraform show -json` after apply
# Needs: terraform (1.11) with the AWS provider in a filesystem mirror (default /opt/tf-plugins), moto.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
port="${MOTO_PORT:-5056}"
. "$here/tf-moto-env.sh"

cp -r "$here/refs" "$work/tf"
cd "$work/tf"
terraform init -input=false -no-color >/dev/null
terraform plan -input=false -no-color "${tf_vars[@]}" -out=plan1 >/dev/null
terraform show -json plan1 > "$here/refs-plan.json"
terraform apply -input=false -no-color -auto-approve plan1 >/dev/null
terraform show -json > "$here/refs-state.json"
echo "wrote refs-plan.json refs-state.json" >&2
