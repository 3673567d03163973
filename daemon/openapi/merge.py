#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Merges daemon/openapi/*.json into lersd's OpenAPI 3.1 document.

base.json holds everything but the operations; every other file is one
area's fragment: a JSON object with only "paths" and optionally
"components" ("schemas", "parameters", "responses").  A path may appear in
several fragments with different methods; the same method of a path twice,
or a component name used twice, stops the build naming both files.  The
output is written only when it changes, so a rebuild relinks nothing.

  merge.py --dir DIR --output FILE     merge every *.json of DIR
  merge.py --list DIR                  print the files it would merge
"""

import argparse
import json
import os
import sys

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
COMPONENT_KINDS = ("schemas", "parameters", "responses")


def fail(message):
    sys.stderr.write("openapi/merge.py: %s\n" % message)
    sys.exit(1)


def fragments(directory):
    names = sorted(n for n in os.listdir(directory) if n.endswith(".json") and n != "base.json")
    return [os.path.join(directory, "base.json")] + [os.path.join(directory, n) for n in names]


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        fail("%s: %s" % (path, e))


def merge(files):
    doc = load(files[0])
    doc.setdefault("paths", {})
    components = doc.setdefault("components", {})
    # where each operation and component came from, for the messages
    origin = {}
    for kind in COMPONENT_KINDS:
        for name in components.get(kind, {}):
            origin[(kind, name)] = files[0]

    for path in files[1:]:
        frag = load(path)
        name = os.path.basename(path)
        if not isinstance(frag, dict):
            fail("%s: a fragment is a JSON object" % name)
        extra = set(frag) - {"paths", "components"}
        if extra:
            fail("%s: a fragment has only paths and components, not %s" % (name, ", ".join(sorted(extra))))
        for url, item in frag.get("paths", {}).items():
            if not url.startswith("/"):
                fail("%s: path %r does not start with /" % (name, url))
            if not isinstance(item, dict):
                fail("%s: path %s is not an object" % (name, url))
            target = doc["paths"].setdefault(url, {})
            for key, value in item.items():
                if key in target:
                    where = origin.get(("path", url, key), "base.json")
                    fail("%s: %s %s is already in %s" % (name, key.upper(), url, os.path.basename(where)))
                target[key] = value
                origin[("path", url, key)] = path
        comps = frag.get("components", {})
        if not isinstance(comps, dict):
            fail("%s: components is not an object" % name)
        extra = set(comps) - set(COMPONENT_KINDS)
        if extra:
            fail("%s: components has only %s, not %s" % (name, ", ".join(COMPONENT_KINDS), ", ".join(sorted(extra))))
        for kind, entries in comps.items():
            target = components.setdefault(kind, {})
            for cname, value in entries.items():
                if cname in target:
                    fail("%s: components.%s.%s is already in %s (prefix yours)"
                         % (name, kind, cname, os.path.basename(origin[(kind, cname)])))
                target[cname] = value
                origin[(kind, cname)] = path
    doc["paths"] = dict(sorted(doc["paths"].items()))
    return doc


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir")
    parser.add_argument("--output")
    parser.add_argument("--list")
    args = parser.parse_args()
    if args.list:
        print("\n".join(fragments(args.list)))
        return
    if not args.dir or not args.output:
        parser.error("--dir and --output are needed")
    text = json.dumps(merge(fragments(args.dir)), ensure_ascii=False, indent=1) + "\n"
    try:
        with open(args.output, encoding="utf-8") as f:
            if f.read() == text:
                return
    except OSError:
        pass
    with open(args.output + ".tmp", "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(args.output + ".tmp", args.output)


if __name__ == "__main__":
    main()
