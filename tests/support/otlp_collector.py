#!/usr/bin/python3
"""otlp_collector.py - a stand-in for an OpenTelemetry collector in tests.

Serves OTLP/HTTP on 127.0.0.1 (any free port, written to PORT_FILE), takes
POST /v1/traces (or any path) in http/protobuf or http/json, and appends one
JSON line per request to OUT_FILE: the path, the content type, the headers,
the resource attributes and every span in one plain form (ids as hex), plus
"problems": every way the request breaks the shape OTLP requires
(resourceSpans, scopeSpans, 16-byte trace ids and 8-byte span ids that are
not zero, 8-byte parent ids, start <= end, a service.name).

Protobuf is decoded by Google's runtime (Debian's python3-protobuf) against
descriptors written here from opentelemetry-proto (collector/trace/v1,
trace/v1, resource/v1, common/v1), independently of invlog's encoder; the
decoded message must also serialise back to the very bytes received. They
are deliberately not read from invlog's proto/ files, whose C++ protoc
generates for the encoder: a wrong field number there would then agree with
itself here.

Usage: otlp_collector.py PORT_FILE OUT_FILE
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

F = descriptor_pb2.FieldDescriptorProto
OPT, REP = F.LABEL_OPTIONAL, F.LABEL_REPEATED
STRING, BYTES, MSG, BOOL, INT64, DOUBLE = F.TYPE_STRING, F.TYPE_BYTES, F.TYPE_MESSAGE, F.TYPE_BOOL, F.TYPE_INT64, F.TYPE_DOUBLE
ENUM_AS_INT, FIXED64, FIXED32, UINT32 = F.TYPE_INT32, F.TYPE_FIXED64, F.TYPE_FIXED32, F.TYPE_UINT32

# name -> [(field, number, type, label, message type)]
MESSAGES = {
    "AnyValue": [("string_value", 1, STRING, OPT, None), ("bool_value", 2, BOOL, OPT, None),
                 ("int_value", 3, INT64, OPT, None), ("double_value", 4, DOUBLE, OPT, None),
                 ("bytes_value", 7, BYTES, OPT, None)],
    "KeyValue": [("key", 1, STRING, OPT, None), ("value", 2, MSG, OPT, "AnyValue")],
    "Resource": [("attributes", 1, MSG, REP, "KeyValue"), ("dropped_attributes_count", 2, UINT32, OPT, None)],
    "InstrumentationScope": [("name", 1, STRING, OPT, None), ("version", 2, STRING, OPT, None),
                             ("attributes", 3, MSG, REP, "KeyValue"),
                             ("dropped_attributes_count", 4, UINT32, OPT, None)],
    "Event": [("time_unix_nano", 1, FIXED64, OPT, None), ("name", 2, STRING, OPT, None),
              ("attributes", 3, MSG, REP, "KeyValue"), ("dropped_attributes_count", 4, UINT32, OPT, None)],
    "Link": [("trace_id", 1, BYTES, OPT, None), ("span_id", 2, BYTES, OPT, None),
             ("trace_state", 3, STRING, OPT, None), ("attributes", 4, MSG, REP, "KeyValue"),
             ("dropped_attributes_count", 5, UINT32, OPT, None), ("flags", 6, FIXED32, OPT, None)],
    "Status": [("message", 2, STRING, OPT, None), ("code", 3, ENUM_AS_INT, OPT, None)],
    "Span": [("trace_id", 1, BYTES, OPT, None), ("span_id", 2, BYTES, OPT, None),
             ("trace_state", 3, STRING, OPT, None), ("parent_span_id", 4, BYTES, OPT, None),
             ("name", 5, STRING, OPT, None), ("kind", 6, ENUM_AS_INT, OPT, None),
             ("start_time_unix_nano", 7, FIXED64, OPT, None), ("end_time_unix_nano", 8, FIXED64, OPT, None),
             ("attributes", 9, MSG, REP, "KeyValue"), ("dropped_attributes_count", 10, UINT32, OPT, None),
             ("events", 11, MSG, REP, "Event"), ("dropped_events_count", 12, UINT32, OPT, None),
             ("links", 13, MSG, REP, "Link"), ("dropped_links_count", 14, UINT32, OPT, None),
             ("status", 15, MSG, OPT, "Status"), ("flags", 16, FIXED32, OPT, None)],
    "ScopeSpans": [("scope", 1, MSG, OPT, "InstrumentationScope"), ("spans", 2, MSG, REP, "Span"),
                   ("schema_url", 3, STRING, OPT, None)],
    "ResourceSpans": [("resource", 1, MSG, OPT, "Resource"), ("scope_spans", 2, MSG, REP, "ScopeSpans"),
                      ("schema_url", 3, STRING, OPT, None)],
    "ExportTraceServiceRequest": [("resource_spans", 1, MSG, REP, "ResourceSpans")],
}


def request_class():
    # proto2, so that presence is kept (a bool_value false is still "set").
    fdp = descriptor_pb2.FileDescriptorProto(name="otlp_trace_subset.proto", package="otlp", syntax="proto2")
    for name, fields in MESSAGES.items():
        m = fdp.message_type.add(name=name)
        for fname, number, ftype, label, type_name in fields:
            f = m.field.add(name=fname, number=number, type=ftype, label=label)
            if type_name:
                f.type_name = ".otlp." + type_name
    pool = descriptor_pool.DescriptorPool()
    pool.Add(fdp)
    return message_factory.MessageFactory(pool).GetPrototype(pool.FindMessageTypeByName("otlp.ExportTraceServiceRequest"))


ExportTraceServiceRequest = request_class()


def any_value_pb(v):
    for name in ("string_value", "bool_value", "int_value", "double_value"):
        if v.HasField(name):
            return getattr(v, name)
    return None


def from_protobuf(body):
    req = ExportTraceServiceRequest()
    req.ParseFromString(body)
    problems = []
    if req.SerializeToString() != body:
        problems.append("the protobuf bytes are not the canonical encoding of what they decode to")
    out = []
    for rs in req.resource_spans:
        r = {"resource": {kv.key: any_value_pb(kv.value) for kv in rs.resource.attributes}, "scopes": []}
        for ss in rs.scope_spans:
            spans = []
            for s in ss.spans:
                spans.append({
                    "trace_id": s.trace_id.hex(), "span_id": s.span_id.hex(), "parent_span_id": s.parent_span_id.hex(),
                    "name": s.name, "kind": s.kind,
                    "start": s.start_time_unix_nano, "end": s.end_time_unix_nano,
                    "attributes": {kv.key: any_value_pb(kv.value) for kv in s.attributes},
                    "links": [{"trace_id": l.trace_id.hex(), "span_id": l.span_id.hex()} for l in s.links],
                    "status": {"code": s.status.code, "message": s.status.message} if s.HasField("status") else None,
                })
            r["scopes"].append({"name": ss.scope.name, "spans": spans})
        out.append(r)
    return out, problems


def any_value_json(v):
    if "stringValue" in v:
        return v["stringValue"]
    if "boolValue" in v:
        return v["boolValue"]
    if "intValue" in v:
        return int(v["intValue"])  # a decimal string in OTLP JSON
    if "doubleValue" in v:
        return v["doubleValue"]
    return None


def from_json(body):
    doc = json.loads(body)
    problems = []
    out = []
    if "resourceSpans" not in doc:
        problems.append("no resourceSpans")
    for rs in doc.get("resourceSpans", []):
        r = {"resource": {kv["key"]: any_value_json(kv["value"]) for kv in rs.get("resource", {}).get("attributes", [])},
             "scopes": []}
        if "scopeSpans" not in rs:
            problems.append("no scopeSpans")
        for ss in rs.get("scopeSpans", []):
            spans = []
            for s in ss.get("spans", []):
                for key in ("startTimeUnixNano", "endTimeUnixNano"):
                    if not isinstance(s.get(key), str):
                        problems.append(f"{key} is not a decimal string")
                spans.append({
                    "trace_id": s.get("traceId", ""), "span_id": s.get("spanId", ""),
                    "parent_span_id": s.get("parentSpanId", ""), "name": s.get("name", ""), "kind": s.get("kind", 0),
                    "start": int(s.get("startTimeUnixNano", "0")), "end": int(s.get("endTimeUnixNano", "0")),
                    "attributes": {kv["key"]: any_value_json(kv["value"]) for kv in s.get("attributes", [])},
                    "links": [{"trace_id": l.get("traceId", ""), "span_id": l.get("spanId", "")}
                              for l in s.get("links", [])],
                    "status": s.get("status"),
                })
            r["scopes"].append({"name": ss.get("scope", {}).get("name", ""), "spans": spans})
        out.append(r)
    return out, problems


def is_hex_id(text, size):
    try:
        return len(text) == 2 * size and bytes.fromhex(text) != bytes(size) and text == text.lower()
    except ValueError:
        return False


def shape_problems(resource_spans):
    problems = []
    if not resource_spans:
        problems.append("resourceSpans is empty")
    for rs in resource_spans:
        if not rs["resource"].get("service.name"):
            problems.append("the resource has no service.name")
        if not rs["scopes"]:
            problems.append("scopeSpans is empty")
        for scope in rs["scopes"]:
            for s in scope["spans"]:
                if not is_hex_id(s["trace_id"], 16):
                    problems.append(f"span {s['name']}: trace id {s['trace_id']!r} is not 16 bytes, not zero")
                if not is_hex_id(s["span_id"], 8):
                    problems.append(f"span {s['name']}: span id {s['span_id']!r} is not 8 bytes, not zero")
                if s["parent_span_id"] and not is_hex_id(s["parent_span_id"], 8):
                    problems.append(f"span {s['name']}: parent id {s['parent_span_id']!r} is not 8 bytes")
                if not s["name"]:
                    problems.append("a span has no name")
                if not 0 < s["start"] <= s["end"]:
                    problems.append(f"span {s['name']}: start {s['start']} is not in (0, end {s['end']}]")
                for link in s["links"]:
                    if not is_hex_id(link["trace_id"], 16) or not is_hex_id(link["span_id"], 8):
                        problems.append(f"span {s['name']}: a link's ids are malformed")
    return problems


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        ctype = self.headers.get("Content-Type", "")
        record = {"path": self.path, "content_type": ctype,
                  "headers": {k.lower(): v for k, v in self.headers.items()}}
        try:
            if ctype == "application/x-protobuf":
                decoded, problems = from_protobuf(body)
            elif ctype == "application/json":
                decoded, problems = from_json(body)
            else:
                decoded, problems = [], [f"unexpected content type {ctype!r}"]
            problems += shape_problems(decoded)
        except Exception as e:  # noqa: BLE001 - any decoding failure is a finding
            decoded, problems = [], [f"cannot decode: {e}"]
        record["resource_spans"] = decoded
        record["problems"] = problems
        with open(self.server.out_file, "a") as f:
            f.write(json.dumps(record) + "\n")
        reply = b"{}" if ctype == "application/json" else b""
        self.send_response(200)
        self.send_header("Content-Type", ctype or "application/x-protobuf")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass


def main():
    port_file, out_file = sys.argv[1], sys.argv[2]
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.out_file = out_file
    with open(port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    import os
    os.rename(port_file + ".tmp", port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
