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
mirror="${TF_PLUGIN_MIRROR:-/opt/tf-plugins}"
port="${MOTO_PORT:-5055}"
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

cp -r "$here/three-tier" "$work/tf"
cd "$work/tf"
tf_vars=(-var "moto_endpoint=http://127.0.0.1:$port")
terraform init -input=false -no-color >/dev/null
terraform plan -input=false -no-color "${tf_vars[@]}" -out=plan1 >/dev/null
terraform show -json plan1 > "$here/plan.json"
terraform apply -input=false -no-color -auto-approve plan1 >/dev/null
terraform show -json > "$here/state.json"
terraform plan -input=false -no-color "${tf_vars[@]}" -var changed=true -out=plan2 >/dev/null
terraform show -json plan2 > "$here/plan-change.json"
echo "wrote plan.json state.json plan-change.json" >&2
