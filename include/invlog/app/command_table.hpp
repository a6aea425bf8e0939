// The one command table: every write command's name, summary, fields and
// rules, written once. The CLI subcommands, the apply lines, the HTTP routes
// and the OpenAPI document are all generated from it, so that a new command
// is one row and a field means the same everywhere.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "invlog/app/service.hpp"
#include "invlog/domain/commands.hpp"

namespace invlog::app {

// What values a field takes.
enum class FieldType {
    quantity,  // 1 to 10^12
    stock,     // 0 to 10^12 (a stock on hand or an available quantity)
    delta,     // non-zero, from -10^12 to 10^12
};

bool valid_value(FieldType type, domain::Qty value);
// Completes "expected ...": "a whole number from 1 to 1000000000000".
std::string value_rule(FieldType type);

struct FieldSpec {
    std::string_view key;      // in apply lines: "qty", "soh", "available", "delta"
    std::string_view api_key;  // in HTTP bodies: "quantity", "soh", "available_quantity"
    std::string_view cli;      // on the command line: "QTY" (a positional) or "--soh"
    FieldType type;
    bool required;
    std::string_view help;
    std::string_view value_name = "N";  // how an option's value is labelled in help

    bool positional() const { return !cli.starts_with("-"); }
};

// One value per field of the command, in the order of CommandSpec::fields;
// nullopt where the field was not given.
using FieldValues = std::vector<std::optional<domain::Qty>>;

struct CommandSpec {
    std::string_view name;  // "set-soh"
    std::string_view summary;
    std::vector<FieldSpec> fields;
    bool needs_reason = false;
    // Builds the domain command from valid values (required ones present).
    domain::Command (*build)(const FieldValues& values);
};

// Every write command, in the order help lists them.
const std::vector<CommandSpec>& command_table();

// The command of that name, or nullptr.
const CommandSpec* find_command(std::string_view name);

// What an adapter collected for one command: the values of its fields
// (syntax and range already checked with valid_value) and the options every
// write takes.
struct CommandInput {
    std::string sku;
    FieldValues values;
    std::string actor;
    std::optional<std::string> reason;
    std::optional<std::int64_t> expected_version;
    std::optional<std::string> idempotency_key;
};

// How an adapter names a field in its messages: "--soh", "\"soh\"", "QTY".
// Called with nullptr for the reason.
using Spelling = std::function<std::string(const FieldSpec* field)>;

// Applies the rules every adapter shares (required fields, the reason an
// adjustment needs) and builds the request. Throws a usage Failure
// (missing_field, missing_reason) whose message names the field as the
// adapter spells it.
Request make_request(const CommandSpec& spec, CommandInput input, const Spelling& spell);

}  // namespace invlog::app
