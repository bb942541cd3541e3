"""Validates data source configurations against their documented schemas with Python's
jsonschema (Draft 4, or Draft 7 where the schema names it, as the new-generation connectors'
pages do): an independent check of what connector-roles generated and validated.

Reads the JSON file named by its argument: [{"name": ..., "schema": ..., "configuration": ...}, ...],
the schemas as AWS's pages print them. Each schema is first read as connector-roles reads it,
written again here from the rules, not from its code: a property schema beside `properties`
moves inside, a `required` list inside `properties` is the object's, an empty `required` is
dropped. Prints one line per configuration ("NAME: ok" or "NAME: POINTER: MESSAGE" for each
violation) and exits 1 when any fails.
"""

import json
import sys

import jsonschema

KEYWORDS = {
    "$schema", "$ref", "id", "$id", "title", "description", "default", "type", "enum",
    "const", "format", "pattern", "minLength", "maxLength", "minimum", "maximum",
    "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "items", "additionalItems",
    "minItems", "maxItems", "uniqueItems", "properties", "patternProperties",
    "additionalProperties", "required", "minProperties", "maxProperties", "dependencies",
    "definitions", "allOf", "anyOf", "oneOf", "not",
}


def normalized(schema):
    if isinstance(schema, list):
        return [normalized(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    schema = dict(schema)
    if schema.get("required") == []:
        del schema["required"]
    properties = schema.get("properties")
    if isinstance(properties, dict):
        properties = dict(properties)
        inner = properties.pop("required", None)
        if isinstance(inner, list):
            required = list(schema.get("required", []))
            required += [name for name in inner if name not in required]
            schema["required"] = required
        elif inner is not None:
            properties["required"] = inner
        for key in [k for k, v in schema.items() if k not in KEYWORDS and isinstance(v, dict)]:
            properties.setdefault(key, schema.pop(key))
        schema["properties"] = properties
    return {key: normalized(value) for key, value in schema.items()}


def main():
    failed = False
    with open(sys.argv[1], encoding="utf-8") as cases:
        cases = json.load(cases)
    for case in cases:
        schema = normalized(case["schema"])
        draft7 = "draft-07" in schema.get("$schema", "")
        validator = (jsonschema.Draft7Validator if draft7 else jsonschema.Draft4Validator)(schema)
        errors = sorted(validator.iter_errors(case["configuration"]), key=lambda e: list(e.path))
        if not errors:
            print(f"{case['name']}: ok")
        for error in errors:
            failed = True
            pointer = "/" + "/".join(str(part) for part in error.absolute_path)
            print(f"{case['name']}: {pointer}: {error.message}")
    sys.exit(1 if failed else 0)


main()
