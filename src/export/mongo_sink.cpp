// libmongoc calls and the translation of driver errors into messages an
// operator can act on.
#include "invlog/export/mongo_sink.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace invlog::exporter {
namespace {

using domain::ErrorKind;

// A bson_t that a driver call initialised, destroyed on scope exit.
struct Reply {
    bson_t doc;
    ~Reply() { bson_destroy(&doc); }
};

// Server error codes after which a later attempt may succeed: the primary
// stepped down or is shutting down, a host is unreachable, a timeout.
bool transient_server_code(std::uint32_t code) {
    static const std::uint32_t codes[] = {6, 7, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436};
    return std::find(std::begin(codes), std::end(codes), code) != std::end(codes);
}

constexpr std::uint32_t auth_failed = 18;
constexpr std::uint32_t unauthorized = 13;
constexpr std::uint32_t namespace_not_found = 26;
constexpr std::uint32_t index_options_conflict = 85;
constexpr std::uint32_t index_key_specs_conflict = 86;

// One entry of writeErrors in a bulk write reply: which operation, the
// server's code, and for a duplicate key the fields of the index it broke
// (keyPattern; empty when the server does not say).
struct WriteError {
    std::size_t index = 0;
    std::int64_t code = 0;
    std::vector<std::string> key_fields;
};

std::vector<WriteError> write_errors(const bson_t* reply) {
    std::vector<WriteError> out;
    bson_iter_t it, child;
    if (!reply || !bson_iter_init_find(&it, reply, "writeErrors") || !BSON_ITER_HOLDS_ARRAY(&it) ||
        !bson_iter_recurse(&it, &child))
        return out;
    while (bson_iter_next(&child)) {
        bson_iter_t field, key;
        if (!BSON_ITER_HOLDS_DOCUMENT(&child) || !bson_iter_recurse(&child, &field)) continue;
        WriteError e;
        while (bson_iter_next(&field)) {
            const std::string_view name = bson_iter_key(&field);
            if (name == "index" && BSON_ITER_HOLDS_NUMBER(&field))
                e.index = static_cast<std::size_t>(bson_iter_as_int64(&field));
            else if (name == "code" && BSON_ITER_HOLDS_NUMBER(&field))
                e.code = bson_iter_as_int64(&field);
            else if (name == "keyPattern" && BSON_ITER_HOLDS_DOCUMENT(&field) && bson_iter_recurse(&field, &key))
                while (bson_iter_next(&key)) e.key_fields.emplace_back(bson_iter_key(&key));
        }
        out.push_back(std::move(e));
    }
    return out;
}

bool has_write_concern_errors(const bson_t* reply) {
    bson_iter_t it, child;
    return reply && bson_iter_init_find(&it, reply, "writeConcernErrors") && BSON_ITER_HOLDS_ARRAY(&it) &&
           bson_iter_recurse(&it, &child) && bson_iter_next(&child);
}

// Whether a failed version-guarded upsert only met documents that are
// already at the same or a later version: the guard's filter did not match,
// so the upsert tried to insert a second document with that _id.
bool only_newer_documents(const bson_error_t& error, const bson_t* reply) {
    if (error.domain != MONGOC_ERROR_SERVER || error.code != MONGOC_ERROR_DUPLICATE_KEY ||
        has_write_concern_errors(reply))
        return false;
    auto errors = write_errors(reply);
    return !errors.empty() && std::all_of(errors.begin(), errors.end(), [](const WriteError& e) {
        return e.code == MONGOC_ERROR_DUPLICATE_KEY &&
               (e.key_fields.empty() || e.key_fields == std::vector<std::string>{"_id"});
    });
}

}  // namespace

MongoSink::MongoSink(const MongoTarget& target) : m_target(target) {
    bson_error_t error;
    m_client.reset(mongoc_client_new_from_uri_with_error(target.uri(), &error));
    if (!m_client)
        throw domain::usage_error("invalid_mongo_uri", fmt::format("cannot use the MongoDB URI for {}: {}",
                                                                   target.shown(), target.redact()(error.message)));
    mongoc_client_set_error_api(m_client.get(), MONGOC_ERROR_API_VERSION_2);
    mongoc_client_set_appname(m_client.get(), "invlog");
}

