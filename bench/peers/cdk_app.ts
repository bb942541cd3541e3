// The AWS CDK peer of bench/compare: what a CDK user writes by hand for the role.
//
// For each of COUNT roles, one stack with the role `connector-roles generate` writes for the
// spec SPEC: an `iam.Role` with the documented permission policy built from
// `iam.PolicyStatement`s (same Sids, actions, resources and conditions, ARNs in the stack's
// partition), the documented trust policy (its Sid and confused-deputy conditions) and the
// role's ARN and name as outputs. Role i is named as bench/compare names it (`role-00001`,
// role name `QBusinessConnectorRole00001`). The app synthesizes every stack into OUT.
//
// Compiled by tsc (bench/tsconfig.json) to bench/dist/cdk_app.js; run as
//   node bench/dist/cdk_app.js SPEC COUNT OUT
import { readFileSync } from 'node:fs';
import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

interface Spec {
  description: string;
  values: {
    account_id: string;
    region: string;
    source_account: string;
    application_id: string;
    index_id: string;
    input_bucket_name: string;
    secret_id: string;
    key_id: string;
  };
  vpc: { subnet_ids: string[]; security_group_ids: string[] };
}

function connectorRole(stack: Stack, spec: Spec, name: string, roleName: string): iam.Role {
  const v = spec.values;
  const { partition } = stack;
  const arn = (rest: string) => `arn:${partition}:${rest}`;
  const at = `${v.region}:${v.account_id}`;
  const application = `qbusiness:${at}:application/${v.application_id}`;
  const index = `${application}/index/${v.index_id}`;
  const networkInterface = arn(`ec2:${at}:network-interface/*`);
  const tag = `qbusiness_${v.account_id}_${v.application_id}_*`;
  const networkInterfaces = ['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface'];

  const permissions = new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({
        sid: 'AllowsAmazonQToGetS3Objects',
        actions: ['s3:GetObject'],
        resources: [arn(`s3:::${v.input_bucket_name}/*`)],
        conditions: { StringEquals: { 'aws:ResourceAccount': v.account_id } },
      }),
      new iam.PolicyStatement({
        sid: 'AllowsAmazonQToGetSecret',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [arn(`secretsmanager:${at}:secret:${v.secret_id}`)],
      }),
      new iam.PolicyStatement({
        sid: 'AllowsAmazonQToDecryptSecret',
        actions: ['kms:Decrypt'],
        resources: [arn(`kms:${at}:key/${v.key_id}`)],
        conditions: { StringLike: { 'kms:ViaService': ['secretsmanager.*.amazonaws.com'] } },
      }),
      new iam.PolicyStatement({
        sid: 'AllowsAmazonQToIngestDocuments',
        actions: ['qbusiness:BatchPutDocument', 'qbusiness:BatchDeleteDocument'],
        resources: [arn(index)],
      }),
      new iam.PolicyStatement({
        sid: 'AllowsAmazonQToIngestPrincipalMapping',
        actions: [
          'qbusiness:PutGroup',
          'qbusiness:CreateUser',
          'qbusiness:DeleteGroup',
          'qbusiness:UpdateUser',
          'qbusiness:ListGroups',
        ],
        resources: [arn(application), arn(index), arn(`${index}/data-source/*`)],
      }),
      new iam.PolicyStatement({
        sid: 'AllowsAmazonQToCreateAndDeleteNI',
        actions: networkInterfaces,
        resources: [
          ...spec.vpc.subnet_ids.map((id) => arn(`ec2:${at}:subnet/${id}`)),
          ...spec.vpc.security_group_ids.map((id) => arn(`ec2:${at}:security-group/${id}`)),
        ],
      }),
      new iam.PolicyStatement({
        sid: 'AllowsAmazonQToCreateAndDeleteNIForSpecificTag',
        actions: networkInterfaces,
        resources: [networkInterface],
        conditions: {
          StringLike: { 'aws:RequestTag/AMAZON_Q': tag },
          'ForAllValues:StringEquals': { 'aws:TagKeys': ['AMAZON_Q'] },
        },
      }),
      new iam.PolicyStatement({
        sid: 'AllowsAmazonQToCreateTags',
        actions: ['ec2:CreateTags'],
        resources: [networkInterface],
        conditions: { StringEquals: { 'ec2:CreateAction': 'CreateNetworkInterface' } },
      }),
      new iam.PolicyStatement({
        sid: 'AllowsAmazonQToCreateNetworkInterfacePermission',
        actions: ['ec2:CreateNetworkInterfacePermission'],
        resources: [networkInterface],
        conditions: { StringLike: { 'aws:ResourceTag/AMAZON_Q': tag } },
      }),
      new iam.PolicyStatement({
        sid: 'AllowsAmazonQToDescribeResourcesForVPC',
        actions: [
          'ec2:DescribeNetworkInterfaces',
          'ec2:DescribeAvailabilityZones',
          'ec2:DescribeNetworkInterfaceAttribute',
          'ec2:DescribeVpcs',
          'ec2:DescribeRegions',
          'ec2:DescribeNetworkInterfacePermissions',
          'ec2:DescribeSubnets',
        ],
        resources: ['*'],
      }),
    ],
  });

  const role = new iam.Role(stack, 'Role', {
    roleName,
    description: spec.description,
    assumedBy: new iam.ServicePrincipal('qbusiness.amazonaws.com'),
    inlinePolicies: { [`${name}-permissions`]: permissions },
  });
  // `assumedBy` cannot carry a Sid: the documented trust policy replaces its statement.
  const trust = new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({
        sid: 'AllowsAmazonQToAssumeRoleForServicePrincipal',
        principals: [new iam.ServicePrincipal('qbusiness.amazonaws.com')],
        actions: ['sts:AssumeRole'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': v.source_account },
          ArnLike: {
            'aws:SourceArn': arn(
              `qbusiness:${v.region}:${v.source_account}:application/${v.application_id}`,
            ),
          },
        },
      }),
    ],
  });
  (role.node.defaultChild as iam.CfnRole).assumeRolePolicyDocument = trust;
  return role;
}

const [specPath, countText, outdir] = process.argv.slice(2);
const spec: Spec = JSON.parse(readFileSync(specPath, 'utf8'));
const app = new App({ outdir });
for (let i = 1; i <= Number(countText); i++) {
  const number = String(i).padStart(5, '0');
  const stack = new Stack(app, `Role${number}Stack`, { description: spec.description });
  const role = connectorRole(stack, spec, `role-${number}`, `QBusinessConnectorRole${number}`);
  new CfnOutput(stack, 'RoleArn', {
    value: role.roleArn,
    description: "ARN of the connector role, for the data source's RoleArn",
  });
  new CfnOutput(stack, 'RoleName', { value: role.roleName, description: 'Name of the connector role' });
}
app.synth();
