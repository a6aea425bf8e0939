// The OTLP/HTTP JSON body of a batch of spans: the protobuf JSON mapping
// with OTLP's exceptions (trace and span ids as hex, not base64; enums as
// integers; 64-bit integers as decimal strings).
#include <nlohmann/json.hpp>

#include "invlog/telemetry/otlp.hpp"

namespace invlog::telemetry {
namespace {

using Json = nlohmann::ordered_json;

Json any_value(const AttributeValue& v) {
    if (auto* s = std::get_if<std::string>(&v)) return {{"stringValue", *s}};
    if (auto* i = std::get_if<std::int64_t>(&v)) return {{"intValue", std::to_string(*i)}};
    return {{"boolValue", std::get<bool>(v)}};
}

Json span_json(const SpanData& s) {
    Json j;
    j["traceId"] = hex(s.trace_id);
    j["spanId"] = hex(s.span_id);
    if (!is_zero(s.parent_id)) j["parentSpanId"] = hex(s.parent_id);
    j["name"] = s.name;
    j["kind"] = static_cast<int>(s.kind);
    j["startTimeUnixNano"] = std::to_string(s.start_ns);
    j["endTimeUnixNano"] = std::to_string(s.end_ns);
    Json attrs = Json::array();
    for (const auto& a : s.attributes) attrs.push_back({{"key", a.key}, {"value", any_value(a.value)}});
    j["attributes"] = attrs;
    if (!s.links.empty()) {
        Json links = Json::array();
        for (const auto& l : s.links) links.push_back({{"traceId", hex(l.trace_id)}, {"spanId", hex(l.span_id)}});
        j["links"] = links;
    }
    if (s.error) j["status"] = {{"code", 2}, {"message", s.status_message}};
    return j;
}

}  // namespace

std::string otlp_json(const KeyValues& resource, const std::vector<SpanData>& spans) {
    Json attrs = Json::array();
    for (const auto& [k, v] : resource) attrs.push_back({{"key", k}, {"value", {{"stringValue", v}}}});
    Json list = Json::array();
    for (const auto& s : spans) list.push_back(span_json(s));
    Json scope = {{"scope", {{"name", "invlog"}}}, {"spans", list}};
    Json body = {{"resourceSpans",
                  Json::array({{{"resource", {{"attributes", attrs}}}, {"scopeSpans", Json::array({scope})}}})}};
    // Span names and attributes may hold any bytes a user typed: replaced,
    // never a throw.
    return body.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace invlog::telemetry
