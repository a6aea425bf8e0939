#!/usr/bin/env python3
"""Makes an invlog file look as if the clock had been LAG_MS behind the log's
last time while the commands of events FIRST..LAST were written: their
command ids (version 7 UUIDs of the clock reading) are moved LAG_MS earlier
than their recorded_at, and the hash chain is recomputed from FIRST on, as
codec.hpp documents it. It forges a valid file, as invlog would have written
it; run `invlog rebuild` afterwards to seal the snapshots again.

Usage: clock_behind.py DB FIRST LAST LAG_MS
"""
import hashlib
import os
import sqlite3
import struct
import sys

COLUMNS = ("seq, event_id, sku, version, event_type, data, recorded_at, actor, reason, command_id, "
           "idempotency_key, hash")


def put(value):
    if value is None:
        return b"\x01"
    data = str(value).encode()
    return b"\x00" + struct.pack(">I", len(data)) + data


def canonical(row):
    seq, event_id, sku, version, event_type, data, recorded_at, actor, reason, command_id, key, _ = row
    return b"".join(put(v) for v in (seq, event_id, sku, version, event_type, data, recorded_at, actor, reason,
                                     command_id, key))


def uuid_v7(ms):
    b = bytearray(ms.to_bytes(6, "big") + os.urandom(10))
    b[6] = 0x70 | (b[6] & 0x0F)
    b[8] = 0x80 | (b[8] & 0x3F)
    h = b.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def main():
    db, first, last, lag = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    conn = sqlite3.connect(db)
    conn.execute("DROP TRIGGER IF EXISTS events_no_update")
    rows = conn.execute(f"SELECT {COLUMNS} FROM events ORDER BY seq").fetchall()
    previous = bytes(32)
    new_ids = {}
    for row in rows:
        row = list(row)
        if first <= row[0] <= last:
            if row[9] not in new_ids:
                new_ids[row[9]] = uuid_v7(row[6] - lag)
            row[9] = new_ids[row[9]]
        if row[0] >= first:
            row[11] = hashlib.sha256(previous + canonical(row)).digest()
            conn.execute("UPDATE events SET command_id = ?, hash = ? WHERE seq = ?", (row[9], row[11], row[0]))
        previous = row[11]
    conn.execute("CREATE TRIGGER events_no_update BEFORE UPDATE ON events "
                 "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END")
    conn.commit()


if __name__ == "__main__":
    main()
