{# The app's test `test/NAME.test.ts`. Props and policies are built by `render/cdk_test.rs`
   from escaped text and JSON, printed with `|safe`. -#}
// {{ header|safe }}
//
// `npm test` synthesizes each construct as `cdk synth` does (with cdk.json's feature flags)
// and fails unless its role carries exactly the trust policy and the one permission policy
// that AWS documents for its connector: a permission widened, added or removed fails it.
// Open values take the documentation's examples; the stack's partition, account and region
// resolve as they would for a deployment in the account {{ account }} in {{ region }}.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Template } from 'aws-cdk-lib/assertions';
import { App, CfnElement, Stack } from 'aws-cdk-lib/core';
import { IConstruct } from 'constructs';
{%- for role in roles %}
import { {{ role.class|safe }} } from '{{ role.module }}';
{%- endfor %}
{%- for role in roles %}

test('{{ role.class|safe }} grants exactly the documented policies', () => {
  const stack = new Stack(app(), 'TestStack');
  const construct = new {{ role.class|safe }}(stack, '{{ role.id }}', {{ role.props|safe }});
  assertPolicies(stack, construct.role, {
    trust: {{ role.trust|safe }},
    permission: {{ role.permission|safe }},
  });
});
{%- if let Some(data_source) = role.data_source %}

test('{{ role.class|safe }} creates its data source with its role and the checked configuration', () => {
  const stack = new Stack(app(), 'TestStack');
  const construct = new {{ role.class|safe }}(stack, '{{ role.id }}', {{ role.props|safe }});
  assertDataSource(stack, construct.dataSource, construct.role, {{ data_source|safe }});
});
{%- endif %}
{%- endfor %}

/** A JSON value. */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A resource of the synthesized template. */
interface Resource {
  Type: string;
  Properties?: { [key: string]: Json };
}

/** The pseudo parameters of the deployment the template is resolved for. */
const DEPLOYMENT: { [name: string]: string } = {
  'AWS::Partition': '{{ partition }}',
  'AWS::AccountId': '{{ account }}',
  'AWS::Region': '{{ region }}',
  'AWS::URLSuffix': 'amazonaws.com',
};

/** An app with the context of cdk.json (its feature flags), as `cdk synth` runs the app. */
function app(): App {
  const cdkJson: unknown = JSON.parse(readFileSync(join(__dirname, '..', 'cdk.json'), 'utf8'));
  const context = (cdkJson as { context?: { [key: string]: unknown } }).context ?? {};
  return new App({ context });
}

/**
 * Asserts that `role` has exactly the `trust` policy, and exactly one permission policy,
 * `permission`: inline, or a policy resource attached to it; no managed policy ARN.
 */
function assertPolicies(stack: Stack, role: IConstruct, expected: { trust: Json; permission: Json }): void {
  const template = Template.fromStack(stack).toJSON() as { Resources?: { [id: string]: Resource } };
  const resources = template.Resources ?? {};
  const id = stack.getLogicalId(role.node.defaultChild as CfnElement);
  const properties = resources[id]?.Properties;
  assert.ok(properties, `the template has no role ${id}`);
  assert.deepEqual(
    normalized(properties.AssumeRolePolicyDocument ?? null),
    normalized(expected.trust),
    'the trust policy is not the documented one',
  );
  const attached: Json[] = [];
  for (const policy of list(properties.Policies)) {
    attached.push((policy as { [key: string]: Json }).PolicyDocument ?? null);
  }
  const reference = JSON.stringify({ Ref: id });
  for (const resource of Object.values(resources)) {
    const roles = [...list(resource.Properties?.Roles), ...list(resource.Properties?.RoleName)].map((name) =>
      JSON.stringify(name),
    );
    if (resource.Type.startsWith('AWS::IAM::') && resource.Type.endsWith('Policy') && roles.includes(reference)) {
      attached.push(resource.Properties?.PolicyDocument ?? null);
    }
  }
  assert.deepEqual(
    attached.map((policy) => normalized(policy)),
    [normalized(expected.permission)],
    'the permission policies are not the one documented',
  );
  assert.deepEqual(list(properties.ManagedPolicyArns), [], 'the role has managed policies the documentation does not grant');
}

/**
 * Asserts that `dataSource` uses `role` and holds exactly `expected`'s application, index and
 * configuration: the one checked against the connector's documented schema when generated.
 */
function assertDataSource(stack: Stack, dataSource: IConstruct, role: IConstruct, expected: { [key: string]: Json }): void {
  const template = Template.fromStack(stack).toJSON() as { Resources?: { [id: string]: Resource } };
  const resource = (template.Resources ?? {})[stack.getLogicalId(dataSource as CfnElement)];
  assert.equal(resource?.Type, 'AWS::QBusiness::DataSource', 'the template has no data source');
  const roleId = stack.getLogicalId(role.node.defaultChild as CfnElement);
  const properties = resource.Properties ?? {};
  assert.deepEqual(properties.RoleArn, { 'Fn::GetAtt': [roleId, 'Arn'] }, 'the data source does not use the role');
  for (const [key, value] of Object.entries(expected)) {
    assert.deepEqual(resolvedDeep(properties[key] ?? null), value, `the data source's ${key} is not the checked one`);
  }
}

/** `value` with every pseudo parameter and `Fn::Join` of them resolved, at every depth. */
function resolvedDeep(value: Json): Json {
  const resolved = resolve(value);
  if (Array.isArray(resolved)) {
    return resolved.map(resolvedDeep);
  }
  if (resolved !== null && typeof resolved === 'object') {
    return Object.fromEntries(Object.entries(resolved).map(([key, item]) => [key, resolvedDeep(item)]));
  }
  return resolved;
}

/** `value` as a list: a list as it is, nothing as none. */
function list(value: Json | undefined): Json[] {
  if (value === undefined || value === null) {
    return [];
  }
  return Array.isArray(value) ? value : [value];
}

/**
 * `value` as IAM reads it: pseudo parameters and `Fn::Join` resolved, a string the same as
 * a list of it, lists and keys in a fixed order.
 */
function normalized(value: Json, inList = false): Json {
  const resolved = resolve(value);
  if (typeof resolved === 'string') {
    return inList ? resolved : [resolved];
  }
  if (Array.isArray(resolved)) {
    return resolved
      .map((item) => normalized(item, true))
      .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  }
  if (resolved !== null && typeof resolved === 'object') {
    const entries = Object.entries(resolved).sort(([a], [b]) => (a < b ? -1 : 1));
    return Object.fromEntries(entries.map(([key, item]) => [key, normalized(item)]));
  }
  return resolved;
}

/** `{ Ref: 'AWS::Partition' }` and `{ 'Fn::Join': [...] }` of pseudo parameters as strings. */
function resolve(value: Json): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return value;
  }
  const keys = Object.keys(value);
  const ref = value.Ref;
  if (keys.length === 1 && typeof ref === 'string' && ref in DEPLOYMENT) {
    return DEPLOYMENT[ref];
  }
  const join = value['Fn::Join'];
  if (keys.length === 1 && Array.isArray(join) && join.length === 2 && Array.isArray(join[1])) {
    const parts = join[1].map(resolve);
    if (typeof join[0] === 'string' && parts.every((part) => typeof part === 'string')) {
      return parts.join(join[0]);
    }
  }
  return value;
}