MongoSink::~MongoSink() = default;

void MongoSink::check() {
    Bson ping(BCON_NEW("ping", BCON_INT32(1)));
    Reply reply;
    bson_error_t error;
    if (!mongoc_client_command_simple(m_client.get(), "admin", ping.get(), nullptr, &reply.doc, &error))
        fail(error, &reply.doc, "connecting");
}

Bson MongoSink::write_options(bool ordered) const {
    Bson opts(bson_new());
    if (ordered) BSON_APPEND_BOOL(opts.get(), "ordered", true);
    // The driver's signature lacks const; it only reads the write concern.
    mongoc_write_concern_append(const_cast<mongoc_write_concern_t*>(m_target.write_concern()), opts.get());
    return opts;
}

void MongoSink::ensure_indexes(Compat compat) {
    // Seed documents share their event's seq: a native export's unique
    // indexes would refuse them half way through a batch, so look first.
    if (compat == Compat::seed)
        if (auto problem = mode_index_conflict(compat, list_indexes(true), m_target.database(), m_target.collection()))
            throw MongoFailure(ErrorKind::storage, "mongo_index_conflict",
                               fmt::format("{} (MongoDB at {})", *problem, m_target.hosts()), false);
    std::unique_ptr<mongoc_database_t, void (*)(mongoc_database_t*)> db(
        mongoc_client_get_database(m_client.get(), m_target.database().c_str()), mongoc_database_destroy);
    Bson opts = write_options(false);
    // One command per index, so that each conflict is looked into on its own.
    for (const auto& index : required_indexes(compat)) {
        Bson key(bson_new());
        for (const auto& [field, direction] : index.key) BSON_APPEND_INT32(key.get(), field.c_str(), direction);
        Bson command(BCON_NEW("createIndexes", BCON_UTF8(m_target.collection().c_str()), "indexes", "[", "{", "key",
                              BCON_DOCUMENT(key.get()), "name", BCON_UTF8(index.name.c_str()), "unique",
                              BCON_BOOL(index.unique), "}", "]"));
        Reply reply;
        bson_error_t error;
        if (mongoc_database_write_command_with_opts(db.get(), command.get(), opts.get(), &reply.doc, &error)) continue;
        const std::string doing = fmt::format("creating the index {} on {}", index.name, m_target.collection());
        const bool conflict = error.domain == MONGOC_ERROR_SERVER &&
                              (error.code == index_options_conflict || error.code == index_key_specs_conflict);
        if (error.domain == MONGOC_ERROR_SERVER && error.code == MONGOC_ERROR_DUPLICATE_KEY)
            throw MongoFailure(
                ErrorKind::conflict, "mongo_conflict",
                fmt::format("cannot create the unique index {} on {} in {}.{}: documents already there share a "
                            "value of it, so two logs (or two invlog databases) were exported into it; export to "
                            "another collection, or empty that one and run the export again with --from-start: {}",
                            index.name, show_key(index), m_target.database(), m_target.collection(),
                            m_target.redact()(error.message)),
                false);
        if (!conflict) fail(error, &reply.doc, doing);
        // An index in the way: harmless when it is this one under another
        // name, else the export would run without its unique guarantee.
        if (auto problem = index_conflict(index, list_indexes(), m_target.database(), m_target.collection()))
            throw MongoFailure(ErrorKind::storage, "mongo_index_conflict",
                               fmt::format("{} (MongoDB at {}: {})", *problem, m_target.hosts(),
                                           m_target.redact()(error.message)),
                               false);
    }
}

