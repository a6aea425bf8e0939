// The apply line parser. It runs nlohmann's SAX parser rather than building a
// DOM: one pass, no allocation per value, and it sees what a DOM hides
// (duplicate keys, the raw text of 3.0).
#include "invlog/batch/parse_line.hpp"

#include <array>
#include <cstdint>
#include <limits>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "invlog/domain/error.hpp"
#include "invlog/domain/limits.hpp"
#include "invlog/domain/text.hpp"

namespace invlog::batch {

using domain::Failure;
using domain::usage_error;
using Json = nlohmann::json;

namespace {

enum Field { cmd, sku, qty, delta, soh, available, reason, actor, expected_version, idempotency_key, field_count };

constexpr std::array<std::string_view, field_count> names = {
    "cmd", "sku", "qty", "delta", "soh", "available", "reason", "actor", "expected_version", "idempotency_key",
};

class Fields;

// A command: the fields it needs and may take (besides cmd, sku, reason,
// actor, expected_version and idempotency_key, which every command takes) and
// how it is built from them.
struct Spec {
    std::string_view name;
    std::vector<Field> required;
    std::vector<Field> optional;
    domain::Command (*make)(const Fields&);
};

const std::vector<Spec>& specs();

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
    std::array<Value, field_count> values;
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
        for (int f = 0; f < field_count; ++f) {
            if (names[f] != k) continue;
            if (values[f].kind != Kind::absent)
                return fail("duplicate_field", fmt::format("field {} appears more than once", json_quoted(k)));
            m_field = static_cast<Field>(f);
            return true;
        }
        return fail("unknown_field",
                    fmt::format("unknown field {} (known fields: {})", json_quoted(k), fmt::join(names, ", ")));
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
    Field m_field = cmd;
};

class Fields {
public:
    explicit Fields(std::array<Value, field_count>& values) : m_values(values) {}

    bool has(Field f) const { return m_values[f].kind != Kind::absent && m_values[f].kind != Kind::null; }

    std::string text(Field f, std::size_t max_length) const {
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

    domain::Qty quantity(Field f, bool allow_zero) const {
        const Value& v = m_values[f];
        if (v.kind != Kind::integer || !domain::valid_quantity(v.integer, allow_zero))
            throw bad(f, expected(v, domain::quantity_rule(allow_zero)));
        return v.integer;
    }

    std::optional<domain::Qty> optional_quantity(Field f) const {
        if (!has(f)) return std::nullopt;
        return quantity(f, true);
    }

    domain::Qty delta_value() const {
        const Value& v = m_values[delta];
        if (v.kind != Kind::integer || !domain::valid_delta(v.integer))
            throw bad(delta, expected(v, domain::delta_rule()));
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
    Failure bad(Field f, const std::string& why) const {
        return usage_error("invalid_argument",
                           fmt::format("invalid {} value {}: {}", json_quoted(names[f]), shown(m_values[f]), why));
    }

    std::array<Value, field_count>& m_values;
};

template <class C>
domain::Command with_soh(const Fields& f) {
    return C{f.quantity(soh, true), f.optional_quantity(available)};
}
template <class C>
domain::Command with_qty(const Fields& f) {
    return C{f.quantity(qty, false)};
}
domain::Command with_available(const Fields& f) { return domain::SetAvailable{f.quantity(available, true)}; }
domain::Command with_delta(const Fields& f) { return domain::Adjust{f.delta_value()}; }

const std::vector<Spec>& specs() {
    static const std::vector<Spec> table = {
        {"create", {soh}, {available}, with_soh<domain::Create>},
        {"set-soh", {soh}, {available}, with_soh<domain::SetSoh>},
        {"set-available", {available}, {}, with_available},
        {"reserve", {qty}, {}, with_qty<domain::Reserve>},
        {"complete", {qty}, {}, with_qty<domain::Complete>},
        {"release", {qty}, {}, with_qty<domain::Release>},
        {"receive", {qty}, {}, with_qty<domain::Receive>},
        {"adjust", {delta}, {}, with_delta},
    };
    return table;
}

std::string command_list() {
    std::string out;
    for (const auto& s : specs()) out += (out.empty() ? "" : ", ") + std::string(s.name);
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
    const Spec* spec = nullptr;
    for (const auto& s : specs())
        if (cmd_value.kind == Kind::string && s.name == cmd_value.text) spec = &s;
    if (!spec)
        throw usage_error("unknown_command", fmt::format("unknown \"cmd\" value {} (expected one of {})",
                                                         shown(cmd_value), command_list()));

    auto takes = [&](Field f) {
        if (f == cmd || f == sku || f == reason || f == actor || f == expected_version || f == idempotency_key)
            return true;
        for (Field g : spec->required)
            if (g == f) return true;
        for (Field g : spec->optional)
            if (g == f) return true;
        return false;
    };
    for (int f = 0; f < field_count; ++f)
        if (fields.has(static_cast<Field>(f)) && !takes(static_cast<Field>(f)))
            throw usage_error("field_not_applicable",
                              fmt::format("field {} does not apply to {}", json_quoted(names[f]), spec->name));

    app::Request request;
    if (!fields.has(sku)) throw usage_error("missing_field", fmt::format("missing field \"sku\" for {}", spec->name));
    request.sku = fields.sku_value();
    for (Field f : spec->required)
        if (!fields.has(f))
            throw usage_error("missing_field",
                              fmt::format("missing field {} for {}", json_quoted(names[f]), spec->name));

    request.command = spec->make(fields);

    request.reason =
        fields.has(reason) ? std::optional(fields.text(reason, domain::max_reason_length)) : defaults.reason;
    request.actor = fields.has(actor) ? fields.text(actor, domain::max_actor_length) : defaults.actor;
    if (fields.has(expected_version)) request.expected_version = fields.version();
    if (fields.has(idempotency_key)) request.idempotency_key = fields.text(idempotency_key, domain::max_key_length);
    if (std::holds_alternative<domain::Adjust>(request.command) && !request.reason)
        throw usage_error("missing_reason", "adjust needs a \"reason\" (or --reason for the whole batch)");
    return request;
}

}  // namespace invlog::batch
