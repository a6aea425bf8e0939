// A MongoDB destination: the connection string with invlog's defaults
// applied, how to show it without secrets, and the key under which its
// export position is kept in the SQLite file (hosts, database, collection;
// never credentials).
#pragma once

#include <mongoc/mongoc.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "invlog/util/redact.hpp"

namespace invlog::exporter {

// The server-selection timeout when the URI sets none: long enough for a
// replica set to elect a primary, short enough for a script to fail quickly.
inline constexpr int default_server_selection_timeout_ms = 5000;

// Initialises the driver once, and routes its warnings to stderr through a
// redactor while it lives (and drops its debug messages).
class DriverLog {
public:
    explicit DriverLog(const util::Redactor* redactor);
    ~DriverLog();
    DriverLog(const DriverLog&) = delete;
    DriverLog& operator=(const DriverLog&) = delete;
};

struct UriDeleter {
    void operator()(mongoc_uri_t* uri) const { mongoc_uri_destroy(uri); }
};
struct WriteConcernDeleter {
    void operator()(mongoc_write_concern_t* wc) const { mongoc_write_concern_destroy(wc); }
};

class MongoTarget {
public:
    // Parses the URI; a usage Failure (showing the URI redacted) when it is
    // not valid or asks for unacknowledged writes (w=0). database: the
    // option, else the URI's database, else "inventory".
    MongoTarget(std::string_view uri, std::optional<std::string> database, std::string collection);

    const mongoc_uri_t* uri() const { return m_uri.get(); }
    // The URI's write concern, or w=majority when it sets none.
    const mongoc_write_concern_t* write_concern() const { return m_write_concern.get(); }
    const std::string& database() const { return m_database; }
    const std::string& collection() const { return m_collection; }
    // "host:port[,host:port...]", as the URI lists them (or the SRV name).
    const std::string& hosts() const { return m_hosts; }
    // The user name of the URI, empty when it has none.
    const std::string& user() const { return m_user; }
    const util::Redactor& redact() const { return m_redactor; }

    // mongodb://hosts/database.collection: hosts sorted, no credentials. It
    // names the destination in messages and keys its export position.
    std::string shown() const;
    // The same for another collection of the same database.
    std::string shown(std::string_view collection) const;
    // The position key of an export, filtered or not: a filtered export has
    // its own position so that it never skips events of other SKUs.
    std::string position_key(const std::optional<std::string>& sku) const;

private:
    std::unique_ptr<mongoc_uri_t, UriDeleter> m_uri;
    std::unique_ptr<mongoc_write_concern_t, WriteConcernDeleter> m_write_concern;
    std::string m_database;
    std::string m_collection;
    std::string m_hosts;
    std::string m_sorted_hosts;
    std::string m_scheme;
    std::string m_user;
    util::Redactor m_redactor;
    DriverLog m_driver_log{&m_redactor};
};

}  // namespace invlog::exporter
