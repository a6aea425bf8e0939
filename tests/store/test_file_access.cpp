// How the store opens files it reads and names files it writes: reads make
// no file and notice a file changed under an immutable read; SQLite is never
// given a special name; destinations are compared by inode and directory.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "invlog/app/service.hpp"
#include "invlog/domain/error.hpp"
#include "invlog/store/destination.hpp"
#include "invlog/store/event_store.hpp"
#include "invlog/store/read_access.hpp"
#include "invlog/store/sqlite_store.hpp"
#include "support/temp_dir.hpp"

using namespace invlog;
namespace fs = std::filesystem;

namespace {

std::set<std::string> names_in(const fs::path& dir) {
    std::set<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
    return out;
}

std::string code_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const domain::Failure& e) {
        return e.code();
    }
    return "ok";
}

void receive(store::EventStore& s, domain::Qty q) {
    app::execute(s, app::Request{"A", domain::Receive{q}, "t", {}, {}, {}}, [] { return 1000LL; });
}

// Runs f with the working directory set to dir.
template <class F>
void in_directory(const fs::path& dir, F f) {
    const auto before = fs::current_path();
    fs::current_path(dir);
    try {
        f();
    } catch (...) {
        fs::current_path(before);
        throw;
    }
    fs::current_path(before);
}

}  // namespace

TEST_SUITE("store.files") {
    TEST_CASE("a read opens immutable and makes no file when the database file holds everything") {
        testing::TempDir dir;
        const auto path = dir.file("inv.db");
        {
            store::SqliteStore w({path, store::OpenMode::write});
            app::execute(w, app::Request{"A", domain::Create{5, std::nullopt}, "t", {}, {}, {}}, [] { return 1LL; });
        }
        REQUIRE(names_in(dir.path()) == std::set<std::string>{"inv.db"});
        store::SqliteStore r({path, store::OpenMode::read});
        CHECK(r.connection().immutable_read());
        CHECK(r.read_state("A")->state.soh == 5);
        CHECK_NOTHROW(r.connection().check_unchanged());
        CHECK(names_in(dir.path()) == std::set<std::string>{"inv.db"});
    }

    TEST_CASE("a write cannot fold its -wal into a file under an immutable read") {
        testing::TempDir dir;
        const auto path = dir.file("inv.db");
        {
            store::SqliteStore w({path, store::OpenMode::write});
            app::execute(w, app::Request{"A", domain::Create{5, std::nullopt}, "t", {}, {}, {}}, [] { return 1LL; });
        }
        store::SqliteStore r({path, store::OpenMode::read});
        REQUIRE(r.connection().immutable_read());
        {
            // A writer that closes while the read goes on: its close may not
            // checkpoint into the file (the read holds a shared lock).
            store::SqliteStore w({path, store::OpenMode::write});
            receive(w, 1);
        }
        CHECK_NOTHROW(r.connection().check_unchanged());
        CHECK(r.read_state("A")->state.soh == 5);  // the moment the read began
        // A checkpoint forced by hand changes the file: the read says so.
        {
            store::Connection c(path, false);
            c.exec("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        CHECK(code_of([&] { r.connection().check_unchanged(); }) == "changed_while_reading");
    }

    TEST_CASE("a read goes through shared memory when a -wal holds transactions") {
        testing::TempDir dir;
        const auto path = dir.file("inv.db");
        store::SqliteStore w({path, store::OpenMode::write});
        app::execute(w, app::Request{"A", domain::Create{5, std::nullopt}, "t", {}, {}, {}}, [] { return 1LL; });
        receive(w, 2);  // w stays open: its -wal keeps both commands
        store::SqliteStore r({path, store::OpenMode::read});
        CHECK_FALSE(r.connection().immutable_read());
        CHECK(r.read_state("A")->state.soh == 7);
    }

    TEST_CASE("SQLite is never given a special name: a relative path is always a file") {
        testing::TempDir dir;
        in_directory(dir.path(), [] {
            for (const char* name : {"file:x.db", ":memory:", "file::memory:?cache=shared"}) {
                CAPTURE(name);
                store::SqliteStore s({name, store::OpenMode::write});
                app::execute(s, app::Request{"A", domain::Create{1, std::nullopt}, "t", {}, {}, {}},
                             [] { return 1LL; });
                CHECK(fs::exists(name));
            }
        });
    }

    TEST_CASE("destinations: never the database or its companions, by any name") {
        testing::TempDir dir;
        const auto db = dir.file("inv.db");
        store::SqliteStore s({db, store::OpenMode::write});
        app::execute(s, app::Request{"A", domain::Create{1, std::nullopt}, "t", {}, {}, {}}, [] { return 1LL; });
        fs::create_symlink(db, dir.file("link"));
        fs::create_hard_link(db, dir.file("hard"));
        fs::create_symlink(db + "-journal", dir.file("future"));
        std::ofstream(dir.file("plain")) << "x";
        const store::DestinationRules keep{false, true, "exported"};
        const store::DestinationRules force{true, true, "exported"};
        auto check = [&](const std::string& target, const store::DestinationRules& rules) {
            return code_of([&] { store::check_destination(target, db, rules); });
        };
        for (const auto& target : {db, db + "-wal", db + "-shm", db + "-journal", dir.file("./inv.db-wal"),
                                   dir.file("../" + dir.path().filename().string() + "/inv.db"), dir.file("link"),
                                   dir.file("hard"), dir.file("future")}) {
            CAPTURE(target);
            CHECK(check(target, force) == "target_is_source");
        }
        CHECK(check(dir.file("plain"), keep) == "target_exists");
        CHECK(check(dir.file("plain"), force) == "ok");
        CHECK(check(dir.file("new"), keep) == "ok");
        CHECK(check(dir.path().string(), force) == "target_is_directory");
        store::Connection(dir.file("other.db"), true).exec("CREATE TABLE t(x)");
        CHECK(check(dir.file("other.db"), force) == "target_is_database");
        CHECK(check("", force) == "invalid_argument");
    }
}
