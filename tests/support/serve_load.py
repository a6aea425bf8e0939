#!/usr/bin/python3
"""Concurrent clients for `invlog serve`, over keep-alive http.client
connections, one thread each.

    serve_load.py PORT reserve CLIENTS EACH SKU ROUTE
        CLIENTS threads send EACH reserves of 1 unit of SKU (ROUTE: reference
        = PATCH /inventory/SKU/reserve, invlog = POST); prints the count of
        each status as JSON: {"200": n, "400": m}
    serve_load.py PORT keyed CLIENTS SECONDS FILE
        CLIENTS threads send receives of 1 with unique Idempotency-Keys until
        the server goes away (or SECONDS pass); every key answered 200 is
        appended to FILE (flushed at once), one a line
"""
import http.client
import json
import sys
import threading
import time

port = int(sys.argv[1])
what = sys.argv[2]


def connection():
    return http.client.HTTPConnection("127.0.0.1", port, timeout=30)


if what == "reserve":
    clients, each, sku, route = int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]
    counts, lock = {}, threading.Lock()
    start = threading.Barrier(clients)

    def client():
        conn = connection()
        start.wait()
        for _ in range(each):
            if route == "reference":
                conn.request("PATCH", f"/inventory/{sku}/reserve", '{"quantity":1}',
                             {"Content-Type": "application/json"})
            else:
                conn.request("POST", f"/inventory/{sku}/reserve", '{"quantity":1}')
            r = conn.getresponse()
            r.read()
            with lock:
                counts[str(r.status)] = counts.get(str(r.status), 0) + 1
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(json.dumps(counts, sort_keys=True))
elif what == "keyed":
    clients, seconds, path = int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
    out = open(path, "a", buffering=1)
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(n):
        conn = connection()
        i = 0
        while time.monotonic() < deadline:
            key = f"c{n}-{i}"
            i += 1
            try:
                conn.request("POST", "/inventory/KILL/receive", '{"quantity":1}', {"Idempotency-Key": key})
                r = conn.getresponse()
                r.read()
            except (OSError, http.client.HTTPException):
                return  # the server is gone
            if r.status == 200:
                with lock:
                    out.write(key + "\n")
                    out.flush()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
