// invlog serve [--listen ADDR:PORT] [--token-file FILE] [--tls-cert FILE --tls-key FILE] [limits...]
// Parses and checks the options, then hands over to the HTTP module
// (invlog-http.so), which serves until SIGTERM or SIGINT.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "invlog/cli/parse.hpp"
#include "invlog/cli/subcommand.hpp"
#include "invlog/domain/error.hpp"
#include "invlog/domain/limits.hpp"
#include "invlog/http/module.hpp"

namespace invlog::cli {
namespace {

struct Args {
    std::string listen = "127.0.0.1:8000";
    std::string actor, token_file, tls_cert, tls_key;
    std::string max_body, threads, max_queue, header_timeout, read_timeout, idle_timeout;
};

// ADDR:PORT, with an IPv6 address in brackets ([::1]:8000).
void parse_listen(const std::string& text, http::ServeOptions& o) {
    const auto colon = text.rfind(':');
    std::string host = colon == std::string::npos ? "" : text.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    if (colon == std::string::npos || host.empty())
        throw domain::usage_error("invalid_argument",
                                  fmt::format("invalid --listen '{}': expected ADDR:PORT, such as 127.0.0.1:8000 or "
                                              "[::1]:8000",
                                              text));
    o.host = host;
    o.port = static_cast<int>(parse_count(text.substr(colon + 1), "--listen port", 0, 65535));
}

void perform_serve(Context& ctx, const Args& args) {
    http::ServeOptions o;
    o.db = ctx.db_path();
    o.lock_timeout_ms = ctx.lock_timeout_ms();
    parse_listen(args.listen, o);
    if (!args.actor.empty()) o.actor = parse_text(args.actor, "--actor", domain::max_actor_length);
    o.token_file = args.token_file;
    if (args.tls_cert.empty() != args.tls_key.empty())
        throw domain::usage_error("usage", "--tls-cert and --tls-key go together");
    o.tls_cert = args.tls_cert;
    o.tls_key = args.tls_key;
    if (!args.max_body.empty()) o.max_body = parse_count(args.max_body, "--max-body", 1, 1 << 30);
    if (!args.threads.empty()) o.threads = static_cast<int>(parse_count(args.threads, "--threads", 1, 1024));
    if (!args.max_queue.empty()) o.max_queue = static_cast<int>(parse_count(args.max_queue, "--max-queue", 0, 100000));
    if (!args.header_timeout.empty())
        o.header_timeout_s = static_cast<int>(parse_count(args.header_timeout, "--header-timeout", 1, 3600));
    if (!args.read_timeout.empty())
        o.read_timeout_s = static_cast<int>(parse_count(args.read_timeout, "--read-timeout", 1, 3600));
    if (!args.idle_timeout.empty())
        o.idle_timeout_s = static_cast<int>(parse_count(args.idle_timeout, "--idle-timeout", 1, 3600));
    if (o.read_timeout_s < o.header_timeout_s) o.read_timeout_s = o.header_timeout_s;
    // Opened here first, as every write command opens it: created (with the
    // default directory) when missing, upgraded when older, refused when not
    // an invlog database, before the module is loaded.
    ctx.open_store(store::OpenMode::write);
    http::http_module().serve(o);
}

}  // namespace

Subcommand serve_subcommand() {
    return {"serve", Group::server, "Serve the inventory over HTTP (the reference service's API and invlog's own)",
            [](CLI::App& app) -> Perform {
                auto args = std::make_shared<Args>();
                app.add_option("--listen", args->listen,
                               "Address and port to listen on (default: 127.0.0.1:8000; 0 as the port: any free one)")
                    ->type_name("ADDR:PORT");
                app.add_option("--actor", args->actor, "Actor recorded for requests that name none (default: http)")
                    ->type_name("NAME");
                app.add_option("--token-file", args->token_file,
                               "Require a bearer token from FILE (one a line; 'read:TOKEN' may only read)")
                    ->type_name("FILE");
                app.add_option("--tls-cert", args->tls_cert, "Serve HTTPS with this PEM certificate (chain)")
                    ->type_name("FILE");
                app.add_option("--tls-key", args->tls_key, "The PEM private key of --tls-cert")->type_name("FILE");
                app.add_option("--max-body", args->max_body, "Largest request body in bytes (default: 1048576)")
                    ->type_name("BYTES");
                app.add_option("--threads", args->threads, "Connections served at once (default: 64)")->type_name("N");
                app.add_option("--max-queue", args->max_queue,
                               "Connections that may wait for a thread; more get 503 (default: 256)")
                    ->type_name("N");
                app.add_option("--header-timeout", args->header_timeout,
                               "Seconds a request's line and headers may take to arrive (default: 10)")
                    ->type_name("SECONDS");
                app.add_option("--read-timeout", args->read_timeout,
                               "Seconds a whole request, body included, may take to arrive (default: 30)")
                    ->type_name("SECONDS");
                app.add_option("--idle-timeout", args->idle_timeout,
                               "Seconds a keep-alive connection may wait for its next request (default: 5)")
                    ->type_name("SECONDS");
                return [args](Context& ctx) { perform_serve(ctx, *args); };
            }};
}

}  // namespace invlog::cli
