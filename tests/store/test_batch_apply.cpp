// batch::apply against real database files: per-line transactions, atomic
// all-or-nothing, stop-on-error, idempotent re-runs, the state cache, and an
// atomic batch that reads its input before it takes the write lock.
#include <doctest/doctest.h>

#include "invlog/app/service.hpp"
#include "invlog/batch/apply.hpp"
#include "invlog/domain/error.hpp"
#include "invlog/store/sqlite_store.hpp"
#include "support/temp_dir.hpp"

using namespace invlog;

namespace {

struct Run {
    batch::Summary summary;
    std::vector<batch::LineResult> results;

    bool ok(std::size_t i) const { return std::holds_alternative<app::Outcome>(results.at(i).result); }
    const app::Outcome& outcome(std::size_t i) const { return std::get<app::Outcome>(results.at(i).result); }
    const batch::LineError& error(std::size_t i) const { return std::get<batch::LineError>(results.at(i).result); }
};

Run run(store::EventStore& store, batch::ReadFn read, bool atomic = false, bool stop_on_error = false) {
    batch::Options options;
    options.atomic = atomic;
    options.stop_on_error = stop_on_error;
    options.defaults = batch::Defaults{"tester", std::nullopt};
    domain::Millis now = 1'700'000'000'000;
    options.clock = [&now] { return now++; };
    batch::LineReader reader(std::move(read));
    Run r;
    r.summary =
        batch::apply(store, reader, options, [&](const batch::LineResult& result) { r.results.push_back(result); });
    return r;
}

Run run(store::EventStore& store, std::string input, bool atomic = false, bool stop_on_error = false) {
    return run(store, batch::read_string(std::move(input)), atomic, stop_on_error);
}

store::OpenOptions db(const testing::TempDir& dir) { return {dir.file("inventory.db"), store::OpenMode::write, 1000}; }

}  // namespace

