// Commands and the decider: given the current state of a SKU, a command either
// yields the events to append or a Rejection. Pure: no clock, no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "invlog/domain/error.hpp"
#include "invlog/domain/events.hpp"
#include "invlog/domain/state.hpp"

namespace invlog::domain {

struct Create {
    Qty soh = 0;
    std::optional<Qty> available;  // defaults to soh
};
struct SetSoh {
    Qty soh = 0;
    std::optional<Qty> available;
};
struct SetAvailable {
    Qty available = 0;
};
struct Reserve {
    Qty qty = 0;
};
struct Complete {
    Qty qty = 0;
};
struct Release {
    Qty qty = 0;
};
struct Receive {
    Qty qty = 0;
};
struct Adjust {
    Qty delta = 0;
};

using Command = std::variant<Create, SetSoh, SetAvailable, Reserve, Complete, Release, Receive, Adjust>;

// The subcommand name of a command ("set-soh").
std::string_view command_name(const Command& command);

// A canonical text of the command and its arguments, used to tell whether an
// idempotency key is reused for the same command or another one.
std::string fingerprint(std::string_view sku, const Command& command);

struct Decision {
    std::vector<Event> events;
    std::vector<std::string> notes;  // things the operator should be told
};

using DecideResult = std::variant<Decision, Rejection>;

DecideResult decide(std::string_view sku, const State& state, const Command& command);

}  // namespace invlog::domain
