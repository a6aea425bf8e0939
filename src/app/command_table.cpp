// The command table and the rules every adapter shares.
#include "invlog/app/command_table.hpp"

#include <fmt/format.h>

#include "invlog/domain/error.hpp"
#include "invlog/domain/limits.hpp"

namespace invlog::app {
namespace {

using domain::Qty;

constexpr FieldSpec qty_field(std::string_view help) {
    return {"qty", "quantity", "QTY", FieldType::quantity, true, help};
}

Qty need(const std::optional<Qty>& v) { return v.value_or(0); }

}  // namespace

bool valid_value(FieldType type, Qty value) {
    switch (type) {
    case FieldType::quantity: return domain::valid_quantity(value, false);
    case FieldType::stock: return domain::valid_quantity(value, true);
    case FieldType::delta: return domain::valid_delta(value);
    }
    return false;
}

std::string value_rule(FieldType type) {
    switch (type) {
    case FieldType::quantity: return domain::quantity_rule(false);
    case FieldType::stock: return domain::quantity_rule(true);
    case FieldType::delta: return domain::delta_rule();
    }
    return {};
}

const std::vector<CommandSpec>& command_table() {
    static const std::vector<CommandSpec> table = {
        {"create",
         "Create a SKU with its stock on hand",
         {{"soh", "soh", "--soh", FieldType::stock, true, "Stock on hand, 0 to 10^12"},
          {"available", "available_quantity", "--available", FieldType::stock, false,
           "Available quantity, at most the stock on hand (default: the stock on hand)", "M"}},
         false,
         [](const FieldValues& v) -> domain::Command {
             return domain::Create{need(v[0]), v[1]};
         }},
        {"set-soh",
         "Replace the stock on hand (lowers available to fit when needed)",
         {{"soh", "soh", "N", FieldType::stock, true, "The new stock on hand, at least the reserved quantity"},
          {"available", "available_quantity", "--available", FieldType::stock, false,
           "Also replace the available quantity", "M"}},
         false,
         [](const FieldValues& v) -> domain::Command {
             return domain::SetSoh{need(v[0]), v[1]};
         }},
        {"set-available",
         "Replace the available quantity (at most soh - reserved)",
         {{"available", "available_quantity", "N", FieldType::stock, true, "The new available quantity"}},
         false,
         [](const FieldValues& v) -> domain::Command { return domain::SetAvailable{need(v[0])}; }},
        {"reserve",
         "Reserve QTY available units",
         {qty_field("Units to reserve, 1 to 10^12, at most the available quantity")},
         false,
         [](const FieldValues& v) -> domain::Command { return domain::Reserve{need(v[0])}; }},
        {"complete",
         "Ship QTY reserved units (reserved and soh go down)",
         {qty_field("Units to ship, 1 to 10^12, at most the reserved quantity")},
         false,
         [](const FieldValues& v) -> domain::Command { return domain::Complete{need(v[0])}; }},
        {"release",
         "Cancel QTY reserved units (they become available again)",
         {qty_field("Units to release, 1 to 10^12, at most the reserved quantity")},
         false,
         [](const FieldValues& v) -> domain::Command { return domain::Release{need(v[0])}; }},
        {"receive",
         "Receive QTY units (soh and available go up)",
         {qty_field("Units received, 1 to 10^12")},
         false,
         [](const FieldValues& v) -> domain::Command { return domain::Receive{need(v[0])}; }},
        {"adjust",
         "Correct soh and available by DELTA (a count, a loss); needs a reason",
         {{"delta", "quantity", "DELTA", FieldType::delta, true,
           "Signed change, e.g. 5 or -3 (write -- -3 if needed)"}},
         true,
         [](const FieldValues& v) -> domain::Command { return domain::Adjust{need(v[0])}; }},
    };
    return table;
}

const CommandSpec* find_command(std::string_view name) {
    for (const auto& spec : command_table())
        if (spec.name == name) return &spec;
    return nullptr;
}

Request make_request(const CommandSpec& spec, CommandInput input, const Spelling& spell) {
    input.values.resize(spec.fields.size());
    for (std::size_t i = 0; i < spec.fields.size(); ++i)
        if (spec.fields[i].required && !input.values[i])
            throw domain::usage_error("missing_field", fmt::format("{} needs {}", spec.name, spell(&spec.fields[i])));
    if (spec.needs_reason && !input.reason)
        throw domain::usage_error("missing_reason", fmt::format("{} needs {}", spec.name, spell(nullptr)));
    Request request;
    request.sku = std::move(input.sku);
    request.command = spec.build(input.values);
    request.actor = std::move(input.actor);
    request.reason = std::move(input.reason);
    request.expected_version = input.expected_version;
    request.idempotency_key = std::move(input.idempotency_key);
    return request;
}

}  // namespace invlog::app
