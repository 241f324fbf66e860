"""A small JSON Schema (2020-12) checker for the keywords the contract's schemas use; an unknown keyword is an
error, so a schema that starts using one cannot pass unchecked."""

import re

ANNOTATIONS = {"$schema", "$id", "title", "description", "format", "default", "examples"}
ASSERTIONS = {"type", "properties", "required", "additionalProperties", "items", "pattern", "minLength", "maxLength",
              "minimum", "maximum", "enum", "const", "maxItems"}


class SchemaError(Exception):
    pass


def errors(schema, value, path="$"):
    """Every violation of ``schema`` by ``value``, as "path: problem" strings (empty when valid)."""
    unknown = set(schema) - ANNOTATIONS - ASSERTIONS
    if unknown:
        raise SchemaError("%s: keyword(s) %s not supported by this checker" % (path, sorted(unknown)))
    found = []
    if "type" in schema:
        allowed = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_is_type(value, name) for name in allowed):
            return ["%s: %r is not of type %s" % (path, value, "/".join(allowed))]
    if "enum" in schema and value not in schema["enum"]:
        found.append("%s: %r not in %r" % (path, value, schema["enum"]))
    if "const" in schema and value != schema["const"]:
        found.append("%s: %r is not %r" % (path, value, schema["const"]))
    if isinstance(value, str):
        if "pattern" in schema and not re.search(_ecma(schema["pattern"]), value):
            found.append("%s: %r does not match %s" % (path, value, schema["pattern"]))
        if len(value) < schema.get("minLength", 0):
            found.append("%s: shorter than %d" % (path, schema["minLength"]))
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            found.append("%s: longer than %d" % (path, schema["maxLength"]))
    if _is_type(value, "number"):
        if "minimum" in schema and value < schema["minimum"]:
            found.append("%s: %r < %r" % (path, value, schema["minimum"]))
        if "maximum" in schema and value > schema["maximum"]:
            found.append("%s: %r > %r" % (path, value, schema["maximum"]))
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                found.append("%s: missing required %r" % (path, name))
        for name, item in value.items():
            child = "%s.%s" % (path, name)
            if name in properties:
                found.extend(errors(properties[name], item, child))
            elif schema.get("additionalProperties") is False:
                found.append("%s: additional property not allowed" % child)
            elif isinstance(schema.get("additionalProperties"), dict):
                found.extend(errors(schema["additionalProperties"], item, child))
    if isinstance(value, list) and len(value) > schema.get("maxItems", len(value)):
        found.append("%s: more than %d items" % (path, schema["maxItems"]))
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            found.extend(errors(schema["items"], item, "%s[%d]" % (path, index)))
    return found


def _is_type(value, name):
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool) or isinstance(value, float) and value.is_integer()
    if name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    kinds = {"string": str, "boolean": bool, "object": dict, "array": list, "null": type(None)}
    if name not in kinds:
        raise SchemaError("type %r not supported" % name)
    return isinstance(value, kinds[name])


def _ecma(pattern):
    # In ECMA-262 "$" (no multiline) matches only at the very end; in Python also before a final newline.
    return re.sub(r"(?<!\\)\$$", r"\\Z", pattern)
