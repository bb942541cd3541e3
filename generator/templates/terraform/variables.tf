# {{ header }}
{%- for variable in variables %}

variable "{{ variable.name }}" {
  description = "{{ variable.description }}"
  type        = {{ variable.type_constraint|safe }}
{%- if let Some(default) = variable.default %}
  default     = {{ default|safe }}
{%- endif %}
{%- for validation in variable.validations %}

  validation {
    condition     = {{ validation.condition|safe }}
    error_message = "{{ validation.error_message }}"
  }
{%- endfor %}
}
{%- endfor %}
