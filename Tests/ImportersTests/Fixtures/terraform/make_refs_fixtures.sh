#!/usr/bin/env bash
# Produces refs-plan.json and refs-state.json beside this script from the configuration in refs/, with
# Terraform itself against a moto server on 127.0.0.1 (nothing talks to AWS), like make_fixtures.sh:
#   refs-plan.json   `terraform show -json` of the first plan: every id unknown, known only by reference
#   refs-state.json  `terraform show -json` after apply
# Needs: terraform (1.11) with the AWS provider in a filesystem mirror (default /opt/tf-plugins), moto.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
mirror="${TF_PLUGIN_MIRROR:-/opt/tf-plugins}"
port="${MOTO_PORT:-5056}"
work="$(mktemp -d)"
trap 'kill "$moto_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

cat > "$work/terraform.rc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/hashicorp/*"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/*"]
  }
}
RC
export TF_CLI_CONFIG_FILE="$work/terraform.rc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1

python3 -m moto.server -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto_pid=$!
for _ in $(seq 50); do
  if python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/moto-api/')" 2>/dev/null; then break; fi
  sleep 0.2
done

cp -r "$here/refs" "$work/tf"
cd "$work/tf"
tf_vars=(-var "moto_endpoint=http://127.0.0.1:$port")
terraform init -input=false -no-color >/dev/null
terraform plan -input=false -no-color "${tf_vars[@]}" -out=plan1 >/dev/null
terraform show -json plan1 > "$here/refs-plan.json"
terraform apply -input=false -no-color -auto-approve plan1 >/dev/null
terraform show -json > "$here/refs-state.json"
echo "wrote refs-plan.json refs-state.json" >&2
