// The decider and evolve, as given(events) / when(command) / then(events or
// rejection). No files, no clock.
#include <doctest/doctest.h>

#include "invlog/domain/commands.hpp"

using namespace invlog::domain;

namespace {

State given(const std::vector<Event>& events) {
    State s;
    for (const auto& e : events) s = evolve(s, e);
    return s;
}

std::vector<Event> then_events(const State& s, const Command& c) {
    auto r = decide("A", s, c);
    REQUIRE_MESSAGE(std::holds_alternative<Decision>(r), std::get<Rejection>(r).message);
    return std::get<Decision>(r).events;
}

Rejection then_rejected(const State& s, const Command& c) {
    auto r = decide("A", s, c);
    REQUIRE(std::holds_alternative<Rejection>(r));
    return std::get<Rejection>(r);
}

bool same(const std::vector<Event>& a, const std::vector<Event>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (event_type(a[i]) != event_type(b[i]) || event_fields(a[i]) != event_fields(b[i])) return false;
    return true;
}

const std::vector<Event> created_10 = {InventoryCreated{10, 10, 0}};
const std::vector<Event> reserved_3 = {InventoryCreated{10, 10, 0}, StockReserved{3}, AvailableQuantityDecreased{-3}};

}  // namespace

TEST_SUITE("unit.domain") {
    TEST_CASE("create") {
        CHECK(same(then_events(given({}), Create{10, std::nullopt}), {InventoryCreated{10, 10, 0}}));
        CHECK(same(then_events(given({}), Create{10, 4}), {InventoryCreated{10, 4, 0}}));
        CHECK(same(then_events(given({}), Create{0, std::nullopt}), {InventoryCreated{0, 0, 0}}));
        auto r = then_rejected(given({}), Create{5, 6});
        CHECK(r.code == "available_exceeds_soh");
        CHECK(r.message == "cannot create A: available 6 exceeds soh 5");
        auto dup = then_rejected(given(created_10), Create{1, std::nullopt});
        CHECK(dup.code == "already_exists");
        CHECK(dup.kind == ErrorKind::rejected);
    }

    TEST_CASE("commands on a missing SKU are not_found") {
        for (Command c : std::vector<Command>{SetSoh{1, std::nullopt}, SetAvailable{1}, Reserve{1}, Complete{1},
                                              Release{1}, Receive{1}, Adjust{1}}) {
            auto r = then_rejected(given({}), c);
            CHECK(r.kind == ErrorKind::not_found);
            CHECK(r.message == "SKU A does not exist");
        }
    }

    TEST_CASE("reserve") {
        CHECK(same(then_events(given(created_10), Reserve{10}), {StockReserved{10}, AvailableQuantityDecreased{-10}}));
        auto r = then_rejected(given(reserved_3), Reserve{8});
        CHECK(r.code == "insufficient_available");
        CHECK(r.message == "cannot reserve 8 of A: only 7 available");
    }

    TEST_CASE("complete") {
        CHECK(same(then_events(given(reserved_3), Complete{3}),
                   {ProcessedReservedDecreased{3}, ProcessedReservedSohDecreased{-3}}));
        auto r = then_rejected(given(reserved_3), Complete{4});
        CHECK(r.code == "insufficient_reserved");
        CHECK(r.message == "cannot complete 4 of A: only 3 reserved");
    }

    TEST_CASE("release") {
        CHECK(same(then_events(given(reserved_3), Release{2}), {ReservationReleased{2}}));
        CHECK(then_rejected(given(reserved_3), Release{4}).code == "insufficient_reserved");
        CHECK(then_rejected(given(created_10), Release{1}).code == "insufficient_reserved");
    }

    TEST_CASE("receive") {
        CHECK(same(then_events(given(reserved_3), Receive{5}), {StockReceived{5}}));
        State huge = given({InventoryCreated{(Qty{1} << 53) - 2, 0, 0}});
        CHECK(then_rejected(huge, Receive{2}).code == "quantity_limit");
        CHECK(same(then_events(huge, Receive{1}), {StockReceived{1}}));
    }

    TEST_CASE("adjust") {
        CHECK(same(then_events(given(reserved_3), Adjust{-7}), {StockAdjusted{-7}}));
        CHECK(same(then_events(given(reserved_3), Adjust{4}), {StockAdjusted{4}}));
        auto r = then_rejected(given(reserved_3), Adjust{-8});
        CHECK(r.code == "invariant_violation");
        CHECK(r.message == "cannot adjust A by -8: only 7 available (soh 10, reserved 3)");
    }

    TEST_CASE("set-soh") {
        CHECK(same(then_events(given(reserved_3), SetSoh{20, std::nullopt}), {SohReplaced{20}}));
        CHECK(same(then_events(given(reserved_3), SetSoh{3, std::nullopt}),
                   {SohReplaced{3}, AvailableQuantityReplaced{0}}));
        auto lowered = std::get<Decision>(decide("A", given(reserved_3), SetSoh{5, std::nullopt}));
        CHECK(same(lowered.events, {SohReplaced{5}, AvailableQuantityReplaced{2}}));
        REQUIRE(lowered.notes.size() == 1);
        CHECK(lowered.notes[0] == "available of A lowered from 7 to 2 (soh 5 - reserved 3)");
        CHECK(same(then_events(given(reserved_3), SetSoh{12, 9}), {SohReplaced{12}, AvailableQuantityReplaced{9}}));
        CHECK(then_rejected(given(reserved_3), SetSoh{12, 10}).code == "available_exceeds_free");
        auto r = then_rejected(given(reserved_3), SetSoh{2, std::nullopt});
        CHECK(r.code == "soh_below_reserved");
        CHECK(r.message == "cannot set soh of A to 2: 3 reserved");
    }

    TEST_CASE("set-available") {
        CHECK(same(then_events(given(reserved_3), SetAvailable{7}), {AvailableQuantityReplaced{7}}));
        CHECK(same(then_events(given(reserved_3), SetAvailable{0}), {AvailableQuantityReplaced{0}}));
        auto r = then_rejected(given(reserved_3), SetAvailable{8});
        CHECK(r.code == "available_exceeds_free");
        CHECK(r.message == "cannot set available of A to 8: soh 10 - reserved 3 leaves 7");
    }

    TEST_CASE("evolve applies every event type") {
        State s = given(reserved_3);
        CHECK(s == State{10, 7, 3, 3});
        CHECK(evolve(s, SohReplaced{12}) == State{12, 7, 3, 4});
        CHECK(evolve(s, AvailableQuantityReplaced{1}) == State{10, 1, 3, 4});
        CHECK(evolve(s, StockReserved{2}) == State{10, 7, 5, 4});
        CHECK(evolve(s, AvailableQuantityDecreased{-2}) == State{10, 5, 3, 4});
        CHECK(evolve(s, ProcessedReservedDecreased{1}) == State{10, 7, 2, 4});
        CHECK(evolve(s, ProcessedReservedSohDecreased{-1}) == State{9, 7, 3, 4});
        CHECK(evolve(s, ReservationReleased{3}) == State{10, 10, 0, 4});
        CHECK(evolve(s, StockReceived{5}) == State{15, 12, 3, 4});
        CHECK(evolve(s, StockAdjusted{-4}) == State{6, 3, 3, 4});
        CHECK(evolve(State{}, InventoryCreated{4, 2, 0}) == State{4, 2, 0, 1});
    }

    TEST_CASE("evolve never validates: a broken history replays") {
        State s = given({InventoryCreated{1, 1, 0}, StockReserved{5}, AvailableQuantityDecreased{-5}});
        CHECK(s == State{1, -4, 5, 3});
        CHECK(invariant_problem(s).has_value());
        CHECK_FALSE(invariant_problem(given(reserved_3)).has_value());
    }

    TEST_CASE("every decided command keeps the invariant") {
        const std::vector<Command> commands = {Reserve{2},      Complete{1}, Release{1},
                                               Receive{4},      Adjust{-3},  SetSoh{6, std::nullopt},
                                               SetAvailable{1}, Adjust{2},   Reserve{1}};
        State s = given(created_10);
        for (const auto& c : commands) {
            auto r = decide("A", s, c);
            if (auto* d = std::get_if<Decision>(&r))
                for (const auto& e : d->events) s = evolve(s, e);
            CHECK_FALSE(invariant_problem(s).has_value());
        }
    }

    TEST_CASE("event names and fields round-trip through make_event") {
        const std::vector<Event> all = {InventoryCreated{1, 1, 0},
                                        SohReplaced{2},
                                        AvailableQuantityReplaced{3},
                                        StockReserved{4},
                                        AvailableQuantityDecreased{-4},
                                        ProcessedReservedDecreased{5},
                                        ProcessedReservedSohDecreased{-5},
                                        ReservationReleased{6},
                                        StockReceived{7},
                                        StockAdjusted{-8}};
        CHECK(all.size() == event_types().size());
        for (std::size_t i = 0; i < all.size(); ++i) {
            CHECK(event_type(all[i]) == event_types()[i]);
            auto back = make_event(event_type(all[i]), event_fields(all[i]));
            REQUIRE(back.has_value());
            CHECK(same({*back}, {all[i]}));
        }
        CHECK_FALSE(make_event("NOPE", {}).has_value());
        CHECK_FALSE(make_event("STOCK_RESERVED", {{"quantity", 1}}).has_value());
    }

    TEST_CASE("fingerprints tell commands apart") {
        CHECK(fingerprint("A", Reserve{3}) == "reserve A 3");
        CHECK(fingerprint("A", Reserve{3}) != fingerprint("A", Release{3}));
        CHECK(fingerprint("A", Reserve{3}) != fingerprint("B", Reserve{3}));
        CHECK(fingerprint("A", Create{3, 2}) != fingerprint("A", Create{3, 3}));
        // set-soh without --available may lower available; with it, it sets it.
        CHECK(fingerprint("A", SetSoh{3, std::nullopt}) != fingerprint("A", SetSoh{3, 3}));
    }

    TEST_CASE("fingerprints are semantic: commands that mean the same have the same one") {
        // create's available defaults to soh.
        CHECK(fingerprint("A", Create{5, std::nullopt}) == "create A 5 5");
        CHECK(fingerprint("A", Create{5, std::nullopt}) == fingerprint("A", Create{5, 5}));
        CHECK(fingerprint("A", SetSoh{40, std::nullopt}) == "set-soh A 40 -");
        CHECK(fingerprint("A", Adjust{-2}) == "adjust A -2");
    }

    TEST_CASE("fingerprints read back into their command, in every form invlog wrote") {
        const std::vector<std::pair<std::string, Command>> all = {
            {"A", Create{5, 3}},     {"B.1", SetSoh{40, std::nullopt}},
            {"C:2", SetSoh{40, 30}}, {"D/3", SetAvailable{0}},
            {"E_4", Reserve{7}},     {"F-5", Complete{1}},
            {"G", Release{2}},       {"H", Receive{1'000'000'000'000}},
            {"I", Adjust{-9}},
        };
        for (const auto& [sku, command] : all) {
            const std::string fp = fingerprint(sku, command);
            CAPTURE(fp);
            auto parsed = parse_fingerprint(fp);
            REQUIRE(parsed);
            CHECK(parsed->sku == sku);
            CHECK(fingerprint(parsed->sku, parsed->command) == fp);
            CHECK(same_command(fp, fp));
        }
        // Before normalisation, create without --available was written with "-".
        auto old = parse_fingerprint("create A 5 -");
        REQUIRE(old);
        CHECK(fingerprint(old->sku, old->command) == "create A 5 5");
        CHECK(same_command("create A 5 -", fingerprint("A", Create{5, std::nullopt})));
        CHECK(same_command("create A 5 -", fingerprint("A", Create{5, 5})));
        CHECK_FALSE(same_command("create A 5 -", fingerprint("A", Create{5, 4})));
        CHECK_FALSE(same_command("reserve A 3", fingerprint("A", Release{3})));
        for (const char* bad : {"",
                                "reserve",
                                "reserve A",
                                "reserve A 3 4",
                                "reserve A 0",
                                "reserve A -3",
                                "reserve A +3",
                                "reserve A 03",
                                "reserve A 1e3",
                                "reserve A 3 ",
                                " reserve A 3",
                                "reserve  A 3",
                                "reserve A\n 3",
                                "reserve A B 3",
                                "reserve a$ 3",
                                "create A 5",
                                "create A - 5",
                                "set-soh A 4 -5",
                                "adjust A 0",
                                "adjust A -0",
                                "adjust A -9223372036854775808",
                                "receive A 9223372036854775807",
                                "receive A 99999999999999999999",
                                "remove A 3",
                                "RESERVE A 3"}) {
            CAPTURE(bad);
            CHECK_FALSE(parse_fingerprint(bad));
            CHECK_FALSE(same_command(bad, "reserve A 3"));
        }
    }
}
