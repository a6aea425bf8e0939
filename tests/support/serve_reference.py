#!/usr/bin/python3
"""Checks the reference service's five routes of `invlog serve` with
http.client, against the answers FastAPI with pydantic v2 gives: every 422
entry compared with the exact JSON, and for malformed bodies, the
json_invalid entry compared with what Python's own json module reports for
the same bytes (the reference decodes bodies with it).

    serve_reference.py PORT   -> prints "N passed, M failed", exits 1 on a failure
"""
import http.client
import json
import random
import sys

PORT = int(sys.argv[1])
passed = failed = 0


def check(what, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what} {detail}", file=sys.stderr)


def call(method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    h = {} if headers is None else dict(headers)
    if body is not None and "Content-Type" not in h and "content-type" not in h:
        h["Content-Type"] = "application/json"
    conn.request(method, path, body=body, headers=h)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, data, r


def entry(type_, loc, msg, input_, ctx=None):
    e = {"type": type_, "loc": loc, "msg": msg, "input": input_}
    if ctx is not None:
        e["ctx"] = ctx
    return e


def expect_422(what, path, method, body, entries, headers=None):
    status, data, _ = call(method, path, body, headers)
    want = {"detail": entries, "code": "invalid_argument", "exit_code": 2}
    got = None
    try:
        got = json.loads(data)
    except ValueError:
        pass
    check(what, status == 422 and got == want, f"status {status}: {data!r}\n   want {json.dumps(want)}")
    # FastAPI's compact separators, keys in pydantic's order.
    check(what + " (bytes)", data == json.dumps(want, separators=(",", ":"), ensure_ascii=False).encode(),
          f"{data!r}")


GT = {"gt": 0}
MSG_GT = "Input should be greater than 0"
MSG_INT = "Input should be a valid integer"
MSG_PARSE = "Input should be a valid integer, unable to parse string as an integer"
MSG_FRAC = "Input should be a valid integer, got a number with a fractional part"
MSG_STR = "Input should be a valid string"
MSG_MODEL = "Input should be a valid dictionary or object to extract fields from"

# Successes, as the reference answers them: 200 and four keys in its order.
status, data, r = call("POST", "/inventory/create", json.dumps({"sku": "REF-1", "soh": 10, "available_quantity": 8}))
check("create", status == 200 and data == b'{"sku":"REF-1","soh":10,"reserved":0,"available_quantity":8}', data)
check("create ETag", r.getheader("ETag") == '"1"', r.getheader("ETag"))
status, data, _ = call("PATCH", "/inventory/REF-1/reserve", '{"quantity": "3"}')  # lax: a string of digits
check("reserve", status == 200 and json.loads(data) == {"sku": "REF-1", "soh": 10, "reserved": 3,
                                                         "available_quantity": 5}, data)
status, data, _ = call("PATCH", "/inventory/REF-1/complete", '{"quantity": 2.0, "note": "ignored"}')
check("complete", status == 200 and json.loads(data)["soh"] == 8, data)
status, data, _ = call("PATCH", "/inventory/REF-1/update", '{"soh": 20, "available_quantity": 12}')
check("update", status == 200 and json.loads(data) == {"sku": "REF-1", "soh": 20, "reserved": 1,
                                                        "available_quantity": 12}, data)
status, data, r = call("GET", "/inventory/REF-1")
check("get", status == 200 and list(json.loads(data)) == ["sku", "soh", "reserved", "available_quantity"], data)
check("get ETag", r.getheader("ETag") == '"7"', r.getheader("ETag"))
status, data, _ = call("GET", "/inventory/REF-1?at_version=1")
check("get at_version", status == 200 and json.loads(data)["soh"] == 10, data)

# Every refusal is 400, an unknown SKU included, with invlog's code.
for what, method, path, body, code in [
    ("unknown SKU", "GET", "/inventory/NOPE", None, "sku_not_found"),
    ("reserve unknown SKU", "PATCH", "/inventory/NOPE/reserve", '{"quantity":1}', "sku_not_found"),
    ("oversell", "PATCH", "/inventory/REF-1/reserve", '{"quantity":100}', "insufficient_available"),
    ("complete more than reserved", "PATCH", "/inventory/REF-1/complete", '{"quantity":5}', "insufficient_reserved"),
    ("duplicate create", "POST", "/inventory/create", '{"sku":"REF-1","soh":1,"available_quantity":1}',
     "already_exists"),
    ("available > soh", "POST", "/inventory/create", '{"sku":"REF-2","soh":1,"available_quantity":2}',
     "available_exceeds_soh"),
    ("empty SKU", "POST", "/inventory/create", '{"sku":"","soh":1,"available_quantity":1}', "invalid_argument"),
    ("over invlog's limit", "PATCH", "/inventory/REF-1/reserve", '{"quantity":10000000000000}', "invalid_argument"),
    ("bad as_of", "GET", "/inventory/REF-1?as_of=tomorrow", None, "invalid_argument"),
    ("version past the last", "GET", "/inventory/REF-1?at_version=99", None, "version_not_found"),
]:
    status, data, _ = call(method, path, body)
    got = json.loads(data) if data else {}
    check(what, status == 400 and got.get("code") == code and isinstance(got.get("detail"), str), f"{status} {data}")

# Validation errors: pydantic v2's entries, every error of a body, in field order.
expect_422("zero", "/inventory/REF-1/reserve", "PATCH", '{"quantity": 0}',
           [entry("greater_than", ["body", "quantity"], MSG_GT, 0, GT)])
expect_422("negative", "/inventory/REF-1/reserve", "PATCH", '{"quantity": -4}',
           [entry("greater_than", ["body", "quantity"], MSG_GT, -4, GT)])
expect_422("false is 0", "/inventory/REF-1/reserve", "PATCH", '{"quantity": false}',
           [entry("greater_than", ["body", "quantity"], MSG_GT, False, GT)])
expect_422("missing field", "/inventory/REF-1/complete", "PATCH", '{"qty": 2}',
           [entry("missing", ["body", "quantity"], "Field required", {"qty": 2})])
expect_422("wrong type", "/inventory/REF-1/reserve", "PATCH", '{"quantity": [1]}',
           [entry("int_type", ["body", "quantity"], MSG_INT, [1])])
expect_422("null", "/inventory/REF-1/reserve", "PATCH", '{"quantity": null}',
           [entry("int_type", ["body", "quantity"], MSG_INT, None)])
expect_422("string", "/inventory/REF-1/reserve", "PATCH", '{"quantity": "three"}',
           [entry("int_parsing", ["body", "quantity"], MSG_PARSE, "three")])
expect_422("fraction", "/inventory/REF-1/reserve", "PATCH", '{"quantity": 2.5}',
           [entry("int_from_float", ["body", "quantity"], MSG_FRAC, 2.5)])
expect_422("string zero", "/inventory/REF-1/reserve", "PATCH", '{"quantity": "0"}',
           [entry("greater_than", ["body", "quantity"], MSG_GT, "0", GT)])
expect_422("all fields, in order", "/inventory/create", "POST", '{"available_quantity": -1, "sku": 7, "x": 1}',
           [entry("string_type", ["body", "sku"], MSG_STR, 7),
            entry("missing", ["body", "soh"], "Field required", {"available_quantity": -1, "sku": 7, "x": 1}),
            entry("greater_than", ["body", "available_quantity"], MSG_GT, -1, GT)])
expect_422("update both", "/inventory/REF-1/update", "PATCH", '{}',
           [entry("missing", ["body", "soh"], "Field required", {}),
            entry("missing", ["body", "available_quantity"], "Field required", {})])
expect_422("a JSON array", "/inventory/REF-1/reserve", "PATCH", '[1, 2]',
           [entry("model_attributes_type", ["body"], MSG_MODEL, [1, 2])])
expect_422("a JSON string", "/inventory/REF-1/reserve", "PATCH", '"x"',
           [entry("model_attributes_type", ["body"], MSG_MODEL, "x")])
expect_422("no body", "/inventory/REF-1/reserve", "PATCH", None,
           [entry("missing", ["body"], "Field required", None)])
expect_422("JSON null", "/inventory/REF-1/reserve", "PATCH", 'null',
           [entry("missing", ["body"], "Field required", None)])
expect_422("not JSON", "/inventory/REF-1/reserve", "PATCH", 'quantity=1',
           [entry("json_invalid", ["body", 0], "JSON decode error", {}, {"error": "Expecting value"})])
expect_422("form-encoded, as curl -d sends it", "/inventory/REF-1/reserve", "PATCH", '{"quantity":1}',
           [entry("model_attributes_type", ["body"], MSG_MODEL, '{"quantity":1}')],
           headers={"Content-Type": "application/x-www-form-urlencoded"})
expect_422("duplicate keys: the last wins", "/inventory/REF-1/reserve", "PATCH", '{"quantity": 1, "quantity": 0}',
           [entry("greater_than", ["body", "quantity"], MSG_GT, 0, GT)])
expect_422("floats echoed as Python writes them", "/inventory/REF-1/reserve", "PATCH", '{"quantity": 1e-7}',
           [entry("int_from_float", ["body", "quantity"], MSG_FRAC, 1e-7)])
status, data, _ = call("PATCH", "/inventory/REF-1/reserve", b'{"quantity": "\xff"}')
check("invalid UTF-8: FastAPI's 400", status == 400 and json.loads(data)["detail"] == "There was an error parsing the body",
      data)

# Malformed JSON: the position and message Python's json module gives.
rng = random.Random(11)
bodies = ['{"quantity": 1', '{"quantity" 1}', '{"quantity": 1,}', '{quantity: 1}', '{"quantity": 01}',
          '{"quantity": 1} {}', '[1,', '{"quantity": "a\nb"}', '{"quantity": "\\x"}', '{"quantity": "\\u12"}',
          '{"é": 1, "quantity": 1 ', '   ', '{"quantity": tru}', '{"quantity": -}', '{"quantity": 1.}']
alphabet = '{}[]":,01-.eE tfnul\\ab"é'
for _ in range(60):
    base = '{"quantity": 3, "x": [1, "a", null]}'
    chars = list(base)
    for _ in range(rng.randint(1, 3)):
        chars.insert(rng.randrange(len(chars) + 1), rng.choice(alphabet))
        if chars and rng.random() < 0.5:
            del chars[rng.randrange(len(chars))]
    bodies.append("".join(chars))
for body in bodies:
    try:
        json.loads(body.encode())
        continue  # valid JSON: not a decode error case
    except json.JSONDecodeError as e:
        want = [entry("json_invalid", ["body", e.pos], "JSON decode error", {}, {"error": e.msg})]
    expect_422(f"malformed {body!r}", "/inventory/REF-1/reserve", "PATCH", body.encode(), want)

# Paths: unknown is 404 {"detail":"Not Found"}, a known path with another method 405.
status, data, _ = call("GET", "/nowhere")
check("404", status == 404 and json.loads(data)["detail"] == "Not Found", data)
status, data, r = call("DELETE", "/inventory/REF-1/reserve")
check("405", status == 405 and json.loads(data)["detail"] == "Method Not Allowed", data)
check("Allow", r.getheader("Allow") == "PATCH, POST", r.getheader("Allow"))

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
