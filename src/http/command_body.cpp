// Command bodies (see command_body.hpp). Like the apply line parser, it runs
// nlohmann's SAX parser, which sees what a DOM hides: repeated keys and the
// raw text of 3.0.
#include "invlog/http/command_body.hpp"

#include <limits>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "invlog/domain/error.hpp"
#include "invlog/domain/limits.hpp"

namespace invlog::http {
namespace {

using Json = nlohmann::json;
using domain::usage_error;

enum class Kind { absent, null, integer, too_large, string, other };

struct Value {
    Kind kind = Kind::absent;
    std::int64_t integer = 0;
    std::string text;  // the string, or how to show a value of another kind
};

std::string json_quoted(std::string_view s) {
    return Json(std::string(s)).dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string shown(const Value& v) {
    std::string s = v.kind == Kind::string ? json_quoted(v.text) : v.text;
    if (s.size() > 80) s = s.substr(0, 80) + "...";
    return s;
}

// Collects the top-level fields of an object whose keys are `names`.
class Collector : public nlohmann::json_sax<Json> {
public:
    explicit Collector(std::vector<std::string> keys) : names(std::move(keys)), values(names.size()) {}
    std::vector<std::string> names;
    std::vector<Value> values;
    std::optional<domain::Failure> error;

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
        if (m_depth == 1) values[m_field] = Value{Kind::string, 0, std::move(s)};
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
        for (std::size_t f = 0; f < names.size(); ++f) {
            if (names[f] != k) continue;
            if (values[f].kind != Kind::absent)
                return fail("duplicate_field", fmt::format("field {} appears more than once", json_quoted(k)));
            m_field = f;
            return true;
        }
        return fail("unknown_field",
                    fmt::format("unknown field {} (known fields: {})", json_quoted(k), fmt::join(names, ", ")));
    }
    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) override {
        std::string detail = ex.what();
        if (auto p = detail.find("] "); p != std::string::npos) detail.erase(0, p + 2);
        if (auto p = detail.find("column "); p != std::string::npos && detail.find(": ", p) != std::string::npos)
            detail.erase(0, detail.find(": ", p) + 2);
        return fail("invalid_json", fmt::format("invalid JSON at byte {}: {}", position, detail));
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
    bool not_object() { return fail("not_an_object", "expected a JSON object such as {\"quantity\":3}"); }
    bool fail(const char* code, std::string message) {
        if (!error) error.emplace(usage_error(code, message));
        return false;
    }

    int m_depth = 0;
    std::size_t m_field = 0;
};

domain::Failure bad(std::string_view name, const Value& v, const std::string& why) {
    return usage_error("invalid_argument", fmt::format("invalid {} value {}: {}", json_quoted(name), shown(v), why));
}

std::string text_value(std::string_view name, const Value& v, std::size_t max_length) {
    if (v.kind != Kind::string) throw bad(name, v, "expected a JSON string");
    if (auto problem = domain::text_problem(v.text, max_length)) throw bad(name, v, *problem);
    return v.text;
}

std::string header_text(const Headers& headers, std::string_view name, std::size_t max_length) {
    auto v = find_header(headers, name);
    if (!v) return {};
    if (auto problem = domain::text_problem(*v, max_length))
        throw usage_error("invalid_argument",
                          fmt::format("invalid {} header {}: {}", name, json_quoted(v->substr(0, 80)), *problem));
    return *v;
}

}  // namespace

std::string path_sku(const std::string& sku) {
    if (!domain::valid_sku(sku))
        throw usage_error("invalid_argument",
                          fmt::format("invalid SKU {}: expected {}", json_quoted(sku.substr(0, 80)), domain::sku_rule()));
    return sku;
}

std::optional<std::string> idempotency_key(const Headers& headers) {
    if (!find_header(headers, "Idempotency-Key")) return std::nullopt;
    return header_text(headers, "Idempotency-Key", domain::max_key_length);
}

std::optional<std::int64_t> expected_version(const Headers& headers) {
    auto v = find_header(headers, "If-Match");
    if (!v) return std::nullopt;
    std::string_view s = *v;
    if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
    std::int64_t n = 0;
    bool ok = !s.empty() && s.size() <= 18;
    for (char c : s) {
        ok = ok && c >= '0' && c <= '9';
        if (ok) n = n * 10 + (c - '0');
    }
    if (!ok)
        throw usage_error("invalid_argument",
                          fmt::format("invalid If-Match header {}: expected a version as an ETag, \"3\" (\"0\": the "
                                      "SKU must not exist yet)",
                                      json_quoted(v->substr(0, 80))));
    return n;
}

app::Request parse_command(const app::CommandSpec& spec, const std::string& sku, std::string_view body,
                           const Headers& headers, const CommandDefaults& defaults) {
    std::vector<std::string> names;
    for (const auto& f : spec.fields) names.emplace_back(f.api_key);
    const std::size_t reason = names.size(), actor = names.size() + 1;
    names.emplace_back("reason");
    names.emplace_back("actor");

    Collector collector(names);
    if (body.find_first_not_of(" \t\r\n") != std::string_view::npos) {
        const bool parsed =
            Json::sax_parse(body.begin(), body.end(), &collector, nlohmann::detail::input_format_t::json, true);
        if (collector.error) throw *collector.error;
        if (!parsed) throw usage_error("invalid_json", "invalid JSON");
    }
    auto given = [&](std::size_t i) {
        return collector.values[i].kind != Kind::absent && collector.values[i].kind != Kind::null;
    };

    app::CommandInput input;
    input.sku = path_sku(sku);
    for (std::size_t i = 0; i < spec.fields.size(); ++i) {
        if (!given(i)) {
            input.values.emplace_back();
            continue;
        }
        const Value& v = collector.values[i];
        const auto& field = spec.fields[i];
        if (v.kind != Kind::integer || !app::valid_value(field.type, v.integer))
            throw bad(field.api_key, v,
                      fmt::format("expected {}{}", app::value_rule(field.type),
                                  v.kind == Kind::string ? " as a JSON number, not a string" : ""));
        input.values.emplace_back(v.integer);
    }
    if (given(reason)) input.reason = text_value("reason", collector.values[reason], domain::max_reason_length);
    input.actor = given(actor) ? text_value("actor", collector.values[actor], domain::max_actor_length)
                               : defaults.actor;
    input.expected_version = expected_version(headers);
    input.idempotency_key = idempotency_key(headers);
    return app::make_request(spec, std::move(input), [](const app::FieldSpec* f) {
        return f ? json_quoted(f->api_key) : std::string("a \"reason\"");
    });
}

}  // namespace invlog::http
