"""Decode YAML files with PyYAML, the YAML 1.1 parser cfn-lint and the AWS CLI
use, and print one JSON object: {path: decoded template} ({"error": msg} for a
file PyYAML rejects). Used by stacks/trust_parsers_test.go.

CloudFormation short-form tags become their long form ({"Ref": ...},
{"Fn::Sub": ...}, {"Fn::GetAtt": [res, attr]}). Values JSON cannot hold are
written as {"$yaml": type, "value": text}, so the Go test reports them instead
of letting a date or a NaN pass as a string.
"""
import datetime
import json
import math
import sys

import yaml


class Loader(yaml.SafeLoader):
    """SafeLoader (YAML 1.1 resolvers) plus CloudFormation's tags."""


def construct_intrinsic(loader, tag_suffix, node):
    name = tag_suffix
    if name not in ("Ref", "Condition"):
        name = "Fn::" + name
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if name == "Fn::GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {name: value}


def construct_mapping_strict(loader, node):
    """A mapping with a duplicate key, a merge key or a non-string key is an
    error: CloudFormation keys are strings and parsers disagree on the rest."""
    loader.flatten_mapping(node)
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            raise yaml.constructor.ConstructorError(
                None, None, "non-string key %r" % (key,), key_node.start_mark)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, "duplicate key %r" % key, key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=True)


Loader.add_multi_constructor("!", construct_intrinsic)
Loader.add_constructor("tag:yaml.org,2002:map", construct_mapping_strict)


def portable(value):
    """Replace what JSON cannot represent with a tagged marker."""
    if isinstance(value, dict):
        return {k: portable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [portable(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return {"$yaml": "timestamp", "value": value.isoformat()}
    if isinstance(value, bytes):
        return {"$yaml": "binary", "value": value.hex()}
    if isinstance(value, float) and not math.isfinite(value):
        return {"$yaml": "float", "value": repr(value)}
    if isinstance(value, (set, tuple)):
        return {"$yaml": type(value).__name__, "value": [portable(v) for v in value]}
    return value


def main(paths):
    out = {}
    for path in paths:
        try:
            with open(path, encoding="utf-8") as f:
                out[path] = portable(yaml.load(f, Loader=Loader))
        except Exception as e:  # report every kind of rejection to the test
            out[path] = {"error": "%s: %s" % (type(e).__name__, e)}
    json.dump(out, sys.stdout, allow_nan=False)


if __name__ == "__main__":
    main(sys.argv[1:])
