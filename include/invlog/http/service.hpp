// The HTTP service without the socket: a request in, a response out. It
// routes, checks the token, runs writes through the group committer (one
// transaction and one fsync for all the writes waiting) and reads on a
// read-only connection of the calling thread, never the writer's.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include "invlog/app/group_commit.hpp"
#include "invlog/http/auth.hpp"
#include "invlog/http/dashboard.hpp"
#include "invlog/http/message.hpp"
#include "invlog/http/metrics.hpp"
#include "invlog/http/router.hpp"

namespace invlog::http {

struct ServiceOptions {
    std::string db;
    int lock_timeout_ms = 5000;
    std::string actor = "http";
    std::optional<Tokens> tokens;  // none: every request may read and write
    // The dashboard's files (dashboard.hpp); none: no pages, the API only.
    const std::vector<Asset>* dashboard = nullptr;
};

class Service {
public:
    Service(ServiceOptions options, app::GroupCommitter& committer);

    // What must be answered before the body is read: an unknown path (404),
    // a method the path does not take (405), a missing or invalid token
    // (401) or a read-only one on a write route (403). X-Request-Id is set.
    std::optional<Response> refuse_early(const Request& request) const;

    // Answers a request; never throws.
    Response handle(const Request& request);

    // Long polls end early from now on.
    void stop() { m_stopping = true; }
    bool stopping() const { return m_stopping; }

    const ServiceOptions& options() const { return m_options; }
    Metrics& metrics() { return *m_metrics; }
    // Shares the metrics the group committer records into; before serving.
    void use_metrics(std::shared_ptr<Metrics> metrics) { m_metrics = std::move(metrics); }
    app::GroupCommitter& committer() { return m_committer; }
    // The calling thread's read-only connection (opened on first use).
    store::EventStore& reader();

private:
    std::optional<Response> refusal(const Request& request, const Match& match) const;
    Response dispatch(const Request& request);

    ServiceOptions m_options;
    app::GroupCommitter& m_committer;
    std::shared_ptr<Metrics> m_metrics = std::make_shared<Metrics>();
    std::atomic<bool> m_stopping{false};
    std::uint64_t m_id;
};

// The client's X-Request-Id when it is 1 to 64 printable ASCII characters,
// else a new UUID.
std::string request_id(const Request& request);

}  // namespace invlog::http
