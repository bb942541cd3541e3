{#- The checkov checks the documented permission policy fails by design, skipped on the
    resource that holds it (checkov reads `#checkov:skip=ID:reason` inside the block). #}
{%- for skip in role.checkov_skips %}
  #checkov:skip={{ skip.id }}:{{ skip.reason }}
{%- endfor %}