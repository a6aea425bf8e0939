// The span of a served request (see request_span.hpp).
#include "invlog/http/request_span.hpp"

#include "invlog/http/router.hpp"

namespace invlog::http {
namespace {

std::optional<telemetry::SpanContext> caller(const Request& request) {
    if (!telemetry::enabled()) return std::nullopt;
    if (auto header = request.header("traceparent")) return telemetry::parse_traceparent(*header);
    return std::nullopt;
}

}  // namespace

std::string route_command(const Match& m) {
    if (!m.route) return {};
    switch (m.route->id) {
    case RouteId::command: return std::string(m.command->name);
    case RouteId::ref_create: return "create";
    case RouteId::ref_update: return "set-soh";
    case RouteId::ref_reserve: return "reserve";
    case RouteId::ref_complete: return "complete";
    default: return {};
    }
}

std::string route_label(const Match& m) {
    if (!m.route) return "unmatched";
    if (m.route->id == RouteId::command) return "/inventory/{sku}/" + std::string(m.command->name);
    return std::string(m.route->pattern);
}

std::string route_label(std::string_view method, std::string_view target) {
    return route_label(match(method, parse_target(target).segments));
}

RequestSpan::RequestSpan(const Request& request) : m_span("HTTP", telemetry::SpanKind::server, caller(request)) {
    if (!m_span.active()) return;
    const Target target = parse_target(request.target);
    const Match m = match(request.method, target.segments);
    const std::string route = route_label(m);
    // The semantic conventions' span name: "{method} {http.route}".
    m_span.set_name(m.route ? request.method + " " + route : request.method);
    m_span.set_string("http.request.method", request.method);
    if (m.route) m_span.set_string("http.route", route);
    m_span.set_string("url.path", request.target.substr(0, request.target.find('?')));
    if (!m.sku.empty()) m_span.set_string("invlog.sku", m.sku);
    if (auto command = route_command(m); !command.empty()) m_span.set_string("invlog.command", command);
}

void RequestSpan::finish(Response& response) {
    const auto context = m_span.context();
    if (!context) return;
    m_span.set_int("http.response.status_code", response.status);
    // Server errors only: a 4xx is the client's, as the conventions say.
    if (response.status >= 500) m_span.fail(std::to_string(response.status));
    response.set_header("traceresponse", telemetry::traceparent(*context));
}

}  // namespace invlog::http
