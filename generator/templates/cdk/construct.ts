{# The construct module `lib/NAME.ts`. Values printed with `{{ x }}` are escaped by the
   TypeScript escaper and always sit inside quotes; `|safe` prints code and comments the
   renderer built from escaped or sanitised pieces (see `render/cdk.rs`). -#}
// {{ header|safe }}
{%- if !core_imports.is_empty() %}
import { {{ core_imports|safe }} } from 'aws-cdk-lib/core';
{%- endif %}
import * as iam from 'aws-cdk-lib/aws-iam';
{%- if data_source.is_some() %}
import * as qbusiness from 'aws-cdk-lib/aws-qbusiness';
{%- endif %}
import { Construct } from 'constructs';

{{ props_doc|safe }}
export interface {{ class|safe }}Props {
{%- for p in props %}
{{ p.doc|safe }}
  readonly {{ p.name|safe }}{% if p.optional %}?{% endif %}: {{ p.ts_type|safe }};
{%- endfor %}
}

{{ class_doc|safe }}
export class {{ class|safe }} extends Construct {
  /** The connector's IAM role. */
  public readonly role: iam.Role;
  /** The role's ARN, for the data source's `RoleArn`. */
  public readonly roleArn: string;
{%- if data_source.is_some() %}
  /** The Amazon Q Business data source that uses the role. */
  public readonly dataSource: qbusiness.CfnDataSource;
{%- endif %}

  constructor(scope: Construct, id: string, props: {{ class|safe }}Props{% if props_optional %} = {}{% endif %}) {
    super(scope, id);
{%- for p in props %}
{%- if p.optional %}
    if (props.{{ p.name|safe }} !== undefined) {
      checkValue('{{ p.name }}', props.{{ p.name|safe }}, new RegExp('{{ p.pattern }}'), '{{ p.rule }}');
    }
{%- else if p.list %}
    checkList('{{ p.name }}', props.{{ p.name|safe }}, new RegExp('{{ p.pattern }}'), '{{ p.rule }}');
{%- else %}
    checkValue('{{ p.name }}', props.{{ p.name|safe }}, new RegExp('{{ p.pattern }}'), '{{ p.rule }}');
{%- endif %}
{%- endfor %}
{%- if let Some(locals) = stack_locals %}
    const { {{ locals|safe }} } = Stack.of(this);
{%- endif %}

    // The documented trust policy, Sids and all.
    const trustPolicy = {{ trust_policy|safe }};

    // The documented permission policy.
    const permissionPolicy = {{ permission_policy|safe }};

    // Never minimized: in an app with `@aws-cdk/aws-iam:minimizePolicies` (which `cdk init`
    // sets) the CDK would otherwise merge and reorder the documented statements.
    const permissions = new iam.PolicyDocument({
      minimize: false,
      statements: permissionPolicy.Statement.map((statement) => iam.PolicyStatement.fromJson(statement)),
    });

    this.role = new iam.Role(this, 'Role', {
{%- if let Some(name) = role_name %}
      roleName: '{{ name }}',
{%- else %}
      roleName: props.roleName,
{%- endif %}
      description: '{{ description }}',
{%- if let Some(path) = properties.path %}
      path: '{{ path }}',
{%- endif %}
{%- if let Some(arn) = properties.permissions_boundary %}
      permissionsBoundary: iam.ManagedPolicy.fromManagedPolicyArn(this, 'PermissionsBoundary', '{{ arn }}'),
{%- endif %}
{%- if let Some(seconds) = properties.max_session_duration %}
      maxSessionDuration: Duration.seconds({{ seconds }}),
{%- endif %}
      assumedBy: new iam.ServicePrincipal('{{ service }}'),
{%- if managed_policy_description.is_none() %}
      inlinePolicies: {
        '{{ policy_name }}': permissions,
      },
{%- endif %}
    });
{%- for tag in properties.tags %}
    Tags.of(this.role).add('{{ tag.key }}', '{{ tag.value }}');
{%- endfor %}
{%- if let Some(description) = managed_policy_description %}
    {% if data_source.is_some() %}const managedPolicy = {% endif %}new iam.ManagedPolicy(this, 'PermissionPolicy', {
      description: '{{ description }}',
      document: permissions,
      roles: [this.role],
    });
{%- endif %}
    // `assumedBy` builds a trust policy without the documented Sid and conditions: replace
    // it on the underlying CfnRole with the documented one.
    (this.role.node.defaultChild as iam.CfnRole).assumeRolePolicyDocument = trustPolicy;
    this.roleArn = this.role.roleArn;
{%- if let Some(source) = data_source %}

    // The data source's configuration: the spec's, with what the role determines filled in,
    // checked against the connector's documented schema when it was generated.
    const configuration = {{ source.configuration|safe }};

    this.dataSource = new qbusiness.CfnDataSource(this, 'DataSource', {
      applicationId: {{ source.application_id|safe }},
      indexId: {{ source.index_id|safe }},
      displayName: {{ source.display_name|safe }},
{%- if let Some(description) = source.description %}
      description: {{ description|safe }},
{%- endif %}
      roleArn: this.role.roleArn,
{%- if let Some(schedule) = source.sync_schedule %}
      syncSchedule: {{ schedule|safe }},
{%- endif %}
{%- if let Some((subnets, groups)) = source.vpc %}
      vpcConfiguration: {
        subnetIds: {{ subnets|safe }},
        securityGroupIds: {{ groups|safe }},
      },
{%- endif %}
{%- if !source.tags.is_empty() %}
      tags: [
{%- for (key, value) in source.tags %}
        { key: {{ key|safe }}, value: {{ value|safe }} },
{%- endfor %}
      ],
{%- endif %}
      configuration,
    });
{%- if managed_policy_description.is_some() %}
    this.dataSource.node.addDependency(managedPolicy);
{%- endif %}
{%- endif %}
  }
}
{%- if checks_values %}

/** Throws unless `value` follows `pattern`; a token is left to AWS to check at deploy time. */
function checkValue(prop: string, value: string, pattern: RegExp, rule: string): void {
  if (!Token.isUnresolved(value) && !pattern.test(value)) {
    throw new Error(`Invalid ${prop} ${JSON.stringify(value)}: ${rule}`);
  }
}
{%- endif %}
{%- if checks_lists %}

/** Throws unless `values` is a non-empty list of distinct values that each follow `pattern`. */
function checkList(prop: string, values: string[], pattern: RegExp, rule: string): void {
  if (Token.isUnresolved(values)) {
    throw new Error(
      `Invalid ${prop}: the role grants one ARN per element, so the list must be known at synth time (a list token cannot be mapped)`,
    );
  }
  if (values.length === 0) {
    throw new Error(`Invalid ${prop}: must list at least one ID`);
  }
  values.forEach((value, i) => {
    checkValue(`${prop}[${i}]`, value, pattern, rule);
    if (!Token.isUnresolved(value) && values.indexOf(value) !== i) {
      throw new Error(`Invalid ${prop}[${i}] ${JSON.stringify(value)}: is listed twice`);
    }
  });
}
{%- endif %}
