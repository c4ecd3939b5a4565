#!/usr/bin/env python3
"""Validate JSON lines on stdin against a JSON Schema (argv[1]).

Prints one line per invalid document and exits 1 when any is invalid,
2 when the input or the schema cannot be read.
"""
import json
import sys

import jsonschema


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    validator = jsonschema.Draft202012Validator(schema)
    bad = 0
    count = 0
    for n, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        count += 1
        try:
            doc = json.loads(line)
        except json.JSONDecodeError as e:
            print(f"line {n}: not JSON: {e}")
            bad += 1
            continue
        for err in validator.iter_errors(doc):
            print(f"line {n}: {'/'.join(map(str, err.absolute_path))}: {err.message}")
            bad += 1
    if count == 0:
        print("no JSON documents on stdin")
        return 2
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
