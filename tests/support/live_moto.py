"""Plants IAM roles in moto (a local AWS emulator) for `connector-roles audit --role-name` and
`--scan` to read, as they would read an account.

Usage: MOTO_ACCOUNT_ID=ACCOUNT live_moto.py ROLES.json; ROLES is [{"name", "trust" (a policy
document), "inline" {name: document}, "managed" {name: document}}]. Starts moto's server on a
free loopback port, creates each role with its inline policies and its customer-managed
policies attached, prints the endpoint on a line of its own, and serves until its standard
input is closed; the server is stopped then, also on failure.

With `--denied` instead of ROLES, the emulator checks every request's permissions, as AWS
does, once it has created an IAM user with no policy and an access key for it; the line
printed is then the endpoint, the key's ID and its secret. (Moto reads
INITIAL_NO_AUTH_ACTION_COUNT when it is imported: the calls it lets through unchecked.)
"""

import json
import logging
import os
import sys

if sys.argv[1] == "--denied":
    os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = "2"

# moto's settings are read when it is imported, so after the line above.
from moto.server import ThreadedMotoServer  # noqa: E402

from deploy_moto import clients  # noqa: E402


def plant(endpoint, roles):
    _, iam = clients(endpoint, "us-east-1")
    for role in roles:
        name = role["name"]
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(role["trust"]))
        for policy, document in role.get("inline", {}).items():
            iam.put_role_policy(
                RoleName=name, PolicyName=policy, PolicyDocument=json.dumps(document)
            )
        for policy, document in role.get("managed", {}).items():
            arn = iam.create_policy(PolicyName=policy, PolicyDocument=json.dumps(document))[
                "Policy"
            ]["Arn"]
            iam.attach_role_policy(RoleName=name, PolicyArn=arn)


def denied_user(endpoint):
    """A user with no policy, and its access key: the two calls made unchecked."""
    _, iam = clients(endpoint, "us-east-1")
    iam.create_user(UserName="auditor")
    key = iam.create_access_key(UserName="auditor")["AccessKey"]
    return f"{key['AccessKeyId']} {key['SecretAccessKey']}"


def main():
    denied = sys.argv[1] == "--denied"
    roles = []
    if not denied:
        with open(sys.argv[1], encoding="utf-8") as file:
            roles = json.load(file)
    # One line per request on standard error would bury the test's own output.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        if denied:
            print(f"{endpoint} {denied_user(endpoint)}", flush=True)
        else:
            plant(endpoint, roles)
            print(endpoint, flush=True)
        sys.stdin.read()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
