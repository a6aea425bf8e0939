// The apply line parser. It runs nlohmann's SAX parser rather than building a
// DOM: one pass, no allocation per value, and it sees what a DOM hides
// (duplicate keys, the raw text of 3.0).
#include "invlog/batch/parse_line.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "invlog/app/command_table.hpp"
#include "invlog/domain/error.hpp"
#include "invlog/domain/limits.hpp"
#include "invlog/domain/text.hpp"

namespace invlog::batch {

using domain::Failure;
using domain::usage_error;
using Json = nlohmann::json;

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

enum class Kind { absent, null, integer, too_large, string, other };

struct Value {
    Kind kind = Kind::absent;
    std::int64_t integer = 0;
    std::string text;  // the string, or how to show a value of another kind
};

std::string json_quoted(std::string_view key) { return fmt::format("\"{}\"", domain::shown(key)); }

// Shows a value in a message: a string in quotes, anything else as written;
// cut and escaped as every echoed value is.
std::string shown(const Value& v) {
    return v.kind == Kind::string ? json_quoted(v.text) : domain::shown(v.text);
}

// Collects the top-level fields; refuses unknown and repeated keys on sight.
class Collector : public nlohmann::json_sax<Json> {
public:
    std::vector<Value> values = std::vector<Value>(names().size());
    std::optional<Failure> error;

    bool null() override { return scalar(Kind::null, 0, "null"); }
    bool boolean(bool b) override { return scalar(Kind::other, 0, b ? "true" : "false"); }
    bool number_integer(number_integer_t n) override { return scalar(Kind::integer, n, std::to_string(n)); }
    bool number_unsigned(number_unsigned_t n) override {
        if (n > static_cast<number_unsigned_t>(std::numeric_limits<std::int64_t>::max()))
            return scalar(Kind::too_large, 0, std::to_string(n));
        return scalar(Kind::integer, static_cast<std::int64_t>(n), std::to_string(n));
    }
    bool number_float(number_float_t, const string_t& raw) override { return scalar(Kind::other, 0, raw); }
    bool string(string_t& s) override {
        if (m_depth == 0) return not_object();
        if (m_depth == 1) {
            Value& v = values[m_field];
            v.kind = Kind::string;
            v.text = std::move(s);
        }
        return true;
    }
    bool binary(binary_t&) override { return scalar(Kind::other, 0, "binary"); }
    bool start_object(std::size_t) override { return open("{...}"); }
    bool start_array(std::size_t) override {
        if (m_depth == 0) return not_object();
        return open("[...]");
    }
    bool end_object() override { return close(); }
    bool end_array() override { return close(); }
    bool key(string_t& k) override {
        if (m_depth != 1) return true;
        const std::size_t f = index_of(k);
        if (f == names().size())
            return fail("unknown_field",
                        fmt::format("unknown field {} (known fields: {})", json_quoted(k), fmt::join(names(), ", ")));
        if (values[f].kind != Kind::absent)
            return fail("duplicate_field", fmt::format("field {} appears more than once", json_quoted(k)));
        m_field = f;
        return true;
    }
    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) override {
        // "[json.exception.parse_error.101] parse error at line 1, column 8: syntax error ..." -> "syntax error ..."
        std::string detail = ex.what();
        if (auto p = detail.find("] "); p != std::string::npos) detail.erase(0, p + 2);
        if (auto p = detail.find("column "); p != std::string::npos && detail.find(": ", p) != std::string::npos)
            detail.erase(0, detail.find(": ", p) + 2);
        // The detail quotes the token read last, which is the user's text.
        return fail("invalid_json", fmt::format("invalid JSON at byte {}: {}", position, domain::shown(detail, 160)));
    }

private:
    bool scalar(Kind kind, std::int64_t n, std::string text) {
        if (m_depth == 0) return not_object();
        if (m_depth == 1) values[m_field] = Value{kind, n, std::move(text)};
        return true;
    }
    bool open(const char* shown_as) {
        if (m_depth == 1) values[m_field] = Value{Kind::other, 0, shown_as};
        ++m_depth;
        return true;
    }
    bool close() {
        --m_depth;
        return true;
    }
    bool not_object() { return fail("not_an_object", "expected a JSON object such as {\"cmd\":\"reserve\",...}"); }
    bool fail(const char* code, std::string message) {
        if (!error) error.emplace(usage_error(code, message));
        return false;
    }

