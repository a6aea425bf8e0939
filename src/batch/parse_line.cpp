// The apply line parser: the line's fields come from the flat JSON object
// reader (json_fields.hpp), their names and rules from the command table.
#include "invlog/batch/parse_line.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "invlog/app/command_table.hpp"
#include "invlog/batch/json_fields.hpp"
#include "invlog/domain/error.hpp"
#include "invlog/domain/limits.hpp"
#include "invlog/domain/text.hpp"
#include <fmt/format.h>

namespace invlog::batch {

using domain::Failure;
using domain::usage_error;

namespace {

// The fields every line may carry; the command fields that follow them come
// from the command table.
enum Field : std::size_t { cmd, sku, reason, actor, expected_version, idempotency_key, common_count };

// Every field name a line may use: the common ones, then each command
// field of the table once, in the order the table first names it.
const std::vector<std::string_view>& names() {
    static const std::vector<std::string_view> all = [] {
        std::vector<std::string_view> out = {"cmd", "sku", "reason", "actor", "expected_version", "idempotency_key"};
        for (const auto& spec : app::command_table())
            for (const auto& f : spec.fields)
                if (std::find(out.begin(), out.end(), f.key) == out.end()) out.push_back(f.key);
        return out;
    }();
    return all;
}

std::size_t index_of(std::string_view key) {
    return static_cast<std::size_t>(std::find(names().begin(), names().end(), key) - names().begin());
}

class Fields {
public:
    explicit Fields(std::vector<JsonValue>& values) : m_values(values) {}

    bool has(std::size_t f) const { return m_values[f].given(); }

    std::string text(std::size_t f, std::size_t max_length) const {
        const JsonValue& v = m_values[f];
        if (v.kind != JsonKind::string) throw bad(f, "expected a JSON string");
        if (auto problem = domain::text_problem(v.text, max_length)) throw bad(f, *problem);
        return v.text;
    }

    std::string sku_value() const {
        const JsonValue& v = m_values[sku];
        if (v.kind != JsonKind::string || !domain::valid_sku(v.text))
            throw bad(sku, fmt::format("expected a string of {}", domain::sku_rule()));
        return v.text;
    }

    // A command field's value by the rule of its type; nullopt when absent.
    std::optional<domain::Qty> value(const app::FieldSpec& field) const {
        const std::size_t f = index_of(field.key);
        if (!has(f)) return std::nullopt;
        const JsonValue& v = m_values[f];
        if (v.kind != JsonKind::integer || !app::valid_value(field.type, v.integer))
            throw bad(f, expected(v, app::value_rule(field.type)));
        return v.integer;
    }

    std::int64_t version() const {
        const JsonValue& v = m_values[expected_version];
        if (v.kind != JsonKind::integer || v.integer < 0)
            throw bad(expected_version, expected(v, "a whole number from 0 (the SKU must not exist yet)"));
        return v.integer;
    }

private:
    static std::string expected(const JsonValue& v, const std::string& rule) {
        return fmt::format("expected {}{}", rule, v.kind == JsonKind::string ? " as a JSON number, not a string" : "");
    }
    Failure bad(std::size_t f, const std::string& why) const {
        return usage_error("invalid_argument",
                           fmt::format("invalid {} value {}: {}", json_quoted(names()[f]), shown(m_values[f]), why));
    }

    std::vector<JsonValue>& m_values;
};

std::string command_list() {
    std::string out;
    for (const auto& s : app::command_table()) out += (out.empty() ? "" : ", ") + std::string(s.name);
    return out;
}

}  // namespace

app::Request parse_line(std::string_view line, const Defaults& defaults) {
    std::vector<JsonValue> values = read_json_fields(line, names(), R"({"cmd":"reserve",...})");
    Fields fields(values);

    if (!fields.has(cmd)) throw usage_error("missing_field", "missing field \"cmd\"");
    const JsonValue& cmd_value = values[cmd];
    const app::CommandSpec* spec = cmd_value.kind == JsonKind::string ? app::find_command(cmd_value.text) : nullptr;
    if (!spec)
        throw usage_error("unknown_command", fmt::format("unknown \"cmd\" value {} (expected one of {})",
                                                         shown(cmd_value), command_list()));

    auto takes = [&](std::size_t f) {
        if (f < common_count) return true;
        for (const auto& g : spec->fields)
            if (g.key == names()[f]) return true;
        return false;
    };
    for (std::size_t f = 0; f < names().size(); ++f)
        if (fields.has(f) && !takes(f))
            throw usage_error("field_not_applicable",
                              fmt::format("field {} does not apply to {}", json_quoted(names()[f]), spec->name));

    if (!fields.has(sku)) throw usage_error("missing_field", fmt::format("missing field \"sku\" for {}", spec->name));
    app::CommandInput input;
    input.sku = fields.sku_value();
    for (const auto& f : spec->fields) input.values.push_back(fields.value(f));
    input.reason = fields.has(reason) ? std::optional(fields.text(reason, domain::max_reason_length)) : defaults.reason;
    input.actor = fields.has(actor) ? fields.text(actor, domain::max_actor_length) : defaults.actor;
    if (fields.has(expected_version)) input.expected_version = fields.version();
    if (fields.has(idempotency_key)) input.idempotency_key = fields.text(idempotency_key, domain::max_key_length);
    return app::make_request(*spec, std::move(input), [](const app::FieldSpec* f) {
        return f ? json_quoted(f->key) : std::string("a \"reason\" (or --reason for the whole batch)");
    });
}

}  // namespace invlog::batch
