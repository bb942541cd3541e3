# {{ header }}
{%- for data_source in data_sources %}

data "{{ data_source }}" "current" {}
{%- endfor %}
{%- if !locals.is_empty() %}

# Values the spec leaves open are the deployment's.
{%- if application_in_deploying_account %}
# The Amazon Q Business application is taken to be in the deploying account.
{%- endif %}
locals {
{%- for (name, value) in locals %}
  {{ name }} = {{ value|safe }}
{%- endfor %}
}
{%- endif %}
{%- for role in roles %}

resource "aws_iam_role" "{{ role.resource }}" {
{{ role.attributes|safe }}
  assume_role_policy = {{ role.trust_policy|safe }}
}
{%- if let Some(description) = role.managed_policy_description %}

resource "aws_iam_policy" "{{ role.resource }}" {
{%- include "terraform/checkov-skips.tf" %}
  name_prefix = "{{ role.policy_name }}-"
  description = "{{ description }}"

  policy = {{ role.permission_policy|safe }}
}

resource "aws_iam_role_policy_attachment" "{{ role.resource }}" {
  role       = aws_iam_role.{{ role.resource|safe }}.name
  policy_arn = aws_iam_policy.{{ role.resource|safe }}.arn
}
{%- else %}

resource "aws_iam_role_policy" "{{ role.resource }}" {
{%- include "terraform/checkov-skips.tf" %}
  name = "{{ role.policy_name }}"
  role = aws_iam_role.{{ role.resource|safe }}.id

  policy = {{ role.permission_policy|safe }}
}
{%- endif %}
{%- if let Some(attributes) = role.data_source %}

resource "awscc_qbusiness_data_source" "{{ role.resource }}" {
{{ attributes|safe }}}
{%- endif %}
{%- endfor %}
