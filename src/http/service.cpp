// Dispatch, authentication and the one catch that maps failures to
// responses (see service.hpp).
#include "invlog/http/service.hpp"

#include <fmt/format.h>

#include "handlers.hpp"
#include "invlog/http/request_span.hpp"
#include "invlog/http/status.hpp"
#include "invlog/util/crypto.hpp"
#include "invlog/util/time.hpp"

namespace invlog::http {
namespace {

std::atomic<std::uint64_t> next_service_id{1};

bool is_reference(RouteId id) {
    return id == RouteId::ref_create || id == RouteId::ref_show || id == RouteId::ref_update ||
           id == RouteId::ref_reserve || id == RouteId::ref_complete;
}

}  // namespace

std::string request_id(const Request& request) {
    if (auto id = request.header("X-Request-Id"); id && !id->empty() && id->size() <= 64) {
        bool printable = true;
        for (unsigned char c : *id) printable = printable && c > 0x20 && c < 0x7f;
        if (printable) return *id;
    }
    return util::uuid_v7(util::now_ms());
}

Service::Service(ServiceOptions options, app::GroupCommitter& committer)
    : m_options(std::move(options)), m_committer(committer), m_id(next_service_id++) {}

store::EventStore& Service::reader() {
    // One read-only connection per thread (and per service, for tests that
    // run several), kept for the thread's life.
    thread_local std::unique_ptr<store::EventStore> connection;
    thread_local std::uint64_t owner = 0;
    if (!connection || owner != m_id) {
        connection.reset();
        store::OpenOptions open{m_options.db, store::OpenMode::read, m_options.lock_timeout_ms};
        open.beside_writer = true;  // the committer appends to this file while the connection lives
        connection = store::open_store(open);
        owner = m_id;
    }
    return *connection;
}

std::optional<Response> Service::refusal(const Request& request, const Match& match) const {
    const bool open = match.route && (match.route->id == RouteId::healthz);
    if (m_options.tokens && !open) {
        const Access access = m_options.tokens->check(request.header("Authorization"));
        if (access == Access::none) {
            Response r = plain_error(401, "unauthorized",
                                     request.header("Authorization") ? "the bearer token is not valid"
                                                                     : "a bearer token is required (Authorization: "
                                                                       "Bearer TOKEN)",
                                     2);
            r.set_header("WWW-Authenticate", "Bearer");
            return r;
        }
        if (match.route && match.route->writes && access != Access::write)
            return plain_error(403, "forbidden", "this token may only read", 2);
    }
    if (!match.route) {
        if (match.allow.empty()) return plain_error(404, "unknown_route", "Not Found", 2);
        Response r = plain_error(405, "method_not_allowed", "Method Not Allowed", 2);
        r.set_header("Allow", fmt::format("{}", fmt::join(match.allow, ", ")));
        return r;
    }
    return std::nullopt;
}

std::optional<Response> Service::refuse_early(const Request& request) const {
    if (m_options.dashboard && dashboard_response(request, *m_options.dashboard)) return std::nullopt;
    const Target target = parse_target(request.target);
    auto r = refusal(request, match(request.method, target.segments));
    if (r) r->set_header("X-Request-Id", request_id(request));
    return r;
}

Response Service::dispatch(const Request& request) {
    // The pages first: they hold no data and need no token, and /events is
    // a page only for a client that asks for HTML.
    if (m_options.dashboard)
        if (auto page = dashboard_response(request, *m_options.dashboard)) return *page;
    const Target target = parse_target(request.target);
    const Match m = match(request.method, target.segments);
    if (auto refused = refusal(request, m)) return *refused;
    const Call call{*this, request, target, m};
    try {
        switch (m.route->id) {
        case RouteId::healthz: return handle_healthz(call);
        case RouteId::openapi: return handle_openapi(call);
        case RouteId::ref_create:
        case RouteId::ref_update:
        case RouteId::ref_reserve:
        case RouteId::ref_complete: return handle_reference_write(call);
        case RouteId::ref_show: return handle_reference_show(call);
        case RouteId::command: return handle_command(call);
        case RouteId::list: return handle_list(call);
        case RouteId::state: return handle_state(call);
        case RouteId::history: return handle_history(call);
        case RouteId::events: return handle_events(call);
        case RouteId::apply: return handle_apply(call);
        case RouteId::stats: return handle_stats(call);
        case RouteId::verify: return handle_verify(call);
        case RouteId::metrics: return handle_metrics(call);
        case RouteId::exports: return handle_exports(call);
        }
        return plain_error(404, "unknown_route", "Not Found", 2);
    } catch (const domain::Failure& f) {
        if (auto command = route_command(m); !command.empty())
            m_metrics->observe_command(command, std::string(domain::kind_name(f.kind())));
        Response r = is_reference(m.route->id) ? reference_error_response(f) : error_response(f);
        r.sku = m.sku;
        return r;
    }
}

Response Service::handle(const Request& request) {
    Response r;
    try {
        r = dispatch(request);
    } catch (const std::exception& e) {
        r = plain_error(500, "internal_error", fmt::format("internal error: {}", e.what()), 5);
    }
    // Refusals are counted by dispatch, with their kind.
    if (r.status < 300)
        if (auto command = route_command(match(request.method, parse_target(request.target).segments));
            !command.empty())
            m_metrics->observe_command(command, "ok");
    r.set_header("X-Request-Id", request_id(request));
    return r;
}

}  // namespace invlog::http
