"""Applies Terraform modules to moto (a local AWS emulator) as their users would: a root
module calling the generated one, with the hashicorp/aws provider pointed at the emulator's
IAM and STS; then reads the roles back through the IAM API and destroys them.

Usage: MOTO_ACCOUNT_ID=ACCOUNT terraform_moto.py CASES.json TERRAFORM CLI_CONFIG; CASES is
[{"case", "module" (a path), "inputs" {variable: value}, "region", "work" (a folder)}]. Starts
moto's server on a free loopback port (stopped at the end, also on failure); for each case
runs `terraform init` (the provider mirror only, through CLI_CONFIG), `validate`, `plan -out`,
`show -json` of the plan, `apply` of that plan and `destroy`, and prints one JSON object:
{case: {"plan": the plan as `terraform show -json` prints it, "roles": [role, ...],
"destroyed": whether no role is left}}; a role as deploy_moto.py reads it.
"""

import json
import os
import subprocess
import sys

import boto3

from deploy_moto import role_of, serve


def terraform(binary, work, env, *args):
    result = subprocess.run(
        [binary, *args, "-no-color"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"terraform {' '.join(args)} in {work}:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def apply_module(endpoint, case):
    """Applies the case's module, reads its roles back, and destroys them."""
    binary, config = sys.argv[2], sys.argv[3]
    env = dict(
        os.environ,
        TF_CLI_CONFIG_FILE=config,
        TF_IN_AUTOMATION="1",
        CHECKPOINT_DISABLE="1",
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
    )
    work = case["work"]
    os.makedirs(work, exist_ok=True)
    root = {
        "provider": {
            "aws": {
                "region": case["region"],
                "skip_credentials_validation": True,
                "skip_metadata_api_check": True,
                "skip_region_validation": True,
                "endpoints": {"iam": endpoint, "sts": endpoint},
            }
        },
        "module": {"connector": dict(source=case["module"], **case["inputs"])},
    }
    with open(os.path.join(work, "main.tf.json"), "w", encoding="utf-8") as main_tf:
        json.dump(root, main_tf)
    terraform(binary, work, env, "init", "-input=false")
    terraform(binary, work, env, "validate")
    terraform(binary, work, env, "plan", "-input=false", "-out=plan.bin")
    plan = json.loads(terraform(binary, work, env, "show", "-json", "plan.bin"))
    terraform(binary, work, env, "apply", "-input=false", "plan.bin")
    iam = boto3.client(
        "iam",
        endpoint_url=endpoint,
        region_name=case["region"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    gaps = []
    roles = [role_of(iam, r["RoleName"], gaps) for r in iam.list_roles()["Roles"]]
    terraform(binary, work, env, "destroy", "-auto-approve", "-input=false")
    return case["case"], {
        "plan": plan,
        "roles": roles,
        "gaps": gaps,
        "destroyed": not iam.list_roles()["Roles"],
    }


if __name__ == "__main__":
    serve(apply_module)
