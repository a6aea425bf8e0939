// The driver side of MongoStore: one client on the store's database, finds
// that stream documents, and the transaction runner that retries what
// MongoDB labels transient. Private to src/store/mongo.
#pragma once

#include <mongoc/mongoc.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "invlog/domain/error.hpp"
#include "invlog/export/document.hpp"
#include "invlog/export/mongo_target.hpp"

namespace invlog::store::mongo {

using exporter::Bson;

// The database the URI names, else "invlog".
std::string database_of(std::string_view uri);

// What a write inside a transaction found: done, or a conflict with another
// writer (the head moved, a unique index refused), which the caller decides
// again for; unknown: the commit was sent but its answer never came.
enum class WriteResult { done, conflict, unknown };

class Database {
public:
    // Connects (within the server-selection timeout) and checks that the
    // deployment can run transactions: a storage Failure when the server
    // cannot be reached, refuses the credentials, or is a standalone.
    explicit Database(std::string_view uri);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // mongodb://hosts/database, without credentials.
    std::string shown() const;
    mongoc_collection_t* collection(const char* name);

    // Streams the documents that match, in the order of opts (sort, limit);
    // fn returns false to stop.
    template <class Fn>  // bool(const bson_t&); not a std::function, which drops bson_t's alignment
    void find(const char* coll, const bson_t& filter, const bson_t* opts, Fn&& fn) {
        Cursor cursor(*this, coll, filter, opts);
        const bson_t* doc = nullptr;
        while (cursor.next(&doc))
            if (!fn(*doc)) return cursor.stop();
    }
    std::optional<Bson> find_one(const char* coll, const bson_t& filter, const bson_t* opts = nullptr);
    std::int64_t count(const char* coll, const bson_t& filter);

    // Outside a transaction (setup, export positions, key clean-up).
    void create_unique_index(const char* coll, const bson_t& keys, const char* name);
    // One document's update outside any transaction, acknowledged by the
    // primary alone (writeConcern w:1): the writer lease's writes, which
    // only keep writers apart and are not what makes a commit safe (see
    // MongoStore). matched: a document matched the filter; upserted: none
    // did and one was inserted; none: none did (no upsert); duplicate: the
    // upsert's insert met a unique key (its _id) already taken.
    enum class Update { matched, upserted, none, duplicate };
    Update update_one(const char* coll, const bson_t& filter, const bson_t& update, bool upsert);
    // Returns false when _id (or a unique key) is already taken.
    bool insert(const char* coll, const bson_t& doc);
    void replace(const char* coll, const bson_t& filter, const bson_t& doc);
    std::int64_t remove(const char* coll, const bson_t& filter);

    // Runs body in a transaction with writeConcern majority and journal on a
    // causally consistent session, then commits. A transient error (label
    // TransientTransactionError) reruns body a bounded number of times with
    // backoff; an unknown commit result retries the commit, then returns
    // unknown. Returns conflict when body does (and aborts). Other errors are
    // storage Failures.
    // body gets the session's opts for each write.
    struct TxOpts {
        const bson_t* opts;
    };
    WriteResult transaction(const std::function<WriteResult(TxOpts)>& body);

    // A read-only transaction with readConcern "snapshot": from
    // begin_snapshot to end_snapshot, every find and count of this Database
    // reads the one moment of the database at which it began.
    void begin_snapshot();
    void end_snapshot() noexcept;

    // The writes of a transaction body, with the session's opts: each returns
    // conflict for a duplicate key (or, for cas, no document matched) and
    // throws Transient for an error MongoDB labels TransientTransactionError.
    struct Transient {};
    WriteResult tx_insert(const char* coll, const bson_t& doc, const bson_t* opts);
    WriteResult tx_cas(const char* coll, const bson_t& filter, const bson_t& update, const bson_t* opts);
    void tx_replace(const char* coll, const bson_t& filter, const bson_t& doc, const bson_t* opts);
    void tx_remove(const char* coll, const bson_t& filter, const bson_t* opts);

    // A storage Failure for a driver error, secrets removed.
    domain::Failure failure(std::string_view what, const bson_error_t& error) const;
    // Whether a write error is a duplicate key (E11000).
    static bool duplicate_key(const bson_error_t& error);

private:
    // Destroys the driver's objects; also when the constructor throws, since
    // the destructor of an object never made does not run.
    void release() noexcept;
    // The rest of the constructor: the client's settings and the check that
    // the server is a replica set.
    void connect();
    // A find's results; the error, if any, is thrown when they end.
    class Cursor {
    public:
        Cursor(Database& db, const char* coll, const bson_t& filter, const bson_t* opts);
        ~Cursor();
        Cursor(const Cursor&) = delete;
        Cursor& operator=(const Cursor&) = delete;
        bool next(const bson_t** doc);
        void stop() { m_stopped = true; }

    private:
        Database& m_db;
        std::string m_coll;
        mongoc_cursor_t* m_cursor = nullptr;
        bool m_stopped = false;
    };
    void check(bool ok, std::string_view what, const bson_t& reply, const bson_error_t& error);
    // A copy of opts (or of an empty document) with the snapshot's session,
    // when one is open; the caller destroys it.
    bson_t* read_opts(const bson_t* opts);
    // Drops the driver's log lines from before m_target starts the driver
    // (mongoc_init's own warnings) on.
    struct QuietDriver {
        QuietDriver();
    } m_quiet;
    mongoc_write_concern_t* m_write_concern = nullptr;
    exporter::MongoTarget m_target;
    mongoc_client_t* m_client = nullptr;
    mongoc_database_t* m_database = nullptr;
    std::vector<std::pair<std::string, mongoc_collection_t*>> m_collections;
    mongoc_client_session_t* m_snapshot = nullptr;  // begin_snapshot's session
};

}  // namespace invlog::store::mongo
