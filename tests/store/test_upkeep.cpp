// rebuild, backup and stats on real files.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "invlog/app/upkeep.hpp"
#include "invlog/app/verify.hpp"
#include "invlog/store/backup.hpp"
#include "invlog/store/settings.hpp"
#include "invlog/store/sqlite_store.hpp"
#include "support/temp_dir.hpp"
#include "support/workload.hpp"

using namespace invlog;

namespace {

app::Request receive(const std::string& sku, domain::Qty q) {
    return app::Request{sku, domain::Receive{q}, "t", {}, {}, {}};
}

}  // namespace

TEST_SUITE("store.upkeep") {
    TEST_CASE("rebuild repairs a damaged read model and snapshots from the events") {
        testing::TempDir dir;
        auto file = testing::open_fast(dir.file("a.db"));
        auto& s = *file;
        store::write_setting(s.connection(), store::snapshot_every_key, "5");
        testing::run_workload(s, 80);
        s.connection().exec(
            "UPDATE inventory SET soh = soh + 7 WHERE sku = 'A'; DELETE FROM inventory WHERE sku = 'B-2'; "
            "INSERT INTO inventory VALUES ('GHOST', 1, 1, 0, 1, 0); UPDATE snapshots SET reserved = 3; "
            "INSERT INTO snapshots VALUES ('A', 9999, 1, 1, 0, 9999, 0, randomblob(32));");
        REQUIRE_FALSE(app::verify(s, {}).ok());

        store::write_setting(s.connection(), store::snapshot_every_key, "4");
        // A read-model row without events and a snapshot past the log are
        // what a shortened log leaves: refused unless forced.
        CHECK_THROWS_AS(app::rebuild(s, nullptr), domain::Failure);
        CHECK(s.read_state("GHOST"));
        auto result = app::rebuild(s, nullptr, true);
        CHECK(result.events == s.head().seq);
        CHECK(result.skus == 3);
        CHECK(result.snapshot_every == 4);
        auto report = app::verify(s, {});
        CHECK(report.ok());
        CHECK(report.snapshots == result.snapshots);
        CHECK_FALSE(s.read_state("GHOST"));
    }

    TEST_CASE("rebuild refuses a log with a missing event and changes nothing") {
        testing::TempDir dir;
        auto file = testing::open_fast(dir.file("a.db"));
        auto& s = *file;
        testing::run_workload(s, 30);
        s.connection().exec(
            "DROP TRIGGER events_no_delete; DELETE FROM events WHERE seq = 10; "
            "UPDATE inventory SET soh = 424242 WHERE sku = 'A';");
        try {
            app::rebuild(s, nullptr);
            FAIL("expected a failure");
        } catch (const domain::Failure& f) {
            CHECK(f.kind() == domain::ErrorKind::integrity);
            CHECK(std::string(f.what()).find("invlog verify") != std::string::npos);
        }
        CHECK(s.read_state("A")->state.soh == 424242);
    }

    TEST_CASE("rebuild refuses a log whose newest events were removed, unless forced") {
        testing::TempDir dir;
        auto file = testing::open_fast(dir.file("a.db"));
        auto& s = *file;
        app::execute(s, app::Request{"A", domain::Create{10, std::nullopt}, "t", {}, {}, {}}, [] { return 1000; });
        app::execute(s, app::Request{"B", domain::Create{5, std::nullopt}, "t", {}, {}, {}}, [] { return 1000; });
        app::execute(s, app::Request{"A", domain::Receive{1}, "t", {}, {}, std::string("k1")}, [] { return 2000; });
        const auto head_before = s.head();
        s.connection().exec(
            "DROP TRIGGER events_no_delete; DELETE FROM events WHERE seq = (SELECT max(seq) FROM events)");
        const auto head = s.head();
        REQUIRE(head.seq == 2);
        REQUIRE_FALSE(app::verify(s, {}).ok());
        try {
            app::rebuild(s, nullptr);
            FAIL("a rebuild would have made the shortened log verify");
        } catch (const domain::Failure& f) {
            CHECK(f.kind() == domain::ErrorKind::integrity);
            CHECK(f.code() == "derived_ahead_of_log");
            const std::string m = f.what();
            CHECK(m.find("inventory: A at version 2, its last event is version 1") != std::string::npos);
            CHECK(m.find("idempotency: idempotency key 'k1' names A at version 2") != std::string::npos);
            CHECK(m.find("The read model implies head seq 3; the log's head is seq 2 (" + util::to_hex(head.hash) +
                         ")") != std::string::npos);
            CHECK(m.find("Nothing was changed") != std::string::npos);
        }
        CHECK(s.read_state("A")->state.version == 2);
        CHECK(s.find_idempotency("k1"));
        CHECK_FALSE(app::verify(s, {}).ok());

        auto result = app::rebuild(s, nullptr, true);
        CHECK(result.implied_head_seq == head_before.seq);
        CHECK(result.head_seq == 2);
        CHECK(result.dropped_keys == 1);
        CHECK(s.read_state("A")->state == domain::State{10, 10, 0, 1});
        CHECK_FALSE(s.find_idempotency("k1"));
        CHECK(app::verify(s, {}).ok());
        // The lost command applies again with its key.
        auto again =
            app::execute(s, app::Request{"A", domain::Receive{1}, "t", {}, {}, std::string("k1")}, [] { return 3000; });
        CHECK_FALSE(again.replayed);
        // A clean file is not ahead: rebuild goes through without force.
        CHECK(app::rebuild(s, nullptr).head_seq == 3);
    }

    TEST_CASE("a backup is the committed state of one moment, while a writer holds a transaction") {
        testing::TempDir dir;
        auto file = testing::open_fast(dir.file("live.db"));
        auto& s = *file;
        testing::run_workload(s, 40);
        const auto committed = s.head();

        // Another connection, as another process would be, mid-transaction.
        store::SqliteStore writer({dir.file("live.db"), store::OpenMode::write});
        {
            store::EventStore::Transaction tx(writer, true);
            app::execute_in_transaction(writer, receive("A", 5), testing::workload_start + 10'000'000);
            auto result = store::backup(s, dir.file("copy.db"), false);
            CHECK(result.head.seq == committed.seq);
            CHECK(result.head.hash == committed.hash);
            CHECK(result.bytes == static_cast<std::int64_t>(std::filesystem::file_size(dir.file("copy.db"))));
            tx.commit();
        }
        CHECK(writer.head().seq > committed.seq);

        store::SqliteStore copy({dir.file("copy.db"), store::OpenMode::read});
        auto report = app::verify(copy, {});
        CHECK(report.ok());
        CHECK(report.head_seq == committed.seq);
        // Nothing but the copy is left in the directory.
        int files = 0;
        for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
            files += entry.path().filename().string().find("invlog-backup") != std::string::npos;
        CHECK(files == 0);
    }

    TEST_CASE("a backup refuses an existing file unless asked, and never the source") {
        testing::TempDir dir;
        auto file = testing::open_fast(dir.file("live.db"));
        auto& s = *file;
        app::execute(s, app::Request{"A", domain::Create{3, std::nullopt}, "t", {}, {}, {}}, [] { return 1000; });
        std::ofstream(dir.file("taken.db")) << "precious";
        auto code_of = [&](const std::string& target, bool replace) {
            try {
                store::backup(s, target, replace);
            } catch (const domain::Failure& f) {
                CHECK(f.kind() == domain::ErrorKind::usage);
                return f.code();
            }
            return std::string("ok");
        };
        CHECK(code_of(dir.file("taken.db"), false) == "target_exists");
        std::ifstream in(dir.file("taken.db"));
        std::string kept((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        CHECK(kept == "precious");
        CHECK(code_of(dir.file("live.db"), true) == "target_is_source");
        CHECK(code_of(dir.path().string(), true) == "target_is_directory");

        CHECK(code_of(dir.file("taken.db"), true) == "ok");
        store::SqliteStore copy({dir.file("taken.db"), store::OpenMode::read});
        CHECK(copy.read_state("A")->state.soh == 3);
    }

    TEST_CASE("stats counts what the file holds") {
        testing::TempDir dir;
        auto file = testing::open_fast(dir.file("a.db"));
        auto& s = *file;
        auto empty = app::stats(s);
        CHECK(empty.counts.events == 0);
        CHECK_FALSE(empty.counts.first_recorded_at);
        CHECK(empty.snapshot_every == 100);
        CHECK(empty.schema_version == 2);
        testing::run_workload(s, 20);
        auto st = app::stats(s);
        CHECK(st.counts.events == s.head().seq);
        CHECK(st.head.seq == st.counts.events);
        CHECK(st.counts.skus == 3);
        CHECK(st.counts.first_recorded_at == testing::workload_start);
        CHECK(st.file_bytes > 0);
    }
}
