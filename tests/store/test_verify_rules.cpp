// The newer checks of verify on real files: storage types outside the
// events table, idempotency fingerprints decided again, settings, event ids
// (from the first seq of format 2 on), and clock notices from a clock that
// really steps back, against a fast batch that shares its milliseconds.
#include <doctest/doctest.h>

#include <algorithm>

#include <fmt/format.h>

#include "invlog/app/verify.hpp"
#include "invlog/store/schema.hpp"
#include "invlog/store/settings.hpp"
#include "invlog/store/sqlite_store.hpp"
#include "support/format1.hpp"
#include "support/temp_dir.hpp"
#include "support/workload.hpp"

using namespace invlog;

namespace {

bool has(const std::vector<app::Problem>& problems, std::int64_t seq, const std::string& code) {
    return std::any_of(problems.begin(), problems.end(),
                       [&](const app::Problem& p) { return p.seq == seq && p.code == code; });
}

std::vector<std::string> codes(const std::vector<app::Problem>& problems) {
    std::vector<std::string> out;
    for (const auto& p : problems) out.push_back(std::to_string(p.seq) + " " + p.code);
    return out;
}

app::Outcome run(store::EventStore& s, const std::string& sku, domain::Command c, domain::Millis now,
                 std::optional<std::string> key = {}) {
    return app::execute(s, app::Request{sku, c, "t", {}, {}, std::move(key)}, [now] { return now; });
}

// Rewrites the hash chain from `from` on, as a forger with the file would.
void rechain(store::SqliteStore& s, std::int64_t from) {
    util::Sha256 sha;
    util::Digest previous{};
    std::vector<std::pair<std::int64_t, util::Digest>> fixed;
    s.for_each_raw({}, [&](const store::RawEvent& e) {
        util::Digest h = e.seq < from ? e.hash : store::chain_hash(sha, previous, e);
        if (e.seq >= from) fixed.emplace_back(e.seq, h);
        previous = h;
        return true;
    });
    for (const auto& [seq, h] : fixed) {
        auto st = s.connection().prepare("UPDATE events SET hash = ?1 WHERE seq = ?2");
        st.bind_blob(1, h).bind(2, seq);
        st.run();
    }
}

std::string event_id(store::SqliteStore& s, std::int64_t seq) {
    auto st = s.connection().prepare("SELECT event_id FROM events WHERE seq = ?1");
    st.bind(1, seq);
    REQUIRE(st.step());
    return std::string(st.text(0));
}

}  // namespace

