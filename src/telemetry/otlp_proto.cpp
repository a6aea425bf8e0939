// The OTLP/HTTP protobuf body of a batch of spans, through the C++ that
// protoc generates at build time from proto/ (a subset of
// opentelemetry-proto's trace messages, written from the specification).
//
// Built into the HTTP module (invlog-http.so), not the core: libprotobuf-lite
// is then loaded only by a process that exports spans, which opens that
// module anyway for the POST. The core reaches this function through the
// module's table (http::HttpModule::otlp_protobuf).
#include "invlog/telemetry/otlp.hpp"

#include "invlog/domain/text.hpp"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

namespace invlog::telemetry {
namespace {

namespace common = opentelemetry::proto::common::v1;
namespace trace = opentelemetry::proto::trace::v1;

// proto3 `string` fields must hold UTF-8: a collector's parser rejects the
// whole request otherwise (the lite runtime does not check when writing).
// Span names and attributes may hold any bytes a user typed, so a byte that
// is not UTF-8 becomes U+FFFD, as in the JSON body.
std::string utf8(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t at = 0; at < text.size();) {
        if (auto cp = domain::decode_utf8(text, at)) {
            out.append(text.substr(at, cp->length));
            at += cp->length;
        } else {
            out += "\xef\xbf\xbd";
            ++at;
        }
    }
    return out;
}

void set_value(common::AnyValue& any, const AttributeValue& value) {
    if (auto* s = std::get_if<std::string>(&value))
        any.set_string_value(utf8(*s));
    else if (auto* b = std::get_if<bool>(&value))
        any.set_bool_value(*b);
    else
        any.set_int_value(std::get<std::int64_t>(value));
}

template <std::size_t N>
std::string bytes_of(const std::array<std::uint8_t, N>& id) {
    return {reinterpret_cast<const char*>(id.data()), id.size()};
}

void fill_span(trace::Span& out, const SpanData& s) {
    out.set_trace_id(bytes_of(s.trace_id));
    out.set_span_id(bytes_of(s.span_id));
    if (!is_zero(s.parent_id)) out.set_parent_span_id(bytes_of(s.parent_id));
    out.set_name(utf8(s.name));
    // SpanKind's numbers are OTLP's (span.hpp).
    out.set_kind(static_cast<trace::Span::SpanKind>(s.kind));
    out.set_start_time_unix_nano(s.start_ns);
    out.set_end_time_unix_nano(s.end_ns);
    for (const auto& a : s.attributes) {
        auto* kv = out.add_attributes();
        kv->set_key(utf8(a.key));
        set_value(*kv->mutable_value(), a.value);
    }
    for (const auto& l : s.links) {
        auto* link = out.add_links();
        link->set_trace_id(bytes_of(l.trace_id));
        link->set_span_id(bytes_of(l.span_id));
    }
    if (s.error) {
        auto* status = out.mutable_status();
        status->set_message(utf8(s.status_message));
        status->set_code(trace::Status::STATUS_CODE_ERROR);
    }
}

}  // namespace

std::string otlp_protobuf(const KeyValues& resource, const std::vector<SpanData>& spans) {
    opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest request;
    auto* resource_spans = request.add_resource_spans();
    auto* res = resource_spans->mutable_resource();
    for (const auto& [k, v] : resource) {
        auto* kv = res->add_attributes();
        kv->set_key(utf8(k));
        kv->mutable_value()->set_string_value(utf8(v));
    }
    auto* scope_spans = resource_spans->add_scope_spans();
    scope_spans->mutable_scope()->set_name("invlog");
    for (const auto& s : spans) fill_span(*scope_spans->add_spans(), s);
    return request.SerializeAsString();
}

}  // namespace invlog::telemetry
