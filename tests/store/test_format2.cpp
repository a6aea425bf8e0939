// Format 2 on real files: the upgrade of a filled format 1 file in place
// (contents, hashes, verify), its refusal of values of the wrong storage
// type, the type CHECKs of every table, and the append-only rule against
// every statement that could rewrite or remove a recorded event.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "invlog/app/verify.hpp"
#include "invlog/store/export_positions.hpp"
#include "invlog/store/schema.hpp"
#include "invlog/store/settings.hpp"
#include "invlog/store/sqlite_store.hpp"
#include "support/format1.hpp"
#include "support/temp_dir.hpp"
#include "support/workload.hpp"

using namespace invlog;

namespace {

// A current file with snapshots (every 3 versions), idempotency keys, a
// setting and an export position.
std::string make_source(const testing::TempDir& dir) {
    const std::string path = dir.file("source.db");
    auto s = testing::open_fast(path);
    store::write_setting(s->connection(), store::snapshot_every_key, "3");
    testing::run_workload(*s, 80);
    s->write_export_position("mongodb://h:27017/inventory.events", 12, 1'780'000'500'000);
    return path;
}

// Every row of a table as text, in a stable order (BLOBs as hex).
std::string dump(store::Connection& c, const std::string& table, const std::string& columns, const std::string& order) {
    std::string cols;
    std::size_t start = 0;
    while (start <= columns.size()) {
        std::size_t end = columns.find(',', start);
        if (end == std::string::npos) end = columns.size();
        std::string col = columns.substr(start, end - start);
        while (!col.empty() && col.front() == ' ') col.erase(0, 1);
        cols += (cols.empty() ? "" : " || '|' || ") + fmt::format(
                                                          "typeof({0}) || ':' || coalesce(CASE typeof({0}) "
                                                          "WHEN 'blob' THEN hex({0}) ELSE {0} END, '')",
                                                          col);
        start = end + 1;
    }
    auto st = c.prepare(fmt::format("SELECT {} FROM {} ORDER BY {}", cols, table, order));
    std::string out;
    while (st.step()) out += std::string(st.text(0)) + "\n";
    return out;
}

const char* const event_columns =
    "seq, event_id, sku, version, event_type, data, recorded_at, actor, reason, command_id, idempotency_key, hash";

std::int64_t count(store::Connection& c, const std::string& sql) {
    auto st = c.prepare(sql);
    return st.step() ? st.int64(0) : -1;
}

std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

TEST_SUITE("store.format2") {
    TEST_CASE("a filled format 1 file is upgraded in place on its first write: contents, hashes, verify") {
        testing::TempDir dir;
        const std::string source = make_source(dir);
        const std::string path = dir.file("format1.db");
        testing::copy_as_format1(source, path);
        std::string events, inventory, idempotency, settings;
        std::int64_t head = 0;
        {
            store::Connection c(path, false);
            REQUIRE(c.pragma_int("user_version") == 1);
            REQUIRE(count(c, "SELECT count(*) FROM snapshots") > 5);
            events = dump(c, "events", event_columns, "seq");
            inventory = dump(c, "inventory", "sku, soh, available_quantity, reserved, version, updated_at", "sku");
            idempotency = dump(c, "idempotency", "key, fingerprint, sku, version, command_id", "key");
            settings = dump(c, "settings", "key, value", "key");
            head = count(c, "SELECT max(seq) FROM events");
            REQUIRE(count(c, "SELECT count(*) FROM idempotency") > 3);
        }
        {
            // Reading leaves it as it is, and it verifies as format 1.
            store::SqliteStore reader({path, store::OpenMode::read});
            CHECK(reader.format() == 1);
            CHECK(app::verify(reader, {}).ok());
        }
        store::SqliteStore s({path, store::OpenMode::write});
        CHECK(s.upgraded() == 1);
        CHECK(s.format() == 2);
        store::Connection& c = s.connection();
        CHECK(c.pragma_int("user_version") == 2);
        CHECK(c.pragma_int("application_id") == store::application_id);
        CHECK(dump(c, "events", event_columns, "seq") == events);
        CHECK(dump(c, "inventory", "sku, soh, available_quantity, reserved, version, updated_at", "sku") == inventory);
        CHECK(dump(c, "idempotency", "key, fingerprint, sku, version, command_id", "key") == idempotency);
        CHECK(dump(c, "settings", "key, value", "key") == settings);
        CHECK(count(c, "SELECT count(*) FROM snapshots") == 0);  // format 1 snapshots carry no hash
        auto position = s.read_export_position("mongodb://h:27017/inventory.events");
        REQUIRE(position);
        CHECK(position->last_seq == 12);
        CHECK(position->updated_at == 1'780'000'500'000);
        CHECK_FALSE(position->last_hash);
        CHECK_FALSE(position->compat);
        CHECK(count(c, "SELECT first_seq FROM formats WHERE version = 2") == head + 1);
        // The new tables carry the CHECKs and triggers of format 2.
        CHECK(count(c, "SELECT count(*) FROM sqlite_master WHERE name = 'events_no_replace'") == 1);
        CHECK(count(c, "SELECT count(*) FROM sqlite_master WHERE name = 'events_recorded_at'") == 1);
        CHECK(count(c, "SELECT count(*) FROM sqlite_master WHERE name LIKE '%format1%'") == 0);
        CHECK(count(c, "SELECT count(*) FROM sqlite_master WHERE sql LIKE '%typeof(sku)%'") >= 4);
        CHECK_THROWS_AS(c.exec("UPDATE events SET actor = 'x' WHERE seq = 1"), domain::Failure);
        CHECK_THROWS_AS(c.exec("INSERT INTO inventory VALUES (CAST('Z' AS BLOB), 1, 1, 0, 1, 0)"), domain::Failure);
        {
            auto check = c.prepare("PRAGMA integrity_check");
            REQUIRE(check.step());
            CHECK(check.text(0) == "ok");
        }
        auto report = app::verify(s, {});
        CHECK(report.ok());
        CHECK(report.events == head);
        // It goes on: new events chain to the old ones, and snapshots come back.
        store::write_setting(c, store::snapshot_every_key, "1");
        app::execute(s, app::Request{"A", domain::Receive{1}, "t", {}, {}, {}}, [] { return 1'790'000'000'000; });
        CHECK(count(c, "SELECT count(*) FROM snapshots") == 1);
        CHECK(app::verify(s, {}).ok());
    }

    TEST_CASE("the upgrade refuses a format 1 file holding a value of the wrong storage type, and changes nothing") {
        testing::TempDir dir;
        const std::string source = make_source(dir);
        struct Case {
            const char* name;
            const char* sql;
            const char* names;
        };
        const Case cases[] = {
            {"sku as a BLOB", "UPDATE events SET sku = CAST(sku AS BLOB) WHERE seq = 5", "events row 5"},
            {"recorded_at as a REAL", "UPDATE events SET recorded_at = recorded_at + 0.5 WHERE seq = 7",
             "recorded_at (real)"},
            {"a short hash", "UPDATE events SET hash = randomblob(31) WHERE seq = 2", "hash (blob)"},
            {"a hash as text", "UPDATE events SET hash = hex(hash) WHERE seq = 2", "hash (text)"},
            {"a read-model quantity as text", "UPDATE inventory SET soh = 'many' WHERE sku = 'A'", "inventory row A"},
            {"an idempotency version as a REAL", "UPDATE idempotency SET version = 2.5", "idempotency row"},
            {"a setting as a BLOB", "UPDATE settings SET value = CAST(value AS BLOB)", "settings row snapshot-every"},
        };
        for (const auto& tc : cases) {
            CAPTURE(tc.name);
            const std::string path = dir.file(std::string("bad-") + std::to_string(&tc - cases) + ".db");
            testing::copy_as_format1(source, path);
            {
                store::Connection c(path, false);
                c.exec("DROP TRIGGER events_no_update;");
                c.exec(tc.sql);
                c.exec(
                    "CREATE TRIGGER events_no_update BEFORE UPDATE ON events "
                    "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;");
            }
            const std::string before = file_bytes(path);
            try {
                store::SqliteStore s({path, store::OpenMode::write});
                FAIL("the upgrade should have been refused");
            } catch (const domain::Failure& f) {
                CHECK(f.kind() == domain::ErrorKind::integrity);
                CHECK(f.code() == "wrong_type");
                CHECK(std::string(f.what()).find(tc.names) != std::string::npos);
                CHECK(std::string(f.what()).find("invlog verify") != std::string::npos);
            }
            CHECK(file_bytes(path) == before);
            store::Connection c(path, false);
            CHECK(c.pragma_int("user_version") == 1);
        }
    }

    TEST_CASE("events: REPLACE, INSERT OR REPLACE, UPDATE OR REPLACE, UPDATE and DELETE all fail") {
        testing::TempDir dir;
        auto s = testing::open_fast(dir.file("a.db"));
        testing::run_workload(*s, 20);
        store::Connection& c = s->connection();
        const std::string before = dump(c, "events", event_columns, "seq");
        const std::string copy_of_2 =
            "SELECT seq, event_id, sku, version, event_type, '{\"quantity\":999}', recorded_at, actor, reason, "
            "command_id, idempotency_key, hash FROM events WHERE seq = 2";
        const std::string statements[] = {
            "REPLACE INTO events " + copy_of_2,
            "INSERT OR REPLACE INTO events " + copy_of_2,
            // Same (sku, version) under a new seq and event_id: REPLACE would delete seq 2.
            "INSERT OR REPLACE INTO events SELECT 1000, 'new-id', sku, version, event_type, data, recorded_at, actor, "
            "reason, command_id, idempotency_key, hash FROM events WHERE seq = 2",
            // Same event_id under a new seq and version.
            "REPLACE INTO events SELECT 1001, event_id, sku, 999, event_type, data, recorded_at, actor, reason, "
            "command_id, idempotency_key, hash FROM events WHERE seq = 3",
            // An upsert: the insert trigger refuses it before the conflict is seen.
            "INSERT INTO events " + copy_of_2 + " ON CONFLICT DO UPDATE SET data = excluded.data",
            "UPDATE OR REPLACE events SET seq = 1 WHERE seq = 2",
            "UPDATE events SET data = '{\"quantity\":1}' WHERE seq = 2",
            "DELETE FROM events WHERE seq = 2",
        };
        for (const char* recursive : {"OFF", "ON"}) {
            c.exec(fmt::format("PRAGMA recursive_triggers = {}", recursive).c_str());
            for (const auto& sql : statements) {
                CAPTURE(sql);
                CAPTURE(recursive);
                CHECK_THROWS_AS(c.exec(sql.c_str()), domain::Failure);
            }
        }
        CHECK(dump(c, "events", event_columns, "seq") == before);
        CHECK(app::verify(*s, {}).ok());
    }

    TEST_CASE("every column holds only its storage type") {
        testing::TempDir dir;
        auto s = testing::open_fast(dir.file("a.db"));
        store::write_setting(s->connection(), store::snapshot_every_key, "2");
        testing::run_workload(*s, 20);
        app::execute(*s, app::Request{"A", domain::Receive{1}, "t", std::string("why"), {}, std::string("k")},
                     [] { return 1'790'000'000'000; });
        store::Connection& c = s->connection();
        c.exec("DROP TRIGGER events_no_update;");
        s->write_export_position("d", 1, 1, util::Digest{}, std::string("seed"));
        // For each column, a value of another type; with the triggers gone only
        // the CHECK stands in the way.
        for (const auto& table : store::column_types()) {
            for (const auto& column : table.columns) {
                CAPTURE(table.name);
                CAPTURE(column.name);
                const std::string type = [&] {
                    auto st = c.prepare(fmt::format("SELECT typeof({}) FROM {} LIMIT 1", column.name, table.name));
                    REQUIRE(st.step());
                    return std::string(st.text(0));
                }();
                std::vector<std::string> wrong;
                // A TEXT column turns numbers into text: only a BLOB is wrong there.
                if (type == "text" || type == "null") wrong = {fmt::format("CAST('x' AS BLOB)")};
                if (type == "integer") wrong = {fmt::format("{} + 0.5", column.name), "x'01'", "'ten'"};
                if (type == "blob") wrong = {fmt::format("hex({})", column.name), "randomblob(16)", "7"};
                REQUIRE_FALSE(wrong.empty());
                for (const auto& value : wrong) {
                    CAPTURE(value);
                    CHECK_THROWS_AS(c.exec(
                                        fmt::format("UPDATE {} SET {} = {}", table.name, column.name, value).c_str()),
                                    domain::Failure);
                }
                // And the query verify uses finds nothing in a sound table.
                auto st = c.prepare(store::wrong_type_query(table, store::schema_version));
                CHECK_FALSE(st.step());
            }
        }
    }

    TEST_CASE("a file created in format 2 records it from seq 1") {
        testing::TempDir dir;
        store::SqliteStore s({dir.file("new.db"), store::OpenMode::write});
        CHECK(s.created());
        CHECK(s.format() == 2);
        CHECK(count(s.connection(), "SELECT first_seq FROM formats WHERE version = 2") == 1);
    }
}
