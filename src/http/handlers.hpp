// The route handlers, one file per family (write, read, feed, audit). Each
// gets the parsed target and the matched route and returns a response or
// throws domain::Failure, which Service::handle maps in one place.
#pragma once

#include "invlog/app/service.hpp"
#include "invlog/http/message.hpp"
#include "invlog/http/router.hpp"
#include "invlog/http/service.hpp"

namespace invlog::http {

struct Call {
    Service& service;
    const Request& request;
    const Target& target;
    const Match& match;
};

// handlers_write.cpp
Response handle_command(const Call& call);
Response handle_reference_write(const Call& call);
// Runs one request through the group committer.
app::Outcome run_request(Service& service, const app::Request& request);

// handlers_read.cpp
Response handle_reference_show(const Call& call);
Response handle_state(const Call& call);
Response handle_list(const Call& call);
Response handle_history(const Call& call);
Response handle_events(const Call& call);

// handlers_apply.cpp
Response handle_apply(const Call& call);

// handlers_audit.cpp
Response handle_healthz(const Call& call);
Response handle_openapi(const Call& call);
Response handle_stats(const Call& call);
Response handle_verify(const Call& call);
Response handle_exports(const Call& call);

// handlers_metrics.cpp
Response handle_metrics(const Call& call);

// The state object of `invlog -o json` write commands, plus "replayed".
std::string state_body(const domain::SkuState& state, const std::vector<std::string>& notes, bool replayed);
// Whether the client asked for NDJSON (?format=ndjson or Accept).
bool wants_ndjson(const Call& call);

}  // namespace invlog::http
