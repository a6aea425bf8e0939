// Parsing and showing MongoDB connection strings without their secrets.
#include "invlog/export/mongo_target.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include <fmt/format.h>

#include "invlog/domain/error.hpp"
#include "invlog/domain/text.hpp"
#include "invlog/export/mongo_names.hpp"

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
    const auto& redact = *static_cast<const util::Redactor*>(redactor);
    std::string line = fmt::format("invlog: mongodb driver: {}\n", redact(message));
    std::fputs(line.c_str(), stderr);
}

}  // namespace

DriverLog::DriverLog(const util::Redactor* redactor) {
    static Driver driver;
    mongoc_log_set_handler(log_handler, const_cast<util::Redactor*>(redactor));
}

DriverLog::~DriverLog() { mongoc_log_set_handler(nullptr, nullptr); }

MongoTarget::MongoTarget(std::string_view uri_text, std::optional<std::string> database, std::string collection)
    : m_collection(check_collection_name(collection, "--collection")) {
    const std::string text(uri_text);
    bson_error_t error;
    // The driver's messages may quote the URI or a part of it.
    m_redactor.add_secret(util::raw_password(text));
    m_uri.reset(mongoc_uri_new_with_error(text.c_str(), &error));
    if (!m_uri)
        throw domain::usage_error("invalid_mongo_uri",
                                  fmt::format("invalid MongoDB URI '{}': {}",
                                              domain::shown_path(util::redact_uri(text)), m_redactor(error.message)));
    if (const char* password = mongoc_uri_get_password(uri())) m_redactor.add_secret(password);
    if (const char* user = mongoc_uri_get_username(uri())) m_user = user;

    if (database)
        m_database = check_database_name(*database, "--database");
    else if (const char* db = mongoc_uri_get_database(uri()); db && *db)
        m_database = check_database_name(db, "database in the MongoDB URI");
    else
        m_database = "inventory";

    std::vector<std::string> hosts;
    for (const mongoc_host_list_t* h = mongoc_uri_get_hosts(uri()); h; h = h->next)
        hosts.emplace_back(h->host_and_port);
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
                        domain::shown_path(util::redact_uri(text))));
}

std::string MongoTarget::shown() const { return shown(m_collection); }

std::string MongoTarget::shown(std::string_view collection) const {
    return fmt::format("{}://{}/{}.{}", m_scheme, m_sorted_hosts, m_database, collection);
}

std::string MongoTarget::position_key(const std::optional<std::string>& sku) const {
    return sku ? fmt::format("{}?sku={}", shown(), *sku) : shown();
}

}  // namespace invlog::exporter
