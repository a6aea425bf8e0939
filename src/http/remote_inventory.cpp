// The inventory behind `invlog serve`: each call of client::Inventory is one
// request, and the answer is decoded into the values the local inventory
// returns (remote.hpp), so that the CLI prints the same bytes either way.
// Lists, history and events arrive as NDJSON and reach the caller row by
// row as the chunks come in. Part of the HTTP module: cpp-httplib (and
// libssl) stay out of every command that does not name a server.
#include "remote_inventory.hpp"

#include <chrono>
#include <exception>

#include <fmt/format.h>
#include <httplib.h>

#include "invlog/batch/line_reader.hpp"
#include "invlog/domain/error.hpp"
#include "invlog/telemetry/span.hpp"

namespace invlog::http {
namespace {

using Clock = std::chrono::steady_clock;

// Requests to the server smaller than its default --max-body (1 MiB).
constexpr std::size_t apply_chunk_bytes = 512 << 10;
constexpr std::int64_t apply_chunk_lines = 1000;

class RemoteInventory final : public client::Inventory {
public:
    explicit RemoteInventory(RemoteOptions options)
        : m_options(std::move(options)), m_client(m_options.endpoint.origin()) {
        m_client.set_connection_timeout(m_options.connect_timeout_s, 0);
        m_client.set_read_timeout(m_options.read_timeout_s, 0);
        m_client.set_write_timeout(m_options.read_timeout_s, 0);
        m_client.set_keep_alive(true);
        if (!m_options.token.empty()) m_client.set_bearer_token_auth(m_options.token);
        if (m_options.endpoint.tls) {
            m_client.enable_server_certificate_verification(true);
            if (!m_options.ca_file.empty()) m_client.set_ca_cert_path(m_options.ca_file);
        }
    }

    std::string location() const override { return m_options.endpoint.url; }

    app::Outcome execute(const app::Request& request) override {
        httplib::Headers headers = accept("application/json");
        for (auto& [k, v] : remote::command_headers(request)) headers.emplace(k, v);
        return remote::decode_outcome(
            post(remote::command_target(request), headers, remote::command_body(request), "application/json"));
    }

    client::ShowResult show(const client::ShowQuery& query) override {
        client::ShowResult result;
        std::optional<std::int64_t> resolved;
        result.state =
            remote::decode_state(get(remote::state_target(query.sku, query.at)), "resolved_version", resolved);
        if (query.at.version) result.resolved_version = resolved.value_or(*query.at.version);
        return result;
    }

    void list(const client::ListQuery& query, const std::function<void(const client::ListStart&)>& start,
              const std::function<void(const domain::SkuState&)>& row) override {
        // The resolved seq comes with each row; the list starts with the
        // first. A list without rows at a seq resolved to 0: SKUs are never
        // removed, so any later seq shows at least one.
        bool started = false;
        auto begin = [&](std::optional<std::int64_t> resolved) {
            if (started) return;
            started = true;
            client::ListStart head;
            if (query.at_seq) head.resolved_seq = resolved.value_or(0);
            start(head);
        };
        stream(remote::list_target(query.as_of, query.at_seq), [&](std::string_view line) {
            std::optional<std::int64_t> resolved;
            const domain::SkuState s = remote::decode_state(line, "resolved_seq", resolved);
            begin(resolved);
            row(s);
            return true;
        });
        begin(std::nullopt);
    }

    void history(const app::HistoryQuery& query,
                 const std::function<void(const domain::EventRecord&, const domain::State*)>& row) override {
        stream(remote::history_target(query), [&](std::string_view line) {
            const auto e = remote::decode_event(line);
            row(e.record, e.after ? &*e.after : nullptr);
            return true;
        });
    }

    void events(const store::EventFilter& filter, const std::function<bool(const domain::EventRecord&)>& row) override {
        stream(remote::events_target(filter),
               [&](std::string_view line) { return row(remote::decode_event(line).record); });
    }

    batch::Summary apply(batch::LineReader& reader, const batch::Options& options,
                         const batch::ResultSink& sink) override;

    app::Stats stats() override { return remote::decode_stats(get("/stats"), m_options.endpoint.url); }