TEST_SUITE("store.batch_apply") {
    TEST_CASE("each line runs on its own; failures do not stop the others") {
        testing::TempDir dir;
        store::SqliteStore store(db(dir));
        auto r = run(store,
                     "{\"cmd\":\"create\",\"sku\":\"A\",\"soh\":10}\n"
                     "\n"
                     "{\"cmd\":\"reserve\",\"sku\":\"A\",\"qty\":30}\n"
                     "not json\n"
                     "{\"cmd\":\"reserve\",\"sku\":\"A\",\"qty\":3}\n"
                     "{\"cmd\":\"reserve\",\"sku\":\"B\",\"qty\":3}\n");
        CHECK(r.summary.lines == 5);
        CHECK(r.summary.failed == 3);
        CHECK_FALSE(r.summary.committed);
        REQUIRE(r.results.size() == 5);
        CHECK(r.results[0].line == 1);
        CHECK(r.ok(0));
        CHECK(r.results[1].line == 3);  // line numbers count the blank line
        CHECK(r.error(1).kind == domain::ErrorKind::rejected);
        CHECK(r.error(1).code == "insufficient_available");
        CHECK(r.error(2).kind == domain::ErrorKind::usage);
        CHECK(r.error(2).code == "invalid_json");
        CHECK(r.ok(3));
        CHECK(r.outcome(3).state.state.reserved == 3);
        CHECK(r.error(4).kind == domain::ErrorKind::not_found);
        CHECK(store.read_state("A")->state.available_quantity == 7);
        CHECK(store.head().seq == 3);
    }

    TEST_CASE("stop on error keeps what ran before the failed line") {
        testing::TempDir dir;
        store::SqliteStore store(db(dir));
        auto r = run(store,
                     "{\"cmd\":\"create\",\"sku\":\"A\",\"soh\":10}\n"
                     "{\"cmd\":\"release\",\"sku\":\"A\",\"qty\":1}\n"
                     "{\"cmd\":\"receive\",\"sku\":\"A\",\"qty\":1}\n",
                     false, true);
        CHECK(r.results.size() == 2);
        CHECK(r.summary.failed == 1);
        CHECK(store.read_state("A")->state.soh == 10);
    }

    TEST_CASE("atomic: the first failed line rolls the whole batch back") {
        testing::TempDir dir;
        store::SqliteStore store(db(dir));
        run(store, "{\"cmd\":\"create\",\"sku\":\"OLD\",\"soh\":1}\n");
        const auto before = store.head();
        auto r = run(store,
                     "{\"cmd\":\"create\",\"sku\":\"A\",\"soh\":10}\n"
                     "{\"cmd\":\"reserve\",\"sku\":\"A\",\"qty\":3,\"idempotency_"
                     "key\":\"k1\"}\n"
                     "{\"cmd\":\"reserve\",\"sku\":\"A\",\"qty\":8}\n"
                     "{\"cmd\":\"receive\",\"sku\":\"A\",\"qty\":1}\n",
                     true);
        CHECK_FALSE(r.summary.committed);
        CHECK(r.summary.failed == 1);
        REQUIRE(r.results.size() == 3);  // the batch ends at the failed line
        CHECK(r.results[2].line == 3);
        CHECK(r.error(2).code == "insufficient_available");
        CHECK(store.head().seq == before.seq);
        CHECK(store.head().hash == before.hash);
        CHECK_FALSE(store.read_state("A"));
        CHECK_FALSE(store.find_idempotency("k1"));
        // The store is usable afterwards: the rollback released the write lock.
        auto again = run(store, "{\"cmd\":\"create\",\"sku\":\"A\",\"soh\":10}\n", true);
        CHECK(again.summary.committed);
        CHECK(store.read_state("A")->state.soh == 10);
    }

    TEST_CASE("atomic: a malformed line also rolls back") {
        testing::TempDir dir;
        store::SqliteStore store(db(dir));
        auto r = run(store,
                     "{\"cmd\":\"create\",\"sku\":\"A\",\"soh\":10}\n{\"cmd\":"
                     "\"create\",\"sku\":\"B\",\"soh\":\"1\"}\n",
                     true);
        CHECK_FALSE(r.summary.committed);
        CHECK(r.error(1).code == "invalid_argument");
        CHECK(store.head().seq == 0);
    }

    TEST_CASE("atomic: states carried between lines match a full replay") {
        testing::TempDir dir;
        store::SqliteStore store(db(dir));
        std::string input;
        for (int s = 0; s < 5; ++s)
            input += "{\"cmd\":\"create\",\"sku\":\"S" + std::to_string(s) + "\",\"soh\":100}\n";
        const char* cycle[] = {"reserve", "complete", "receive", "reserve", "release"};
        for (int i = 0; i < 500; ++i)
            input += std::string("{\"cmd\":\"") + cycle[(i / 5) % 5] + "\",\"sku\":\"S" + std::to_string(i % 5) +
                     "\",\"qty\":2}\n";
        input += "{\"cmd\":\"set-soh\",\"sku\":\"S0\",\"soh\":50}\n";
        input +=
            "{\"cmd\":\"adjust\",\"sku\":\"S1\",\"delta\":-3,\"reason\":"
            "\"count\",\"expected_version\":161}\n";
        auto r = run(store, input, true);
        REQUIRE(r.summary.failed == 0);
        CHECK(r.summary.committed);
        CHECK(r.summary.lines == 507);
        for (int s = 0; s < 5; ++s) {
            const std::string sku = "S" + std::to_string(s);
            CAPTURE(sku);
            const domain::State replayed = store.load(sku);
            CHECK(store.read_state(sku)->state == replayed);
            // The last result for this SKU carried the same state.
            for (auto it = r.results.rbegin(); it != r.results.rend(); ++it) {
                const auto& outcome = std::get<app::Outcome>(it->result);
                if (outcome.state.sku != sku) continue;
                CHECK(outcome.state.state == replayed);
                break;
            }
        }
        CHECK(store.load("S1").soh == 97);
        CHECK(store.load("S0").soh == 50);
    }

    TEST_CASE("a re-run with idempotency keys appends nothing twice") {
        testing::TempDir dir;
        store::SqliteStore store(db(dir));
        const std::string batch =
            "{\"cmd\":\"create\",\"sku\":\"A\",\"soh\":10,"
            "\"idempotency_key\":\"c-A\"}\n"
            "{\"cmd\":\"reserve\",\"sku\":\"A\",\"qty\":2,"
            "\"idempotency_key\":\"o-1\"}\n"
            "{\"cmd\":\"reserve\",\"sku\":\"A\",\"qty\":2,"
            "\"idempotency_key\":\"o-2\"}\n";
        // The first run was cut short after two lines...
        run(store, batch.substr(0, batch.find("o-1") + 6));
        CHECK(store.read_state("A")->state.reserved == 2);
        // ...the re-run of the whole file finishes it without doubling anything.
        auto r = run(store, batch);
        REQUIRE(r.summary.failed == 0);
        CHECK(r.outcome(0).replayed);
        CHECK(r.outcome(1).replayed);
        CHECK_FALSE(r.outcome(2).replayed);
        CHECK(store.read_state("A")->state.reserved == 4);
        auto third = run(store, batch, true);
        CHECK(third.summary.committed);
        CHECK(store.read_state("A")->state.reserved == 4);
        // The same key inside one atomic batch is applied once.
        auto twice = run(store,
                         "{\"cmd\":\"receive\",\"sku\":\"A\",\"qty\":5,"
                         "\"idempotency_key\":\"r-1\"}\n"
                         "{\"cmd\":\"receive\",\"sku\":\"A\",\"qty\":5,"
                         "\"idempotency_key\":\"r-1\"}\n",
                         true);
        CHECK(twice.outcome(1).replayed);
        CHECK(store.read_state("A")->state.soh == 15);
        // The key reused for another command is a conflict.
        auto conflict = run(store,
                            "{\"cmd\":\"receive\",\"sku\":\"A\",\"qty\":6,"
                            "\"idempotency_key\":\"r-1\"}\n");
        CHECK(conflict.error(0).kind == domain::ErrorKind::conflict);
    }

    TEST_CASE("a transaction's own appends are what load() returns") {
        testing::TempDir dir;
        store::SqliteStore store(db(dir));
        store::EventStore::Transaction tx(store, true);
        for (int round = 0; round < 3; ++round)
            for (int s = 0; s < 5; ++s) {
                app::Request request;
                request.sku = "S" + std::to_string(s);
                request.actor = "tester";
                if (round == 0)
                    request.command = domain::Create{10, std::nullopt};
                else
                    request.command = domain::Reserve{1};
                auto outcome = app::execute_in_transaction(store, request, 1000);
                CHECK(outcome.state.state.version == 1 + 2 * round);
                CHECK(store.load(request.sku) == outcome.state.state);
            }
        tx.commit();
        CHECK(store.load("S4").reserved == 2);
        CHECK(store.read_state("S4")->state == store.load("S4"));
    }

    TEST_CASE("atomic: a refused line before a malformed one is the one reported") {
        testing::TempDir dir;
        store::SqliteStore store(db(dir));
        auto r = run(store,
                     "{\"cmd\":\"create\",\"sku\":\"A\",\"soh\":10}\n"
                     "{\"cmd\":\"reserve\",\"sku\":\"A\",\"qty\":30}\n"
                     "not json\n",
                     true);
        REQUIRE(r.results.size() == 2);
        CHECK(r.ok(0));
        CHECK(r.results[1].line == 2);
        CHECK(r.error(1).code == "insufficient_available");
        CHECK(r.summary.lines == 2);
        CHECK(r.summary.failed == 1);
        CHECK(store.head().seq == 0);
    }

    TEST_CASE(
        "atomic: the lines before a malformed one run, then the batch "
        "fails at it") {
        testing::TempDir dir;
        store::SqliteStore store(db(dir));
        auto r = run(store,
                     "{\"cmd\":\"create\",\"sku\":\"A\",\"soh\":10}\n"
                     "\n"
                     "{\"cmd\":\"reserve\",\"sku\":\"A\",\"qty\":3}\n"
                     "{\"cmd\":\"reserve\",\"sku\":\"A\"}\n"
                     "{\"cmd\":\"reserve\",\"sku\":\"A\",\"qty\":30}\n",
                     true);
        REQUIRE(r.results.size() == 3);
        CHECK(r.results[0].line == 1);
        CHECK(r.results[1].line == 3);
        CHECK(r.outcome(1).state.state.reserved == 3);
        CHECK(r.results[2].line == 4);
        CHECK(r.error(2).code == "missing_field");
        CHECK(r.summary.lines == 3);
        CHECK_FALSE(r.summary.committed);
        CHECK(store.head().seq == 0);
    }

    TEST_CASE("atomic: the input is read to its end before the write lock is taken") {
        testing::TempDir dir;
        store::SqliteStore store(db(dir));
        run(store, "{\"cmd\":\"create\",\"sku\":\"A\",\"soh\":10}\n");
        // The input gives one line, then, before its second, another process
        // writes: a pipe that is slow, or a person still typing. That writer
        // must not wait for the batch.
        std::optional<std::string> other_writer;
        int reads = 0;
        auto read = [&](char* buffer, std::size_t size) -> std::size_t {
            std::string chunk;
            switch (reads++) {
            case 0: chunk = "{\"cmd\":\"reserve\",\"sku\":\"A\",\"qty\":1}\n"; break;
            case 1: {
                store::OpenOptions options = db(dir);
                options.lock_timeout_ms = 50;
                store::SqliteStore other(options);
                app::Request request{"A", domain::Reserve{2}, "other", std::nullopt, std::nullopt, std::nullopt};
                try {
                    app::execute(other, request, [] { return domain::Millis{1'700'000'000'000}; });
                    other_writer = "ok";
                } catch (const domain::Failure& f) {
                    other_writer = f.code();
                }
                chunk = "{\"cmd\":\"reserve\",\"sku\":\"A\",\"qty\":3}";
                break;
            }
            default: return 0;
            }
            REQUIRE(chunk.size() <= size);
            chunk.copy(buffer, chunk.size());
            return chunk.size();
        };
        auto r = run(store, read, true);
        CHECK(other_writer.value_or("not run") == "ok");
        CHECK(r.summary.committed);
        REQUIRE(r.results.size() == 2);
        // The batch ran after the other writer, on the state it left.
        CHECK(r.outcome(1).state.state.reserved == 6);
        CHECK(r.outcome(0).events.front().seq == 4);
        CHECK(store.read_state("A")->state.available_quantity == 4);
    }
}
