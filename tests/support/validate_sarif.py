"""Validates SARIF logs against the SARIF 2.1.0 JSON schema (Draft 4), the one Microsoft's
@microsoft/jest-sarif ships (sarif-2.1.0-rtm.5.json, in the tools' node_modules).

Usage: validate_sarif.py SCHEMA LOG...; prints "LOG: ok" or each violation, exits 1 when
any log is invalid.
"""

import json
import sys

import jsonschema


def main():
    with open(sys.argv[1], encoding="utf-8") as schema:
        validator = jsonschema.Draft4Validator(json.load(schema))
    failed = False
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8") as log:
            errors = list(validator.iter_errors(json.load(log)))
        if not errors:
            print(f"{path}: ok")
        for error in errors:
            failed = True
            pointer = "/" + "/".join(str(part) for part in error.absolute_path)
            print(f"{path}: {pointer}: {error.message}")
    sys.exit(1 if failed else 0)


main()