std::vector<IndexSpec> MongoSink::list_indexes(bool missing_ok) {
    std::unique_ptr<mongoc_collection_t, void (*)(mongoc_collection_t*)> coll(
        mongoc_client_get_collection(m_client.get(), m_target.database().c_str(), m_target.collection().c_str()),
        mongoc_collection_destroy);
    std::unique_ptr<mongoc_cursor_t, void (*)(mongoc_cursor_t*)> cursor(
        mongoc_collection_find_indexes_with_opts(coll.get(), nullptr), mongoc_cursor_destroy);
    std::vector<IndexSpec> out;
    const bson_t* doc = nullptr;
    while (mongoc_cursor_next(cursor.get(), &doc)) {
        IndexSpec index;
        bson_iter_t it, key;
        if (bson_iter_init_find(&it, doc, "name") && BSON_ITER_HOLDS_UTF8(&it))
            index.name = bson_iter_utf8(&it, nullptr);
        if (bson_iter_init_find(&it, doc, "key") && BSON_ITER_HOLDS_DOCUMENT(&it) && bson_iter_recurse(&it, &key))
            while (bson_iter_next(&key))
                // A direction of 1 or -1; a special index ("text", "2d") gets 0, which matches none of ours.
                index.key.emplace_back(bson_iter_key(&key),
                                       BSON_ITER_HOLDS_NUMBER(&key) ? static_cast<int>(bson_iter_as_int64(&key)) : 0);
        index.unique = bson_iter_init_find(&it, doc, "unique") && bson_iter_as_bool(&it);
        index.partial = bson_iter_init_find(&it, doc, "partialFilterExpression");
        out.push_back(std::move(index));
    }
    bson_error_t error;
    const bson_t* reply = nullptr;
    if (mongoc_cursor_error_document(cursor.get(), &error, &reply)) {
        if (missing_ok && error.domain == MONGOC_ERROR_SERVER && error.code == namespace_not_found) return {};
        fail(error, reply, fmt::format("listing the indexes of {}", m_target.collection()));
    }
    return out;
}

bool MongoSink::holds(std::string_view collection, const Bson& filter) {
    const std::string name(collection);
    std::unique_ptr<mongoc_collection_t, void (*)(mongoc_collection_t*)> coll(
        mongoc_client_get_collection(m_client.get(), m_target.database().c_str(), name.c_str()),
        mongoc_collection_destroy);
    Bson opts(BCON_NEW("limit", BCON_INT64(1)));
    std::unique_ptr<mongoc_cursor_t, void (*)(mongoc_cursor_t*)> cursor(
        mongoc_collection_find_with_opts(coll.get(), filter.get(), opts.get(), nullptr), mongoc_cursor_destroy);
    const bson_t* doc = nullptr;
    if (mongoc_cursor_next(cursor.get(), &doc)) return true;
    bson_error_t error;
    const bson_t* reply = nullptr;
    if (mongoc_cursor_error_document(cursor.get(), &error, &reply)) fail(error, reply, fmt::format("reading {}", name));
    return false;
}

void MongoSink::upsert(std::string_view collection, const std::vector<Bson>& docs,
                       const std::function<std::string(std::size_t)>& describe) {
    replace(collection, docs, false, describe);
}

void MongoSink::upsert_newer(std::string_view collection, const std::vector<Bson>& docs,
                             const std::function<std::string(std::size_t)>& describe) {
    replace(collection, docs, true, describe);
}

void MongoSink::replace(std::string_view collection, const std::vector<Bson>& docs, bool newer_only,
                        const std::function<std::string(std::size_t)>& describe) {
    if (docs.empty()) return;
    const std::string name(collection);
    std::unique_ptr<mongoc_collection_t, void (*)(mongoc_collection_t*)> coll(
        mongoc_client_get_collection(m_client.get(), m_target.database().c_str(), name.c_str()),
        mongoc_collection_destroy);
    // Guarded writes are unordered: a document that is already newer must
    // not keep the others from being written.
    Bson opts = write_options(!newer_only);
    std::unique_ptr<mongoc_bulk_operation_t, void (*)(mongoc_bulk_operation_t*)> bulk(
        mongoc_collection_create_bulk_operation_with_opts(coll.get(), opts.get()), mongoc_bulk_operation_destroy);
    Bson upsert(BCON_NEW("upsert", BCON_BOOL(true)));
    bson_error_t error;
    for (const auto& doc : docs) {
        Bson selector(bson_new());
        bson_iter_t field;
        if (bson_iter_init_find(&field, doc.get(), "_id")) bson_append_iter(selector.get(), "_id", 3, &field);
        if (newer_only && bson_iter_init_find(&field, doc.get(), "version")) {
            bson_t condition;
            bson_append_document_begin(selector.get(), "version", 7, &condition);
            bson_append_iter(&condition, "$lt", 3, &field);
            bson_append_document_end(selector.get(), &condition);
        }
        if (!mongoc_bulk_operation_replace_one_with_opts(bulk.get(), selector.get(), doc.get(), upsert.get(), &error))
            fail(error, nullptr, fmt::format("preparing the write to {}", name), describe);
    }
    Reply reply;
    if (!mongoc_bulk_operation_execute(bulk.get(), &reply.doc, &error) &&
        !(newer_only && only_newer_documents(error, &reply.doc)))
        fail(error, &reply.doc, fmt::format("writing to {}", name), describe);
}

