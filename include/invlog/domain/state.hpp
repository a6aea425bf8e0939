// The per-SKU aggregate and how events evolve it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "invlog/domain/events.hpp"

namespace invlog::domain {

// Quantities of a state stay below 2^53 so that JSON consumers that read
// numbers as doubles (jq, JavaScript) see them exactly; no command takes one
// past it.
inline constexpr Qty max_state_quantity = (Qty{1} << 53) - 1;

struct State {
    Qty soh = 0;
    Qty available_quantity = 0;
    Qty reserved = 0;
    std::int64_t version = 0;  // number of events applied; 0: the SKU does not exist

    bool exists() const { return version > 0; }
    bool operator==(const State&) const = default;
};

// Applies one recorded event. Never validates and never fails: history is what
// it is. Arithmetic wraps (version included) instead of overflowing, so that
// replay of any stored value, however tampered, is defined behaviour; verify
// reports such states through invariant_problem() and such events through
// value_problem().
State evolve(State state, const Event& event);

// Describes how a state is impossible: it breaks the invariant (reserved >= 0,
// available >= 0, available + reserved <= soh) or holds a quantity above
// max_state_quantity, which no command produces. nullopt when it is possible.
std::optional<std::string> invariant_problem(const State& state);

// Describes a recorded value that no command produces: a quantity beyond
// +-max_state_quantity, or with the wrong sign for its field (a reservation
// of -5, an AVAILABLE_QUANTITY_DECREASED of +5). nullopt when it is plausible.
std::optional<std::string> value_problem(const Event& event);

}  // namespace invlog::domain
