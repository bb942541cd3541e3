# {{ header }}
{%- for output in outputs %}

output "{{ output.name }}" {
  description = "{{ output.description }}"
  {{ output.value_attribute()|safe }}
}
{%- endfor %}
