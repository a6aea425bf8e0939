#!/usr/bin/python3
"""mongo_store.py - reads the store file of mock_mongo.py for the e2e tests.

Run with Debian's interpreter (/usr/bin/python3), which has python3-bson.

  mongo_store.py summary STORE [--coll C]        JSON facts about a collection
                                                 (documents, seqs, writes,
                                                 indexes at the end, writes
                                                 that moved a version back)
  mongo_store.py doc STORE --coll C ID           one stored document (relaxed)
  mongo_store.py check-shape STORE EVENTS.json   every event's document has the
                                                 documented shape, BSON types
                                                 and values (EVENTS.json:
                                                 `invlog -o json events`)
  mongo_store.py compare-extjson STORE FILE      FILE (`invlog export file`)
                                                 holds the same documents as
                                                 the collection, key order
                                                 and values

check-shape and compare-extjson print "ok" and exit 0, or print every
difference and exit 1.
"""

import argparse
import datetime
import json
import sys

from bson import Int64, json_util
from bson.json_util import RELAXED_JSON_OPTIONS

DATA_FIELDS = ("soh", "available_quantity", "reserved", "quantity")


def read_store(path):
    with open(path, encoding="utf-8") as f:
        return [json_util.loads(line) for line in f if line.strip()]


def final_docs(records, db, coll):
    """The collection's documents after every recorded write, by _id."""
    docs = {}
    for r in records:
        if r["db"] != db or r["coll"] != coll:
            continue
        if r["op"] in ("insert", "update") and r.get("doc") is not None:
            docs[r["doc"]["_id"]] = r["doc"]
        elif r["op"] == "delete":
            docs.pop(r["doc"]["_id"], None)
    return docs


def final_indexes(records, db, coll):
    """The indexes created (and not dropped since), in creation order."""
    indexes = []
    for r in records:
        if r["db"] != db or r["coll"] != coll:
            continue
        if r["op"] == "createIndexes":
            indexes.append(r["index"])
        elif r["op"] == "dropIndexes":
            indexes = [ix for ix in indexes
                       if ix["name"] != r["index"]["name"]]
    return indexes


def moved_back(writes):
    """How many writes gave a document a lower version than it had."""
    versions, n = {}, 0
    for r in writes:
        doc = r.get("doc")
        if doc is None or "version" not in doc:
            continue
        before = versions.get(doc["_id"])
        if before is not None and doc["version"] < before:
            n += 1
        versions[doc["_id"]] = doc["version"]
    return n


def summary(args):
    records = read_store(args.store)
    docs = final_docs(records, args.db, args.coll)
    writes = [r for r in records if r["db"] == args.db and
              r["coll"] == args.coll and r["op"] in ("insert", "update")]
    indexes = final_indexes(records, args.db, args.coll)
    upserted = [r["doc"]["_id"] for r in writes
                if r["op"] == "insert" or r.get("outcome") == "upserted"]
    out = {
        "docs": len(docs),
        "upserted": len(upserted),
        "upserted_twice": len(upserted) - len(set(upserted)),
        "seqs": sorted(int(d["seq"]) for d in docs.values() if "seq" in d),
        "write_commands": len({r["cmd_no"] for r in writes}),
        "writes": len(writes),
        "write_concerns": sorted({json_util.dumps(r["writeConcern"])
                                  for r in records
                                  if r["db"] == args.db and
                                  r["coll"] == args.coll}),
        "indexes": [ix["name"] for ix in indexes],
        "unique_indexes": [ix["name"] for ix in indexes if ix.get("unique")],
        "moved_back": moved_back(writes),
    }
    print(json.dumps(out))
    return 0


def doc(args):
    docs = final_docs(read_store(args.store), args.db, args.coll)
    if args.id not in docs:
        print("no document %r in %s.%s" % (args.id, args.db, args.coll),
              file=sys.stderr)
        return 1
    print(json_util.dumps(docs[args.id], json_options=RELAXED_JSON_OPTIONS))
    return 0


