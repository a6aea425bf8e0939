// The exported MongoDB documents, URI handling and redaction, summaries.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "invlog/domain/error.hpp"
#include "invlog/export/document.hpp"
#include "invlog/export/file_export.hpp"
#include "invlog/export/mongo_export.hpp"
#include "invlog/export/mongo_names.hpp"
#include "invlog/export/mongo_target.hpp"
#include "invlog/util/redact.hpp"

namespace ex = invlog::exporter;
namespace util = invlog::util;
using invlog::domain::ErrorKind;
using invlog::domain::Failure;

namespace {

// The keys and BSON types of a document, in order: "key:type".
std::vector<std::string> shape(const bson_t& doc) {
    std::vector<std::string> out;
    bson_iter_t it;
    bson_iter_init(&it, &doc);
    while (bson_iter_next(&it)) {
        const char* type = "other";
        switch (bson_iter_type(&it)) {
        case BSON_TYPE_UTF8: type = "string"; break;
        case BSON_TYPE_INT64: type = "int64"; break;
        case BSON_TYPE_DATE_TIME: type = "date"; break;
        case BSON_TYPE_NULL: type = "null"; break;
        default: break;
        }
        out.push_back(std::string(bson_iter_key(&it)) + ":" + type);
    }
    return out;
}

invlog::domain::EventRecord record(invlog::domain::Event event) {
    invlog::domain::EventRecord e;
    e.seq = 12;
    e.event_id = "0b6f2d5e-6a43-4c1e-9b1a-2f1f3c9d7e10";
    e.sku = "A-1";
    e.version = 3;
    e.event = event;
    e.recorded_at = 1'795'773'600'123;  // 2026-11-27T10:00:00.123Z
    e.meta.actor = "alice";
    e.meta.command_id = "c0ffee00-0000-4000-8000-000000000001";
    e.hash = std::string(64, 'a');
    return e;
}

Failure failure_of(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const Failure& f) {
        return f;
    }
    FAIL("no Failure thrown");
    return Failure(ErrorKind::storage, "", "");
}

}  // namespace

