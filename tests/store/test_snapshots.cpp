// Snapshots are derived data: every answer is the same whatever the
// snapshot interval, and with every snapshot deleted; the write path and
// look-ups into the past really start from them; and one whose hash does not
// match is never used.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include "invlog/app/queries.hpp"
#include "invlog/app/service.hpp"
#include "invlog/app/upkeep.hpp"
#include "invlog/app/verify.hpp"
#include "invlog/store/codec.hpp"
#include "invlog/store/settings.hpp"
#include "invlog/store/sqlite_store.hpp"
#include "support/temp_dir.hpp"
#include "support/workload.hpp"

using namespace invlog;

namespace {

std::string line(const domain::SkuState& s) {
    return fmt::format("{} soh={} available={} reserved={} v={} at={}", s.sku, s.state.soh, s.state.available_quantity,
                       s.state.reserved, s.state.version, s.updated_at);
}

// Every question a user can ask about the past, answered.
std::vector<std::string> answers(store::EventStore& s, domain::Millis end) {
    std::vector<std::string> out;
    std::vector<std::string> skus;
    s.for_each_sku([&](const std::string& sku) { skus.push_back(sku); });
    for (const auto& sku : skus) {
        out.push_back("load " + sku + " " + line({sku, s.load(sku), 0}));
        const auto now = app::current_state(s, sku);
        for (std::int64_t v = 1; v <= now.state.version; ++v)
            out.push_back("version " + line(app::state_at(s, sku, app::At{v, std::nullopt})));
        for (domain::Millis t = testing::workload_start; t <= end; t += 700)
            out.push_back(fmt::format("as-of {} ", t) + line(app::state_at(s, sku, app::At{std::nullopt, t})));
        for (domain::Millis since = testing::workload_start; since <= end; since += 9000)
            app::for_each_history(s, app::HistoryQuery{sku, since, since + 20000},
                                  [&](const domain::EventRecord& e, const domain::State* after) {
                                      out.push_back(
                                          fmt::format("history {} {} {}", e.seq,
                                                      after ? line({sku, *after, e.recorded_at}) : "inside a command",
                                                      since));
                                  });
    }
    const auto head = s.head().seq;
    for (std::int64_t seq = 0; seq <= head; seq += 3)
        app::for_each_state_at(s, store::Point{std::nullopt, seq, std::nullopt}, [&](const domain::SkuState& st) {
            out.push_back(fmt::format("seq {} {}", seq, line(st)));
        });
    for (domain::Millis t = testing::workload_start - 1; t <= end; t += 1500)
        app::for_each_state_at(s, store::Point{std::nullopt, std::nullopt, t}, [&](const domain::SkuState& st) {
            out.push_back(fmt::format("time {} {}", t, line(st)));
        });
    return out;
}

// Gives an edited snapshot the hash invlog would have given it: what someone
// who knows the format can do, and what a test needs to show which reads use
// a snapshot.
void reseal(store::SqliteStore& s, const std::string& sku, std::int64_t version) {
    auto st = s.connection().prepare(
        "SELECT s.soh, s.available_quantity, s.reserved, s.seq, s.recorded_at, e.hash FROM snapshots s "
        "JOIN events e ON e.sku = s.sku AND e.version = s.version WHERE s.sku = ?1 AND s.version = ?2");
    st.bind(1, sku).bind(2, version);
    REQUIRE(st.step());
    util::Digest event{};
    auto blob = st.blob(5);
    std::copy(blob.begin(), blob.end(), event.begin());
    util::Sha256 sha;
    const auto hash =
        store::snapshot_hash(sha, event, sku, domain::State{st.int64(0), st.int64(1), st.int64(2), version},
                             st.int64(3), st.int64(4));
    auto update = s.connection().prepare("UPDATE snapshots SET hash = ?1 WHERE sku = ?2 AND version = ?3");
    update.bind_blob(1, hash).bind(2, sku).bind(3, version);
    update.run();
}

std::int64_t count_snapshots(store::SqliteStore& s) {
    auto st = s.connection().prepare("SELECT count(*) FROM snapshots");
    return st.step() ? st.int64(0) : -1;
}

}  // namespace

