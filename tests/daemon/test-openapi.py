# SPDX-License-Identifier: LGPL-2.1-or-later
"""The OpenAPI document against the routes lersd really has.

1. GET /api/v1/openapi.json (public) is OpenAPI 3.1: every schema is valid
   JSON Schema 2020-12 (jsonschema's Draft202012Validator.check_schema) and
   every $ref resolves.
2. Its (method, path) set equals the routes that tests/daemon/lersd-routes
   prints from lersd_route_tables_get() ({…} ↔ *), and x-lers-access equals
   each route's access. What is missing on either side is listed by name.
3. Each operation has what daemon/openapi/README.md asks for.
4. Each operation's x-lers-example, called as the admin of the demo data,
   answers a 2xx the operation lists, with a body valid against its schema.

Every failure is collected and printed; the test fails if there is one.
"""
import json
import re
import sys
import urllib.parse

import jsonschema

import lersdharness
from lersdharness import fill_path, operations, template_to_pattern

METHOD_ORDER = {"GET": 0, "POST": 1, "PUT": 2, "PATCH": 3, "DELETE": 4}
ACCESS = ("public", "read", "staff", "operate", "admin")

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg, flush=True)


def walk(node, path=""):
    """Every (json-pointer, dict) of the document."""
    if isinstance(node, dict):
        yield path, node
        for k, v in node.items():
            yield from walk(v, path + "/" + str(k).replace("~", "~0").replace("/", "~1"))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from walk(v, "%s/%d" % (path, i))


def schemas_of(doc):
    """(where, schema) of every schema object in the document."""
    for name, s in doc.get("components", {}).get("schemas", {}).items():
        yield "components/schemas/" + name, s
    for where, node in walk(doc):
        if where.startswith("/components/schemas"):
            continue
        if "schema" in node and isinstance(node["schema"], (dict, bool)):
            yield where + "/schema", node["schema"]


def check_document(doc, resolver):
    if not re.fullmatch(r"3\.1\.\d+", str(doc.get("openapi"))):
        fail("openapi is %r, not 3.1.x" % doc.get("openapi"))
    for key in ("info", "paths", "components"):
        if key not in doc:
            fail("the document has no %s" % key)
    n = 0
    for where, schema in schemas_of(doc):
        n += 1
        try:
            jsonschema.Draft202012Validator.check_schema(schema)
        except jsonschema.SchemaError as e:
            fail("%s is not a valid JSON Schema 2020-12: %s" % (where, e.message))
    refs = 0
    for where, node in walk(doc):
        if "$ref" in node and isinstance(node["$ref"], str):
            refs += 1
            try:
                resolver.resolve(node["$ref"])
            except jsonschema.RefResolutionError as e:
                fail("%s: $ref %s does not resolve (%s)" % (where, node["$ref"], e))
    print("%d schemas checked against JSON Schema 2020-12, %d $refs resolved" % (n, refs))


def deref(obj, resolver):
    while isinstance(obj, dict) and "$ref" in obj:
        obj = resolver.resolve(obj["$ref"])[1]
    return obj


def check_routes(doc, routes):
    route_set = {(m, p): a for m, p, a in routes}
    doc_ops = {}
    for method, path, op in operations(doc):
        key = (method, template_to_pattern(path))
        name = "%s %s (%s)" % (method, path, op.get("operationId", "no operationId"))
        if method == "HEAD":
            fail("%s: HEAD is answered by every GET route; do not list it" % name)
            continue
        if key in doc_ops:
            fail("%s: the same route as %s" % (name, doc_ops[key][0]))
        doc_ops[key] = (name, op)
    for key, access in sorted(route_set.items()):
        if key not in doc_ops:
            fail("route %s %s (%s) has no operation in the OpenAPI document" % (key[0], key[1], access))
    for key, (name, op) in sorted(doc_ops.items()):
        if key not in route_set:
            fail("operation %s is not a route of lersd" % name)
        elif op.get("x-lers-access") != route_set[key]:
            fail("%s: x-lers-access is %r, the route's access is %r"
                 % (name, op.get("x-lers-access"), route_set[key]))
    print("%d routes, %d operations" % (len(route_set), len(doc_ops)))


