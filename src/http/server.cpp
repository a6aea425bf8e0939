// The server of `invlog serve`, in the module invlog-http.so: cpp-httplib
// for HTTP parsing and routing callbacks, invlog's own connection loop and
// stream (connection.hpp) for limits and timeouts, a bounded pool of
// connection threads that answers 503 beyond its queue, OpenSSL for HTTPS,
// and a clean stop on SIGTERM or SIGINT.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <signal.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include <fmt/format.h>
#include <httplib.h>

#include "connection.hpp"
#include "connection_pool.hpp"
#include "invlog/domain/error.hpp"
#include "invlog/http/access_log.hpp"
#include "invlog/http/module.hpp"
#include "invlog/http/request_span.hpp"
#include "invlog/http/service.hpp"
#include "invlog/http/status.hpp"
#include "invlog/telemetry/otlp.hpp"
#include "invlog/util/time.hpp"
#include "remote_inventory.hpp"

namespace invlog::http {
namespace {

thread_local Connection* t_conn = nullptr;
constexpr int max_requests_per_connection = 100'000;

// cpp-httplib 0.11 compresses with brotli at quality 11 whenever a client
// accepts br, as every browser does: about 40 KB/s of a core, so that the
// dashboard's GET /inventory of 10,000 SKUs (1.1 MB) took 27 s. gzip only.
void refuse_brotli(const httplib::Request& req) {
    // The request is the server's own non-const object, handed over const.
    auto& headers = const_cast<httplib::Request&>(req).headers;
    for (auto it = headers.begin(); it != headers.end(); ++it) {
        if (strcasecmp(it->first.c_str(), "Accept-Encoding") != 0) continue;
        std::string kept;
        std::string_view rest = it->second;
        while (!rest.empty()) {
            const auto comma = rest.find(',');
            std::string_view item = rest.substr(0, comma);
            rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
            while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
            if (item.empty() || item.starts_with("br")) continue;
            if (!kept.empty()) kept += ", ";
            kept += item;
        }
        it->second = kept;
    }
}

std::string path_of(const std::string& target) { return target.substr(0, target.find('?')); }

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

class Server : public httplib::Server {
public:
    Server(Service& service, const ServeOptions& options, SSL_CTX* tls)
        : m_service(service), m_options(options), m_tls(tls) {
        if (::pipe(m_stop_pipe) != 0) throw domain::storage_error("io_error", "cannot create a pipe");
        new_task_queue = [this] {
            m_pool = new ConnectionPool(m_options.threads, static_cast<std::size_t>(m_options.max_queue));
            return m_pool;
        };
        set_payload_max_length(options.max_body);
        // Only for the Keep-Alive header cpp-httplib writes: the loop below enforces them.
        set_keep_alive_timeout(options.idle_timeout_s);
        set_keep_alive_max_count(max_requests_per_connection);
        const std::string any = "[\\s\\S]*";
        Get(any, [this](const httplib::Request& req, httplib::Response& res) { on_request(req, res, nullptr); });
        Options(any, [this](const httplib::Request& req, httplib::Response& res) { on_request(req, res, nullptr); });
        auto with_body = [this](const httplib::Request& req, httplib::Response& res,
                                const httplib::ContentReader& reader) { on_request(req, res, &reader); };
        Post(any, with_body);
        Put(any, with_body);
        Patch(any, with_body);
        Delete(any, with_body);
        set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
            if (t_conn) t_conn->headers_done();
            return HandlerResponse::Unhandled;
        });
        set_error_handler(HandlerWithResponse(
            [this](const httplib::Request& req, httplib::Response& res) { return on_error(req, res); }));
        set_logger([this](const httplib::Request& req, const httplib::Response& res) { on_logged(req, res); });
        // SO_REUSEADDR only: cpp-httplib's default adds SO_REUSEPORT, with
        // which a second server on the same port (and user) binds beside the
        // first and steals half its connections instead of being refused.
        set_socket_options([](socket_t sock) {
            int yes = 1;
            ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        });
    }
    ~Server() override {
        ::close(m_stop_pipe[0]);
        ::close(m_stop_pipe[1]);
    }

    // The listening socket, with a backlog for many clients (cpp-httplib's
    // is 5, which drops connections of a burst of clients).
    int bind(const std::string& host, int port) {
        int bound = port;
        if (port == 0) {
            bound = bind_to_any_port(host);
            if (bound < 0) return -1;
        } else if (!bind_to_port(host, port)) {
            return -1;
        }
        ::listen(svr_sock_, 1024);
        return bound;
    }

