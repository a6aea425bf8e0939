// Stored values at the ends of the 64-bit range, as a tampered file can hold
// them: replay, the invariant, the decider, recorded-value checks, times and
// ids must all be defined behaviour for them (the ASan build runs this under
// UBSan, which fails on any signed overflow).
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>

#include "invlog/domain/commands.hpp"
#include "invlog/util/crypto.hpp"
#include "invlog/util/time.hpp"

using namespace invlog;
using namespace invlog::domain;

namespace {

constexpr Qty lo = std::numeric_limits<Qty>::min();
constexpr Qty hi = std::numeric_limits<Qty>::max();

std::vector<Event> every_event(Qty q) {
    return {InventoryCreated{q, q, q},
            SohReplaced{q},
            AvailableQuantityReplaced{q},
            StockReserved{q},
            AvailableQuantityDecreased{q},
            ProcessedReservedDecreased{q},
            ProcessedReservedSohDecreased{q},
            ReservationReleased{q},
            StockReceived{q},
            StockAdjusted{q}};
}

}  // namespace

TEST_SUITE("unit.extremes") {
    TEST_CASE("evolve is defined for every event with INT64_MIN and INT64_MAX, from every extreme state") {
        for (Qty q : {lo, lo + 1, Qty{-1}, Qty{0}, Qty{1}, hi - 1, hi})
            for (Qty start : {lo, Qty{0}, hi})
                for (std::int64_t version : {std::int64_t{0}, hi - 1, hi})
                    for (const auto& e : every_event(q)) {
                        State s{start, start, start, version};
                        State after = evolve(s, e);  // wraps, never overflows
                        CHECK(after.version == static_cast<std::int64_t>(static_cast<std::uint64_t>(version) + 1));
                        (void)invariant_problem(after);
                    }
        // The wrapping is exact: what a reader of the log would compute modulo 2^64.
        CHECK(evolve(State{0, 0, 0, 1}, ProcessedReservedDecreased{lo}).reserved == lo);
        CHECK(evolve(State{0, 0, hi, 1}, StockReserved{1}).reserved == lo);
        CHECK(evolve(State{0, 0, 0, hi}, SohReplaced{1}).version == lo);
    }

    TEST_CASE("invariant_problem names every impossible extreme, and never overflows") {
        CHECK(invariant_problem(State{hi, 0, 0, 1}).has_value());  // beyond 2^53 - 1
        CHECK(invariant_problem(State{max_state_quantity, 0, 0, 1}) == std::nullopt);
        CHECK(invariant_problem(State{lo, 0, 0, 1}).has_value());
        CHECK(invariant_problem(State{0, lo, 0, 1}).has_value());
        CHECK(invariant_problem(State{0, 0, lo, 1}).has_value());
        CHECK(invariant_problem(State{10, hi, 0, 1}).has_value());
        CHECK(invariant_problem(State{10, 0, hi, 1}).has_value());
        CHECK(invariant_problem(State{max_state_quantity, max_state_quantity, max_state_quantity, 1}).has_value());
        CHECK(invariant_problem(State{10, 6, 5, 1}) == "available 6 + reserved 5 exceeds soh 10");
        CHECK(invariant_problem(State{10, 5, 5, 1}) == std::nullopt);
    }

    TEST_CASE("value_problem: quantities beyond 2^53 or with the wrong sign") {
        for (Qty q : {lo, hi, max_state_quantity + 1, -max_state_quantity - 1})
            for (const auto& e : every_event(q)) {
                CAPTURE(event_type(e));
                CHECK(value_problem(e).has_value());
            }
        for (const auto& e : every_event(0)) CHECK(value_problem(e) == std::nullopt);
        CHECK(value_problem(StockReserved{-5}).has_value());
        CHECK(value_problem(AvailableQuantityDecreased{5}).has_value());
        CHECK(value_problem(ProcessedReservedSohDecreased{1}).has_value());
        CHECK(value_problem(ReservationReleased{-1}).has_value());
        CHECK(value_problem(StockAdjusted{-max_state_quantity}) == std::nullopt);
        CHECK(value_problem(AvailableQuantityDecreased{-3}) == std::nullopt);
        CHECK(value_problem(StockReceived{hi}) ==
              "quantity 9223372036854775807 of STOCK_RECEIVED is beyond the limit of 9007199254740991");
    }

    TEST_CASE("the decider refuses to decide on an impossible state, and on negative quantities") {
        const std::vector<Command> commands = {Create{1, std::nullopt},
                                               SetSoh{1, std::nullopt},
                                               SetSoh{1, 1},
                                               SetAvailable{1},
                                               Reserve{1},
                                               Complete{1},
                                               Release{1},
                                               Receive{1},
                                               Adjust{1},
                                               Adjust{-1},
                                               Adjust{lo},
                                               Adjust{hi}};
        for (const State& s : {State{lo, lo, lo, 1}, State{hi, hi, hi, hi}, State{hi, 0, 0, 1}, State{1, 1, lo, 1},
                               State{0, lo, 0, 3}}) {
            for (const auto& c : commands) {
                auto r = decide("A", s, c);
                REQUIRE(std::holds_alternative<Rejection>(r));
                CHECK(std::get<Rejection>(r).code == "impossible_state");
                CHECK(std::get<Rejection>(r).kind == ErrorKind::integrity);
            }
        }
        const State fine{10, 10, 0, 1};
        for (const Command& c : std::vector<Command>{Reserve{lo}, Complete{-1}, Release{lo}, Receive{-5},
                                                     SetAvailable{lo}, SetSoh{lo, std::nullopt}, SetSoh{5, lo}}) {
            auto r = decide("A", fine, c);
            REQUIRE(std::holds_alternative<Rejection>(r));
            CHECK(std::get<Rejection>(r).code == "invalid_argument");
        }
        CHECK(std::get<Rejection>(decide("A", State{}, Create{lo, std::nullopt})).code == "invalid_argument");
        // An adjust by INT64_MIN on a possible state is refused without negating it.
        CHECK(std::get<Rejection>(decide("A", fine, Adjust{lo})).code == "invariant_violation");
        CHECK(std::get<Rejection>(decide("A", fine, Adjust{hi})).code == "quantity_limit");
        CHECK(std::get<Rejection>(decide("A", fine, Receive{hi})).code == "quantity_limit");
    }

    TEST_CASE("times at the ends of the range are formatted without overflow") {
        CHECK(util::format_time(-1) == "1969-12-31T23:59:59.999Z");
        CHECK(util::format_time(-86'400'000) == "1969-12-31T00:00:00.000Z");
        CHECK(util::format_time(-86'400'001) == "1969-12-30T23:59:59.999Z");
        for (std::int64_t ms : {lo, lo + 1, hi, hi - 1}) {
            CAPTURE(ms);
            CHECK_FALSE(util::format_time(ms).empty());
        }
    }

    TEST_CASE("version 7 ids carry their millisecond and count up within it") {
        const std::int64_t ms = 1'780'000'000'123;
        std::string previous;
        std::optional<util::Uuid> last;
        for (int i = 0; i < 2000; ++i) {
            const std::int64_t at = ms + i / 500;  // four milliseconds, 500 ids each
            const std::string id = util::next_uuid_v7(at, previous);
            auto parsed = util::parse_uuid(id);
            REQUIRE(parsed);
            CHECK(util::uuid_v7_ms(*parsed) == at);
            if (last) CHECK(*last < *parsed);
            CHECK(id > previous);  // the text sorts the same way
            last = parsed;
            previous = id;
        }
        // Seeded from the previous id of the same millisecond: exactly one more.
        const std::string a = util::next_uuid_v7(ms, "");
        const std::string b = util::next_uuid_v7(ms, a);
        CHECK(a < b);
        // The 42-bit counter: 12 bits after the version, 30 after the variant.
        auto counter = [](const util::Uuid& u) {
            return std::uint64_t{u[6] & 0x0fu} << 38 | std::uint64_t{u[7]} << 30 | std::uint64_t{u[8] & 0x3fu} << 24 |
                   std::uint64_t{u[9]} << 16 | std::uint64_t{u[10]} << 8 | u[11];
        };
        CHECK(counter(*util::parse_uuid(b)) == counter(*util::parse_uuid(a)) + 1);
        // A previous id of another millisecond (or none, or not a UUID) starts a new count.
        for (const char* other : {"", "not-a-uuid", "00000000-0000-4000-8000-000000000000"})
            CHECK(util::uuid_v7_ms(*util::parse_uuid(util::next_uuid_v7(ms, other))) == ms);
        CHECK(util::uuid_v7_ms(*util::parse_uuid(util::uuid_v7(ms))) == ms);
        CHECK_FALSE(util::uuid_v7_ms(*util::parse_uuid("0acffba0-374f-4e41-80d5-d50086773ddf")));  // version 4
        for (const char* bad : {"", "0acffba0374f4e4180d5d50086773ddf", "0acffba0-374f-4e41-80d5-d50086773ddg",
                                "0acffba0-374f-4e41-80d5-d50086773dd", "0acffba0-374f-4e41-80d5-d50086773ddff"})
            CHECK_FALSE(util::parse_uuid(bad));
        // Negative and far-future times (a tampered recorded_at) are defined too.
        (void)util::next_uuid_v7(lo, "");
        (void)util::next_uuid_v7(hi, util::next_uuid_v7(hi, ""));
    }
}
