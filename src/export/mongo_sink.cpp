// libmongoc calls and the translation of driver errors into messages an
// operator can act on.
#include "invlog/export/mongo_sink.hpp"

#include <algorithm>

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
constexpr std::uint32_t index_options_conflict = 85;

// The index of the first write error in a bulk write reply, if any.
std::optional<std::size_t> first_write_error(const bson_t* reply) {
    bson_iter_t it, child;
    if (!reply || !bson_iter_init_find(&it, reply, "writeErrors") || !BSON_ITER_HOLDS_ARRAY(&it) ||
        !bson_iter_recurse(&it, &child) || !bson_iter_next(&child) || !BSON_ITER_HOLDS_DOCUMENT(&child))
        return std::nullopt;
    bson_iter_t error;
    if (!bson_iter_recurse(&child, &error) || !bson_iter_find(&error, "index") || !BSON_ITER_HOLDS_NUMBER(&error))
        return std::nullopt;
    return static_cast<std::size_t>(bson_iter_as_int64(&error));
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

void MongoSink::ensure_indexes() {
    struct Index {
        const char* name;
        std::vector<const char*> fields;
        bool unique;
    };
    const Index indexes[] = {{"sku_1_version_1", {"sku", "version"}, true}, {"seq_1", {"seq"}, false}};
    std::unique_ptr<mongoc_database_t, void (*)(mongoc_database_t*)> db(
        mongoc_client_get_database(m_client.get(), m_target.database().c_str()), mongoc_database_destroy);
    Bson opts = write_options(false);
    // One command per index, so that an index that exists under another name
    // (IndexOptionsConflict) does not keep the other from being created.
    for (const auto& index : indexes) {
        Bson key(bson_new());
        for (const char* field : index.fields) BSON_APPEND_INT32(key.get(), field, 1);
        Bson command(BCON_NEW("createIndexes", BCON_UTF8(m_target.collection().c_str()), "indexes", "[", "{", "key",
                              BCON_DOCUMENT(key.get()), "name", BCON_UTF8(index.name), "unique",
                              BCON_BOOL(index.unique), "}", "]"));
        Reply reply;
        bson_error_t error;
        if (!mongoc_database_write_command_with_opts(db.get(), command.get(), opts.get(), &reply.doc, &error) &&
            !(error.domain == MONGOC_ERROR_SERVER && error.code == index_options_conflict))
            fail(error, &reply.doc, fmt::format("creating the index {} on {}", index.name, m_target.collection()));
    }
}

void MongoSink::upsert(std::string_view collection, const std::vector<Bson>& docs,
                       const std::function<std::string(std::size_t)>& describe) {
    if (docs.empty()) return;
    const std::string name(collection);
    std::unique_ptr<mongoc_collection_t, void (*)(mongoc_collection_t*)> coll(
        mongoc_client_get_collection(m_client.get(), m_target.database().c_str(), name.c_str()),
        mongoc_collection_destroy);
    Bson opts = write_options(true);
    std::unique_ptr<mongoc_bulk_operation_t, void (*)(mongoc_bulk_operation_t*)> bulk(
        mongoc_collection_create_bulk_operation_with_opts(coll.get(), opts.get()), mongoc_bulk_operation_destroy);
    Bson upsert(BCON_NEW("upsert", BCON_BOOL(true)));
    bson_error_t error;
    for (const auto& doc : docs) {
        Bson selector(bson_new());
        bson_iter_t id;
        if (bson_iter_init_find(&id, doc.get(), "_id")) bson_append_iter(selector.get(), "_id", 3, &id);
        if (!mongoc_bulk_operation_replace_one_with_opts(bulk.get(), selector.get(), doc.get(), upsert.get(), &error))
            fail(error, nullptr, fmt::format("preparing the write to {}", name), describe);
    }
    Reply reply;
    if (!mongoc_bulk_operation_execute(bulk.get(), &reply.doc, &error))
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
        throw MongoFailure(
            ErrorKind::storage, "mongo_unreachable",
            fmt::format("cannot reach {} within {} ms (serverSelectionTimeoutMS): {}", at,
                        mongoc_uri_get_option_as_int32(t.uri(), MONGOC_URI_SERVERSELECTIONTIMEOUTMS, 0), detail),
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
        auto index = first_write_error(reply);
        std::string what = index && describe ? describe(*index) : "an event";
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
