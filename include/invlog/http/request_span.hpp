// The server span of one HTTP request, with the attributes of the
// OpenTelemetry HTTP semantic conventions (http.request.method, http.route,
// url.path, http.response.status_code) and invlog's (invlog.sku,
// invlog.command). A request with a valid W3C traceparent continues the
// caller's trace; a malformed one is ignored and a new trace begins. The
// response carries traceresponse, so that a caller without a tracer can
// still find the trace.
#pragma once

#include <string>

#include "invlog/http/message.hpp"
#include "invlog/http/router.hpp"
#include "invlog/telemetry/span.hpp"

namespace invlog::http {

// The route template a request matched, for span names and metric labels:
// "/inventory/{sku}/reserve" (a command route names its command),
// "unmatched" for a path no route takes.
std::string route_label(std::string_view method, std::string_view target);
std::string route_label(const Match& match);
// The command a write route runs ("reserve"; the reference's PATCH
// /update runs "set-soh"), empty for the other routes.
std::string route_command(const Match& match);

class RequestSpan {
public:
    explicit RequestSpan(const Request& request);
    // Records the status and adds the traceresponse header.
    void finish(Response& response);

private:
    telemetry::Span m_span;
};

}  // namespace invlog::http
