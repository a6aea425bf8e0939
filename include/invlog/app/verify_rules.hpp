// Parts of verify (verify.hpp) that stand on their own: the check of an
// idempotency entry against the command it names, the rules on event ids and
// the clock, and the checks of the settings and of storage types outside the
// events table. verify.cpp calls them; tests may too.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "invlog/app/verify.hpp"
#include "invlog/domain/state.hpp"
#include "invlog/store/event_store.hpp"
#include "invlog/util/crypto.hpp"

namespace invlog::app {

// Decides the command an idempotency entry's fingerprint names again, on the
// state before the command's first event (seq), and requires exactly the
// events the log recorded for it: fingerprint_invalid when the fingerprint is
// not a command, fingerprint_mismatch when it names another SKU or the
// decider refuses it or decides other events. nullopt when it holds (or
// cannot be judged: the state before is impossible, which verify reports as
// invariant_broken).
std::optional<Problem> check_fingerprint(const std::string& key, const store::IdempotencyEntry& entry,
                                         const std::string& sku, std::int64_t seq, const domain::State& before,
                                         const std::vector<domain::Event>& recorded);

// Event ids and the clock, event by event in seq order.
//
// From the first seq written under format 2 (ids_from), every event id must
// be a version 7 UUID whose time is the event's recorded_at
// (event_id_time) and sort after the id of the event before it
// (event_id_order). Earlier events (files upgraded from format 1) had ids
// from the unclamped clock and a per-process counter, and are not held to
// this.
//
// A command whose command id (a version 7 UUID of the clock as read for the
// command) is earlier than its recorded_at was written while the clock was
// behind the log's last time: recorded_at was held at that time. Runs of such
// commands are reported as clock_behind notices, which do not fail
// verification. Commands sharing a millisecond are not such a run: their
// clock reading equals their recorded_at.
class IdRules {
public:
    explicit IdRules(std::optional<std::int64_t> ids_from) : m_ids_from(ids_from) {}

    // command_start: the event is the first of its command.
    void event(const store::RawEvent& e, bool command_start, std::vector<Problem>& problems,
               std::vector<Problem>& notices);
    void finish(std::vector<Problem>& notices);

private:
    struct Stretch {
        std::int64_t first_seq = 0;
        std::int64_t last_seq = 0;
        std::string sku;  // empty when the run spans several SKUs
        std::int64_t commands = 0;
        domain::Millis first_at = 0;
        domain::Millis last_at = 0;
        domain::Millis max_lag = 0;
    };
    void close(std::vector<Problem>& notices);

    std::optional<std::int64_t> m_ids_from;
    std::optional<util::Uuid> m_prev_id;
    std::int64_t m_prev_seq = 0;
    std::optional<Stretch> m_stretch;
    bool m_in_clamped_command = false;
};

// Settings that no invlog knows (unknown_setting) or whose value every write
// would refuse (invalid_setting).
void check_settings(store::EventStore& store, std::vector<Problem>& problems);

// Rows outside the events table holding a value of the wrong storage type
// (wrong_type).
void check_table_types(store::EventStore& store, std::vector<Problem>& problems);

}  // namespace invlog::app
