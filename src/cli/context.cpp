// Resolution of global options and environment variables.
#include "invlog/cli/context.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ostream>

#include <fmt/format.h>

#include "invlog/cli/exit_status.hpp"
#include "invlog/cli/parse.hpp"
#include "invlog/cli/progress.hpp"
#include "invlog/cli/warning.hpp"
#include "invlog/domain/error.hpp"
#include "invlog/domain/limits.hpp"
#include "invlog/domain/text.hpp"
#include "invlog/http/module.hpp"

namespace invlog::cli {
namespace {

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? v : "";
}

}  // namespace

std::string default_db_path() {
    if (auto db = env("INVLOG_DB"); !db.empty()) return db;
    // The XDG specification: a relative path in XDG_DATA_HOME is invalid
    // and must be ignored.
    if (auto xdg = env("XDG_DATA_HOME"); !xdg.empty() && xdg[0] == '/') return xdg + "/invlog/inventory.db";
    std::string home = env("HOME");
    if (home.empty())
        if (const passwd* pw = getpwuid(geteuid())) home = pw->pw_dir;
    return home + "/.local/share/invlog/inventory.db";
}

Context::Context(const GlobalOptions& options, std::ostream& out) : m_options(options), m_out(out) {
    auto format = output::parse_format(options.output);
    if (!format)
        throw domain::usage_error("invalid_argument",
                                  fmt::format("invalid --output '{}': expected text, json, ndjson or csv",
                                              domain::shown(options.output)));
    m_format = *format;
    if (options.color != "auto" && options.color != "always" && options.color != "never")
        throw domain::usage_error("invalid_argument",
                                  fmt::format("invalid --color '{}': expected auto, always or never",
                                              domain::shown(options.color)));
    // auto: a terminal that is not dumb, and NO_COLOR (no-color.org) unset.
    const bool terminal = isatty(STDOUT_FILENO) != 0;
    const bool colour_wanted = options.color == "always" || (options.color == "auto" && terminal &&
                                                             env("NO_COLOR").empty() && env("TERM") != "dumb");
    m_style.color = m_format == output::Format::text && colour_wanted;
    m_style.pretty = terminal;
    m_style.header = !options.no_header;
    m_lock_timeout_ms = static_cast<int>(parse_count(options.lock_timeout, "--lock-timeout", 0, 86'400'000));
    if (!options.db.empty()) {
        m_db_path = parse_db_location(options.db, "--db");
    } else {
        m_default_path = env("INVLOG_DB").empty();
        m_db_path = parse_db_location(default_db_path(), m_default_path ? "database path" : "INVLOG_DB");
    }
    if (http::is_url(m_db_path)) m_remote = http::parse_url(m_db_path, options.db.empty() ? "INVLOG_DB" : "--db");
    // Never silently ignored: `invlog --token-file F serve` would otherwise
    // start a server that asks for no token.
    if (!options.token_file.empty() && !m_remote)
        throw domain::usage_error("usage",
                                  "the global --token-file is the token for a server (--db URL), and the "
                                  "database here is a file; serve takes its own after the subcommand "
                                  "(invlog serve --token-file FILE)");
}

void Context::refuse_remote(std::string_view command) const {
    if (!m_remote) return;
    throw domain::usage_error("file_only",
                              fmt::format("{} works only beside the database file, and --db names a server ({}); "
                                          "run it where the file is, with --db PATH",
                                          command, domain::shown(m_remote->url)));
}

std::string Context::actor() const {
    if (!m_options.actor.empty()) return parse_text(m_options.actor, "--actor", domain::max_actor_length);
    if (auto a = env("INVLOG_ACTOR"); !a.empty()) return parse_text(a, "INVLOG_ACTOR", domain::max_actor_length);
    if (const passwd* pw = getpwuid(geteuid()); pw && pw->pw_name && *pw->pw_name) return pw->pw_name;
    return fmt::format("uid:{}", geteuid());
}

std::optional<std::string> Context::reason() const {
    if (m_options.reason.empty()) return std::nullopt;
    return parse_text(m_options.reason, "--reason", domain::max_reason_length);
}

bool Context::progress() const { return !m_options.quiet && progress_wanted(m_options.no_progress); }

void Context::watch(store::EventStore& store) {
    if (auto check = store.read_check()) m_reads.push_back(std::move(check));
    store.on_warning([format = m_format](std::string_view code, const std::string& message) {
        print_warning(code, message, format);
    });
}

std::unique_ptr<store::EventStore> Context::open_store(store::OpenMode mode, bool live) {
    refuse_remote("this command");
    store::OpenOptions options{m_db_path, mode, m_lock_timeout_ms, m_default_path};
    options.beside_writer = live;
    auto store = store::open_store(options);
    watch(*store);
    return store;
}

std::unique_ptr<store::SqliteStore> Context::open_file_store(store::OpenMode mode, std::string_view command) {
    refuse_remote(command);
    auto store =
        store::open_file_store(store::OpenOptions{m_db_path, mode, m_lock_timeout_ms, m_default_path}, command);
    watch(*store);
    return store;
}

std::unique_ptr<client::Inventory> Context::inventory(store::OpenMode mode, bool live) {
    if (!m_remote) return client::local_inventory(open_store(mode, live));
    http::RemoteOptions o;
    o.endpoint = *m_remote;
    // --token-file before $INVLOG_TOKEN; neither is ever echoed.
    if (!m_options.token_file.empty()) {
        o.token = http::read_client_token(m_options.token_file);
    } else if (auto token = env("INVLOG_TOKEN"); !token.empty()) {
        http::check_token(token, "INVLOG_TOKEN");
        o.token = token;
    }
    o.ca_file = env("INVLOG_CA_FILE");
    if (auto t = env("INVLOG_CONNECT_TIMEOUT"); !t.empty())
        o.connect_timeout_s = static_cast<int>(parse_count(t, "INVLOG_CONNECT_TIMEOUT", 1, 3600));
    if (auto t = env("INVLOG_READ_TIMEOUT"); !t.empty())
        o.read_timeout_s = static_cast<int>(parse_count(t, "INVLOG_READ_TIMEOUT", 1, 3600));
    return http::http_module().remote_inventory(o);
}

void Context::check_reads() const {
    for (const auto& check : m_reads) check();
}

namespace {

[[noreturn]] void output_failed(int error) {
    throw domain::storage_error(std::string(output_failed_code),
                                fmt::format("the output could not be written: {}",
                                            error ? std::strerror(error) : "the output stream failed"));
}

}  // namespace

void Context::write(std::string_view text) const {
    errno = 0;
    m_out << text;
    if (!m_out) output_failed(errno);
}

void Context::flush() const {
    errno = 0;
    m_out.flush();
    if (!m_out) output_failed(errno);
}

}  // namespace invlog::cli
