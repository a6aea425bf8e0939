// MongoStore alone, on the run's jongodb (INVLOG_TEST_MONGO_URI): what the
// shared store adds to the interface that the backend suite cannot show with
// one store per case: two stores on one database taking turns through the
// writer lease (one waits, or gives up; one whose lease was taken over is
// refused), and savepoints, which have no MongoDB equivalent. Skipped
// without jongodb.
#include <doctest/doctest.h>

#include <cstdlib>
#include <unistd.h>

#include "invlog/app/service.hpp"
#include "invlog/store/event_store.hpp"

using namespace invlog;

namespace {

domain::Millis fixed_clock() { return 1'795'773'600'000; }

// A new database of the run's server, or empty when there is none.
std::string database_uri(const std::string& name) {
    const char* base = std::getenv("INVLOG_TEST_MONGO_URI");
    if (!base || !*base) return {};
    std::string uri = base;
    const std::string db = "mongo_" + name + "_" + std::to_string(::getpid());
    const auto slash = uri.find("/?");
    return slash == std::string::npos ? uri + "/" + db : uri.substr(0, slash + 1) + db + uri.substr(slash + 1);
}

std::unique_ptr<store::EventStore> open(const std::string& uri) {
    return store::open_store(store::OpenOptions{uri, store::OpenMode::write, 1000, false});
}

app::Request request(const std::string& sku, domain::Command c) {
    return app::Request{sku, c, "tester", std::nullopt, std::nullopt, std::nullopt};
}

}  // namespace

TEST_SUITE("store.mongo") {
    TEST_CASE("two writers take turns: the second waits for the lease, or gives up after its lock timeout") {
        const std::string uri = database_uri("turns");
        if (uri.empty()) {
            MESSAGE("skipped: INVLOG_TEST_MONGO_URI is not set");
            return;
        }
        auto a = open(uri);
        auto b = open(uri);
        CHECK(a->created() != b->created());
        app::execute(*a, request("A", domain::Create{10, std::nullopt}), fixed_clock);
        {
            store::EventStore::Transaction ta(*a, true);
            app::execute_in_transaction(*a, request("A", domain::Reserve{1}), fixed_clock());
            // a holds the lease: b waits its lock timeout (1 s), then gives up.
            std::string code;
            try {
                store::EventStore::Transaction tb(*b, true);
            } catch (const domain::Failure& e) {
                code = e.code();
                CHECK(e.kind() == domain::ErrorKind::storage);
            }
            CHECK(code == "locked");
            ta.commit();
        }
        // Given back: b writes at once, from a's head.
        app::execute(*b, request("A", domain::Reserve{2}), fixed_clock);
        CHECK(a->load("A") == domain::State{10, 7, 3, 5});
        CHECK(a->read_state("A")->state == domain::State{10, 7, 3, 5});
        CHECK(a->head().seq == 5);
    }

    TEST_CASE("a writer whose lease expired and was taken over is refused, and decides again") {
        const std::string uri = database_uri("takeover");
        if (uri.empty()) {
            MESSAGE("skipped: INVLOG_TEST_MONGO_URI is not set");
            return;
        }
        auto a = open(uri);
        auto b = store::open_store(store::OpenOptions{uri, store::OpenMode::write, 10'000, false});
        app::execute(*a, request("A", domain::Create{10, std::nullopt}), fixed_clock);
        {
            store::EventStore::Transaction ta(*a, true);
            app::execute_in_transaction(*a, request("A", domain::Reserve{1}), fixed_clock());
            {
                // a stalls past its lease: b takes it over once it expires.
                store::EventStore::Transaction tb(*b, true);
                app::execute_in_transaction(*b, request("A", domain::Reserve{2}), fixed_clock());
                tb.commit();
            }
            std::string code;
            try {
                ta.commit();
            } catch (const domain::Failure& e) {
                code = e.code();
                CHECK(e.kind() == domain::ErrorKind::storage);
            }
            CHECK(code == "write_conflict");
        }
        CHECK(a->head().seq == 3);  // the create and b's reservation (two events)
        CHECK(a->read_state("A")->state == domain::State{10, 8, 2, 3});
        // execute() decides again after a lost turn: here it simply wins.
        app::execute(*a, request("A", domain::Reserve{1}), fixed_clock);
        CHECK(b->load("A") == domain::State{10, 7, 3, 5});
        CHECK(b->head().seq == 5);
    }

    TEST_CASE("a savepoint rolled back leaves nothing of its request; the rest commits") {
        const std::string uri = database_uri("savepoint");
        if (uri.empty()) {
            MESSAGE("skipped: INVLOG_TEST_MONGO_URI is not set");
            return;
        }
        auto s = open(uri);
        {
            store::EventStore::Transaction tx(*s, true);
            app::execute_in_transaction(*s, request("A", domain::Create{5, std::nullopt}), fixed_clock());
            {
                store::EventStore::Savepoint sp(*s);
                app::Request keyed = request("A", domain::Reserve{1});
                keyed.idempotency_key = "k";
                app::execute_in_transaction(*s, keyed, fixed_clock());
                CHECK(s->load("A").reserved == 1);
            }
            {
                store::EventStore::Savepoint sp(*s);
                app::execute_in_transaction(*s, request("B", domain::Create{2, std::nullopt}), fixed_clock());
                sp.release();
            }
            CHECK(s->load("A") == domain::State{5, 5, 0, 1});
            tx.commit();
        }
        CHECK(s->head().seq == 2);
        CHECK(s->read_state("A")->state == domain::State{5, 5, 0, 1});
        CHECK(s->read_state("B")->state.soh == 2);
        CHECK_FALSE(s->find_idempotency("k"));
    }
}