    // Stops accepting and wakes idle connections; the requests in flight
    // go on. cpp-httplib's own stop() would also cut short every streamed
    // body, so the listening socket is shut down instead: accept() fails and
    // the listening loop ends, then waits for every connection.
    void begin_stop() {
        m_stopping = true;
        const char byte = 0;
        [[maybe_unused]] auto n = ::write(m_stop_pipe[1], &byte, 1);
        ::shutdown(svr_sock_, SHUT_RDWR);
    }

private:
    bool process_and_close_socket(socket_t sock) override;

    void on_request(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader* reader);
    HandlerResponse on_error(const httplib::Request& req, httplib::Response& res);
    void on_logged(const httplib::Request& req, const httplib::Response& res);
    void write_canned(Connection& conn, int status, const std::string& code, const std::string& message);

    Service& m_service;
    const ServeOptions& m_options;
    SSL_CTX* m_tls;
    ConnectionPool* m_pool = nullptr;
    std::atomic<bool> m_stopping{false};
    int m_stop_pipe[2] = {-1, -1};
};

bool Server::process_and_close_socket(socket_t sock) {
    const ConnectionMode mode = connection_mode();
    if (mode == ConnectionMode::drop) {
        ::shutdown(sock, SHUT_RDWR);
        ::close(sock);
        return false;
    }
    const int one = 1;
    ::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ::fcntl(sock, F_SETFL, ::fcntl(sock, F_GETFL) | O_NONBLOCK);
    SSL* ssl = nullptr;
    if (m_tls) {
        ssl = SSL_new(m_tls);
        SSL_set_fd(ssl, sock);
        SSL_set_mode(ssl, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    }
    bool ok = true;
    {
        Connection conn(sock, ssl, m_options);
        t_conn = &conn;
        if (!ssl || conn.handshake()) {
            auto crowded = [this] { return m_pool && m_pool->waiting() > 0; };
            for (int n = 0; n < max_requests_per_connection; ++n) {
                const auto idle = std::chrono::seconds(n == 0 ? m_options.header_timeout_s : m_options.idle_timeout_s);
                const auto wait = conn.wait_for_request(idle, m_stopping, m_stop_pipe[0], n == 0, crowded);
                if (wait != Connection::Wait::request) break;
                conn.begin_request();
                const bool last = mode == ConnectionMode::reject || m_stopping || n + 1 == max_requests_per_connection;
                bool closed = false;
                ok = process_request(conn, last, closed, [](httplib::Request& req) { req.ranges.clear(); });
                if (!conn.responded && conn.request_bytes() > 0) {
                    if (conn.timed_out())
                        write_canned(conn, 408, "request_timeout", "the request did not arrive in time");
                    else if (conn.overflowed())
                        write_canned(conn, 431, "header_too_large",
                                     fmt::format("the request line and headers exceed {} bytes", m_options.max_header));
                }
                if (!ok || closed || last || conn.close_after || conn.timed_out() || conn.overflowed()) break;
            }
        }
        t_conn = nullptr;
    }
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
    return ok;
}

void Server::on_request(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader* reader) {
    Connection& conn = *t_conn;
    refuse_brotli(req);
    Request r;
    r.method = req.method;
    r.target = req.target;
    r.remote = req.remote_addr;
    for (const auto& [k, v] : req.headers)
        if (k != "REMOTE_ADDR" && k != "REMOTE_PORT" && k != "LOCAL_ADDR" && k != "LOCAL_PORT")
            r.headers.emplace_back(k, v);
    // As cpp-httplib decides whether it reads a chunked body.
    const bool chunked = strcasecmp(req.get_header_value("Transfer-Encoding").c_str(), "chunked") == 0;
    const bool has_body = chunked || req.get_header_value_count("Content-Length") > 0;

    RequestSpan span(r);
    Response out;
    if (connection_mode() == ConnectionMode::reject) {
        out = plain_error(503, "overloaded",
                          "the server is busy: every thread is serving and the queue of connections is full; "
                          "retry later",
                          5);
        out.set_header("X-Request-Id", request_id(r));
        conn.close_after = true;
    } else if (auto early = m_service.refuse_early(r)) {
        out = std::move(*early);
        conn.close_after = has_body;
    } else {
        std::optional<Response> refused;
        if (reader && has_body) {
            const auto length = req.get_header_value<uint64_t>("Content-Length");
            bool too_big = !chunked && length > m_options.max_body;
            if (!too_big) {
                r.body.reserve(chunked ? 0 : length);
                const bool read = (*reader)([&](const char* data, size_t n) {
                    if (r.body.size() + n > m_options.max_body) {
                        too_big = true;
                        return false;
                    }
                    r.body.append(data, n);
                    return true;
                });
                if (!read && !too_big) {
                    conn.close_after = true;
                    refused = conn.timed_out()
                                  ? plain_error(408, "request_timeout", "the body did not arrive in time", 2)
                                  : plain_error(400, "bad_request", "the body could not be read", 2);
                }
            }
            if (too_big) {
                conn.close_after = true;
                refused =
                    plain_error(413, "body_too_large",
                                fmt::format("the body is larger than {} bytes (--max-body)", m_options.max_body), 2);
            }
        } else if (has_body) {
            conn.close_after = true;  // a body on GET is not read: the connection cannot go on
        }
        if (refused) {
            refused->set_header("X-Request-Id", request_id(r));
            out = std::move(*refused);
        } else {
            out = m_service.handle(r);
        }
    }

    span.finish(out);
    conn.handled = true;
    conn.sku = out.sku;
    res.status = out.status;
    for (const auto& [k, v] : out.headers) res.set_header(k, v);
    if (conn.close_after) res.set_header("Connection", "close");
    if (out.stream) {
        res.set_chunked_content_provider(out.content_type, [stream = std::move(out.stream)](size_t,
                                                                                            httplib::DataSink& sink) {
            try {
                stream([&](std::string_view s) { return sink.write(s.data(), s.size()); });
            } catch (...) {
                return false;  // the body ends short; the connection closes
            }
            sink.done();
            return true;
        });
    } else {
        res.set_content(out.body, out.content_type);
    }
}

httplib::Server::HandlerResponse Server::on_error(const httplib::Request& req, httplib::Response& res) {
    if (t_conn && t_conn->handled) return HandlerResponse::Unhandled;
    // An error cpp-httplib found before any handler ran.
    Response out;
    if (t_conn && t_conn->timed_out())
        out = plain_error(408, "request_timeout", "the request did not arrive in time", 2);
    else if (t_conn && t_conn->overflowed())
        out = plain_error(431, "header_too_large",
                          fmt::format("the request line and headers exceed {} bytes", m_options.max_header), 2);
    else if (res.status == 414)
        out = plain_error(414, "uri_too_long", "the request target is too long", 2);
    else if (res.status == 413)
        out = plain_error(413, "body_too_large", "the body is larger than --max-body", 2);
    else if (res.status == 416)
        out = plain_error(416, "bad_range", "the Range header is not valid", 2);
    else if (res.status == 404)
        out = plain_error(404, "unknown_route", "Not Found", 2);
    else if (res.status >= 500)
        out = plain_error(res.status, "internal_error", "the server could not handle the request", 5);
    else
        out = plain_error(400, "bad_request", "the request could not be parsed", 2);
    Request r;
    for (const auto& [k, v] : req.headers) r.headers.emplace_back(k, v);
    res.status = out.status;
    res.set_header("X-Request-Id", request_id(r));
    res.set_header("Connection", "close");
    res.set_content(out.body, out.content_type);
    if (t_conn) t_conn->close_after = true;
    return HandlerResponse::Handled;
}

void Server::on_logged(const httplib::Request& req, const httplib::Response& res) {
    AccessEntry e;
    e.method = req.method;
    e.path = path_of(req.target);
    e.status = res.status;
    e.request_id = res.get_header_value("X-Request-Id");
    if (t_conn) {
        t_conn->responded = true;
        e.duration_ms = ms_since(t_conn->request_start());
        e.sku = t_conn->sku;
    }
    e.remote = req.remote_addr;
    log_line(access_line(e, util::now_ms()));
    m_service.metrics().observe_request(route_label(req.method, req.target), res.status, e.duration_ms / 1000.0);
}

void Server::write_canned(Connection& conn, int status, const std::string& code, const std::string& message) {
    const Response out = plain_error(status, code, message, 2);
    const std::string id = util::uuid_v7(util::now_ms());
    const std::string text = fmt::format(
        "HTTP/1.1 {} {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n"
        "X-Request-Id: {}\r\n\r\n{}",
        status, status == 408 ? "Request Timeout" : "Request Header Fields Too Large", out.body.size(), id, out.body);
    conn.write(text.data(), text.size());
    AccessEntry e;
    e.status = status;
    e.request_id = id;
    e.duration_ms = ms_since(conn.request_start());
    std::string ip;
    int port = 0;
    conn.get_remote_ip_and_port(ip, port);
    e.remote = ip;
    log_line(access_line(e, util::now_ms()));
}

// OpenSSL's error queue as text.
std::string ssl_errors() {
    std::string out;
    while (unsigned long e = ERR_get_error()) {
        char buf[256];
        ERR_error_string_n(e, buf, sizeof buf);
        out += out.empty() ? buf : std::string("; ") + buf;
    }
    return out;
}

SSL_CTX* tls_context(const ServeOptions& o) {
    SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
    if (!ctx) throw domain::storage_error("tls_error", "cannot create a TLS context: " + ssl_errors());
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
    if (SSL_CTX_use_certificate_chain_file(ctx, o.tls_cert.c_str()) != 1) {
        SSL_CTX_free(ctx);
        throw domain::usage_error("tls_error", fmt::format("cannot use --tls-cert {}: {}", o.tls_cert, ssl_errors()));
    }
    if (SSL_CTX_use_PrivateKey_file(ctx, o.tls_key.c_str(), SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(ctx) != 1) {
        SSL_CTX_free(ctx);
        throw domain::usage_error("tls_error", fmt::format("cannot use --tls-key {}: {}", o.tls_key, ssl_errors()));
    }
    return ctx;
}

// Blocks SIGINT and SIGTERM in this thread and every thread it starts, so
// that one thread receives them with sigwait. The mask stays: serve is the
// last thing the process does, and a signal that arrives while it ends must
// not kill it before it exits 0.
sigset_t block_stop_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    return set;
}

void serve(const ServeOptions& options) {
    ::signal(SIGPIPE, SIG_IGN);  // a client gone mid-response is an error return, not a kill
    const sigset_t stop_signals = block_stop_signals();

    ServiceOptions service_options{options.db, options.lock_timeout_ms, options.actor, std::nullopt,
                                   &dashboard_assets()};
    if (!options.token_file.empty()) {
        std::string warning;
        service_options.tokens = Tokens::load(options.token_file, warning);
        if (!warning.empty()) log_line(event_line("warning", "message", warning, util::now_ms()));
    }
    std::unique_ptr<SSL_CTX, void (*)(SSL_CTX*)> tls(options.tls_cert.empty() ? nullptr : tls_context(options),
                                                     SSL_CTX_free);

    auto metrics = std::make_shared<Metrics>();
    auto writer = store::open_store(store::OpenOptions{options.db, store::OpenMode::write, options.lock_timeout_ms});
    app::GroupCommitter committer(*writer, util::now_ms, {},
                                  [metrics](const app::BatchReport& batch) { metrics->observe_batch(batch); });
    Service service(std::move(service_options), committer);
    service.use_metrics(metrics);
    Server server(service, options, tls.get());
    const int port = server.bind(options.host, options.port);
    if (port < 0)
        throw domain::storage_error("cannot_listen",
                                    fmt::format("cannot listen on {}:{} (in use, or not an address of this machine)",
                                                options.host, options.port));
    const bool v6 = options.host.find(':') != std::string::npos;
    log_line(event_line("listening", "address",
                        fmt::format("{}://{}:{}", tls ? "https" : "http", v6 ? "[" + options.host + "]" : options.host,
                                    port),
                        util::now_ms()));

    std::atomic<bool> listen_ended{false};
    std::thread signals([&] {
        bool first = true;
        for (;;) {
            int sig = 0;
            sigwait(&stop_signals, &sig);
            if (listen_ended) return;
            const char* name = sig == SIGINT ? "SIGINT" : "SIGTERM";
            if (!first) {
                log_line(event_line("still_stopping", "signal", name, util::now_ms()));
                continue;
            }
            first = false;
            log_line(event_line("stopping", "signal", name, util::now_ms()));
            service.stop();
            server.begin_stop();
        }
    });
    const bool listened = server.listen_after_bind();  // returns once every connection is finished
    listen_ended = true;
    pthread_kill(signals.native_handle(), SIGTERM);  // ends the signal thread's wait
    signals.join();
    committer.stop();
    log_line(event_line("stopped", "", "", util::now_ms()));
    if (!listened && !service.stopping()) throw domain::storage_error("cannot_listen", "the listening socket failed");
}

}  // namespace
}  // namespace invlog::http

extern "C" const invlog::http::HttpModule* invlog_http_module() {
    static const invlog::http::HttpModule module{&invlog::http::serve, &invlog::http::remote_inventory,
                                                 &invlog::http::post_otlp, &invlog::telemetry::otlp_protobuf};
    return &module;
}
