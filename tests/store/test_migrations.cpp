// The migration mechanism, with a synthetic older format: version 0 is
// format 1 without the snapshots and settings tables, and one step adds
// them, before the real step to format 2. A file is upgraded on its first
// write, all steps in one transaction; reads leave it as it is. The upgrade
// from format 1 itself is tested in test_format2.cpp.
#include <doctest/doctest.h>

#include <filesystem>

#include "invlog/app/service.hpp"
#include "invlog/store/schema.hpp"
#include "invlog/store/settings.hpp"
#include "invlog/store/sqlite_store.hpp"
#include "support/format1.hpp"
#include "support/temp_dir.hpp"

using namespace invlog;

namespace {

// A file with one event, turned back into format 1 and then into the
// synthetic version 0.
void make_version_0(const std::string& path) {
    const std::string current = path + ".current";
    {
        store::SqliteStore s({current, store::OpenMode::write});
        app::execute(s, app::Request{"A", domain::Create{5, std::nullopt}, "t", {}, {}, {}}, [] { return 1000; });
    }
    testing::copy_as_format1(current, path);
    store::Connection c(path, false);
    c.exec("DROP TABLE snapshots; DROP TABLE settings; PRAGMA user_version = 0;");
}

bool has_table(store::Connection& c, const char* name) {
    auto st = c.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1");
    st.bind(1, name);
    return st.step() && st.int64(0) == 1;
}

std::int64_t user_version(const std::string& path) {
    store::Connection c(path, false);
    return c.pragma_int("user_version");
}

const std::vector<store::Migration> add_tables = {
    {0,
     [](store::Connection& c) {
         c.exec(
             "CREATE TABLE snapshots (sku TEXT NOT NULL, version INTEGER NOT NULL, soh INTEGER NOT NULL, "
             "available_quantity INTEGER NOT NULL, reserved INTEGER NOT NULL, seq INTEGER NOT NULL, "
             "recorded_at INTEGER NOT NULL, PRIMARY KEY (sku, version)) WITHOUT ROWID");
         c.exec("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID");
     }},
    store::migrations().front(),  // the real step from format 1 to 2
};

}  // namespace

TEST_SUITE("store.migrations") {
    TEST_CASE("a write upgrades an older file and keeps its events") {
        testing::TempDir dir;
        const auto path = dir.file("old.db");
        make_version_0(path);
        {
            store::SqliteStore s({path, store::OpenMode::write, 5000, false, &add_tables});
            CHECK(s.upgraded() == 2);  // to format 1, then to format 2
            CHECK_FALSE(s.created());
            CHECK(has_table(s.connection(), "snapshots"));
            CHECK(s.load("A").soh == 5);
            app::execute(s, app::Request{"A", domain::Receive{2}, "t", {}, {}, {}}, [] { return 2000; });
            CHECK(s.read_state("A")->state.soh == 7);
        }
        CHECK(user_version(path) == store::schema_version);
        store::SqliteStore again({path, store::OpenMode::write, 5000, false, &add_tables});
        CHECK(again.upgraded() == 0);
    }

    TEST_CASE("a read leaves an older file as it is") {
        testing::TempDir dir;
        const auto path = dir.file("old.db");
        make_version_0(path);
        {
            store::SqliteStore s({path, store::OpenMode::read, 5000, false, &add_tables});
            CHECK(s.upgraded() == 0);
            CHECK(s.read_state("A")->state.soh == 5);
        }
        CHECK(user_version(path) == 0);
    }

    TEST_CASE("a step that fails leaves the file untouched: all steps are one transaction") {
        testing::TempDir dir;
        const auto path = dir.file("old.db");
        make_version_0(path);
        const std::vector<store::Migration> failing = {
            add_tables[0],
            {1, [](store::Connection& c) { c.exec("CREATE TABLE half_done (x); SELECT no_such_function();"); }},
        };
        // A two-step path to version 2 through the mechanism itself.
        {
            store::Connection c(path, false);
            c.exec("BEGIN IMMEDIATE");
            CHECK_THROWS_AS(store::migrate(c, failing, 2), domain::Failure);
            c.exec("ROLLBACK");
            CHECK(c.pragma_int("user_version") == 0);
            CHECK_FALSE(has_table(c, "snapshots"));
            CHECK_FALSE(has_table(c, "half_done"));
        }
        const std::vector<store::Migration> broken = {
            {0,
             [](store::Connection& c) {
                 c.exec("CREATE TABLE snapshots (x)");
                 throw domain::Failure(domain::ErrorKind::storage, "boom", "step failed");
             }},
        };
        CHECK_THROWS_AS(store::SqliteStore({path, store::OpenMode::write, 5000, false, &broken}), domain::Failure);
        store::Connection c(path, false);
        CHECK(c.pragma_int("user_version") == 0);
        CHECK_FALSE(has_table(c, "snapshots"));
    }

    TEST_CASE("steps run in order, each from the version the last one reached") {
        testing::TempDir dir;
        store::Connection c(dir.file("x.db"), true);
        c.exec("CREATE TABLE log (step INTEGER); PRAGMA user_version = 1;");
        std::vector<store::Migration> steps;
        for (std::int64_t from : {3, 1, 2})  // registered out of order
            steps.push_back({from, [from](store::Connection& conn) {
                                 auto st = conn.prepare("INSERT INTO log VALUES (?1)");
                                 st.bind(1, from);
                                 st.run();
                             }});
        c.exec("BEGIN");
        CHECK(store::migrate(c, steps, 4) == 3);
        c.exec("COMMIT");
        CHECK(c.pragma_int("user_version") == 4);
        auto st = c.prepare("SELECT group_concat(step) FROM log");
        REQUIRE(st.step());
        CHECK(st.text(0) == "1,2,3");
    }

    TEST_CASE("an older file with no path to the current version is refused, untouched") {
        testing::TempDir dir;
        const auto path = dir.file("old.db");
        make_version_0(path);
        try {
            store::SqliteStore s({path, store::OpenMode::write});  // the registered steps: none from 0
            FAIL("expected a failure");
        } catch (const domain::Failure& f) {
            CHECK(f.code() == "no_migration");
            CHECK(f.kind() == domain::ErrorKind::storage);
        }
        CHECK(user_version(path) == 0);
    }
}
