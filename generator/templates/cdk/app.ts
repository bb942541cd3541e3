{# The app `bin/app.ts`: one stack with each role's construct, its open props read from CDK
   context.
   `{{ x }}` values are escaped and always sit inside quotes; `|safe` prints code and
   comments the renderer built (see `render/cdk.rs`). -#}
#!/usr/bin/env node
// {{ header|safe }}
//
// Install, then synthesize (cdk.json type-checks this app and runs it with tsx):
//   npm install
{%- if usage.is_empty() %}
//   npx cdk synth
{%- else %}
//   npx cdk synth \
{%- for option in usage %}
//     {{ option|safe }}{% if !loop.last %} \{% endif %}
{%- endfor %}
{%- if let Some(key) = prefixed_key %}
// Each role reads its values from context keys prefixed with the role's name in camelCase
// ({{ key|safe }}), so that the values of the stack's roles stay apart.
{%- endif %}
// Each value can also be set under "context" in cdk.json, or in the CDK_CONTEXT_JSON
// environment variable; a list is a JSON array or a comma-separated string.
{%- endif %}
import * as cdk from 'aws-cdk-lib/core';
{%- for role in roles %}
import { {{ role.class|safe }} } from '{{ role.module }}';
{%- endfor %}

const app = new cdk.App();
{%- if needs_string %}

/** The context value `key`, which must be set: `cdk synth -c key=VALUE`. */
function requiredString(key: string): string {
  const value: unknown = app.node.tryGetContext(key);
  if (typeof value !== 'string' || value.trim() === '') {
    throw new Error(`Missing CDK context value ${key}: pass -c ${key}=VALUE to cdk synth, or set it in cdk.json`);
  }
  return value.trim();
}
{%- endif %}
{%- if needs_optional %}

/** The context value `key`, when set. */
function optionalString(key: string): string | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || value === null || value === '') {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new Error(`CDK context value ${key} must be a string, not ${JSON.stringify(value)}`);
  }
  return value.trim();
}
{%- endif %}
{%- if needs_list %}

/** The context list `key`, which must be set: a JSON array of strings or `a,b,c`. */
function requiredList(key: string): string[] {
  let value: unknown = app.node.tryGetContext(key);
  if (typeof value === 'string' && value.trim().startsWith('[')) {
    try {
      value = JSON.parse(value);
    } catch {
      throw new Error(`CDK context value ${key} is not a JSON array: ${value}`);
    }
  } else if (typeof value === 'string') {
    value = value.split(',').map((item) => item.trim()).filter((item) => item !== '');
  }
  if (!Array.isArray(value) || value.length === 0) {
    throw new Error(`Missing CDK context value ${key}: pass -c ${key}=ID1,ID2 to cdk synth, or set it in cdk.json`);
  }
  return value.map((item: unknown) => {
    if (typeof item !== 'string') {
      throw new Error(`CDK context value ${key} must hold strings, not ${JSON.stringify(item)}`);
    }
    return item.trim();
  });
}
{%- endif %}

const stack = new cdk.Stack(app, '{{ stack_id }}', {
  description: '{{ description }}',
});
{%- for role in roles %}
{%- if !loop.first %}
{% endif %}
{%- if role.props.is_empty() %}
const {{ role.variable|safe }} = new {{ role.class|safe }}(stack, '{{ role.id }}');
{%- else %}
const {{ role.variable|safe }} = new {{ role.class|safe }}(stack, '{{ role.id }}', {
{%- for (name, getter, key) in role.props %}
  {{ name|safe }}: {{ getter|safe }}('{{ key }}'),
{%- endfor %}
});
{%- endif %}

new cdk.CfnOutput(stack, '{{ role.arn_output }}', {
  value: {{ role.variable|safe }}.roleArn,
  description: 'ARN of the connector role, for the data source\'s RoleArn',
});
new cdk.CfnOutput(stack, '{{ role.name_output }}', {
  value: {{ role.variable|safe }}.role.roleName,
  description: 'Name of the connector role',
});
{%- if let Some((id_output, arn_output)) = role.data_source_outputs %}
new cdk.CfnOutput(stack, '{{ id_output }}', {
  value: {{ role.variable|safe }}.dataSource.attrDataSourceId,
  description: 'ID of the data source',
});
new cdk.CfnOutput(stack, '{{ arn_output }}', {
  value: {{ role.variable|safe }}.dataSource.attrDataSourceArn,
  description: 'ARN of the data source',
});
{%- endif %}
{%- endfor %}