TEST_SUITE("unit.export") {
    TEST_CASE("an event document has the reference shape and BSON types") {
        auto e = record(invlog::domain::InventoryCreated{10, 8, 2});
        auto doc = ex::event_document(e);
        CHECK(shape(*doc) == std::vector<std::string>{"_id:string", "event_id:string", "event_type:string",
                                                      "sku:string", "created_at:date", "soh:int64",
                                                      "available_quantity:int64", "reserved:int64", "seq:int64",
                                                      "version:int64", "actor:string", "reason:null",
                                                      "command_id:string", "hash:string"});
        bson_iter_t it;
        REQUIRE(bson_iter_init_find(&it, doc.get(), "created_at"));
        CHECK(bson_iter_date_time(&it) == e.recorded_at);
        REQUIRE(bson_iter_init_find(&it, doc.get(), "available_quantity"));
        CHECK(bson_iter_int64(&it) == 8);
        REQUIRE(bson_iter_init_find(&it, doc.get(), "_id"));
        CHECK(std::string(bson_iter_utf8(&it, nullptr)) == e.event_id);
    }

    TEST_CASE("an event carries only its own data fields, and its reason when given") {
        auto e = record(invlog::domain::StockAdjusted{-4});
        e.meta.reason = "cycle count";
        auto doc = ex::event_document(e);
        auto s = shape(*doc);
        CHECK(s[5] == "quantity:int64");
        CHECK(s[6] == "seq:int64");
        CHECK(s[9] == "reason:string");
        bson_iter_t it;
        REQUIRE(bson_iter_init_find(&it, doc.get(), "quantity"));
        CHECK(bson_iter_int64(&it) == -4);
        REQUIRE(bson_iter_init_find(&it, doc.get(), "event_type"));
        CHECK(std::string(bson_iter_utf8(&it, nullptr)) == "STOCK_ADJUSTED");
    }

    TEST_CASE("a state document is keyed by SKU") {
        invlog::domain::SkuState s{"A-1", {10, 7, 3, 4}, 1'795'773'600'000};
        auto doc = ex::state_document(s);
        CHECK(shape(*doc) == std::vector<std::string>{"_id:string", "sku:string", "soh:int64",
                                                      "available_quantity:int64", "reserved:int64", "version:int64",
                                                      "updated_at:date"});
    }

    TEST_CASE("relaxed Extended JSON writes plain numbers and ISO dates") {
        auto json = ex::relaxed_extjson(*ex::event_document(record(invlog::domain::StockReceived{5})));
        CHECK(json.find(R"("quantity" : 5,)") != std::string::npos);
        CHECK(json.find(R"("created_at" : { "$date" : "2026-11-27T10:00:00.123Z" })") != std::string::npos);
        CHECK(json.find('\n') == std::string::npos);
    }

    TEST_CASE("URIs are shown without their secrets") {
        CHECK(util::redact_uri("mongodb://user:pw@host/db") == "mongodb://user:***@host/db");
        CHECK(util::redact_uri("mongodb://user@host/") == "mongodb://user@host/");
        CHECK(util::redact_uri("mongodb://host:27017/?w=1") == "mongodb://host:27017/?w=1");
        CHECK(util::redact_uri("mongodb+srv://u:p%40ss@cluster.example/") == "mongodb+srv://u:***@cluster.example/");
        // An unescaped @ or / in a password: everything up to the last @ goes.
        CHECK(util::redact_uri("mongodb://u:a@b/c@h1,h2/db") == "mongodb://u:***@h1,h2/db");
        CHECK(util::redact_uri("mongodb://h/?tlsCertificateKeyFilePassword=x&w=1&authMechanismProperties=T:y") ==
              "mongodb://h/?tlsCertificateKeyFilePassword=***&w=1&authMechanismProperties=***");
        CHECK(util::redact_uri("u:secret@h") == "u:***@h");
    }

    TEST_CASE("the redactor removes every occurrence of a secret") {
        util::Redactor r;
        r.add_secret("pw1");
        r.add_secret("");
        CHECK(r("a pw1 b pw1pw1") == "a *** b ******");
    }

    TEST_CASE("a target keys its position by hosts, database and collection, never credentials") {
        ex::MongoTarget t("mongodb://app:pw@h2:27018,h1:27017/shop?replicaSet=rs0", std::nullopt, "events");
        CHECK(t.hosts() == "h2:27018,h1:27017");
        CHECK(t.user() == "app");
        CHECK(t.database() == "shop");
        CHECK(t.shown() == "mongodb://h1:27017,h2:27018/shop.events");
        CHECK(t.position_key(std::string("A")) == "mongodb://h1:27017,h2:27018/shop.events?sku=A");
        CHECK(t.redact()("auth pw failed") == "auth *** failed");
        ex::MongoTarget named("mongodb://h1/shop", std::string("other"), "log");
        CHECK(named.shown() == "mongodb://h1:27017/other.log");
        ex::MongoTarget plain("mongodb://h1", std::nullopt, "events");
        CHECK(plain.database() == "inventory");
    }

    TEST_CASE("the write concern is majority unless the URI sets one; w=0 is refused") {
        ex::MongoTarget def("mongodb://h/", std::nullopt, "events");
        CHECK(mongoc_write_concern_get_w(def.write_concern()) == MONGOC_WRITE_CONCERN_W_MAJORITY);
        ex::MongoTarget one("mongodb://h/?w=1&journal=true", std::nullopt, "events");
        CHECK(mongoc_write_concern_get_w(one.write_concern()) == 1);
        CHECK(mongoc_write_concern_get_journal(one.write_concern()));
        auto f = failure_of([] { ex::MongoTarget("mongodb://u:secret@h/?w=0", std::nullopt, "events"); });
        CHECK(f.kind() == ErrorKind::usage);
        CHECK(std::string(f.what()).find("mongodb://u:***@h/?w=0") != std::string::npos);
        CHECK(std::string(f.what()).find("secret") == std::string::npos);
    }

    TEST_CASE("the server-selection timeout defaults to 5 s and bounds the connect timeout") {
        ex::MongoTarget def("mongodb://h/", std::nullopt, "events");
        CHECK(mongoc_uri_get_option_as_int32(def.uri(), MONGOC_URI_SERVERSELECTIONTIMEOUTMS, 0) == 5000);
        CHECK(mongoc_uri_get_option_as_int32(def.uri(), MONGOC_URI_CONNECTTIMEOUTMS, 0) == 5000);
        ex::MongoTarget set("mongodb://h/?serverSelectionTimeoutMS=700", std::nullopt, "events");
        CHECK(mongoc_uri_get_option_as_int32(set.uri(), MONGOC_URI_SERVERSELECTIONTIMEOUTMS, 0) == 700);
        CHECK(mongoc_uri_get_option_as_int32(set.uri(), MONGOC_URI_CONNECTTIMEOUTMS, 0) == 700);
    }

    TEST_CASE("invalid URIs and names are usage errors that quote them redacted") {
        auto f = failure_of([] { ex::MongoTarget("mongodb://u:secret@h:99999/", std::nullopt, "events"); });
        CHECK(f.kind() == ErrorKind::usage);
        CHECK(std::string(f.what()).rfind("invalid MongoDB URI 'mongodb://u:***@h:99999/'", 0) == 0);
        CHECK(std::string(f.what()).find("secret") == std::string::npos);
        CHECK(failure_of([] { ex::MongoTarget("mongodb://h/", std::nullopt, "a$b"); }).kind() == ErrorKind::usage);
        CHECK(failure_of([] { ex::check_database_name("a.b", "--database"); }).kind() == ErrorKind::usage);
        CHECK(failure_of([] { ex::check_collection_name("system.x", "--collection"); }).kind() == ErrorKind::usage);
        CHECK(ex::check_collection_name("events.v2", "--collection") == "events.v2");
    }

    TEST_CASE("summary lines") {
        ex::ExportSummary s;
        s.position = 7;
        CHECK(ex::summary_line(s, "D", false) == "nothing new to export: D is up to date at seq 7");
        s.events = 1;
        s.batches = 1;
        s.first_seq = s.last_seq = 8;
        s.elapsed = std::chrono::milliseconds(1250);
        CHECK(ex::summary_line(s, "D", false) == "exported 1 event in 1 batch (seq 8..8) to D in 1.2 s");
        s.events = 2500;
        s.batches = 3;
        s.last_seq = 2507;
        CHECK(ex::summary_line(s, "D", true) ==
              "dry run: would export 2500 events in 3 batches (seq 8..2507) to D; nothing was sent");
    }

    TEST_CASE("file formats") {
        CHECK(ex::parse_file_format("extjson") == ex::FileFormat::extjson);
        CHECK(ex::parse_file_format("ndjson") == ex::FileFormat::ndjson);
        CHECK_FALSE(ex::parse_file_format("json"));
    }
}
