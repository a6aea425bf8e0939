// The event store: append, replay, hash chain and the application layer on
// top, on every backend (store_fixture.hpp); append-only triggers and file
// recognition on real SQLite files.
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>

#include "invlog/app/queries.hpp"
#include "invlog/app/service.hpp"
#include "invlog/store/event_store.hpp"
#include "invlog/store/schema.hpp"
#include "invlog/store/sqlite_store.hpp"
#include "support/store_fixture.hpp"
#include "support/temp_dir.hpp"

using namespace invlog;
using invlog::testing::for_each_backend;
using invlog::testing::StoreFixture;
using invlog::testing::TempDir;

namespace {

std::unique_ptr<store::SqliteStore> open_write(const std::string& path) {
    return std::make_unique<store::SqliteStore>(store::OpenOptions{path, store::OpenMode::write, 1000, false});
}

domain::Millis fixed_clock() { return 1'795'773'600'000; }

app::Outcome run(store::EventStore& s, const std::string& sku, domain::Command c,
                 std::optional<std::string> key = std::nullopt, std::optional<std::int64_t> expected = std::nullopt) {
    app::Request r{sku, c, "tester", std::nullopt, expected, std::move(key)};
    return app::execute(s, r, fixed_clock);
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

domain::ErrorKind failure_kind(const std::function<void()>& f) {
    try {
        f();
    } catch (const domain::Failure& e) {
        return e.kind();
    }
    FAIL("no failure");
    return domain::ErrorKind::usage;
}

std::string failure_code(const std::function<void()>& f) {
    try {
        f();
    } catch (const domain::Failure& e) {
        return e.code();
    }
    FAIL("no failure");
    return {};
}

}  // namespace

TEST_SUITE("store.events") {
    TEST_CASE("append and replay") {
        for_each_backend([](StoreFixture& backend) {
            auto s = backend.open_empty();
            run(*s, "A", domain::Create{10, std::nullopt});
            run(*s, "B", domain::Create{5, std::nullopt});
            auto out = run(*s, "A", domain::Reserve{4});
            REQUIRE(out.events.size() == 2);
            CHECK(out.events[0].seq == 3);
            CHECK(out.events[1].version == 3);
            CHECK(out.state.state == domain::State{10, 6, 4, 3});
            CHECK(s->load("A") == domain::State{10, 6, 4, 3});
            CHECK(s->load("B") == domain::State{5, 5, 0, 1});
            CHECK(s->load("C") == domain::State{});
            auto rm = s->read_state("A");
            REQUIRE(rm);
            CHECK(rm->state == s->load("A"));
            CHECK(rm->updated_at == fixed_clock());

            std::vector<std::int64_t> versions;
            store::EventFilter f;
            f.sku = "A";
            s->for_each_event(f, [&](const domain::EventRecord& e) {
                versions.push_back(e.version);
                return true;
            });
            CHECK(versions == std::vector<std::int64_t>{1, 2, 3});
        });
    }

    TEST_CASE("the hash chain links every event to the one before") {
        for_each_backend([](StoreFixture& backend) {
            auto s = backend.open_empty();
            run(*s, "A", domain::Create{10, std::nullopt});
            run(*s, "A", domain::Reserve{1});
            run(*s, "B", domain::Create{1, std::nullopt});
            util::Sha256 sha;
            util::Digest previous{};
            int n = 0;
            s->for_each_raw({}, [&](const store::RawEvent& raw) {
                CHECK(store::chain_hash(sha, previous, raw) == raw.hash);
                previous = raw.hash;
                ++n;
                return true;
            });
            CHECK(n == 4);
            CHECK(s->head().hash == previous);
            CHECK(s->head().seq == 4);
        });
    }

    TEST_CASE("canonical bytes change with every field") {
        store::RawEvent e;
        e.seq = 1;
        e.event_id = "id";
        e.sku = "A";
        e.version = 1;
        e.event_type = "STOCK_RECEIVED";
        e.data = R"({"quantity":1})";
        e.meta = {"a", std::nullopt, "c", std::nullopt};
        auto base = store::canonical_bytes(e);
        auto changed = e;
        changed.meta.reason = "";
        CHECK(store::canonical_bytes(changed) != base);  // NULL and "" differ
        changed = e;
        changed.sku = "AB";
        changed.event_id = "i";
        CHECK(store::canonical_bytes(changed) != base);  // no ambiguity between fields
        changed = e;
        changed.recorded_at = 1;
        CHECK(store::canonical_bytes(changed) != base);
    }

    TEST_CASE("events are append-only") {
        TempDir dir;
        auto s = open_write(dir.file("inv.db"));
        run(*s, "A", domain::Create{10, std::nullopt});
        CHECK_THROWS_AS(s->connection().exec("UPDATE events SET data = '{}'"), domain::Failure);
        CHECK_THROWS_AS(s->connection().exec("DELETE FROM events"), domain::Failure);
        CHECK(s->load("A") == domain::State{10, 10, 0, 1});
    }

    TEST_CASE("(sku, version) is unique: the last defence against two writers") {
        for_each_backend([](StoreFixture& backend) {
            auto s = backend.open_empty();
            run(*s, "A", domain::Create{10, std::nullopt});
            // A writer that decided from a stale state (version 0) collides:
            // at the insert on a file, at the commit on MongoDB, whose writes
            // go in together. Nothing of it is applied.
            CHECK(failure_kind([&] {
                      store::EventStore::Transaction tx(*s, true);
                      s->append("A", domain::State{}, {domain::StockReceived{1}}, {"x", {}, "c", {}}, 0);
                      tx.commit();
                  }) == domain::ErrorKind::storage);
            CHECK(s->head().seq == 1);
            CHECK(s->load("A") == domain::State{10, 10, 0, 1});
        });
    }

    TEST_CASE("recorded_at never goes back along seq") {
        for_each_backend([](StoreFixture& backend) {
            auto s = backend.open_empty();
            app::execute(*s, app::Request{"A", domain::Create{1, std::nullopt}, "t", {}, {}, {}},
                         [] { return 5000LL; });
            auto out = app::execute(*s, app::Request{"A", domain::Receive{1}, "t", {}, {}, {}}, [] { return 1000LL; });
            REQUIRE(out.events.size() == 1);
            CHECK(out.events[0].recorded_at == 5000);
        });
    }
}

TEST_SUITE("store.interface") {
    TEST_CASE("savepoints undo only their own appends, and the transaction's memory with them") {
        for_each_backend([](StoreFixture& backend) {
            auto s = backend.open_empty();
            run(*s, "A", domain::Create{10, std::nullopt});
            auto reserve = [&](domain::Qty q) {
                return app::execute_in_transaction(*s, app::Request{"A", domain::Reserve{q}, "t", {}, {}, {}},
                                                   fixed_clock());
            };
            {
                store::EventStore::Transaction tx(*s, true);
                {
                    store::EventStore::Savepoint kept(*s);
                    reserve(1);
                    kept.release();
                }
                {
                    store::EventStore::Savepoint undone(*s);
                    CHECK(reserve(2).events.front().seq == 4);
                    {
                        store::EventStore::Savepoint inner(*s);
                        reserve(3);
                        inner.release();
                    }
                }  // rolled back with the one inside it
                CHECK(s->load("A") == domain::State{10, 9, 1, 3});
                // The next append follows the last kept event, not the undone ones.
                CHECK(reserve(4).events.front().seq == 4);
                tx.commit();
            }
            CHECK(s->load("A") == domain::State{10, 5, 5, 5});
            const auto row = s->read_state("A");
            REQUIRE(row);
            CHECK(row->state == domain::State{10, 5, 5, 5});
            CHECK(s->head().seq == 5);
            util::Sha256 sha;
            util::Digest previous{};
            s->for_each_raw({}, [&](const store::RawEvent& raw) {
                CHECK(store::chain_hash(sha, previous, raw) == raw.hash);
                previous = raw.hash;
                return true;
            });
            CHECK(s->head().hash == previous);
        });
    }

    TEST_CASE("a transaction that is not committed leaves nothing") {
        for_each_backend([](StoreFixture& backend) {
            auto s = backend.open_empty();
            run(*s, "A", domain::Create{10, std::nullopt});
            {
                store::EventStore::Transaction tx(*s, true);
                app::execute_in_transaction(*s, app::Request{"A", domain::Reserve{2}, "t", {}, {}, {"k"}},
                                            fixed_clock());
            }
            CHECK(s->head().seq == 1);
            CHECK(s->load("A") == domain::State{10, 10, 0, 1});
            const auto row = s->read_state("A");
            REQUIRE(row);
            CHECK(row->state == domain::State{10, 10, 0, 1});
            CHECK_FALSE(s->find_idempotency("k"));
        });
    }

    TEST_CASE("the location chooses the store; an unreachable MongoDB store fails without its password") {
        TempDir dir;
        auto file = store::open_store(store::OpenOptions{dir.file("inv.db"), store::OpenMode::write, 1000, false});
        CHECK(dynamic_cast<store::SqliteStore*>(file.get()) != nullptr);
        // Port 1 refuses at once; the timeout bounds the SRV look-up.
        for (std::string uri : {"mongodb://admin:pw-123@127.0.0.1:1/inv?serverSelectionTimeoutMS=2000",
                                "mongodb+srv://admin:pw-123@db.example.invalid/inv?serverSelectionTimeoutMS=2000"}) {
            CAPTURE(uri);
            const store::OpenOptions at{uri, store::OpenMode::write, 1000, false};
            std::string message;
            try {
                store::open_store(at);
            } catch (const domain::Failure& e) {
                CHECK(e.kind() == domain::ErrorKind::storage);
                message = e.what();
            }
            CHECK_FALSE(message.empty());
            CHECK(message.find("pw-123") == std::string::npos);
            CHECK(failure_code([&] { store::open_file_store(at, "backup"); }) == "file_only_command");
        }
        CHECK_FALSE(std::filesystem::exists("mongodb:"));
        CHECK(store::is_mongodb_uri("mongodb://h"));
        CHECK_FALSE(store::is_mongodb_uri("./mongodb://h"));
    }
}

TEST_SUITE("store.app") {
    TEST_CASE("a refused command appends nothing") {
        for_each_backend([](StoreFixture& backend) {
            auto s = backend.open_empty();
            run(*s, "A", domain::Create{3, std::nullopt});
            CHECK(failure_code([&] { run(*s, "A", domain::Reserve{4}); }) == "insufficient_available");
            CHECK(s->head().seq == 1);
            CHECK(failure_kind([&] { run(*s, "Z", domain::Reserve{1}); }) == domain::ErrorKind::not_found);
            CHECK(s->head().seq == 1);
        });
    }

    TEST_CASE("expected version") {
        for_each_backend([](StoreFixture& backend) {
            auto s = backend.open_empty();
            run(*s, "A", domain::Create{3, std::nullopt}, std::nullopt, 0);
            CHECK(failure_code([&] { run(*s, "A", domain::Receive{1}, std::nullopt, 0); }) == "version_conflict");
            CHECK(failure_kind([&] { run(*s, "A", domain::Receive{1}, std::nullopt, 2); }) ==
                  domain::ErrorKind::conflict);
            CHECK(run(*s, "A", domain::Receive{1}, std::nullopt, 1).state.state.version == 2);
        });
    }

    TEST_CASE("idempotency keys") {
        for_each_backend([](StoreFixture& backend) {
            auto s = backend.open_empty();
            run(*s, "A", domain::Create{10, std::nullopt});
            auto first = run(*s, "A", domain::Reserve{2}, "order-1");
            run(*s, "A", domain::Reserve{1});
            auto again = run(*s, "A", domain::Reserve{2}, "order-1");
            CHECK(again.replayed);
            CHECK(again.events.empty());
            CHECK(again.state.state == first.state.state);
            CHECK(s->load("A").version == 5);
            CHECK(failure_code([&] { run(*s, "A", domain::Release{2}, "order-1"); }) == "idempotency_key_reused");
            CHECK(failure_code([&] { run(*s, "B", domain::Reserve{2}, "order-1"); }) == "idempotency_key_reused");
        });
    }

    TEST_CASE("state at a version or a time") {
        for_each_backend([](StoreFixture& backend) {
            auto s = backend.open_empty();
            app::execute(*s, app::Request{"A", domain::Create{10, std::nullopt}, "t", {}, {}, {}},
                         [] { return 1000LL; });
            app::execute(*s, app::Request{"A", domain::Reserve{4}, "t", {}, {}, {}}, [] { return 2000LL; });
            CHECK(app::state_at(*s, "A", {1, std::nullopt}).state == domain::State{10, 10, 0, 1});
            CHECK(app::state_at(*s, "A", {2, std::nullopt}).state == domain::State{10, 10, 4, 2});
            CHECK(app::state_at(*s, "A", {std::nullopt, 1999}).state.version == 1);
            CHECK(app::state_at(*s, "A", {std::nullopt, 2000}).state.version == 3);
            CHECK(failure_code([&] { app::state_at(*s, "A", {std::nullopt, 999}); }) == "sku_not_found_then");
            CHECK(failure_code([&] { app::state_at(*s, "A", {4, std::nullopt}); }) == "version_not_found");
            CHECK(failure_code([&] { app::state_at(*s, "Q", {1, std::nullopt}); }) == "sku_not_found");
        });
    }
}

TEST_SUITE("store.read_model") {
    TEST_CASE("the read model in ranges: keyset pages, a prefix, available below, a limit") {
        for_each_backend([](StoreFixture& backend) {
            auto s = backend.open_empty();
            for (const char* sku : {"B-2", "A-1", "A/9", "A-10", "C", "A-", "AB"})
                run(*s, sku, domain::Create{10, std::nullopt});
            run(*s, "A-10", domain::Reserve{8});
            run(*s, "C", domain::Reserve{9});
            auto skus = [&](const store::StateRange& range) {
                std::vector<std::string> out;
                s->for_each_state(range, [&](const domain::SkuState& st) { out.push_back(st.sku); });
                return out;
            };
            using V = std::vector<std::string>;
            const V all{"A-", "A-1", "A-10", "A/9", "AB", "B-2", "C"};
            CHECK(skus({}) == all);
            CHECK(skus({"A-1", {}, {}, {}}) == V{"A-10", "A/9", "AB", "B-2", "C"});
            CHECK(skus({"A", {}, {}, 2}) == V{"A-", "A-1"});
            CHECK(skus({"C", {}, {}, 5}).empty());
            CHECK(skus({"A-0", {}, {}, {}}).front() == "A-1");  // after need not name a SKU
            CHECK(skus({{}, "A-", {}, {}}) == V{"A-", "A-1", "A-10"});
            CHECK(skus({"A-", "A-", {}, 1}) == V{"A-1"});
            CHECK(skus({{}, "A", {}, {}}) == V{"A-", "A-1", "A-10", "A/9", "AB"});
            CHECK(skus({{}, "D", {}, {}}).empty());
            CHECK(skus({{}, {}, 3, {}}) == V{"A-10", "C"});
            CHECK(skus({"A-10", {}, 3, 1}) == V{"C"});
            CHECK(skus({{}, {}, {}, 100}) == all);
            // Walking by pages of two gives every row once, in order, with
            // the same states as the whole listing.
            V walked;
            std::optional<std::string> after;
            for (;;) {
                V page = skus({after, {}, {}, 2});
                if (page.empty()) break;
                walked.insert(walked.end(), page.begin(), page.end());
                after = page.back();
            }
            CHECK(walked == all);
            std::vector<domain::SkuState> rows;
            s->for_each_state({"A-1", {}, {}, 1}, [&](const domain::SkuState& st) { rows.push_back(st); });
            REQUIRE(rows.size() == 1);
            CHECK(rows[0].state == domain::State{10, 2, 8, 3});
            CHECK(rows[0].updated_at == fixed_clock());
        });
    }
}

TEST_SUITE("store.files") {
    TEST_CASE("a read never creates a file") {
        TempDir dir;
        auto path = dir.file("missing.db");
        CHECK(failure_code([&] {
                  store::SqliteStore(store::OpenOptions{path, store::OpenMode::read, 100, false});
              }) == "no_database");
        CHECK_FALSE(std::filesystem::exists(path));
    }

    TEST_CASE("files that are not invlog databases are refused untouched") {
        TempDir dir;
        auto text = dir.file("notes.txt");
        std::ofstream(text) << "this is not a database, but it is long enough to look like one to a careless tool\n";
        auto before = slurp(text);
        CHECK(failure_code([&] { open_write(text); }) == "not_invlog_database");
        CHECK(slurp(text) == before);

        auto foreign = dir.file("other.db");
        {
            store::Connection c(foreign, true);
            c.exec("CREATE TABLE t(x); INSERT INTO t VALUES (1);");
        }
        before = slurp(foreign);
        CHECK(failure_code([&] { open_write(foreign); }) == "not_invlog_database");
        CHECK(slurp(foreign) == before);

        auto newer = dir.file("newer.db");
        open_write(newer).reset();
        {
            store::Connection c(newer, false);
            c.exec("PRAGMA user_version = 99");
        }
        before = slurp(newer);
        CHECK(failure_code([&] { open_write(newer); }) == "newer_schema");
        CHECK(slurp(newer) == before);
    }

    TEST_CASE("a new file gets the schema, WAL and the application id") {
        TempDir dir;
        auto path = dir.file("new.db");
        open_write(path).reset();
        store::Connection c(path, false);
        CHECK(store::classify(c) == store::FileKind::invlog);
        CHECK(c.pragma_int("user_version") == store::schema_version);
        auto st = c.prepare("PRAGMA journal_mode");
        REQUIRE(st.step());
        CHECK(st.text(0) == "wal");
    }
}
