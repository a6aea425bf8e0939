// Snapshots are derived data: every answer is the same whatever the
// snapshot interval, and with every snapshot deleted; and the write path and
// look-ups into the past really start from them.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include "invlog/app/queries.hpp"
#include "invlog/app/upkeep.hpp"
#include "invlog/store/settings.hpp"
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
            app::for_each_history(
                s, app::HistoryQuery{sku, since, since + 20000},
                [&](const domain::EventRecord& e, const domain::State* after) {
                    out.push_back(fmt::format("history {} {} {}", e.seq,
                                              after ? line({sku, *after, e.recorded_at}) : "inside a command", since));
                });
    }
    const auto head = s.head().seq;
    for (std::int64_t seq = 0; seq <= head; seq += 3)
        app::for_each_state_at(s, store::Point{std::nullopt, seq, std::nullopt},
                               [&](const domain::SkuState& st) { out.push_back(fmt::format("seq {} {}", seq, line(st))); });
    for (domain::Millis t = testing::workload_start - 1; t <= end; t += 1500)
        app::for_each_state_at(s, store::Point{std::nullopt, std::nullopt, t},
                               [&](const domain::SkuState& st) { out.push_back(fmt::format("time {} {}", t, line(st))); });
    return out;
}

std::int64_t count_snapshots(store::EventStore& s) {
    auto st = s.connection().prepare("SELECT count(*) FROM snapshots");
    return st.step() ? st.int64(0) : -1;
}

}  // namespace

TEST_SUITE("store_snapshots") {
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

    TEST_CASE("the write path and look-ups into the past start from the nearest snapshot") {
        testing::TempDir dir;
        auto file = testing::open_fast(dir.file("a.db"));
        auto& s = *file;
        store::write_setting(s.connection(), store::snapshot_every_key, "2");
        app::execute(s, app::Request{"A", domain::Create{10, std::nullopt}, "t", {}, {}, {}}, [] { return 1000; });
        for (int i = 0; i < 3; ++i)
            app::execute(s, app::Request{"A", domain::Receive{1}, "t", {}, {}, {}}, [] { return 2000; });
        // Versions 2 and 4 have snapshots. Changing the saved state shows
        // which reads use it (a test only: snapshots must never be edited).
        s.connection().exec("UPDATE snapshots SET soh = 500 WHERE version = 4");
        CHECK(s.load("A").soh == 500);
        CHECK(app::state_at(s, "A", app::At{4, std::nullopt}).state.soh == 500);
        CHECK(app::state_at(s, "A", app::At{3, std::nullopt}).state.soh == 12);  // from version 2's snapshot

        // The write path evolves from what load gives it.
        auto out = app::execute(s, app::Request{"A", domain::Receive{1}, "t", {}, {}, {}}, [] { return 3000; });
        CHECK(out.state.state.soh == 501);
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
