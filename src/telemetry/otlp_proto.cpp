// The OTLP/HTTP protobuf body of a batch of spans, written by hand.
//
// Why not libprotobuf: invlog only ever writes five small messages
// (ExportTraceServiceRequest, ResourceSpans, ScopeSpans, Span with its Link
// and Status, KeyValue/AnyValue) and never reads one. Their wire form is
// three encodings (varint, fixed64, length-delimited); this file is that
// and the field numbers of opentelemetry-proto's trace.proto,
// resource.proto and common.proto (v1, stable), which do not change.
// The tests decode the output with Google's own protobuf runtime
// (python3-protobuf, tests/support/otlp_collector.py) against descriptors
// written from the same .proto files, so a mistake here fails there.
// Generated code would add protoc and libprotobuf to the build and to the
// HTTP module for the same bytes.
#include "invlog/telemetry/otlp.hpp"

namespace invlog::telemetry {
namespace {

enum Wire : std::uint32_t { varint = 0, fixed64 = 1, length = 2 };

void put_varint(std::string& out, std::uint64_t v) {
    while (v >= 0x80) {
        out += static_cast<char>((v & 0x7f) | 0x80);
        v >>= 7;
    }
    out += static_cast<char>(v);
}

void put_tag(std::string& out, std::uint32_t field, Wire wire) { put_varint(out, (field << 3) | wire); }

void put_bytes(std::string& out, std::uint32_t field, const void* data, std::size_t size) {
    put_tag(out, field, length);
    put_varint(out, size);
    out.append(static_cast<const char*>(data), size);
}

void put_string(std::string& out, std::uint32_t field, const std::string& s) { put_bytes(out, field, s.data(), s.size()); }

void put_fixed64(std::string& out, std::uint32_t field, std::uint64_t v) {
    put_tag(out, field, fixed64);
    for (int i = 0; i < 8; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);  // little-endian
}

void put_uint(std::string& out, std::uint32_t field, std::uint64_t v) {
    put_tag(out, field, varint);
    put_varint(out, v);
}

// common.proto: KeyValue { key = 1; value = 2 }, AnyValue { string_value = 1;
// bool_value = 2; int_value = 3 }.
std::string key_value(const std::string& key, const AttributeValue& value) {
    std::string any;
    if (auto* s = std::get_if<std::string>(&value))
        put_string(any, 1, *s);
    else if (auto* b = std::get_if<bool>(&value))
        put_uint(any, 2, *b ? 1 : 0);
    else
        put_uint(any, 3, static_cast<std::uint64_t>(std::get<std::int64_t>(value)));  // int64: two's complement
    std::string kv;
    put_string(kv, 1, key);
    put_string(kv, 2, any);
    return kv;
}

// trace.proto: Span { trace_id = 1; span_id = 2; parent_span_id = 4; name = 5;
// kind = 6; start_time_unix_nano = 7 (fixed64); end_time_unix_nano = 8;
// attributes = 9; links = 13; status = 15 }, Span.Link { trace_id = 1;
// span_id = 2 }, Status { message = 2; code = 3 }.
std::string span_bytes(const SpanData& s) {
    std::string out;
    put_bytes(out, 1, s.trace_id.data(), s.trace_id.size());
    put_bytes(out, 2, s.span_id.data(), s.span_id.size());
    if (!is_zero(s.parent_id)) put_bytes(out, 4, s.parent_id.data(), s.parent_id.size());
    put_string(out, 5, s.name);
    put_uint(out, 6, static_cast<std::uint64_t>(s.kind));
    put_fixed64(out, 7, s.start_ns);
    put_fixed64(out, 8, s.end_ns);
    for (const auto& a : s.attributes) put_string(out, 9, key_value(a.key, a.value));
    for (const auto& l : s.links) {
        std::string link;
        put_bytes(link, 1, l.trace_id.data(), l.trace_id.size());
        put_bytes(link, 2, l.span_id.data(), l.span_id.size());
        put_string(out, 13, link);
    }
    if (s.error) {
        std::string status;
        put_string(status, 2, s.status_message);
        put_uint(status, 3, 2);  // STATUS_CODE_ERROR
        put_string(out, 15, status);
    }
    return out;
}

}  // namespace

// ExportTraceServiceRequest { resource_spans = 1 }, ResourceSpans { resource = 1;
// scope_spans = 2 }, Resource { attributes = 1 }, ScopeSpans { scope = 1;
// spans = 2 }, InstrumentationScope { name = 1 }.
std::string otlp_protobuf(const KeyValues& resource, const std::vector<SpanData>& spans) {
    std::string res;
    for (const auto& [k, v] : resource) put_string(res, 1, key_value(k, v));
    std::string scope;
    put_string(scope, 1, "invlog");
    std::string scope_spans;
    put_string(scope_spans, 1, scope);
    for (const auto& s : spans) put_string(scope_spans, 2, span_bytes(s));
    std::string resource_spans;
    put_string(resource_spans, 1, res);
    put_string(resource_spans, 2, scope_spans);
    std::string request;
    put_string(request, 1, resource_spans);
    return request;
}

}  // namespace invlog::telemetry
