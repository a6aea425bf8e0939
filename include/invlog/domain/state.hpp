// The per-SKU aggregate and how events evolve it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "invlog/domain/events.hpp"

namespace invlog::domain {

struct State {
    Qty soh = 0;
    Qty available_quantity = 0;
    Qty reserved = 0;
    std::int64_t version = 0;  // number of events applied; 0: the SKU does not exist

    bool exists() const { return version > 0; }
    bool operator==(const State&) const = default;
};

// Applies one recorded event. Never validates and never fails: history is what
// it is. Arithmetic wraps instead of overflowing so that replay of a tampered
// log stays defined; verify reports such states through invariant_problem().
State evolve(State state, const Event& event);

// Describes how a state breaks the invariant (reserved >= 0, available >= 0,
// available + reserved <= soh), or nullopt when it holds.
std::optional<std::string> invariant_problem(const State& state);

}  // namespace invlog::domain