    int m_depth = 0;
    std::size_t m_field = cmd;
};

class Fields {
public:
    explicit Fields(std::vector<Value>& values) : m_values(values) {}

    bool has(std::size_t f) const { return m_values[f].kind != Kind::absent && m_values[f].kind != Kind::null; }

    std::string text(std::size_t f, std::size_t max_length) const {
        const Value& v = m_values[f];
        if (v.kind != Kind::string) throw bad(f, "expected a JSON string");
        if (auto problem = domain::text_problem(v.text, max_length)) throw bad(f, *problem);
        return v.text;
    }

    std::string sku_value() const {
        const Value& v = m_values[sku];
        if (v.kind != Kind::string || !domain::valid_sku(v.text))
            throw bad(sku, fmt::format("expected a string of {}", domain::sku_rule()));
        return v.text;
    }

    // A command field's value by the rule of its type; nullopt when absent.
    std::optional<domain::Qty> value(const app::FieldSpec& field) const {
        const std::size_t f = index_of(field.key);
        if (!has(f)) return std::nullopt;
        const Value& v = m_values[f];
        if (v.kind != Kind::integer || !app::valid_value(field.type, v.integer))
            throw bad(f, expected(v, app::value_rule(field.type)));
        return v.integer;
    }

    std::int64_t version() const {
        const Value& v = m_values[expected_version];
        if (v.kind != Kind::integer || v.integer < 0)
            throw bad(expected_version, expected(v, "a whole number from 0 (the SKU must not exist yet)"));
        return v.integer;
    }

private:
    static std::string expected(const Value& v, const std::string& rule) {
        return fmt::format("expected {}{}", rule, v.kind == Kind::string ? " as a JSON number, not a string" : "");
    }
    Failure bad(std::size_t f, const std::string& why) const {
        return usage_error("invalid_argument",
                           fmt::format("invalid {} value {}: {}", json_quoted(names()[f]), shown(m_values[f]), why));
    }

    std::vector<Value>& m_values;
};

std::string command_list() {
    std::string out;
    for (const auto& s : app::command_table()) out += (out.empty() ? "" : ", ") + std::string(s.name);
    return out;
}

}  // namespace

app::Request parse_line(std::string_view line, const Defaults& defaults) {
    // nlohmann's lexer takes a NUL byte for the end of the input and would
    // ignore whatever follows it.
    if (auto nul = line.find('\0'); nul != std::string_view::npos)
        throw usage_error("invalid_json", fmt::format("invalid JSON at byte {}: a NUL byte", nul));
    Collector collector;
    bool parsed = Json::sax_parse(line.begin(), line.end(), &collector, nlohmann::detail::input_format_t::json, true);
    if (collector.error) throw *collector.error;
    if (!parsed) throw usage_error("invalid_json", "invalid JSON");
    Fields fields(collector.values);

    if (!fields.has(cmd)) throw usage_error("missing_field", "missing field \"cmd\"");
    const Value& cmd_value = collector.values[cmd];
    const app::CommandSpec* spec = cmd_value.kind == Kind::string ? app::find_command(cmd_value.text) : nullptr;
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
    input.reason =
        fields.has(reason) ? std::optional(fields.text(reason, domain::max_reason_length)) : defaults.reason;
    input.actor = fields.has(actor) ? fields.text(actor, domain::max_actor_length) : defaults.actor;
    if (fields.has(expected_version)) input.expected_version = fields.version();
    if (fields.has(idempotency_key)) input.idempotency_key = fields.text(idempotency_key, domain::max_key_length);
    return app::make_request(*spec, std::move(input), [](const app::FieldSpec* f) {
        return f ? json_quoted(f->key) : std::string("a \"reason\" (or --reason for the whole batch)");
    });
}

}  // namespace invlog::batch
