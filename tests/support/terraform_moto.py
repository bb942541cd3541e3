"""Applies Terraform modules to moto (a local AWS emulator) as their users would: one root
module calling every generated module, the hashicorp/aws provider pointed at the emulators'
IAM and STS; then reads the roles back through the IAM API and destroys them.

Usage: terraform_moto.py RUN.json TERRAFORM CLI_CONFIG; RUN is {"work" (a folder), "batches":
[{"batch", "account", "region", "modules": {name: {"source" (a path), "inputs" {variable:
value}}}}]}. Each batch gets an emulator of its own (moto's server in a child process, on a
free loopback port, running as the batch's account; all stopped at the end, also on failure)
and a provider configuration `aws.BATCH` pointing at it, which its modules are given: role
names are unique in an account, so modules whose bound role names coincide go to different
batches. One root module holds them all, so Terraform and its provider start once per command,
not once per module: `init` (the provider mirror only, through CLI_CONFIG), `validate`, `plan
-out`, `show -json` of the plan, `apply` of that plan and `destroy`. Prints one JSON object:
{"plan": the plan as `terraform show -json` prints it, "batches": {batch: {"roles": [role,
...], "gaps": [...], "destroyed": whether no role is left}}}; a role as deploy_moto.py reads it.
"""

import json
import multiprocessing
import os
import subprocess
import sys

from moto.server import ThreadedMotoServer

from deploy_moto import clients, role_of


def emulator(account, ports, stop):
    """Runs moto's server as `account` until `stop` is set, its port sent on `ports`."""
    os.environ["MOTO_ACCOUNT_ID"] = account
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        ports.send(server.get_host_and_port()[1])
        stop.wait()
    finally:
        server.stop()


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


def role_names(iam):
    """The names of every role in the account, all pages."""
    pages = iam.get_paginator("list_roles").paginate()
    return [role["RoleName"] for page in pages for role in page["Roles"]]


def root_module(run, endpoints):
    """The root module: a provider configuration per batch, each module given its batch's."""
    providers = [
        {
            "alias": f"b{batch['batch']}",
            "region": batch["region"],
            "skip_credentials_validation": True,
            "skip_metadata_api_check": True,
            "skip_region_validation": True,
            "endpoints": {"iam": endpoints[batch["batch"]], "sts": endpoints[batch["batch"]]},
        }
        for batch in run["batches"]
    ]
    modules = {
        name: dict(
            source=module["source"],
            providers={"aws": f"aws.b{batch['batch']}"},
            **module["inputs"],
        )
        for batch in run["batches"]
        for name, module in batch["modules"].items()
    }
    return {"provider": {"aws": providers}, "module": modules}


def apply_all(run, endpoints):
    binary, config = sys.argv[2], sys.argv[3]
    env = dict(
        os.environ,
        TF_CLI_CONFIG_FILE=config,
        TF_IN_AUTOMATION="1",
        CHECKPOINT_DISABLE="1",
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
    )
    work = run["work"]
    os.makedirs(work, exist_ok=True)
    with open(os.path.join(work, "main.tf.json"), "w", encoding="utf-8") as main_tf:
        json.dump(root_module(run, endpoints), main_tf)
    terraform(binary, work, env, "init", "-input=false")
    terraform(binary, work, env, "validate")
    terraform(binary, work, env, "plan", "-input=false", "-out=plan.bin")
    plan = json.loads(terraform(binary, work, env, "show", "-json", "plan.bin"))
    terraform(binary, work, env, "apply", "-input=false", "plan.bin")
    iams = {
        batch["batch"]: clients(endpoints[batch["batch"]], batch["region"])[1]
        for batch in run["batches"]
    }
    results = {}
    for name, iam in iams.items():
        gaps = []
        roles = [role_of(iam, role, gaps) for role in role_names(iam)]
        results[name] = {"roles": roles, "gaps": gaps}
    terraform(binary, work, env, "destroy", "-auto-approve", "-input=false")
    for name, iam in iams.items():
        results[name]["destroyed"] = not role_names(iam)
    return {"plan": plan, "batches": results}


def main():
    with open(sys.argv[1], encoding="utf-8") as run:
        run = json.load(run)
    stop = multiprocessing.Event()
    children = []
    try:
        endpoints = {}
        for batch in run["batches"]:
            ours, theirs = multiprocessing.Pipe()
            child = multiprocessing.Process(
                target=emulator, args=(batch["account"], theirs, stop), daemon=True
            )
            child.start()
            children.append(child)
            if not ours.poll(60):
                raise SystemExit(f"moto's server for batch {batch['batch']} did not start")
            endpoints[batch["batch"]] = f"http://127.0.0.1:{ours.recv()}"
        print(json.dumps(apply_all(run, endpoints)))
    finally:
        stop.set()
        for child in children:
            child.join(timeout=10)
            if child.is_alive():
                child.terminate()


if __name__ == "__main__":
    main()