    app::VerifyReport verify(const app::VerifyOptions& options) override {
        return remote::decode_verify(get(remote::verify_target(options)));
    }

private:
    // Every request's headers. A traced command passes its span on (W3C
    // traceparent): the server's spans of the request, load, decide, append
    // and commit among them, join the command's trace.
    httplib::Headers accept(const char* type) const {
        httplib::Headers headers{{"Accept", type}};
        if (auto context = telemetry::current()) headers.emplace("traceparent", telemetry::traceparent(*context));
        return headers;
    }
    std::string path(const std::string& target) const { return m_options.endpoint.prefix + target; }

    // A failure of the transport (no answer at all), named by host:port.
    [[noreturn]] void transport_failed(httplib::Error error, Clock::time_point started) const {
        const std::string where = m_options.endpoint.where();
        const auto elapsed = std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - started).count();
        switch (error) {
        case httplib::Error::Connection:
            throw domain::storage_error("server_unreachable",
                                        fmt::format("cannot connect to {}: connection refused or host unreachable "
                                                    "(is invlog serve running there?)",
                                                    where));
        case httplib::Error::ConnectionTimeout:
            throw domain::storage_error("server_timeout",
                                        fmt::format("no connection to {} within {} s (the connect timeout, "
                                                    "INVLOG_CONNECT_TIMEOUT)",
                                                    where, m_options.connect_timeout_s));
        case httplib::Error::SSLConnection:
            throw domain::storage_error("tls_failed", fmt::format("the TLS handshake with {} failed (does it serve "
                                                                  "https on that port?)",
                                                                  where));
        case httplib::Error::SSLLoadingCerts:
            throw domain::storage_error("tls_failed", m_options.ca_file.empty()
                                                          ? std::string("cannot load the system's CA certificates")
                                                          : fmt::format("cannot load the CA file {} (INVLOG_CA_FILE)",
                                                                        m_options.ca_file));
        case httplib::Error::SSLServerVerification:
            throw domain::storage_error(
                "tls_failed", fmt::format("the certificate of {} could not be verified against {}", where,
                                          m_options.ca_file.empty()
                                              ? std::string("the system's CA store (set INVLOG_CA_FILE to trust "
                                                            "another CA)")
                                              : fmt::format("the CA file {}", m_options.ca_file)));
        default: break;
        }
        if (elapsed >= m_options.read_timeout_s)
            throw domain::storage_error("server_timeout",
                                        fmt::format("no answer from {} within {} s (the read timeout, "
                                                    "INVLOG_READ_TIMEOUT)",
                                                    where, m_options.read_timeout_s));
        throw domain::storage_error("server_connection_lost",
                                    fmt::format("the connection to {} was lost before the answer was complete", where));
    }

    // A whole answer; throws the failure a non-2xx status stands for.
    std::string checked(httplib::Result result, Clock::time_point started) const {
        if (!result) transport_failed(result.error(), started);
        if (result->status < 200 || result->status > 299)
            throw remote::failure_of(result->status, result->body, m_options.endpoint, !m_options.token.empty());
        return std::move(result->body);
    }

    std::string get(const std::string& target) {
        const auto started = Clock::now();
        return checked(m_client.Get(path(target), accept("application/json")), started);
    }

    std::string post(const std::string& target, const httplib::Headers& headers, const std::string& body,
                     const char* type) {
        const auto started = Clock::now();
        return checked(m_client.Post(path(target), headers, body, type), started);
    }

    // GET of an NDJSON answer, each line handed to `line` as it arrives;
    // stops early when it returns false.
    void stream(const std::string& target, const std::function<bool(std::string_view)>& line) {
        const auto started = Clock::now();
        int status = 0;
        std::string error_body;
        std::exception_ptr thrown;
        bool stopped = false;
        remote::LineSplitter splitter;
        auto each = [&](std::string_view text) {
            if (text.empty()) return true;
            if (!line(text)) stopped = true;
            return !stopped;
        };
        auto result = m_client.Get(
            path(target), accept("application/x-ndjson"),
            [&](const httplib::Response& response) {
                status = response.status;
                return true;
            },
            [&](const char* data, std::size_t size) {
                if (status < 200 || status > 299) {
                    if (error_body.size() < (64 << 10)) error_body.append(data, size);
                    return true;
                }
                try {
                    return splitter.feed(std::string_view(data, size), each);
                } catch (...) {
                    // Thrown again below: an exception must not unwind through the library.
                    thrown = std::current_exception();
                    return false;
                }
            });
        if (thrown) std::rethrow_exception(thrown);
        if (stopped) return;
        if (!result) transport_failed(result.error(), started);
        if (status < 200 || status > 299)
            throw remote::failure_of(status, error_body.empty() ? result->body : error_body, m_options.endpoint,
                                     !m_options.token.empty());
        splitter.finish(each);
    }

