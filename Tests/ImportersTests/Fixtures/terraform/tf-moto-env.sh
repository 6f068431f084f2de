# Shared by make_fixtures.sh and make_refs_fixtures.sh (sourced): a Terraform CLI configuration that takes the
# AWS provider from a filesystem mirror (default /opt/tf-plugins), and a moto server on 127.0.0.1:$port
# (nothing talks to AWS). Sets $work (a temporary folder, removed on exit), $moto_pid and $tf_vars.
mirror="${TF_PLUGIN_MIRROR:-/opt/tf-plugins}"
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
tf_vars=(-var "moto_endpoint=http://127.0.0.1:$port")
