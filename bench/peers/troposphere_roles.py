"""The troposphere + awacs peer of bench/compare.

Builds, for each of COUNT roles, the CloudFormation template `connector-roles generate
--format cloudformation` writes for the spec SPEC: the documented trust and permission
policies of the RDS (MySQL) connector with the spec's values, ARNs in the deployment's
partition (`!Sub`), the same Sids, conditions and outputs. Role i is named as bench/compare
names it (`role-00001`, role name `QBusinessConnectorRole00001`), and its template is
written as YAML to OUT/role-00001/cloudformation/template.yaml, the CLI's layout.

Usage: python troposphere_roles.py SPEC COUNT OUT
"""

import json
import os
import sys

import awacs.ec2 as ec2
import awacs.kms as kms
import awacs.qbusiness as qbusiness
import awacs.s3 as s3
import awacs.secretsmanager as secretsmanager
import awacs.sts as sts
from awacs.aws import (
    Allow,
    ArnLike,
    Condition,
    ForAllValuesStringEquals,
    PolicyDocument,
    Principal,
    Statement,
    StringEquals,
    StringLike,
)
from troposphere import GetAtt, Output, Ref, Sub, Template
from troposphere.iam import Policy, Role


def arn(rest):
    """An ARN in the deployment's partition: `!Sub "arn:${AWS::Partition}:..."`."""
    return Sub("arn:${AWS::Partition}:" + rest)


def trust_policy(v):
    application = f"qbusiness:{v['region']}:{v['source_account']}:application/{v['application_id']}"
    return PolicyDocument(
        Version="2012-10-17",
        Statement=[
            Statement(
                Sid="AllowsAmazonQToAssumeRoleForServicePrincipal",
                Effect=Allow,
                Principal=Principal("Service", "qbusiness.amazonaws.com"),
                Action=[sts.AssumeRole],
                Condition=Condition(
                    [
                        StringEquals({"aws:SourceAccount": v["source_account"]}),
                        ArnLike({"aws:SourceArn": arn(application)}),
                    ]
                ),
            )
        ],
    )


def permission_policy(v, subnets, security_groups):
    at = f"{v['region']}:{v['account_id']}"
    application = f"qbusiness:{v['region']}:{v['account_id']}:application/{v['application_id']}"
    index = f"{application}/index/{v['index_id']}"
    interface = f"ec2:{at}:network-interface/*"
    tag = f"qbusiness_{v['account_id']}_{v['application_id']}_*"
    network_interfaces = [ec2.CreateNetworkInterface, ec2.DeleteNetworkInterface]
    return PolicyDocument(
        Version="2012-10-17",
        Statement=[
            Statement(
                Sid="AllowsAmazonQToGetS3Objects",
                Effect=Allow,
                Action=[s3.GetObject],
                Resource=[arn(f"s3:::{v['input_bucket_name']}/*")],
                Condition=Condition(StringEquals({"aws:ResourceAccount": v["account_id"]})),
            ),
            Statement(
                Sid="AllowsAmazonQToGetSecret",
                Effect=Allow,
                Action=[secretsmanager.GetSecretValue],
                Resource=[arn(f"secretsmanager:{at}:secret:{v['secret_id']}")],
            ),
            Statement(
                Sid="AllowsAmazonQToDecryptSecret",
                Effect=Allow,
                Action=[kms.Decrypt],
                Resource=[arn(f"kms:{at}:key/{v['key_id']}")],
                Condition=Condition(StringLike({"kms:ViaService": ["secretsmanager.*.amazonaws.com"]})),
            ),
            Statement(
                Sid="AllowsAmazonQToIngestDocuments",
                Effect=Allow,
                Action=[qbusiness.BatchPutDocument, qbusiness.BatchDeleteDocument],
                Resource=[arn(index)],
            ),
            Statement(
                Sid="AllowsAmazonQToIngestPrincipalMapping",
                Effect=Allow,
                Action=[
                    qbusiness.PutGroup,
                    qbusiness.CreateUser,
                    qbusiness.DeleteGroup,
                    qbusiness.UpdateUser,
                    qbusiness.ListGroups,
                ],
                Resource=[arn(application), arn(index), arn(f"{index}/data-source/*")],
            ),
            Statement(
                Sid="AllowsAmazonQToCreateAndDeleteNI",
                Effect=Allow,
                Action=network_interfaces,
                Resource=[arn(f"ec2:{at}:subnet/{subnet}") for subnet in subnets]
                + [arn(f"ec2:{at}:security-group/{group}") for group in security_groups],
            ),
            Statement(
                Sid="AllowsAmazonQToCreateAndDeleteNIForSpecificTag",
                Effect=Allow,
                Action=network_interfaces,
                Resource=[arn(interface)],
                Condition=Condition(
                    [
                        StringLike({"aws:RequestTag/AMAZON_Q": tag}),
                        ForAllValuesStringEquals({"aws:TagKeys": ["AMAZON_Q"]}),
                    ]
                ),
            ),
            Statement(
                Sid="AllowsAmazonQToCreateTags",
                Effect=Allow,
                Action=[ec2.CreateTags],
                Resource=[arn(interface)],
                Condition=Condition(StringEquals({"ec2:CreateAction": "CreateNetworkInterface"})),
            ),
            Statement(
                Sid="AllowsAmazonQToCreateNetworkInterfacePermission",
                Effect=Allow,
                Action=[ec2.CreateNetworkInterfacePermission],
                Resource=[arn(interface)],
                Condition=Condition(StringLike({"aws:ResourceTag/AMAZON_Q": tag})),
            ),
            Statement(
                Sid="AllowsAmazonQToDescribeResourcesForVPC",
                Effect=Allow,
                Action=[
                    ec2.DescribeNetworkInterfaces,
                    ec2.DescribeAvailabilityZones,
                    ec2.DescribeNetworkInterfaceAttribute,
                    ec2.DescribeVpcs,
                    ec2.DescribeRegions,
                    ec2.DescribeNetworkInterfacePermissions,
                    ec2.DescribeSubnets,
                ],
                Resource=["*"],
            ),
        ],
    )


def template(spec, name, role_name):
    v = spec["values"]
    vpc = spec["vpc"]
    t = Template(Description=spec["description"])
    role = t.add_resource(
        Role(
            "Role",
            RoleName=role_name,
            Description=spec["description"],
            AssumeRolePolicyDocument=trust_policy(v),
            Policies=[
                Policy(
                    PolicyName=f"{name}-permissions",
                    PolicyDocument=permission_policy(v, vpc["subnet_ids"], vpc["security_group_ids"]),
                )
            ],
        )
    )
    t.add_output(
        Output(
            "RoleArn",
            Description="ARN of the connector role, for the data source's RoleArn",
            Value=GetAtt(role, "Arn"),
        )
    )
    t.add_output(Output("RoleName", Description="Name of the connector role", Value=Ref(role)))
    return t


def main():
    spec_path, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    for i in range(1, count + 1):
        name = f"role-{i:05}"
        folder = os.path.join(out, name, "cloudformation")
        os.makedirs(folder, exist_ok=True)
        yaml = template(spec, name, f"QBusinessConnectorRole{i:05}").to_yaml()
        with open(os.path.join(folder, "template.yaml"), "w", encoding="utf-8") as f:
            f.write(yaml)


if __name__ == "__main__":
    main()
