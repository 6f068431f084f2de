#!/usr/bin/env python3
# plan-diff.json: plan-change.json (Terraform against moto, see make_fixtures.sh) with its prior_state replaced by
# state.json's values — moto's refresh drifts (instances lose their security groups, NACL rules vanish), so the
# real prior state would diff the drift too. Hand-made from the two generated fixtures; `vpckit diff plan-diff.json`
# must equal `vpckit diff state.json plan-change.json` (Tests/CLI/diff.sh, Tests/VPCKitCLITests/DiffCommandTests).
import json, os
here = os.path.dirname(os.path.abspath(__file__))
plan = json.load(open(os.path.join(here, "plan-change.json")))
state = json.load(open(os.path.join(here, "state.json")))
plan["prior_state"] = {"format_version": state["format_version"], "terraform_version": state["terraform_version"],
                       "values": state["values"]}
plan.pop("resource_drift", None)
with open(os.path.join(here, "plan-diff.json"), "w") as f:
    json.dump(plan, f, separators=(",", ":"))
    f.write("\n")
