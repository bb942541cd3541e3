{#- The checkov checks the documented permission policy fails by design, skipped on the
    resource that holds it (checkov reads `#checkov:skip=ID:reason` inside the block). #}
{%- for (id, reason) in role.checkov_skips %}
  #checkov:skip={{ id }}:{{ reason }}
{%- endfor %}