TEST_SUITE("store.snapshots") {
    TEST_CASE("answers are identical at every snapshot interval and with no snapshots at all") {
        testing::TempDir dir;
        auto owner = testing::open_fast(dir.file("none.db"));
        auto& base = *owner;
        store::write_setting(base.connection(), store::snapshot_every_key, "0");
        const domain::Millis end = testing::run_workload(base, 160);
        const auto expected = answers(base, end);
        CHECK(count_snapshots(base) == 0);
        REQUIRE(expected.size() > 500);

        for (std::int64_t every : {1, 2, 3, 7, 100}) {
            CAPTURE(every);
            auto file = testing::open_fast(dir.file(fmt::format("k{}.db", every)));
            auto& s = *file;
            store::write_setting(s.connection(), store::snapshot_every_key, std::to_string(every));
            testing::run_workload(s, 160);

            std::int64_t want = 0;
            s.for_each_state([&](const domain::SkuState& st) { want += st.state.version / every; });
            CHECK(count_snapshots(s) == want);
            if (every <= 7) CHECK(want > 0);
            CHECK(answers(s, end) == expected);

            s.connection().exec("DELETE FROM snapshots");
            CHECK(answers(s, end) == expected);

            // rebuild re-takes them at the interval in force.
            auto result = app::rebuild(s, nullptr);
            CHECK(result.snapshots == want);
            CHECK(count_snapshots(s) == want);
            CHECK(answers(s, end) == expected);
        }
    }

    TEST_CASE("list at a point in one ordered pass gives what replaying each SKU gives") {
        testing::TempDir dir;
        for (std::int64_t every : {0, 1, 3, 100}) {
            CAPTURE(every);
            auto file = testing::open_fast(dir.file(fmt::format("k{}.db", every)));
            auto& s = *file;
            store::write_setting(s.connection(), store::snapshot_every_key, std::to_string(every));
            const domain::Millis end = testing::run_workload(s, 160);
            auto both = [&](const store::Point& at) {
                std::vector<std::string> pass, per_sku;
                s.for_each_state_at(at, [&](const domain::SkuState& st) { pass.push_back(line(st)); });
                // The base class's answer: replay, SKU by SKU.
                s.store::EventStore::for_each_state_at(at, [&](const domain::SkuState& st) {
                    per_sku.push_back(line(st));
                });
                CHECK(pass == per_sku);
                return pass.size();
            };
            std::size_t rows = 0;
            for (std::int64_t seq = 0; seq <= s.head().seq + 1; seq += 5)
                rows += both(store::Point{std::nullopt, seq, std::nullopt});
            for (domain::Millis t = testing::workload_start - 1; t <= end + 1; t += 1100)
                rows += both(store::Point{std::nullopt, std::nullopt, t});
            rows += both(store::Point{});
            CHECK(rows > 100);
        }
    }

    TEST_CASE("the write path and look-ups into the past start from the nearest snapshot") {
        testing::TempDir dir;
        auto file = testing::open_fast(dir.file("a.db"));
        auto& s = *file;
        store::write_setting(s.connection(), store::snapshot_every_key, "2");
        app::execute(s, app::Request{"A", domain::Create{10, std::nullopt}, "t", {}, {}, {}}, [] { return 1000; });
        for (int i = 0; i < 3; ++i)
            app::execute(s, app::Request{"A", domain::Receive{1}, "t", {}, {}, {}}, [] { return 2000; });
        // Versions 2 and 4 have snapshots. Changing the saved state, and its
        // hash to match, shows which reads use it (a test only: snapshots must
        // never be edited).
        s.connection().exec("UPDATE snapshots SET soh = 500 WHERE version = 4");
        reseal(s, "A", 4);
        CHECK(s.load("A").soh == 500);
        CHECK(app::state_at(s, "A", app::At{4, std::nullopt}).state.soh == 500);
        CHECK(app::state_at(s, "A", app::At{3, std::nullopt}).state.soh == 12);  // from version 2's snapshot

        // The write path evolves from what load gives it.
        auto out = app::execute(s, app::Request{"A", domain::Receive{1}, "t", {}, {}, {}}, [] { return 3000; });
        CHECK(out.state.state.soh == 501);
    }

    TEST_CASE("an edited snapshot is never used: decisions are made on the true state, with one warning") {
        testing::TempDir dir;
        auto file = testing::open_fast(dir.file("a.db"));
        auto& s = *file;
        std::vector<std::string> warnings;
        s.on_warning([&](std::string_view code, const std::string& message) {
            warnings.push_back(std::string(code) + ": " + message);
        });
        store::write_setting(s.connection(), store::snapshot_every_key, "3");
        app::execute(s, app::Request{"A", domain::Create{100, std::nullopt}, "t", {}, {}, {}}, [] { return 1000; });
        app::execute(s, app::Request{"A", domain::Reserve{12}, "t", {}, {}, {}}, [] { return 2000; });
        REQUIRE(count_snapshots(s) == 1);  // at version 3: soh 100, available 88, reserved 12
        // Quantities that keep the invariant, so that only the hash gives the edit away.
        s.connection().exec("UPDATE snapshots SET soh = 10000, available_quantity = 9988 WHERE version = 3");

        CHECK(s.load("A") == domain::State{100, 88, 12, 3});
        CHECK(app::state_at(s, "A", app::At{3, std::nullopt}).state.soh == 100);
        CHECK(app::state_at(s, "A", app::At{std::nullopt, 5000}).state.available_quantity == 88);
        try {
            app::execute(s, app::Request{"A", domain::Reserve{5000}, "t", {}, {}, {}}, [] { return 3000; });
            FAIL("reserve 5000 with 88 available was accepted");
        } catch (const domain::Failure& f) {
            CHECK(f.code() == "insufficient_available");
            CHECK(std::string(f.what()).find("only 88 available") != std::string::npos);
        }
        CHECK(s.head().seq == 3);
        REQUIRE(warnings.size() == 1);  // once, however many reads met the snapshot
        CHECK(warnings[0].find("untrusted_snapshot: the snapshot of A at version 3 does not match the log") == 0);
        auto report = app::verify(s, {});
        REQUIRE(report.problems.size() == 1);
        CHECK(report.problems[0].code == "snapshot_mismatch");
        CHECK(report.problems[0].seq == 3);

        // Even a snapshot given a matching hash is checked against the
        // invariant before anything is decided on it.
        s.connection().exec("UPDATE snapshots SET soh = 100, available_quantity = 5000 WHERE version = 3");
        reseal(s, "A", 3);
        try {
            app::execute(s, app::Request{"A", domain::Reserve{5000}, "t", {}, {}, {}}, [] { return 3000; });
            FAIL("a command was decided on an impossible state");
        } catch (const domain::Failure& f) {
            CHECK(f.kind() == domain::ErrorKind::integrity);
            CHECK(f.code() == "impossible_state");
        }
        CHECK(s.head().seq == 3);
    }

    TEST_CASE("a snapshot left behind by a changed or shortened log is not used") {
        testing::TempDir dir;
        auto file = testing::open_fast(dir.file("a.db"));
        auto& s = *file;
        int warnings = 0;
        s.on_warning([&](std::string_view, const std::string&) { ++warnings; });
        store::write_setting(s.connection(), store::snapshot_every_key, "2");
        app::execute(s, app::Request{"A", domain::Create{10, std::nullopt}, "t", {}, {}, {}}, [] { return 1000; });
        for (int i = 0; i < 3; ++i)
            app::execute(s, app::Request{"A", domain::Receive{1}, "t", {}, {}, {}}, [] { return 2000; });
        // The events of versions 3 and 4 go; the snapshot at 4 stays, and
        // names an event that is not there.
        s.connection().exec("DROP TRIGGER events_no_delete; DELETE FROM events WHERE version > 2");
        CHECK(s.load("A") == domain::State{11, 11, 0, 2});
        CHECK(warnings == 1);
        s.load("A");
        CHECK(warnings == 1);

        // Version 2's event rewritten with another hash: the snapshot at 2
        // no longer matches either (a new store warns anew).
        s.connection().exec(
            "DELETE FROM snapshots WHERE version = 4; DROP TRIGGER events_no_update; "
            "UPDATE events SET hash = randomblob(32) WHERE version = 2");
        store::SqliteStore again({dir.file("a.db"), store::OpenMode::read});
        int again_warnings = 0;
        again.on_warning([&](std::string_view, const std::string&) { ++again_warnings; });
        CHECK(again.replay("A", store::Point{}).state == domain::State{11, 11, 0, 2});
        CHECK(again_warnings == 1);
    }

    TEST_CASE("a snapshot is written in the transaction of its append and rolls back with it") {
        testing::TempDir dir;
        auto file = testing::open_fast(dir.file("a.db"));
        auto& s = *file;
        store::write_setting(s.connection(), store::snapshot_every_key, "1");
        {
            store::EventStore::Transaction tx(s, true);
            app::execute_in_transaction(s, app::Request{"A", domain::Create{10, std::nullopt}, "t", {}, {}, {}}, 1000);
            CHECK(count_snapshots(s) == 1);
        }  // not committed
        CHECK(count_snapshots(s) == 0);
        CHECK(s.head().seq == 0);
    }

    TEST_CASE("a snapshot interval stored as garbage is an integrity failure naming the fix") {
        testing::TempDir dir;
        auto file = testing::open_fast(dir.file("a.db"));
        auto& s = *file;
        store::write_setting(s.connection(), store::snapshot_every_key, "ten");
        try {
            s.snapshot_every();
            FAIL("expected a failure");
        } catch (const domain::Failure& f) {
            CHECK(f.kind() == domain::ErrorKind::integrity);
            CHECK(std::string(f.what()).find("invlog config set snapshot-every") != std::string::npos);
        }
        CHECK(store::delete_setting(s.connection(), store::snapshot_every_key));
        CHECK_FALSE(store::delete_setting(s.connection(), store::snapshot_every_key));
        CHECK(s.snapshot_every() == 100);
    }
}
