"""Deploys CloudFormation templates to moto (a local AWS emulator) and reads each stack's
IAM roles back through the IAM API, as an account's roles would be read.

Usage: MOTO_ACCOUNT_ID=ACCOUNT deploy_moto.py CASES.json; CASES is [{"stack", "template" (a
path), "parameters" {name: value or [values]}, "region"}]. Starts moto's server on a free
loopback port (stopped at the end, also on failure), creates each stack in the account
MOTO_ACCOUNT_ID names (the deploying account: `AWS::AccountId`), reads its roles, resets the
emulator (role names are unique in an account), and prints one JSON object: {stack: {"status", "gaps": [...],
"roles": {logical_id: {"RoleName", "Path", "MaxSessionDuration", "PermissionsBoundary",
"Tags", "Trust", "Inline": {name: document}, "Managed": [document]}}}}.

Where the emulator falls short of AWS, the gap is named in "gaps" and the template adapted
only as far as it needs: AWS::QBusiness::DataSource, which moto does not know, is removed
with the outputs that name it (the role it uses is still deployed and read); a CDK template's
bootstrap version check (an SSM parameter of the CDK bootstrap stack) is left out; an inline policy
moto returns as Python's text of the document, not JSON, is read as that; an `AWS::NoValue`
moto keeps as null inside a list is dropped from it.
"""

import ast
import json
import sys
import urllib.request

import boto3
import yaml
from moto.server import ThreadedMotoServer

UNKNOWN_TO_MOTO = ("AWS::QBusiness::DataSource",)


class Loader(yaml.SafeLoader):
    """Reads CloudFormation's short intrinsics (!Ref, !Sub, ...) as their long form."""


def _intrinsic(loader, tag_suffix, node):
    name = "Ref" if tag_suffix == "Ref" else "Fn::" + tag_suffix
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if tag_suffix == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {name: value}


Loader.add_multi_constructor("!", _intrinsic)


def adapted(text):
    """The template without what moto does not know, and the gaps met."""
    template = yaml.load(text, Loader=Loader)
    gaps = []
    resources = template.get("Resources", {})
    removed = [k for k, v in resources.items() if v.get("Type") in UNKNOWN_TO_MOTO]
    for key in removed:
        gaps.append(f"moto does not know {resources[key]['Type']}: {key} not deployed")
        del resources[key]
    outputs = template.get("Outputs", {})
    for key in [k for k, v in outputs.items() if any(r in json.dumps(v) for r in removed)]:
        del outputs[key]
    # A CDK app's synthesized template checks the CDK bootstrap stack's version, an SSM
    # parameter the emulator does not hold.
    if "CheckBootstrapVersion" in template.get("Rules", {}):
        del template["Rules"]["CheckBootstrapVersion"]
        if not template["Rules"]:
            del template["Rules"]
        template.get("Parameters", {}).pop("BootstrapVersion", None)
        gaps.append("no CDK bootstrap stack in the emulator: the bootstrap version check is left out")
    return json.dumps(template), gaps


def document(value, gaps):
    """A policy document as IAM returns it, with moto's gaps closed and named."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            gap = "moto returns an inline policy as Python's text of the document"
            if gap not in gaps:
                gaps.append(gap)
            value = ast.literal_eval(value)
    return without_nulls(value, gaps)


def without_nulls(value, gaps):
    if isinstance(value, list):
        kept = [without_nulls(item, gaps) for item in value if item is not None]
        if len(kept) < len(value):
            gap = "moto keeps AWS::NoValue as null inside lists"
            if gap not in gaps:
                gaps.append(gap)
        return kept
    if isinstance(value, dict):
        return {key: without_nulls(item, gaps) for key, item in value.items()}
    return value


def role_of(iam, name, gaps):
    role = iam.get_role(RoleName=name)["Role"]
    inline = {}
    for policy in iam.list_role_policies(RoleName=name)["PolicyNames"]:
        inline[policy] = document(
            iam.get_role_policy(RoleName=name, PolicyName=policy)["PolicyDocument"], gaps
        )
    managed = []
    for attached in iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]:
        policy = iam.get_policy(PolicyArn=attached["PolicyArn"])["Policy"]
        version = iam.get_policy_version(
            PolicyArn=attached["PolicyArn"], VersionId=policy["DefaultVersionId"]
        )
        managed.append(document(version["PolicyVersion"]["Document"], gaps))
    return {
        "RoleName": role["RoleName"],
        "Path": role.get("Path"),
        "MaxSessionDuration": role.get("MaxSessionDuration"),
        "PermissionsBoundary": role.get("PermissionsBoundary", {}).get("PermissionsBoundaryArn"),
        "Tags": {t["Key"]: t["Value"] for t in iam.list_role_tags(RoleName=name)["Tags"]},
        "Trust": document(role["AssumeRolePolicyDocument"], gaps),
        "Inline": inline,
        "Managed": managed,
    }


def reset(endpoint):
    """Empties the emulator: role names are unique in an account, as in AWS, and the next
    case may reuse one."""
    urllib.request.urlopen(
        urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")
    ).read()


def clients(endpoint, region):
    base = dict(
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    return boto3.client("cloudformation", **base), boto3.client("iam", **base)


def serve(deploy):
    """Runs `deploy(endpoint, case)` (which returns the case's name and result) on each case
    of the file named by the first argument, against moto's server on a free loopback port,
    the emulator emptied after each case and stopped at the end, also on failure; prints the
    results as one JSON object."""
    with open(sys.argv[1], encoding="utf-8") as cases:
        cases = json.load(cases)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    results = {}
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        for case in cases:
            name, result = deploy(endpoint, case)
            results[name] = result
            # moto cannot delete a stack whose role has a managed policy attached
            # (DeleteConflict): the emulator is reset instead.
            reset(endpoint)
    finally:
        server.stop()
    print(json.dumps(results))


def deploy_stack(endpoint, case):
    """Creates the case's stack and reads its roles back."""
    cfn, iam = clients(endpoint, case["region"])
    with open(case["template"], encoding="utf-8") as template:
        body, gaps = adapted(template.read())
    parameters = [
        {
            "ParameterKey": name,
            "ParameterValue": ",".join(value) if isinstance(value, list) else value,
        }
        for name, value in case["parameters"].items()
    ]
    cfn.create_stack(
        StackName=case["stack"],
        TemplateBody=body,
        Parameters=parameters,
        Capabilities=["CAPABILITY_NAMED_IAM"],
    )
    stack = cfn.describe_stacks(StackName=case["stack"])["Stacks"][0]
    roles = {}
    for resource in cfn.list_stack_resources(StackName=case["stack"])["StackResourceSummaries"]:
        if resource["ResourceType"] == "AWS::IAM::Role":
            roles[resource["LogicalResourceId"]] = role_of(
                iam, resource["PhysicalResourceId"], gaps
            )
    return case["stack"], {"status": stack["StackStatus"], "gaps": gaps, "roles": roles}


if __name__ == "__main__":
    serve(deploy_stack)
