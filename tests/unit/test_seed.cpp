// The seed-compatible export: the reference entity's replay rules, the
// translation of every event type, ids, created_at and the collection rules.
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "invlog/domain/commands.hpp"
#include "invlog/domain/error.hpp"
#include "invlog/domain/seed.hpp"
#include "invlog/export/destination_use.hpp"
#include "invlog/export/index_check.hpp"
#include "invlog/export/seed.hpp"

namespace ex = invlog::exporter;
using namespace invlog::domain;

namespace {

State state(Qty soh, Qty available, Qty reserved, std::int64_t version = 1) {
    return State{soh, available, reserved, version};
}

// Replays the translation from `before` as a reference reader would: every
// step must pass, and the last must leave invlog's state after the event.
void check_translation(const State& before, const Event& event, bool allow_recreate = false) {
    const auto events = seed_translate(before, event);
    CAPTURE(event_type(event));
    CAPTURE(before.soh);
    CAPTURE(before.available_quantity);
    CAPTURE(before.reserved);
    REQUIRE(!events.empty());
    REQUIRE(events.size() <= 3);
    ReferenceState r = reference_state(before);
    for (const auto& e : events) {
        CAPTURE(event_type(e));
        REQUIRE(is_reference_event(e));
        if (!allow_recreate && !std::holds_alternative<InventoryCreated>(event))
            CHECK_FALSE(std::holds_alternative<InventoryCreated>(e));
        auto next = reference_apply(r, e);
        REQUIRE(next.has_value());
        r = *next;
    }
    CHECK(r == reference_state(evolve(before, event)));
}

}  // namespace