def parse_time(text):
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(
        tzinfo=datetime.timezone.utc)


def check_shape(args):
    docs = final_docs(read_store(args.store), args.db, args.coll)
    with open(args.events, encoding="utf-8") as f:
        events = json.load(f)
    problems = []

    def expect(cond, what):
        if not cond:
            problems.append(what)

    expect(len(docs) == len(events),
           "%d documents for %d events" % (len(docs), len(events)))
    for e in events:
        d = docs.get(e["event_id"])
        if d is None:
            problems.append("no document for event %s" % e["event_id"])
            continue
        keys = (["_id", "event_id", "event_type", "sku", "created_at"] +
                list(e["data"].keys()) +
                ["seq", "version", "actor", "reason", "command_id", "hash"])
        expect(list(d.keys()) == keys,
               "seq %d: keys %s, expected %s" % (e["seq"], list(d), keys))
        for k in ("_id", "event_id"):
            expect(type(d.get(k)) is str and d[k] == e["event_id"],
                   "seq %d: %s %r" % (e["seq"], k, d.get(k)))
        for k in ("event_type", "sku", "actor", "command_id", "hash"):
            expect(type(d.get(k)) is str and d[k] == e[k],
                   "seq %d: %s %r, expected %r" % (e["seq"], k, d.get(k), e[k]))
        expect(d.get("reason") == e["reason"] and
               (d.get("reason") is None or type(d["reason"]) is str),
               "seq %d: reason %r" % (e["seq"], d.get("reason")))
        expect(isinstance(d.get("created_at"), datetime.datetime) and
               d["created_at"] == parse_time(e["recorded_at"]),
               "seq %d: created_at %r, expected %s" %
               (e["seq"], d.get("created_at"), e["recorded_at"]))
        for k in list(e["data"].keys()) + ["seq", "version"]:
            want = e["data"][k] if k in e["data"] else e[k]
            expect(type(d.get(k)) is Int64 and d[k] == want,
                   "seq %d: %s %r (%s), expected Int64 %d" %
                   (e["seq"], k, d.get(k), type(d.get(k)).__name__, want))
        for k in DATA_FIELDS:
            if k not in e["data"]:
                expect(k not in d, "seq %d: unexpected field %s" % (e["seq"], k))
    for p in problems:
        print(p, file=sys.stderr)
    print("ok" if not problems else "%d problems" % len(problems))
    return 1 if problems else 0


def compare_extjson(args):
    docs = final_docs(read_store(args.store), args.db, args.coll)
    problems = []
    seen = set()
    with open(args.file, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            d = json_util.loads(line)
            stored = docs.get(d.get("_id"))
            seen.add(d.get("_id"))
            if stored is None:
                problems.append("line %d: _id %r is not in %s.%s" %
                                (n, d.get("_id"), args.db, args.coll))
            elif list(d.keys()) != list(stored.keys()) or d != dict(stored):
                problems.append("line %d differs:\n  file:  %s\n  mongo: %s" % (
                    n, json_util.dumps(d),
                    json_util.dumps(stored, json_options=RELAXED_JSON_OPTIONS)))
    for missing in set(docs) - seen:
        problems.append("document %r is not in the file" % missing)
    for p in problems:
        print(p, file=sys.stderr)
    print("ok" if not problems else "%d problems" % len(problems))
    return 1 if problems else 0


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", default="inventory")
    p.add_argument("--coll", default="events")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("summary")
    s.add_argument("store")
    s.set_defaults(run=summary)
    s = sub.add_parser("doc")
    s.add_argument("store")
    s.add_argument("id")
    s.set_defaults(run=doc)
    s = sub.add_parser("check-shape")
    s.add_argument("store")
    s.add_argument("events")
    s.set_defaults(run=check_shape)
    s = sub.add_parser("compare-extjson")
    s.add_argument("store")
    s.add_argument("file")
    s.set_defaults(run=compare_extjson)
    args = p.parse_args()
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
