"""Plants IAM roles in moto (a local AWS emulator) for `connector-roles audit --role-name` and
`--scan` to read, as they would read an account.

Usage: MOTO_ACCOUNT_ID=ACCOUNT live_moto.py ROLES.json; ROLES is [{"name", "trust" (a policy
document), "inline" {name: document}, "managed" {name: document}}]. Starts moto's server on a
free loopback port, creates each role with its inline policies and its customer-managed
policies attached, prints the endpoint on a line of its own, and serves until its standard
input is closed; the server is stopped then, also on failure.
"""

import json
import logging
import sys

import boto3
from moto.server import ThreadedMotoServer


def plant(endpoint, roles):
    iam = boto3.client(
        "iam",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
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


def main():
    with open(sys.argv[1], encoding="utf-8") as roles:
        roles = json.load(roles)
    # One line per request on standard error would bury the test's own output.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        plant(endpoint, roles)
        print(endpoint, flush=True)
        sys.stdin.read()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
