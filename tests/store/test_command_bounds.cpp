// Positions inside a command: the store finds where commands end, the read
// queries resolve a seq or a version inside a command to the end of the
// command before it, history leaves the state out on events that do not end
// their command, and a time never falls inside a command. On every backend.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "invlog/app/queries.hpp"
#include "invlog/app/service.hpp"
#include "invlog/store/event_store.hpp"
#include "support/store_fixture.hpp"

using namespace invlog;
using invlog::testing::for_each_backend;
using invlog::testing::StoreFixture;

namespace {

app::Outcome run(store::EventStore& s, const std::string& sku, domain::Command c, domain::Millis now) {
    return app::execute(s, app::Request{sku, c, "tester", std::nullopt, std::nullopt, std::nullopt},
                        [now] { return now; });
}

bool invariant(const domain::State& s) {
    return s.reserved >= 0 && s.available_quantity >= 0 && s.available_quantity + s.reserved <= s.soh;
}

// seq 1 create A | 2-3 reserve A | 4 create B | 5-6 complete A |
// 7-8 set-soh A (lowers available) | 9 receive B
void write_log(store::EventStore& s) {
    run(s, "A", domain::Create{10, std::nullopt}, 1000);
    run(s, "A", domain::Reserve{3}, 2000);
    run(s, "B", domain::Create{5, std::nullopt}, 3000);
    run(s, "A", domain::Complete{1}, 4000);
    run(s, "A", domain::SetSoh{5, std::nullopt}, 5000);
    run(s, "B", domain::Receive{1}, 6000);
}

struct Row {
    std::int64_t seq;
    bool has_state;
};

std::vector<Row> history(store::EventStore& s, app::HistoryQuery q) {
    std::vector<Row> rows;
    app::for_each_history(s, q, [&](const domain::EventRecord& e, const domain::State* after) {
        if (after) CHECK(invariant(*after));
        rows.push_back({e.seq, after != nullptr});
    });
    return rows;
}

std::string shown(const std::vector<Row>& rows) {
    std::string out;
    for (const auto& r : rows) out += std::to_string(r.seq) + (r.has_state ? " " : "- ");
    return out;
}

}  // namespace

TEST_SUITE("store.command_bounds") {
    TEST_CASE("the last complete seq at or before each seq") {
        for_each_backend([](StoreFixture& backend) {
            auto owned = backend.open_empty();
            store::EventStore& s = *owned;
            CHECK(s.last_complete_seq(0) == 0);
            write_log(s);
            const std::vector<std::int64_t> want = {0, 1, 1, 3, 4, 4, 6, 6, 8, 9};
            for (std::int64_t seq = 0; seq <= 9; ++seq) {
                CAPTURE(seq);
                CHECK(s.last_complete_seq(seq) == want[seq]);
                CHECK(app::resolve_seq(s, seq) == want[seq]);
            }
            CHECK(s.last_complete_seq(50) == 50);  // past the head: nothing spans it
            CHECK_THROWS_AS(app::resolve_seq(s, 10), domain::Failure);
        });
    }

    TEST_CASE("the last complete version at or before each version") {
        for_each_backend([](StoreFixture& backend) {
            auto owned = backend.open_empty();
            store::EventStore& s = *owned;
            write_log(s);
            const std::vector<std::int64_t> want_a = {0, 1, 1, 3, 3, 5, 5, 7};
            for (std::int64_t v = 1; v <= 7; ++v) {
                CAPTURE(v);
                CHECK(s.last_complete_version("A", v) == want_a[v]);
                const auto state = app::state_at(s, "A", app::At{app::resolve_version(s, "A", v), std::nullopt});
                CHECK(state.state.version == want_a[v]);
                CHECK(invariant(state.state));
            }
            CHECK(s.last_complete_version("B", 1) == 1);
            CHECK(s.last_complete_version("B", 2) == 2);
            CHECK(s.last_complete_version("A", 99) == 99);  // state_at refuses it
            CHECK(s.last_complete_version("NOPE", 1) == 1);
            // The raw replay still reaches inside a command: the export needs it.
            CHECK_FALSE(invariant(app::state_at(s, "A", app::At{2, std::nullopt}).state));
        });
    }

    TEST_CASE("every SKU at a resolved seq keeps the invariant") {
        for_each_backend([](StoreFixture& backend) {
            auto owned = backend.open_empty();
            store::EventStore& s = *owned;
            write_log(s);
            for (std::int64_t seq = 0; seq <= 9; ++seq) {
                CAPTURE(seq);
                app::for_each_state_at(s, store::Point{std::nullopt, app::resolve_seq(s, seq), std::nullopt},
                                       [](const domain::SkuState& st) { CHECK(invariant(st.state)); });
            }
        });
    }

    TEST_CASE("commands of one transaction and one millisecond stay apart") {
        for_each_backend([](StoreFixture& backend) {
            auto owned = backend.open_empty();
            store::EventStore& s = *owned;
            {
                store::EventStore::Transaction tx(s, true);
                for (domain::Command c :
                     std::vector<domain::Command>{domain::Create{10, std::nullopt}, domain::Reserve{1},
                                                  domain::Reserve{2}, domain::Receive{1}})
                    app::execute_in_transaction(s, app::Request{"A", c, "t", std::nullopt, std::nullopt, std::nullopt},
                                                1000);
                tx.commit();
            }
            // seq 1 create | 2-3 reserve | 4-5 reserve | 6 receive
            const std::vector<std::int64_t> want = {0, 1, 1, 3, 3, 5, 6};
            for (std::int64_t seq = 0; seq <= 6; ++seq) CHECK(s.last_complete_seq(seq) == want[seq]);
        });
    }

    TEST_CASE("history shows the state only after the last event of each command") {
        for_each_backend([](StoreFixture& backend) {
            auto owned = backend.open_empty();
            store::EventStore& s = *owned;
            write_log(s);
            CHECK(shown(history(s, {"A", std::nullopt, std::nullopt})) == "1 2- 3 5- 6 7- 8 ");
            CHECK(shown(history(s, {"B", std::nullopt, std::nullopt})) == "4 9 ");
            // The bounds cut between commands: a command's events share recorded_at.
            CHECK(shown(history(s, {"A", 2000, 4000})) == "2- 3 5- 6 ");
            CHECK(shown(history(s, {"A", std::nullopt, 1999})) == "1 ");
            CHECK(shown(history(s, {"A", 4000, 4000})) == "5- 6 ");
        });
    }

    TEST_CASE("a time never falls inside a command, even when the clock steps back") {
        for_each_backend([](StoreFixture& backend) {
            auto owned = backend.open_empty();
            store::EventStore& s = *owned;
            run(s, "A", domain::Create{10, std::nullopt}, 5000);
            auto reserve = run(s, "A", domain::Reserve{4}, 3000);  // the clock went back
            REQUIRE(reserve.events.size() == 2);
            CHECK(reserve.events[0].recorded_at == reserve.events[1].recorded_at);
            CHECK(reserve.events[0].recorded_at == 5000);
            const auto st = app::state_at(s, "A", app::At{std::nullopt, 5000});
            CHECK(st.state.version == 3);  // the whole reservation, never its first event alone
            CHECK(invariant(st.state));
        });
    }
}