TEST_SUITE("unit.seed") {
    TEST_CASE("the reference entity raises as its source does, even in replay") {
        const ReferenceState s{5, 2, 3, true};
        CHECK_FALSE(reference_apply(s, SohReplaced{3}));  // reserved >= soh
        CHECK(reference_apply(s, SohReplaced{4})->soh == 4);
        CHECK_FALSE(reference_apply(ReferenceState{0, 0, 0, true}, SohReplaced{0}));
        CHECK(reference_apply(s, SohReplaced{-1}) == std::nullopt);                              // reserved 3 >= -1
        CHECK(reference_apply(ReferenceState{5, 2, 0, true}, SohReplaced{-1}) == std::nullopt);  // 0 >= -1
        CHECK_FALSE(reference_apply(s, AvailableQuantityReplaced{6}));                           // soh < a
        CHECK(reference_apply(s, AvailableQuantityReplaced{5})->available_quantity == 5);
        CHECK(reference_apply(s, AvailableQuantityReplaced{-2})->available_quantity == 2);  // ignored
        CHECK_FALSE(reference_apply(s, ProcessedReservedDecreased{4}));
        CHECK(reference_apply(s, ProcessedReservedDecreased{3})->reserved == 0);
        CHECK_FALSE(reference_apply(ReferenceState{0, 0, 0, true}, ProcessedReservedSohDecreased{1}));
        CHECK(reference_apply(s, ProcessedReservedSohDecreased{-5})->soh == 0);
        CHECK_FALSE(reference_apply(ReferenceState{5, 0, 3, true}, AvailableQuantityDecreased{1}));
        CHECK(reference_apply(s, AvailableQuantityDecreased{-2})->available_quantity == 0);
        CHECK_FALSE(reference_apply(s, StockReserved{3}));                              // available < n
        CHECK_FALSE(reference_apply(ReferenceState{0, 0, 0, true}, StockReserved{0}));  // soh <= 0
        CHECK(reference_apply(s, StockReserved{2})->reserved == 5);
        CHECK(reference_apply(ReferenceState{}, InventoryCreated{4, 3, 1}) == ReferenceState{4, 3, 1, true});
        // Outside the catalogue: skipped silently.
        CHECK(reference_apply(s, StockReceived{5}) == s);
        CHECK(reference_apply(s, ReservationReleased{1}) == s);
        CHECK(reference_apply(s, StockAdjusted{-1}) == s);
    }

    TEST_CASE("every event type of every command, from every small state, replays to invlog's state") {
        const std::vector<Command> commands = {
            Create{0, std::nullopt},
            Create{3, 1},
            SetSoh{0, std::nullopt},
            SetSoh{2, std::nullopt},
            SetSoh{3, 0},
            SetSoh{4, 4},
            SetSoh{1, 0},
            SetAvailable{0},
            SetAvailable{2},
            Reserve{1},
            Reserve{3},
            Complete{1},
            Complete{3},
            Release{1},
            Release{3},
            Receive{1},
            Receive{4},
            Adjust{-1},
            Adjust{-3},
            Adjust{2},
        };
        std::set<std::string> seen;
        int checked = 0;
        for (Qty soh = 0; soh <= 4; ++soh)
            for (Qty reserved = 0; reserved <= soh; ++reserved)
                for (Qty available = 0; available + reserved <= soh; ++available)
                    for (bool exists : {false, true})
                        for (const auto& command : commands) {
                            State s = exists ? state(soh, available, reserved) : State{};
                            if (!exists && (soh || reserved || available)) continue;
                            auto result = decide("A", s, command);
                            auto* decision = std::get_if<Decision>(&result);
                            if (!decision) continue;
                            // Each event from the state the previous one left,
                            // the intermediate state of a two-event command too.
                            for (const auto& event : decision->events) {
                                check_translation(s, event);
                                seen.insert(std::string(event_type(event)));
                                s = evolve(s, event);
                                ++checked;
                            }
                        }
        CHECK(checked > 500);
        // Every event type of the catalogue was met.
        for (auto type : event_types()) CHECK_MESSAGE(seen.count(std::string(type)), type);
    }

    TEST_CASE("events outside the catalogue become reference events with the resulting values") {
        // release 2 of (10, 5, 3): PROCESSED_RESERVED_DECREASED + AVAILABLE_QUANTITY_REPLACED.
        CHECK(seed_translate(state(10, 5, 3), ReservationReleased{2}) ==
              std::vector<Event>{ProcessedReservedDecreased{2}, AvailableQuantityReplaced{7}});
        // receive 4 of (10, 5, 3): SOH_REPLACED + AVAILABLE_QUANTITY_REPLACED.
        CHECK(seed_translate(state(10, 5, 3), StockReceived{4}) ==
              std::vector<Event>{SohReplaced{14}, AvailableQuantityReplaced{9}});
        // receive into an empty SKU.
        CHECK(seed_translate(state(0, 0, 0), StockReceived{3}) ==
              std::vector<Event>{SohReplaced{3}, AvailableQuantityReplaced{3}});
        // adjust up, and down.
        CHECK(seed_translate(state(10, 5, 3), StockAdjusted{2}) ==
              std::vector<Event>{SohReplaced{12}, AvailableQuantityReplaced{7}});
        CHECK(seed_translate(state(10, 5, 3), StockAdjusted{-2}) ==
              std::vector<Event>{SohReplaced{8}, AvailableQuantityReplaced{3}});
        // adjust down to 0: SOH_REPLACED 0 would raise (reserved 0 >= 0), so
        // soh moves by its delta form.
        CHECK(seed_translate(state(5, 5, 0), StockAdjusted{-5}) ==
              std::vector<Event>{ProcessedReservedSohDecreased{-5}, AvailableQuantityReplaced{0}});
        // adjust down to soh == reserved.
        CHECK(seed_translate(state(8, 5, 3), StockAdjusted{-5}) ==
              std::vector<Event>{ProcessedReservedSohDecreased{-5}, AvailableQuantityReplaced{0}});
        // release everything reserved, with nothing available before.
        CHECK(seed_translate(state(4, 0, 4), ReservationReleased{4}) ==
              std::vector<Event>{ProcessedReservedDecreased{4}, AvailableQuantityReplaced{4}});
    }

    TEST_CASE("catalogue events stay as they are, unless they would raise") {
        CHECK(seed_translate(State{}, InventoryCreated{0, 0, 0}) == std::vector<Event>{InventoryCreated{0, 0, 0}});
        CHECK(seed_translate(state(5, 5, 0), StockReserved{5}) == std::vector<Event>{StockReserved{5}});
        CHECK(seed_translate(state(5, 5, 5), AvailableQuantityDecreased{-5}) ==
              std::vector<Event>{AvailableQuantityDecreased{-5}});
        CHECK(seed_translate(state(5, 0, 5), ProcessedReservedDecreased{5}) ==
              std::vector<Event>{ProcessedReservedDecreased{5}});
        CHECK(seed_translate(state(5, 0, 0), ProcessedReservedSohDecreased{-5}) ==
              std::vector<Event>{ProcessedReservedSohDecreased{-5}});
        CHECK(seed_translate(state(5, 2, 3), SohReplaced{4}) == std::vector<Event>{SohReplaced{4}});
        CHECK(seed_translate(state(5, 2, 3), AvailableQuantityReplaced{0}) ==
              std::vector<Event>{AvailableQuantityReplaced{0}});
        // set-soh to the reserved quantity: set_soh raises, its delta passes.
        CHECK(seed_translate(state(5, 2, 3), SohReplaced{3}) == std::vector<Event>{ProcessedReservedSohDecreased{-2}});
        // set-soh 0 of a SKU with soh 5 and nothing reserved.
        CHECK(seed_translate(state(5, 5, 0), SohReplaced{0}) == std::vector<Event>{ProcessedReservedSohDecreased{-5}});
        // set-soh 0 of a SKU already at 0: no change, written as a replace of
        // available by itself.
        CHECK(seed_translate(state(0, 0, 0), SohReplaced{0}) == std::vector<Event>{AvailableQuantityReplaced{0}});
        // reserve nothing of nothing (no command does; a stored event could).
        CHECK(seed_translate(state(0, 0, 0), StockReserved{0}) == std::vector<Event>{AvailableQuantityReplaced{0}});
    }

    TEST_CASE("only a state no command reaches needs INVENTORY_CREATED, and it still replays") {
        // A damaged log: a reservation on a SKU without stock. increase_reserved
        // raises on soh 0, and nothing else raises reserved.
        check_translation(state(0, 0, 0), StockReserved{5}, true);
        CHECK(seed_translate(state(0, 0, 0), StockReserved{5}) == std::vector<Event>{InventoryCreated{0, 0, 5}});
        // An event on a SKU that was never created.
        CHECK(seed_translate(State{}, StockReceived{2}) == std::vector<Event>{InventoryCreated{2, 2, 0}});
    }

    TEST_CASE("created_at is the recorded time, pushed past the SKU's previous document") {
        CHECK(ex::next_created_at(std::nullopt, 1000) == 1000);
        CHECK(ex::next_created_at(999, 1000) == 1000);
        CHECK(ex::next_created_at(1000, 1000) == 1001);
        CHECK(ex::next_created_at(1005, 1000) == 1006);
    }

    TEST_CASE("documents: distinct deterministic ids, created_at strictly increasing per SKU only") {
        auto record = [](std::int64_t seq, std::string sku, std::int64_t version, Event event, Millis at) {
            EventRecord r;
            r.seq = seq;
            r.event_id = "id-" + std::to_string(seq);
            r.sku = std::move(sku);
            r.version = version;
            r.event = std::move(event);
            r.recorded_at = at;
            return r;
        };
        // Many events of A, and one of B, in one millisecond.
        const std::vector<EventRecord> log = {
            record(1, "A", 1, InventoryCreated{10, 10, 0}, 5000),
            record(2, "A", 2, StockReserved{3}, 5000),
            record(3, "A", 3, AvailableQuantityDecreased{-3}, 5000),
            record(4, "B", 1, InventoryCreated{1, 1, 0}, 5000),
            record(5, "A", 4, ReservationReleased{2}, 5000),
            record(6, "A", 5, StockReceived{4}, 5001),
            record(7, "A", 6, StockAdjusted{-1}, 5010),
        };
        auto run = [&] {
            std::map<std::string, ex::SeedCursor> cursors;
            std::vector<ex::SeedDocument> out;
            for (const auto& e : log)
                for (auto& d : ex::seed_documents(cursors[e.sku], e)) out.push_back(std::move(d));
            return out;
        };
        const auto docs = run();
        REQUIRE(docs.size() == 10);
        std::set<std::string> ids;
        std::map<std::string, Millis> last;
        for (const auto& d : docs) {
            ids.insert(d.id);
            if (last.count(d.record->sku)) CHECK(d.created_at > last[d.record->sku]);
            CHECK(d.created_at >= d.record->recorded_at);
            last[d.record->sku] = d.created_at;
        }
        CHECK(ids.size() == docs.size());
        CHECK(docs[3].id == "id-4");
        CHECK(docs[3].created_at == 5000);  // B is not pushed by A's burst
        CHECK(docs[4].id == "id-5");
        CHECK(docs[5].id == "id-5:2");
        CHECK(docs[5].part == 2);
        CHECK(docs[5].parts == 2);
        // A: 5000, 5001, 5002, then release at 5003, 5004, receive (recorded
        // 5001) at 5005, 5006, adjust (recorded 5010) back on its own time.
        CHECK(docs[4].created_at == 5003);
        CHECK(docs[7].created_at == 5006);
        CHECK(docs[8].created_at == 5010);
        CHECK(docs[9].created_at == 5011);
        // The same log gives the same documents.
        const auto again = run();
        for (std::size_t i = 0; i < docs.size(); ++i) {
            CHECK(again[i].id == docs[i].id);
            CHECK(again[i].created_at == docs[i].created_at);
            CHECK(again[i].event == docs[i].event);
        }
    }

    TEST_CASE("seed mode's indexes take the part, and a native export's unique index is in its way") {
        CHECK(ex::required_indexes(ex::Compat::native).front().name == "sku_1_version_1");
        const auto& seed = ex::required_indexes(ex::Compat::seed);
        REQUIRE(seed.size() == 2);
        CHECK(ex::show_key(seed[0]) == "{sku: 1, version: 1, part: 1}");
        CHECK(ex::show_key(seed[1]) == "{seq: 1, part: 1}");
        const std::vector<ex::IndexSpec> native_there = {{"seq_1", {{"seq", 1}}, true, false}};
        auto problem = ex::mode_index_conflict(ex::Compat::seed, native_there, "inventory", "inventory");
        REQUIRE(problem);
        CHECK(problem->find("dropIndex(\"seq_1\")") != std::string::npos);
        CHECK_FALSE(ex::mode_index_conflict(ex::Compat::native, native_there, "inventory", "inventory"));
        CHECK_FALSE(ex::mode_index_conflict(ex::Compat::seed, {{"seq_1", {{"seq", 1}}, false, false}}, "i", "i"));
    }

    TEST_CASE("state documents never share a collection with events; one collection, one mode") {
        using invlog::store::ExportPosition;
        const std::string events = "mongodb://h:1/inventory.inventory";
        auto code = [](const ex::DestinationUse& use, const std::vector<ExportPosition>& positions) {
            try {
                ex::check_destination_use(use, positions);
            } catch (const Failure& f) {
                return f.code() + (f.kind() == ErrorKind::usage ? "/2" : f.kind() == ErrorKind::conflict ? "/4" : "");
            }
            return std::string("ok");
        };
        CHECK(code({events, events, ex::Compat::seed, false}, {}) == "shared_collection/2");
        CHECK(code({events, events, ex::Compat::native, false}, {}) == "shared_collection/2");
        CHECK(code({events, "mongodb://h:1/inventory.inventory_state", ex::Compat::seed, false}, {}) == "ok");
        // The state collection holds another export's events.
        const ExportPosition native_events{"mongodb://h:1/inventory.events", 4, 0, std::nullopt, std::nullopt};
        CHECK(code({events, "mongodb://h:1/inventory.events", ex::Compat::seed, false}, {native_events}) ==
              "shared_collection/2");
        // Another mode recorded for the events collection, filtered or not.
        const ExportPosition native_here{events, 4, 0, std::nullopt, std::nullopt};
        const ExportPosition native_sku{events + "?sku=A", 4, 0, std::nullopt, std::nullopt};
        const ExportPosition seed_here{events, 4, 0, std::nullopt, std::string("seed")};
        CHECK(code({events, std::nullopt, ex::Compat::seed, false}, {native_here}) == "export_mode_mismatch/4");
        CHECK(code({events, std::nullopt, ex::Compat::seed, false}, {native_sku}) == "export_mode_mismatch/4");
        CHECK(code({events, std::nullopt, ex::Compat::native, false}, {seed_here}) == "export_mode_mismatch/4");
        CHECK(code({events, std::nullopt, ex::Compat::seed, false}, {seed_here, native_events}) == "ok");
        // --from-start rewrites: the other mode's positions are returned to be forgotten.
        CHECK(ex::check_destination_use({events, std::nullopt, ex::Compat::seed, true}, {native_here, native_sku}) ==
              std::vector<std::string>{events, events + "?sku=A"});
    }
}
