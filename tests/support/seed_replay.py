#!/usr/bin/python3
"""seed_replay.py - replays seed-compatible documents as the reference
inventory service does (../shared/seed/replay-rules.md), validations included.

Run with Debian's interpreter (/usr/bin/python3), which has python3-bson.

  seed_replay.py file FILE            FILE: `invlog export file --compat seed`
                                      (Extended JSON or ndjson lines)
  seed_replay.py store STORE [--db D] [--coll C]
                                      the collection of a mock_mongo.py store

Prints {sku: {"soh", "available_quantity", "reserved"}} as JSON, SKUs that
exist only (a replay that leaves sku == '' means no SKU). Exits 1, naming the
document, when an entity method raises (the reference cannot read that SKU)
or when two documents of a SKU share a created_at (MongoDB may return them
in either order).

The reader knows only the reference's seven event types and reads no field
but sku, event_type, created_at and the numbers its dispatch table names.
"""

import argparse
import datetime
import json
import os
import sys

from bson import json_util

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mongo_store  # noqa: E402


class Raised(Exception):
    pass


class Inventory:
    """The reference entity, method for method."""

    def __init__(self):
        self.sku, self.soh, self.available_quantity, self.reserved = "", 0, 0, 0

    def set_soh(self, soh):
        if self.reserved >= soh:
            raise Raised("set_soh(%d): reserved %d >= soh" % (soh, self.reserved))
        if soh >= 0:
            self.soh = soh

    def set_available_quantity(self, a):
        if self.soh < a:
            raise Raised("set_available_quantity(%d): soh %d < it" % (a, self.soh))
        if a >= 0:
            self.available_quantity = a

    def decrease_reserved(self, n):
        if self.reserved < n:
            raise Raised("decrease_reserved(%d): reserved %d < it" % (n, self.reserved))
        self.reserved -= n

    def update_soh(self, n):
        if self.soh <= 0:
            raise Raised("update_soh(%d): soh %d <= 0" % (n, self.soh))
        self.soh += n

    def update_available_quantity(self, n):
        if self.available_quantity <= 0:
            raise Raised("update_available_quantity(%d): available %d <= 0"
                         % (n, self.available_quantity))
        self.available_quantity += n

    def increase_reserved(self, n):
        if self.soh <= 0 or self.available_quantity < n:
            raise Raised("increase_reserved(%d): soh %d, available %d"
                         % (n, self.soh, self.available_quantity))
        self.reserved += n


def apply(inv, doc):
    t = doc.get("event_type")
    if t == "INVENTORY_CREATED":
        inv.sku = doc["sku"]
        inv.soh = int(doc["soh"])
        inv.available_quantity = int(doc["available_quantity"])
        inv.reserved = int(doc["reserved"])
    elif t == "STOCK_RESERVED":
        inv.increase_reserved(int(doc["reserved"]))
    elif t == "AVAILABLE_QUANTITY_DECREASED":
        inv.update_available_quantity(int(doc["available_quantity"]))
    elif t == "AVAILABLE_QUANTITY_REPLACED":
        inv.set_available_quantity(int(doc["available_quantity"]))
    elif t == "SOH_REPLACED":
        inv.set_soh(int(doc["soh"]))
    elif t == "PROCESSED_RESERVED_SOH_DECREASED":
        inv.update_soh(int(doc["soh"]))
    elif t == "PROCESSED_RESERVED_DECREASED":
        inv.decrease_reserved(int(doc["reserved"]))
    # anything else: skipped silently


def created_at(doc):
    v = doc["created_at"]
    if isinstance(v, str):
        return datetime.datetime.strptime(v, "%Y-%m-%dT%H:%M:%S.%fZ").replace(
            tzinfo=datetime.timezone.utc)
    if v.tzinfo is None:
        v = v.replace(tzinfo=datetime.timezone.utc)
    return v


def replay(docs):
    by_sku = {}
    for d in docs:
        by_sku.setdefault(d["sku"], []).append(d)
    out, problems = {}, []
    for sku in sorted(by_sku):
        # find({sku}).sort(created_at): no other order key.
        ordered = sorted(by_sku[sku], key=created_at)
        for a, b in zip(ordered, ordered[1:]):
            if created_at(a) == created_at(b):
                problems.append("SKU %s: %s and %s share created_at %s"
                                % (sku, a["_id"], b["_id"], created_at(a)))
        inv = Inventory()
        try:
            for d in ordered:
                apply(inv, d)
        except Raised as e:
            problems.append("SKU %s: document %s (%s) raises: %s"
                            % (sku, d["_id"], d["event_type"], e))
            continue
        if inv.sku != "":
            out[sku] = {"soh": inv.soh,
                        "available_quantity": inv.available_quantity,
                        "reserved": inv.reserved}
    return out, problems


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="what", required=True)
    f = sub.add_parser("file")
    f.add_argument("file")
    s = sub.add_parser("store")
    s.add_argument("store")
    s.add_argument("--db", default="inventory")
    s.add_argument("--coll", default="inventory")
    args = p.parse_args()
    if args.what == "file":
        with open(args.file, encoding="utf-8") as fh:
            docs = [json_util.loads(line) for line in fh if line.strip()]
    else:
        records = mongo_store.read_store(args.store)
        docs = list(mongo_store.final_docs(records, args.db, args.coll).values())
    out, problems = replay(docs)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(json.dumps(out, sort_keys=True))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