    RemoteOptions m_options;
    httplib::Client m_client;
};

batch::Summary RemoteInventory::apply(batch::LineReader& reader, const batch::Options& options,
                                      const batch::ResultSink& sink) {
    // Without --atomic the lines go in chunks, each a request of its own (a
    // line is its own transaction either way). With --atomic they go in one
    // request, all or nothing, within the server's --max-body.
    batch::Summary summary;
    std::string body;
    std::int64_t first = 0, count = 0, too_long_at = 0;  // too_long_at: the first, with --atomic
    bool stop = false;
    auto send = [&] {
        if (count == 0) return;
        const auto started = Clock::now();
        auto result = m_client.Post(path(remote::apply_target(options)), accept("application/x-ndjson"), body,
                                    "application/x-ndjson");
        if (!result) transport_failed(result.error(), started);
        const std::string& answer = result->body;
        // A failed line makes the status that of its failure, with the
        // results in the body; any other failure has an error body.
        const bool results = answer.starts_with("{\"line\":");
        if ((result->status < 200 || result->status > 299) && !results)
            throw remote::failure_of(result->status, answer, m_options.endpoint, !m_options.token.empty());
        remote::LineSplitter splitter;
        auto each = [&](std::string_view text) {
            if (text.empty()) return true;
            batch::LineResult r = remote::decode_apply_line(text);
            r.line += first - 1;
            if (r.line == too_long_at && options.atomic && std::holds_alternative<batch::LineError>(r.result))
                r.result = batch::LineError{domain::ErrorKind::usage, "line_too_long",
                                            fmt::format("line is longer than {} bytes (1 MiB); skipped",
                                                        batch::max_line_bytes)};
            if (std::holds_alternative<batch::LineError>(r.result)) {
                ++summary.failed;
                if (options.stop_on_error) stop = true;
            }
            sink(r);
            return true;
        };
        splitter.feed(answer, each);
        splitter.finish(each);
        if (options.atomic) summary.committed = summary.failed == 0;
        body.clear();
        count = 0;
    };
    while (!stop) {
        auto line = reader.next();
        if (!line) break;
        const bool blank = !line->too_long && line->text.find_first_not_of(" \t\r") == std::string_view::npos;
        if (!blank) ++summary.lines;
        if (line->too_long && !options.atomic) {
            // The server never sees it: the line's error is the one the local
            // apply gives, in its place among the results.
            send();
            if (stop) break;
            ++summary.failed;
            sink(batch::LineResult{line->number,
                                   batch::LineError{domain::ErrorKind::usage, "line_too_long",
                                                    fmt::format("line is longer than {} bytes (1 MiB); skipped",
                                                                batch::max_line_bytes)}});
            if (options.stop_on_error) break;
            continue;
        }
        if (!options.atomic && count > 0 &&
            (body.size() + line->text.size() + 1 > apply_chunk_bytes || count >= apply_chunk_lines))
            send();
        if (stop) break;
        if (count == 0) first = line->number;
        ++count;
        if (line->too_long) {
            // --atomic: a line the server refuses stands in for it, so that
            // the batch fails there unless an earlier line fails first.
            if (too_long_at == 0) too_long_at = line->number;
            body += "too long\n";
        } else {
            body += blank ? std::string(line->text) : remote::apply_line(line->text, options.defaults);
            body += '\n';
        }
    }
    if (!stop) send();
    return summary;
}

}  // namespace

std::unique_ptr<client::Inventory> remote_inventory(const RemoteOptions& options) {
    return std::make_unique<RemoteInventory>(options);
}

}  // namespace invlog::http
