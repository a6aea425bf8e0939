// OTLP/HTTP request bodies for spans: an ExportTraceServiceRequest
// (opentelemetry/proto/collector/trace/v1) in the JSON mapping or the binary
// protobuf encoding. Only the trace messages invlog sends are written.
#pragma once

#include <string>
#include <vector>

#include "invlog/telemetry/config.hpp"
#include "invlog/telemetry/span.hpp"

namespace invlog::telemetry {

std::string otlp_json(const KeyValues& resource, const std::vector<SpanData>& spans);
// Generated code over libprotobuf-lite (proto/): defined in the HTTP module,
// invlog-http.so, and called through its table (http::HttpModule), so that
// the core never links libprotobuf.
std::string otlp_protobuf(const KeyValues& resource, const std::vector<SpanData>& spans);

}  // namespace invlog::telemetry