void MongoSink::fail(const bson_error_t& error, const bson_t* reply, std::string_view doing,
                     const std::function<std::string(std::size_t)>& describe) const {
    const auto& t = m_target;
    const std::string detail = t.redact()(error.message);
    const std::string at = fmt::format("MongoDB at {}", t.hosts());
    const std::string user = t.user().empty() ? "" : fmt::format(" as user '{}'", t.user());
    const bool auth = (error.domain == MONGOC_ERROR_CLIENT && error.code == MONGOC_ERROR_CLIENT_AUTHENTICATE) ||
                      (error.domain == MONGOC_ERROR_SERVER && error.code == auth_failed) ||
                      detail.find("Authentication failed") != std::string::npos;
    if (auth)
        throw MongoFailure(ErrorKind::storage, "mongo_auth_failed",
                           fmt::format("authentication to {} failed{}: {}", at, user, detail), false);
    if (error.domain == MONGOC_ERROR_SERVER_SELECTION)
        throw MongoFailure(ErrorKind::storage, "mongo_unreachable",
                           fmt::format("cannot reach {} within {} ms (serverSelectionTimeoutMS): {}", at,
                                       mongoc_uri_get_option_as_int32(t.uri(), MONGOC_URI_SERVERSELECTIONTIMEOUTMS, 0),
                                       detail),
                           true);
    if (error.domain == MONGOC_ERROR_STREAM)
        throw MongoFailure(ErrorKind::storage, "mongo_connection_lost",
                           fmt::format("lost the connection to {} while {}: {}", at, doing, detail), true);
    if (error.domain == MONGOC_ERROR_WRITE_CONCERN)
        throw MongoFailure(ErrorKind::storage, "mongo_write_concern",
                           fmt::format("{} did not confirm the write concern while {}: {}", at, doing, detail), true);
    if (error.domain == MONGOC_ERROR_SERVER && error.code == unauthorized)
        throw MongoFailure(ErrorKind::storage, "mongo_unauthorized",
                           fmt::format("{} refused{} {} in database {}: {}", at, user, doing, t.database(), detail),
                           false);
    if (error.domain == MONGOC_ERROR_SERVER && error.code == MONGOC_ERROR_DUPLICATE_KEY) {
        auto errors = write_errors(reply);
        std::string what = !errors.empty() && describe ? describe(errors.front().index) : "an event";
        if (!errors.empty() && errors.front().key_fields == std::vector<std::string>{"seq"})
            throw MongoFailure(
                ErrorKind::conflict, "mongo_conflict",
                fmt::format("{}.{} already holds another event at the seq of {}: this log is not the one that was "
                            "exported there (it was replaced, or restored from an older backup, since), or another "
                            "invlog database exports to the same collection; export this log to another collection, "
                            "or empty that one and run the export again with --from-start: {}",
                            t.database(), t.collection(), what, detail),
                false);
        throw MongoFailure(ErrorKind::conflict, "mongo_conflict",
                           fmt::format("{}.{} already holds another document for {} (does another invlog database "
                                       "export to the same collection?): {}",
                                       t.database(), t.collection(), what, detail),
                           false);
    }
    throw MongoFailure(ErrorKind::storage, "mongo_error", fmt::format("{} failed while {}: {}", at, doing, detail),
                       error.domain == MONGOC_ERROR_SERVER && transient_server_code(error.code));
}

}  // namespace invlog::exporter
