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

// The normalised text of a command, used to tell whether an idempotency key
// is reused for the same command or another one, and by verify to decide the
// command again and compare with the events it recorded (fingerprint.cpp):
// "NAME SKU ARGS", the subcommand, the SKU and the arguments in decimal,
// "-" for an option not given. Commands that mean the same have the same
// fingerprint: create's available defaults to soh, so `create A --soh 5` and
// `create A --soh 5 --available 5` are both "create A 5 5".
std::string fingerprint(std::string_view sku, const Command& command);

struct ParsedFingerprint {
    std::string sku;
    Command command;
};

// Reads a fingerprint back into its SKU and command, accepting the form of
// every invlog version (before normalisation, create's missing available was
// written "-"); nullopt when the text is not one a command can have (unknown
// name, invalid SKU, quantity out of the input rules).
std::optional<ParsedFingerprint> parse_fingerprint(std::string_view text);

// Whether a stored fingerprint names the same command as `fingerprint`
// (which must be a normalised one): compared after reading it back, so that
// fingerprints stored before normalisation still match.
bool same_command(std::string_view stored, std::string_view fingerprint);

struct Decision {
    std::vector<Event> events;
    std::vector<std::string> notes;  // things the operator should be told
};

using DecideResult = std::variant<Decision, Rejection>;

DecideResult decide(std::string_view sku, const State& state, const Command& command);

}  // namespace invlog::domain
