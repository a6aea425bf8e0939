// Parsing and showing MongoDB connection strings without their secrets.
#include "invlog/export/mongo_target.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include <fmt/format.h>

#include "invlog/domain/error.hpp"

namespace invlog::exporter {
namespace {

struct Driver {
    Driver() { mongoc_init(); }
    ~Driver() { mongoc_cleanup(); }
};

// The driver's own warnings (about URI options, for one), with secrets
// removed; its debug chatter is dropped.
void log_handler(mongoc_log_level_t level, const char*, const char* message, void* redactor) {
    if (level > MONGOC_LOG_LEVEL_WARNING) return;
    std::string line = fmt::format("invlog: mongodb driver: {}\n", (*static_cast<const Redactor*>(redactor))(message));
    std::fputs(line.c_str(), stderr);
}

bool secret_option(std::string_view key) {
    std::string k(key);
    std::transform(k.begin(), k.end(), k.begin(), [](unsigned char c) { return std::tolower(c); });
    return k.find("password") != std::string::npos || k == "authmechanismproperties";
}

// Redacts the values of secret options in "a=1&b=2".
std::string redact_query(std::string_view query) {
    std::string out;
    std::size_t pos = 0;
    while (pos <= query.size()) {
        std::size_t end = query.find_first_of("&;", pos);
        if (end == std::string_view::npos) end = query.size();
        std::string_view pair = query.substr(pos, end - pos);
        std::size_t eq = pair.find('=');
        if (eq != std::string_view::npos && secret_option(pair.substr(0, eq)))
            out += fmt::format("{}=***", pair.substr(0, eq));
        else
            out += pair;
        if (end < query.size()) out += query[end];
        pos = end + 1;
    }
    return out;
}

// The password as written in the URI (percent-encoded), empty when none.
std::string_view raw_password(std::string_view uri) {
    const std::size_t scheme_end = uri.find("://");
    const std::size_t start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
    const std::size_t at = uri.rfind('@');
    const std::size_t colon = uri.find(':', start);
    if (at == std::string_view::npos || at < start || colon >= at) return {};
    return uri.substr(colon + 1, at - colon - 1);
}

domain::Failure bad_name(std::string_view what, std::string_view name, std::string_view why) {
    return domain::usage_error("invalid_argument", fmt::format("invalid {} '{}': {}", what, name, why));
}

}  // namespace

std::string redact_uri(std::string_view uri) {
    const std::size_t scheme_end = uri.find("://");
    const std::size_t start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
    // The last '@' ends the user information even when a careless password
    // holds an unescaped '@', '/' or '?': redacting too much is the safe side.
    const std::size_t at = uri.rfind('@');
    std::string out(uri.substr(0, start));
    std::size_t rest = start;
    if (at != std::string_view::npos && at >= start) {
        std::string_view userinfo = uri.substr(start, at - start);
        std::size_t colon = userinfo.find(':');
        out += colon == std::string_view::npos ? userinfo : fmt::format("{}:***", userinfo.substr(0, colon));
        rest = at;
    }
    std::size_t query = uri.find('?', rest);
    out += uri.substr(rest, query == std::string_view::npos ? std::string_view::npos : query + 1 - rest);
    if (query != std::string_view::npos) out += redact_query(uri.substr(query + 1));
    return out;
}

void Redactor::add_secret(std::string_view secret) {
    if (!secret.empty()) m_secrets.emplace_back(secret);
}

std::string Redactor::operator()(std::string_view text) const {
    std::string out(text);
    for (const auto& secret : m_secrets)
        for (std::size_t pos = out.find(secret); pos != std::string::npos; pos = out.find(secret, pos + 3))
            out.replace(pos, secret.size(), "***");
    return out;
}

std::string check_database_name(std::string_view name, std::string_view what) {
    if (name.empty()) throw bad_name(what, name, "must not be empty");
    if (name.size() > 63) throw bad_name(what, name, "longer than 63 bytes");
    if (name.find_first_of(std::string_view("/\\. \"$\0", 7)) != std::string_view::npos)
        throw bad_name(what, name, "must not contain / \\ . space \" $ or NUL");
    return std::string(name);
}

std::string check_collection_name(std::string_view name, std::string_view what) {
    if (name.empty()) throw bad_name(what, name, "must not be empty");
    if (name.size() > 200) throw bad_name(what, name, "longer than 200 bytes");
    if (name.find_first_of(std::string_view("$\0", 2)) != std::string_view::npos)
        throw bad_name(what, name, "must not contain $ or NUL");
    if (name.substr(0, 7) == "system.") throw bad_name(what, name, "the system. prefix is reserved");
    return std::string(name);
}

DriverLog::DriverLog(const Redactor* redactor) {
    static Driver driver;
    mongoc_log_set_handler(log_handler, const_cast<Redactor*>(redactor));
}

DriverLog::~DriverLog() { mongoc_log_set_handler(nullptr, nullptr); }

MongoTarget::MongoTarget(std::string_view uri_text, std::optional<std::string> database, std::string collection)
    : m_collection(check_collection_name(collection, "--collection")) {
    const std::string text(uri_text);
    bson_error_t error;
    // The driver's messages may quote the URI or a part of it.
    m_redactor.add_secret(raw_password(text));
    m_uri.reset(mongoc_uri_new_with_error(text.c_str(), &error));
    if (!m_uri)
        throw domain::usage_error("invalid_mongo_uri", fmt::format("invalid MongoDB URI '{}': {}", redact_uri(text),
                                                                   m_redactor(error.message)));
    if (const char* password = mongoc_uri_get_password(uri())) m_redactor.add_secret(password);
    if (const char* user = mongoc_uri_get_username(uri())) m_user = user;

    if (database)
        m_database = check_database_name(*database, "--database");
    else if (const char* db = mongoc_uri_get_database(uri()); db && *db)
        m_database = check_database_name(db, "database in the MongoDB URI");
    else
        m_database = "inventory";

    std::vector<std::string> hosts;
    for (const mongoc_host_list_t* h = mongoc_uri_get_hosts(uri()); h; h = h->next) hosts.emplace_back(h->host_and_port);
    if (hosts.empty()) {
        const char* srv = mongoc_uri_get_srv_hostname(uri());
        hosts.emplace_back(srv ? srv : "");
        m_scheme = "mongodb+srv";
    } else {
        m_scheme = "mongodb";
    }
    m_hosts = fmt::format("{}", fmt::join(hosts, ","));
    std::sort(hosts.begin(), hosts.end());
    m_sorted_hosts = fmt::format("{}", fmt::join(hosts, ","));

    // Fail within the server-selection timeout, also for a host that drops
    // packets: the single-threaded driver's one connection attempt is bounded
    // by connectTimeoutMS, not by serverSelectionTimeoutMS.
    const int selection = mongoc_uri_has_option(m_uri.get(), MONGOC_URI_SERVERSELECTIONTIMEOUTMS)
                              ? mongoc_uri_get_option_as_int32(m_uri.get(), MONGOC_URI_SERVERSELECTIONTIMEOUTMS, 0)
                              : default_server_selection_timeout_ms;
    mongoc_uri_set_option_as_int32(m_uri.get(), MONGOC_URI_SERVERSELECTIONTIMEOUTMS, selection);
    if (!mongoc_uri_has_option(m_uri.get(), MONGOC_URI_CONNECTTIMEOUTMS) && selection > 0 && selection < 10000)
        mongoc_uri_set_option_as_int32(m_uri.get(), MONGOC_URI_CONNECTTIMEOUTMS, selection);

    m_write_concern.reset(mongoc_write_concern_copy(mongoc_uri_get_write_concern(uri())));
    mongoc_write_concern_t* wc = m_write_concern.get();
    if (mongoc_write_concern_get_w(wc) == MONGOC_WRITE_CONCERN_W_DEFAULT && !mongoc_write_concern_get_wtag(wc))
        mongoc_write_concern_set_w(wc, MONGOC_WRITE_CONCERN_W_MAJORITY);
    if (!mongoc_write_concern_is_acknowledged(wc))
        throw domain::usage_error(
            "invalid_mongo_uri",
            fmt::format("invalid MongoDB URI '{}': w=0 asks for unacknowledged writes, but the export position "
                        "advances only on acknowledgement; use w=1 or w=majority",
                        redact_uri(text)));
}

std::string MongoTarget::shown() const {
    return fmt::format("{}://{}/{}.{}", m_scheme, m_sorted_hosts, m_database, m_collection);
}

std::string MongoTarget::position_key(const std::optional<std::string>& sku) const {
    return sku ? fmt::format("{}?sku={}", shown(), *sku) : shown();
}

}  // namespace invlog::exporter
