// W3C Trace Context: trace and span ids, and the traceparent header as pure
// functions (https://www.w3.org/TR/trace-context/). No I/O but the random
// source that makes new ids.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace invlog::telemetry {

using TraceId = std::array<std::uint8_t, 16>;
using SpanId = std::array<std::uint8_t, 8>;

struct SpanContext {
    TraceId trace_id{};
    SpanId span_id{};
    std::uint8_t flags = 1;  // sampled
};

// Random ids, never all zero (the W3C invalid value).
TraceId new_trace_id();
SpanId new_span_id();

bool is_zero(const TraceId& id);
bool is_zero(const SpanId& id);
std::string hex(const TraceId& id);
std::string hex(const SpanId& id);

// A traceparent header value: version 00 exactly as the spec writes it
// (55 characters, lowercase hex, ids not all zero); a later version is read
// by its first four fields when what follows starts with '-'; version ff, or
// anything else malformed, is nullopt (the caller starts a new trace).
std::optional<SpanContext> parse_traceparent(std::string_view value);

// "00-<trace id>-<span id>-<flags>": the traceparent of a request made in
// this span, and the traceresponse of a response.
std::string traceparent(const SpanContext& context);

}  // namespace invlog::telemetry