TEST_SUITE("store.verify_rules") {
    TEST_CASE("a value of the wrong storage type in any table is reported") {
        testing::TempDir dir;
        auto s = testing::open_fast(dir.file("a.db"));
        store::write_setting(s->connection(), store::snapshot_every_key, "2");
        testing::run_workload(*s, 30);
        // Without their CHECKs, as anyone with the file can make them.
        for (const char* table : {"inventory", "snapshots", "idempotency"})
            s->connection().exec(fmt::format("CREATE TABLE plain AS SELECT * FROM {0}; DROP TABLE {0}; "
                                             "ALTER TABLE plain RENAME TO {0};",
                                             table)
                                     .c_str());
        s->connection().exec(
            "UPDATE inventory SET soh = 'x' || soh WHERE sku = 'A'; "
            "UPDATE snapshots SET hash = hex(hash) WHERE sku = 'B-2' AND version = 2; "
            "UPDATE idempotency SET version = version + 0.5 WHERE key = (SELECT min(key) FROM idempotency)");
        auto r = app::verify(*s, {});
        std::vector<std::string> messages;
        for (const auto& p : r.problems)
            if (p.code == "wrong_type") messages.push_back(p.message);
        REQUIRE(messages.size() == 3);
        CHECK(messages[0].find("inventory row A stores soh (text)") == 0);
        CHECK(messages[1].find("idempotency row key-") == 0);
        CHECK(messages[1].find("stores version (real)") != std::string::npos);
        CHECK(messages[2].find("snapshots row B-2 version 2 stores hash (text)") == 0);
    }

    TEST_CASE("every column of events, given a value of the wrong storage type, is named") {
        testing::TempDir dir;
        auto s = testing::open_fast(dir.file("a.db"));
        testing::run_workload(*s, 40);
        s->connection().exec(
            "CREATE TABLE plain AS SELECT * FROM events; DROP TABLE events; ALTER TABLE plain RENAME TO events; "
            "CREATE UNIQUE INDEX events_seq ON events (seq);");
        // Column i of the schema's rules goes wrong in the event with seq 2 + 2i.
        const auto& events = store::column_types().front();
        REQUIRE(std::string(events.name) == "events");
        std::vector<std::string> expected;
        for (std::size_t i = 0; i < events.columns.size(); ++i) {
            const std::string name = events.columns[i].name;
            const std::int64_t seq = 2 + 2 * static_cast<std::int64_t>(i);
            auto st = s->connection().prepare(fmt::format("SELECT typeof({}) FROM events WHERE seq = ?1", name));
            st.bind(1, seq);
            REQUIRE(st.step());
            const std::string type(st.text(0));
            const std::string value = type == "integer" ? name + " + 0.5"
                                      : type == "blob"  ? "hex(" + name + ")"
                                                        : "CAST('x' AS BLOB)";
            s->connection().exec(fmt::format("UPDATE events SET {} = {} WHERE seq = {}", name, value, seq).c_str());
            const char* now = type == "integer" ? "real" : type == "blob" ? "text" : "blob";
            expected.push_back(fmt::format("{} {} ({})", seq, name, now));
        }
        auto r = app::verify(*s, {});
        std::vector<std::string> found;
        for (const auto& p : r.problems)
            if (p.code == "wrong_type")
                found.push_back(std::to_string(p.seq) + " " +
                                p.message.substr(p.message.find("stores ") + 7,
                                                 p.message.find(':') - p.message.find("stores ") - 7));
        CHECK(found == expected);
    }

    TEST_CASE("each keyed command is decided again from its fingerprint") {
        testing::TempDir dir;
        auto s = testing::open_fast(dir.file("a.db"));
        run(*s, "A", domain::Create{10, std::nullopt}, 1000, "k-create");
        run(*s, "A", domain::Reserve{3}, 2000, "k-reserve");
        run(*s, "A", domain::SetSoh{5, std::nullopt}, 3000, "k-set-soh");  // lowers available: two events
        run(*s, "A", domain::Adjust{-1}, 4000, "k-adjust");
        REQUIRE(app::verify(*s, {}).ok());
        CHECK(app::verify(*s, {}).idempotency_keys == 4);
        auto set_fingerprint = [&](const char* key, const char* fp) {
            auto st = s->connection().prepare("UPDATE idempotency SET fingerprint = ?1 WHERE key = ?2");
            st.bind(1, fp).bind(2, key);
            st.run();
        };
        // The same command in the form invlog 1 wrote: still the same.
        set_fingerprint("k-create", "create A 10 -");
        CHECK(app::verify(*s, {}).ok());
        // Another command that decides other events, or none, or is refused.
        set_fingerprint("k-create", "create A 10 9");
        set_fingerprint("k-reserve", "reserve A 4");
        set_fingerprint("k-set-soh", "set-soh A 5 2");  // would set available explicitly: the same events
        set_fingerprint("k-adjust", "adjust A -99");
        auto r = app::verify(*s, {});
        REQUIRE(codes(r.problems) ==
                std::vector<std::string>{"1 fingerprint_mismatch", "2 fingerprint_mismatch", "6 fingerprint_mismatch"});
        CHECK(r.problems[2].message.find("which the state before seq 6 refuses (cannot adjust A by -99") !=
              std::string::npos);
        // Not a command at all, or a command on another SKU.
        set_fingerprint("k-create", "create A ten 9");
        set_fingerprint("k-reserve", "reserve B 3");
        r = app::verify(*s, {});
        CHECK(has(r.problems, 1, "fingerprint_invalid"));
        CHECK(has(r.problems, 2, "fingerprint_mismatch"));
        REQUIRE(r.problems.size() >= 2);
        CHECK(r.problems[1].message.find("a command on B, but its events (from seq 2) are of A") != std::string::npos);
        // What a tampered table holds is echoed escaped: a terminal escape in
        // a fingerprint never reaches the screen raw.
        set_fingerprint("k-create", "create A \x1b[2J 9");
        r = app::verify(*s, {});
        REQUIRE(has(r.problems, 1, "fingerprint_invalid"));
        CHECK(r.problems[0].message.find('\x1b') == std::string::npos);
        CHECK(r.problems[0].message.find("create A \\x1b[2J 9") != std::string::npos);
    }

    TEST_CASE("settings that every write refuses, and unknown ones") {
        testing::TempDir dir;
        auto s = testing::open_fast(dir.file("a.db"));
        testing::run_workload(*s, 5);
        store::write_setting(s->connection(), store::snapshot_every_key, "-1");
        store::write_setting(s->connection(), "snapshot_every", "5");
        auto r = app::verify(*s, {});
        CHECK(codes(r.problems) == std::vector<std::string>{"0 invalid_setting", "0 unknown_setting"});
        store::write_setting(s->connection(), store::snapshot_every_key, "0");
        store::delete_setting(s->connection(), "snapshot_every");
        // An unknown key and value are echoed escaped.
        store::write_setting(s->connection(),
                             "k\xc2\x9b"
                             "31m",
                             "v\x1b]0;x\x07");
        r = app::verify(*s, {});
        REQUIRE(codes(r.problems) == std::vector<std::string>{"0 unknown_setting"});
        CHECK(r.problems[0].message.find("'k\\u009b31m' = 'v\\x1b]0;x\\x07'") != std::string::npos);
        store::delete_setting(s->connection(),
                              "k\xc2\x9b"
                              "31m");
        CHECK(app::verify(*s, {}).ok());
    }

    TEST_CASE("event ids carry recorded_at and sort in seq order, from the first seq of format 2") {
        testing::TempDir dir;
        const std::string path = dir.file("a.db");
        auto s = testing::open_fast(path);
        testing::run_workload(*s, 40);
        REQUIRE(app::verify(*s, {}).ok());
        s->connection().exec("DROP TRIGGER events_no_update");
        auto set_id = [&](std::int64_t seq, const std::string& id) {
            auto st = s->connection().prepare("UPDATE events SET event_id = ?1 WHERE seq = ?2");
            st.bind(1, id).bind(2, seq);
            st.run();
        };
        // Two events of one command (one recorded_at) swap ids: the second is
        // out of order. Seq 20 gets an id of another millisecond (and out of
        // order), seq 30 a random (version 4) one, after which seq 31 sorts
        // before it.
        std::int64_t pair = 0;
        for (std::int64_t seq = 10; seq < 18 && pair == 0; ++seq) {
            auto st =
                s->connection().prepare("SELECT count(DISTINCT command_id) FROM events WHERE seq IN (?1, ?1 + 1)");
            st.bind(1, seq);
            if (st.step() && st.int64(0) == 1) pair = seq;
        }
        REQUIRE(pair > 0);
        const std::string first = event_id(*s, pair), second = event_id(*s, pair + 1);
        set_id(pair, "tmp");
        set_id(pair + 1, first);
        set_id(pair, second);
        set_id(20, util::uuid_v7(1));
        set_id(30, "0acffba0-374f-4e41-80d5-d50086773ddf");
        rechain(*s, pair);
        auto r = app::verify(*s, {});
        CHECK(codes(r.problems) == std::vector<std::string>{std::to_string(pair + 1) + " event_id_order",
                                                            "20 event_id_time", "20 event_id_order", "30 event_id_time",
                                                            "31 event_id_order"});

        // In a file upgraded from format 1 the rules begin at the upgrade:
        // the same ids before it are not held to them.
        s.reset();
        testing::copy_as_format1(path, dir.file("old.db"));
        store::SqliteStore upgraded({dir.file("old.db"), store::OpenMode::write});
        REQUIRE(upgraded.upgraded() == 1);
        run(upgraded, "A", domain::Receive{1}, testing::workload_start + 10'000'000);
        r = app::verify(upgraded, {});
        CHECK(r.ok());
    }

    TEST_CASE("clock notices: a clock that steps back behind the log, not a batch sharing its milliseconds") {
        testing::TempDir dir;
        auto s = testing::open_fast(dir.file("a.db"));
        const domain::Millis t = testing::workload_start;
        run(*s, "A", domain::Create{100, std::nullopt}, t);
        run(*s, "A", domain::Reserve{1}, t + 5000);  // seq 2-3
        // The clock steps back 3 s: recorded_at is held at t + 5000.
        run(*s, "A", domain::Receive{1}, t + 2000);               // seq 4
        run(*s, "B", domain::Create{1, std::nullopt}, t + 2500);  // seq 5
        run(*s, "A", domain::Reserve{2}, t + 4000);               // seq 6-7
        run(*s, "A", domain::Receive{1}, t + 6000);               // seq 8: the clock is past the log's time again
        // Many commands in one millisecond, in one transaction and in several.
        {
            store::EventStore::Transaction tx(*s, true);
            for (int i = 0; i < 50; ++i)
                app::execute_in_transaction(*s, app::Request{"A", domain::Receive{1}, "t", {}, {}, {}}, t + 7000);
            tx.commit();
        }
        for (int i = 0; i < 20; ++i) run(*s, "B", domain::Receive{1}, t + 7000);
        run(*s, "A", domain::Receive{1}, t + 6999);  // one more, 1 ms behind

        auto r = app::verify(*s, {});
        CHECK(r.ok());  // notices do not fail verification; ids still sort
        REQUIRE(r.notices.size() == 2);
        CHECK(r.notices[0].code == "clock_behind");
        CHECK(r.notices[0].seq == 4);
        CHECK(r.notices[0].sku.empty());  // A and B
        CHECK(r.notices[0].message.find("seq 4 to 7 (3 commands) recorded at") == 0);
        CHECK(r.notices[0].message.find("the clock read up to 3.000 s earlier") != std::string::npos);
        CHECK(r.notices[1].seq == r.head_seq);
        CHECK(r.notices[1].sku == "A");
        CHECK(r.notices[1].message.find("(1 command) recorded at") != std::string::npos);
        CHECK(r.notices[1].message.find("up to 1 ms earlier") != std::string::npos);
        // Held times keep the event ids in seq order, each carrying its recorded_at.
        CHECK(event_id(*s, 4) > event_id(*s, 3));
        CHECK(util::uuid_v7_ms(*util::parse_uuid(event_id(*s, 4))) == t + 5000);
    }
}
