// Connecting to the store's deployment, finds, and transactions with their
// bounded retries (see mongo_db.hpp).
#include "mongo_db.hpp"

#include <chrono>
#include <random>
#include <thread>

#include <fmt/format.h>

namespace invlog::store::mongo {

using domain::ErrorKind;
using domain::Failure;

namespace {

// Transient errors (an election, a lost connection) rerun the transaction
// this many times, with a growing, jittered pause.
constexpr int transient_attempts = 8;
// A commit whose result is unknown (the connection dropped) is sent again
// this many times in all.
constexpr int commit_attempts = 2;

constexpr int default_socket_timeout_ms = 10'000;

void backoff(int attempt) {
    static thread_local std::mt19937 rng{std::random_device{}()};
    std::uniform_int_distribution<int> jitter(0, 10 * attempt);
    std::this_thread::sleep_for(std::chrono::milliseconds(10 * attempt + jitter(rng)));
}

struct Reply {
    bson_t doc = BSON_INITIALIZER;
    Reply() = default;
    Reply(const Reply&) = delete;
    Reply& operator=(const Reply&) = delete;
    ~Reply() { bson_destroy(&doc); }
};

}  // namespace

std::string database_of(std::string_view uri) {
    bson_error_t error;
    mongoc_uri_t* parsed = mongoc_uri_new_with_error(std::string(uri).c_str(), &error);
    std::string name = "invlog";
    if (parsed) {
        if (const char* db = mongoc_uri_get_database(parsed); db && *db) name = db;
        mongoc_uri_destroy(parsed);
    }
    return name;
}

// Every failure reaches the operator as a Failure, with its secrets removed;
// the driver's own warnings (a server's unknown endSessions, an SRV look-up,
// its counters) would only add lines to every command's stderr.
Database::QuietDriver::QuietDriver() {
    mongoc_log_set_handler([](mongoc_log_level_t, const char*, const char*, void*) {}, nullptr);
}

Database::Database(std::string_view uri) : m_target(uri, database_of(uri), "events") {
    QuietDriver again;  // MongoTarget routed the log to stderr
    // A server that never answers (or drops a request) must not hold a
    // command for the driver's default of five minutes.
    if (!mongoc_uri_has_option(m_target.uri(), MONGOC_URI_SOCKETTIMEOUTMS))
        mongoc_uri_set_option_as_int32(const_cast<mongoc_uri_t*>(m_target.uri()), MONGOC_URI_SOCKETTIMEOUTMS,
                                       default_socket_timeout_ms);
    m_client = mongoc_client_new_from_uri(m_target.uri());
    // The URI parsed: what fails here is the DNS look-up of a mongodb+srv:// name.
    if (!m_client)
        throw Failure(ErrorKind::storage, "mongo_unreachable",
                      fmt::format("cannot open the MongoDB store {}: its hosts could not be looked up", shown()));
    try {
        connect();
    } catch (...) {
        release();
        throw;
    }
}

void Database::connect() {
    mongoc_client_set_error_api(m_client, MONGOC_ERROR_API_VERSION_2);
    mongoc_client_set_appname(m_client, "invlog");
    m_database = mongoc_client_get_database(m_client, m_target.database().c_str());
    m_write_concern = mongoc_write_concern_copy(m_target.write_concern());
    mongoc_write_concern_set_journal(m_write_concern, true);

    Reply reply;
    bson_error_t error;
    bson_t* hello = BCON_NEW("hello", BCON_INT32(1));
    const bool ok = mongoc_client_command_simple(m_client, "admin", hello, nullptr, &reply.doc, &error);
    bson_destroy(hello);
    if (!ok) throw failure(fmt::format("cannot open the MongoDB store {}", shown()), error);
    bson_iter_t it;
    const bool replica_set = bson_iter_init_find(&it, &reply.doc, "setName");
    const bool mongos = bson_iter_init_find(&it, &reply.doc, "msg") && BSON_ITER_HOLDS_UTF8(&it) &&
                        std::string_view(bson_iter_utf8(&it, nullptr)) == "isdbgrid";
    if (!replica_set && !mongos)
        throw Failure(ErrorKind::storage, "mongodb_not_replica_set",
                      fmt::format("the MongoDB server of {} is a standalone server: an invlog store needs "
                                  "multi-document transactions, which only a replica set (or a sharded cluster) "
                                  "runs; start it as a replica set (a single member will do)",
                                  shown()));
}

Database::~Database() { release(); }

void Database::release() noexcept {
    end_snapshot();
    for (auto& [name, coll] : m_collections) mongoc_collection_destroy(coll);
    m_collections.clear();
    if (m_database) mongoc_database_destroy(m_database);
    if (m_client) mongoc_client_destroy(m_client);
    if (m_write_concern) mongoc_write_concern_destroy(m_write_concern);
    m_database = nullptr;
    m_client = nullptr;
    m_write_concern = nullptr;
}

std::string Database::shown() const {
    auto events = m_target.shown();  // mongodb://hosts/db.events
    return events.substr(0, events.size() - std::string_view(".events").size());
}

mongoc_collection_t* Database::collection(const char* name) {
    for (auto& [n, coll] : m_collections)
        if (n == name) return coll;
    mongoc_collection_t* coll = mongoc_database_get_collection(m_database, name);
    m_collections.emplace_back(name, coll);
    return coll;
}

Failure Database::failure(std::string_view what, const bson_error_t& error) const {
    // The codes and their meaning are those of `export mongo` (mongo_sink).
    const std::string detail = m_target.redact()(error.message);
    const bool auth = (error.domain == MONGOC_ERROR_CLIENT && error.code == MONGOC_ERROR_CLIENT_AUTHENTICATE) ||
                      error.code == 18 || detail.find("Authentication failed") != std::string::npos;
    if (auth)
        return Failure(ErrorKind::storage, "mongo_auth_failed",
                       fmt::format("{}: authentication failed{}: {}", what,
                                   m_target.user().empty() ? "" : fmt::format(" as user '{}'", m_target.user()),
                                   detail));
    if (error.domain == MONGOC_ERROR_SERVER_SELECTION)
        return Failure(ErrorKind::storage, "mongo_unreachable",
                       fmt::format("{}: no server answered within {} ms (serverSelectionTimeoutMS): {}", what,
                                   mongoc_uri_get_option_as_int32(m_target.uri(), MONGOC_URI_SERVERSELECTIONTIMEOUTMS,
                                                                  0),
                                   detail));
    if (error.domain == MONGOC_ERROR_STREAM)
        return Failure(ErrorKind::storage, "mongo_connection_lost", fmt::format("{}: {}", what, detail));
    return Failure(ErrorKind::storage, "mongo_error", fmt::format("{}: {}", what, detail));
}

bool Database::duplicate_key(const bson_error_t& error) { return error.code == 11000; }

bson_t* Database::read_opts(const bson_t* opts) {
    bson_t* out = opts ? bson_copy(opts) : bson_new();
    bson_error_t error;
    if (m_snapshot && !mongoc_client_session_append(m_snapshot, out, &error)) {
        bson_destroy(out);
        throw failure(fmt::format("cannot read {}", shown()), error);
    }
    return out;
}

Database::Cursor::Cursor(Database& db, const char* coll, const bson_t& filter, const bson_t* opts)
    : m_db(db), m_coll(coll) {
    bson_t* with_session = db.read_opts(opts);
    // The cursor keeps its own copy of the options.
    m_cursor = mongoc_collection_find_with_opts(db.collection(coll), &filter, with_session, nullptr);
    bson_destroy(with_session);
}

Database::Cursor::~Cursor() { mongoc_cursor_destroy(m_cursor); }

bool Database::Cursor::next(const bson_t** doc) {
    if (mongoc_cursor_next(m_cursor, doc)) return true;
    bson_error_t error;
    if (mongoc_cursor_error(m_cursor, &error))
        throw m_db.failure(fmt::format("cannot read {}.{}", m_db.shown(), m_coll), error);
    return false;
}

std::optional<Bson> Database::find_one(const char* coll, const bson_t& filter, const bson_t* opts) {
    std::optional<Bson> out;
    bson_t* limited = opts ? bson_copy(opts) : bson_new();
    if (!bson_has_field(limited, "limit")) BSON_APPEND_INT64(limited, "limit", 1);
    find(coll, filter, limited, [&](const bson_t& doc) {
        out.emplace(bson_copy(&doc));
        return false;
    });
    bson_destroy(limited);
    return out;
}

std::int64_t Database::count(const char* coll, const bson_t& filter) {
    bson_error_t error;
    bson_t* opts = read_opts(nullptr);
    const std::int64_t n = mongoc_collection_count_documents(collection(coll), &filter, opts, nullptr, nullptr, &error);
    bson_destroy(opts);
    if (n < 0) throw failure(fmt::format("cannot count {}.{}", shown(), coll), error);
    return n;
}

void Database::create_unique_index(const char* coll, const bson_t& keys, const char* name) {
    bson_t* cmd = BCON_NEW("createIndexes", BCON_UTF8(coll), "indexes", "[", "{", "key", BCON_DOCUMENT(&keys), "name",
                           BCON_UTF8(name), "unique", BCON_BOOL(true), "}", "]");
    Reply reply;
    bson_error_t error;
    const bool ok = mongoc_database_write_command_with_opts(m_database, cmd, nullptr, &reply.doc, &error);
    bson_destroy(cmd);
    if (!ok) throw failure(fmt::format("cannot create the index {} of {}.{}", name, shown(), coll), error);
}

Database::Update Database::update_one(const char* coll, const bson_t& filter, const bson_t& update, bool upsert) {
    Reply reply;
    bson_error_t error;
    bson_t* opts = BCON_NEW("upsert", BCON_BOOL(upsert), "writeConcern", "{", "w", BCON_INT32(1), "}");
    const bool ok = mongoc_collection_update_one(collection(coll), &filter, &update, opts, &reply.doc, &error);
    bson_destroy(opts);
    if (!ok && duplicate_key(error)) return Update::duplicate;
    if (!ok) throw failure(fmt::format("cannot write to {}.{}", shown(), coll), error);
    bson_iter_t it;
    if (bson_iter_init_find(&it, &reply.doc, "matchedCount") && bson_iter_as_int64(&it) > 0) return Update::matched;
    if (bson_iter_init_find(&it, &reply.doc, "upsertedCount") && bson_iter_as_int64(&it) > 0) return Update::upserted;
    return Update::none;
}

void Database::begin_snapshot() {
    end_snapshot();
    bson_error_t error;
    mongoc_client_session_t* session = mongoc_client_start_session(m_client, nullptr, &error);
    if (!session) throw failure(fmt::format("cannot start a session on {}", shown()), error);
    mongoc_read_concern_t* snapshot = mongoc_read_concern_new();
    mongoc_read_concern_set_level(snapshot, MONGOC_READ_CONCERN_LEVEL_SNAPSHOT);
    mongoc_transaction_opt_t* opts = mongoc_transaction_opts_new();
    mongoc_transaction_opts_set_read_concern(opts, snapshot);
    const bool ok = mongoc_client_session_start_transaction(session, opts, &error);
    mongoc_transaction_opts_destroy(opts);
    mongoc_read_concern_destroy(snapshot);
    if (!ok) {
        mongoc_client_session_destroy(session);
        throw failure(fmt::format("cannot start a read transaction on {}", shown()), error);
    }
    m_snapshot = session;
}

void Database::end_snapshot() noexcept {
    if (!m_snapshot) return;
    // Nothing was written: aborting ends it as well as committing would.
    mongoc_client_session_abort_transaction(m_snapshot, nullptr);
    mongoc_client_session_destroy(m_snapshot);
    m_snapshot = nullptr;
}

bool Database::insert(const char* coll, const bson_t& doc) {
    Reply reply;
    bson_error_t error;
    if (mongoc_collection_insert_one(collection(coll), &doc, nullptr, &reply.doc, &error)) return true;
    if (duplicate_key(error)) return false;
    throw failure(fmt::format("cannot write to {}.{}", shown(), coll), error);
}

void Database::replace(const char* coll, const bson_t& filter, const bson_t& doc) {
    Reply reply;
    bson_error_t error;
    bson_t* opts = BCON_NEW("upsert", BCON_BOOL(true));
    const bool ok = mongoc_collection_replace_one(collection(coll), &filter, &doc, opts, &reply.doc, &error);
    bson_destroy(opts);
    if (!ok) throw failure(fmt::format("cannot write to {}.{}", shown(), coll), error);
}

std::int64_t Database::remove(const char* coll, const bson_t& filter) {
    Reply reply;
    bson_error_t error;
    if (!mongoc_collection_delete_many(collection(coll), &filter, nullptr, &reply.doc, &error))
        throw failure(fmt::format("cannot delete from {}.{}", shown(), coll), error);
    bson_iter_t it;
    return bson_iter_init_find(&it, &reply.doc, "deletedCount") ? bson_iter_as_int64(&it) : 0;
}

void Database::check(bool ok, std::string_view what, const bson_t& reply, const bson_error_t& error) {
    if (ok) return;
    if (mongoc_error_has_label(&reply, "TransientTransactionError")) throw Transient{};
    throw failure(what, error);
}

WriteResult Database::tx_insert(const char* coll, const bson_t& doc, const bson_t* opts) {
    Reply reply;
    bson_error_t error;
    const bool ok = mongoc_collection_insert_one(collection(coll), &doc, opts, &reply.doc, &error);
    if (!ok && duplicate_key(error)) return WriteResult::conflict;
    check(ok, fmt::format("cannot write to {}.{}", shown(), coll), reply.doc, error);
    return WriteResult::done;
}

WriteResult Database::tx_cas(const char* coll, const bson_t& filter, const bson_t& update, const bson_t* opts) {
    Reply reply;
    bson_error_t error;
    const bool ok = mongoc_collection_update_one(collection(coll), &filter, &update, opts, &reply.doc, &error);
    if (!ok && duplicate_key(error)) return WriteResult::conflict;
    check(ok, fmt::format("cannot write to {}.{}", shown(), coll), reply.doc, error);
    bson_iter_t it;
    const std::int64_t matched = bson_iter_init_find(&it, &reply.doc, "matchedCount") ? bson_iter_as_int64(&it) : 0;
    return matched == 1 ? WriteResult::done : WriteResult::conflict;
}

void Database::tx_replace(const char* coll, const bson_t& filter, const bson_t& doc, const bson_t* opts) {
    Reply reply;
    bson_error_t error;
    bson_t* with_upsert = bson_copy(opts);
    BSON_APPEND_BOOL(with_upsert, "upsert", true);
    const bool ok = mongoc_collection_replace_one(collection(coll), &filter, &doc, with_upsert, &reply.doc, &error);
    bson_destroy(with_upsert);
    check(ok, fmt::format("cannot write to {}.{}", shown(), coll), reply.doc, error);
}

void Database::tx_remove(const char* coll, const bson_t& filter, const bson_t* opts) {
    Reply reply;
    bson_error_t error;
    const bool ok = mongoc_collection_delete_many(collection(coll), &filter, opts, &reply.doc, &error);
    check(ok, fmt::format("cannot delete from {}.{}", shown(), coll), reply.doc, error);
}

WriteResult Database::transaction(const std::function<WriteResult(TxOpts)>& body) {
    bson_error_t error;
    mongoc_session_opt_t* session_opts = mongoc_session_opts_new();
    mongoc_session_opts_set_causal_consistency(session_opts, true);
    mongoc_client_session_t* session = mongoc_client_start_session(m_client, session_opts, &error);
    mongoc_session_opts_destroy(session_opts);
    if (!session) throw failure(fmt::format("cannot start a session on {}", shown()), error);
    mongoc_transaction_opt_t* tx_opts = mongoc_transaction_opts_new();
    mongoc_transaction_opts_set_write_concern(tx_opts, m_write_concern);
    auto cleanup = [&] {
        mongoc_transaction_opts_destroy(tx_opts);
        mongoc_client_session_destroy(session);
    };
    try {
        for (int attempt = 1;; ++attempt) {
            if (!mongoc_client_session_start_transaction(session, tx_opts, &error))
                throw failure(fmt::format("cannot start a transaction on {}", shown()), error);
            bson_t opts = BSON_INITIALIZER;
            bool transient = false;
            try {
                if (!mongoc_client_session_append(session, &opts, &error))
                    throw failure(fmt::format("cannot start a transaction on {}", shown()), error);
                if (body(TxOpts{&opts}) == WriteResult::conflict) {
                    bson_destroy(&opts);
                    mongoc_client_session_abort_transaction(session, nullptr);
                    cleanup();
                    return WriteResult::conflict;
                }
            } catch (const Transient&) {
                transient = true;
            } catch (...) {
                bson_destroy(&opts);
                mongoc_client_session_abort_transaction(session, nullptr);
                throw;
            }
            bson_destroy(&opts);
            if (!transient) {
                bool unknown = false;
                for (int commit = 1;; ++commit) {
                    Reply reply;
                    if (mongoc_client_session_commit_transaction(session, &reply.doc, &error)) {
                        cleanup();
                        return WriteResult::done;
                    }
                    // Retrying a commit is safe: it commits once. When the
                    // answer stays unknown, the caller looks at the head.
                    const bool again = mongoc_error_has_label(&reply.doc, "UnknownTransactionCommitResult") ||
                                       error.domain == MONGOC_ERROR_STREAM;
                    unknown = unknown || again;
                    if (again && commit < commit_attempts) {
                        backoff(commit);
                        continue;
                    }
                    if (unknown) {
                        cleanup();
                        return WriteResult::unknown;
                    }
                    if (mongoc_error_has_label(&reply.doc, "TransientTransactionError")) break;
                    // A write conflict seen at commit: another writer won.
                    if (error.code == 112 || duplicate_key(error)) {
                        cleanup();
                        return WriteResult::conflict;
                    }
                    throw failure(fmt::format("cannot commit to {}", shown()), error);
                }
            } else {
                mongoc_client_session_abort_transaction(session, nullptr);
            }
            if (attempt >= transient_attempts)
                throw Failure(ErrorKind::storage, "write_conflict",
                              fmt::format("gave up writing to {} after {} transient errors", shown(), attempt));
            backoff(attempt);
        }
    } catch (...) {
        cleanup();
        throw;
    }
}

}  // namespace invlog::store::mongo
