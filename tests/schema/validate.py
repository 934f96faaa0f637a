#!/usr/bin/python3
"""Validate a JSON document against one of the OCI runtime-spec schemas here.

usage: validate.py SCHEMA DOCUMENT   (SCHEMA: a file name in this directory;
DOCUMENT: a path, or - for stdin).  Exit 0 when valid, 1 with every error
on stderr when not, 77 when python3-jsonschema is missing (the bats test
skips then)."""
import json
import os
import sys

try:
    import jsonschema
except ImportError:
    sys.stderr.write("python3-jsonschema is not installed\n")
    sys.exit(77)

here = os.path.dirname(os.path.abspath(__file__))
schema_name, doc_path = sys.argv[1], sys.argv[2]
with open(os.path.join(here, schema_name)) as f:
    schema = json.load(f)
doc = json.load(sys.stdin if doc_path == "-" else open(doc_path))

# The schemas $ref their siblings by relative name (defs.json#/...).
resolver = jsonschema.RefResolver(base_uri="file://" + here + "/", referrer=schema)
validator = jsonschema.Draft4Validator(schema, resolver=resolver)
errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
for e in errors:
    where = "/".join(str(p) for p in e.path) or "(document)"
    sys.stderr.write("%s: %s\n" % (where, e.message))
sys.exit(1 if errors else 0)