def check_operation(method, path, op, resolver, op_ids):
    name = "%s %s" % (method, path)
    for key in ("operationId", "summary", "x-lers-access", "security", "responses", "x-lers-example"):
        if key not in op:
            fail("%s has no %s" % (name, key))
    if op.get("operationId") in op_ids:
        fail("%s: operationId %s is used twice" % (name, op.get("operationId")))
    op_ids.add(op.get("operationId"))
    if op.get("x-lers-access") not in ACCESS:
        fail("%s: x-lers-access %r is not one of %s" % (name, op.get("x-lers-access"), ACCESS))
    public = op.get("x-lers-access") == "public"
    if "security" in op and (op["security"] == []) != public:
        fail("%s: security must be [] exactly when the route is public" % name)
    templates = set(re.findall(r"\{([^}/]+)\}", path))
    declared = set()
    for p in op.get("parameters", []):
        p = deref(p, resolver)
        if "schema" not in p:
            fail("%s: parameter %s has no schema" % (name, p.get("name")))
        if p.get("in") == "path":
            declared.add(p.get("name"))
    if templates != declared:
        fail("%s: path parameters %s, declared %s" % (name, sorted(templates), sorted(declared)))
    if method in ("POST", "PUT", "PATCH"):
        body = deref(op.get("requestBody", {}), resolver)
        schema = body.get("content", {}).get("application/json", {}).get("schema")
        if schema is None:
            fail("%s has no requestBody with an application/json schema" % name)
    for status, response in op.get("responses", {}).items():
        response = deref(response, resolver)
        if status == "204":
            continue
        content = response.get("content", {})
        if not content or not all("schema" in c for c in content.values()):
            fail("%s: response %s has no content with a schema" % (name, status))


def call_example(world, method, path, op, resolver):
    name = "%s %s" % (method, path)
    ex = op.get("x-lers-example")
    if not isinstance(ex, dict):
        return
    try:
        target = fill_path(path, ex.get("path", {}))
    except AssertionError as e:
        fail(str(e))
        return
    if ex.get("query"):
        target += "?" + urllib.parse.urlencode(ex["query"])
    body = ex.get("body")
    if body is None and method in ("POST", "PUT", "PATCH"):
        body = {}
    r = world.request(method, target, body)
    responses = op.get("responses", {})
    expected = str(ex.get("status", ""))
    status = str(r.status)
    if expected and status != expected:
        fail("%s: the example answered %s, it expects %s: %s" % (name, status, expected, r.body[:400]))
        return
    # a 4xx only when the example says it expects it (a read of what no
    # example has stored yet)
    if not status.startswith("2") and not expected:
        fail("%s: the example answered %s: %s" % (name, status, r.body[:400]))
        return
    if status not in responses:
        fail("%s: the example answered %s, which the operation does not list" % (name, status))
        return
    response = deref(responses[status], resolver)
    content = response.get("content", {})
    if status == "204" and not content:
        if r.body:
            fail("%s: 204 with a body" % name)
        return
    ctype = (r.header("Content-Type") or "").split(";")[0].strip()
    match = [c for k, c in content.items() if k.split(";")[0].strip() == ctype]
    if not match:
        fail("%s: answered %s, the operation lists %s" % (name, ctype, sorted(content)))
        return
    schema = match[0].get("schema", {})
    if ctype == "application/json":
        try:
            value = json.loads(r.body)
        except ValueError:
            fail("%s: the body is not JSON: %s" % (name, r.body[:200]))
            return
    else:
        value = r.body
    validator = jsonschema.Draft202012Validator(schema, resolver=resolver)
    errors = sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path))
    for e in errors[:5]:
        fail("%s: the %s body does not match its schema at /%s: %s"
             % (name, status, "/".join(str(p) for p in e.absolute_path), e.message[:300]))
    if not errors:
        print("ok %s → %s" % (target if len(target) < 100 else target[:100] + "…", status))


def main():
    world = lersdharness.Lersd("openapi")
    try:
        doc = world.document()
        resolver = jsonschema.RefResolver.from_schema(doc)
        check_document(doc, resolver)
        check_routes(doc, world.routes())
        op_ids = set()
        ops = sorted(operations(doc), key=lambda o: (o[1], METHOD_ORDER.get(o[0], 9)))
        for method, path, op in ops:
            check_operation(method, path, op, resolver, op_ids)
        if not world.accounts:
            print("note: no `lers user` in this build: examples run without credentials")
        for method, path, op in ops:
            if method != "HEAD":
                call_example(world, method, path, op, resolver)
        if not world.alive():
            fail("lersd died: %s" % world.proc.stderr()[-2000:])
        for line in world.stop():
            fail("lersd: " + line)
    finally:
        world.close()
    if failures:
        print("\n%d failures:" % len(failures))
        for f in failures:
            print("  " + f)
        sys.exit(1)
    print("the document and the routes agree")


if __name__ == "__main__":
    main()
