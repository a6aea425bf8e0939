// The connection to a MongoDB destination: a single-threaded libmongoc
// client that checks the server, creates the indexes and upserts batches of
// documents with the destination's write concern. Every driver error becomes
// a MongoFailure whose message names the hosts and quotes no secret.
#pragma once

#include <mongoc/mongoc.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "invlog/domain/error.hpp"
#include "invlog/export/document.hpp"
#include "invlog/export/index_check.hpp"
#include "invlog/export/mongo_target.hpp"

namespace invlog::exporter {

class MongoFailure : public domain::Failure {
public:
    MongoFailure(domain::ErrorKind kind, std::string code, const std::string& message, bool transient)
        : Failure(kind, std::move(code), message), m_transient(transient) {}
    // Worth retrying later: the server is unreachable, the connection broke,
    // the write concern timed out or the primary stepped down.
    bool transient() const { return m_transient; }

private:
    bool m_transient;
};

struct ClientDeleter {
    void operator()(mongoc_client_t* client) const { mongoc_client_destroy(client); }
};

class MongoSink {
public:
    explicit MongoSink(const MongoTarget& target);
    ~MongoSink();
    MongoSink(const MongoSink&) = delete;
    MongoSink& operator=(const MongoSink&) = delete;

    // Selects a server and runs ping: fails when it is unreachable or
    // refuses the credentials.
    void check();
    // Creates, when missing, the unique indexes of the mode (required_indexes)
    // on the events collection. An index in their way that is not the same
    // unique index under another name, or in seed mode a native export's
    // unique index, is refused with a storage failure that says which index
    // to drop.
    void ensure_indexes(Compat compat);
    // Whether the collection holds a document that matches filter (false
    // for a collection that does not exist).
    bool holds(std::string_view collection, const Bson& filter);
    // Replaces each document by _id, inserting it when missing, in one
    // ordered bulk write; returns once the server has acknowledged all of
    // them with the write concern. describe(i) names document i in messages.
    void upsert(std::string_view collection, const std::vector<Bson>& docs,
                const std::function<std::string(std::size_t)>& describe);
    // The same for documents with a version (SKU states), but a document
    // already in the collection at the same or a later version is left as it
    // is: the filter is {_id, version: {$lt: new}}, and the duplicate _id of
    // the upsert that this makes is not an error. Unordered.
    void upsert_newer(std::string_view collection, const std::vector<Bson>& docs,
                      const std::function<std::string(std::size_t)>& describe);

private:
    void replace(std::string_view collection, const std::vector<Bson>& docs, bool newer_only,
                 const std::function<std::string(std::size_t)>& describe);
    // missing_ok: a collection that does not exist yet has none.
    std::vector<IndexSpec> list_indexes(bool missing_ok = false);
    // {ordered, writeConcern} for a write command.
    Bson write_options(bool ordered) const;
    [[noreturn]] void fail(const bson_error_t& error, const bson_t* reply, std::string_view doing,
                           const std::function<std::string(std::size_t)>& describe = {}) const;

    const MongoTarget& m_target;
    std::unique_ptr<mongoc_client_t, ClientDeleter> m_client;
};

}  // namespace invlog::exporter
