// Command bodies (see command_body.hpp): the body's fields come from the flat
// JSON object reader that apply lines use too (batch/json_fields.hpp).
#include "invlog/http/command_body.hpp"

#include <vector>

#include <fmt/format.h>

#include "invlog/batch/json_fields.hpp"
#include "invlog/domain/error.hpp"
#include "invlog/domain/limits.hpp"

namespace invlog::http {
namespace {

using batch::json_quoted;
using batch::JsonKind;
using batch::JsonValue;
using domain::usage_error;

domain::Failure bad(std::string_view name, const JsonValue& v, const std::string& why) {
    return usage_error("invalid_argument",
                       fmt::format("invalid {} value {}: {}", json_quoted(name), batch::shown(v), why));
}

std::string text_value(std::string_view name, const JsonValue& v, std::size_t max_length) {
    if (v.kind != JsonKind::string) throw bad(name, v, "expected a JSON string");
    if (auto problem = domain::text_problem(v.text, max_length)) throw bad(name, v, *problem);
    return v.text;
}

std::string header_text(const Headers& headers, std::string_view name, std::size_t max_length) {
    auto v = find_header(headers, name);
    if (!v) return {};
    if (auto problem = domain::text_problem(*v, max_length))
        throw usage_error("invalid_argument", fmt::format("invalid {} header {}: {}", name, json_quoted(*v), *problem));
    return *v;
}

}  // namespace

std::string path_sku(const std::string& sku) {
    if (!domain::valid_sku(sku))
        throw usage_error("invalid_argument",
                          fmt::format("invalid SKU {}: expected {}", json_quoted(sku), domain::sku_rule()));
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
                                      json_quoted(*v)));
    return n;
}

app::Request parse_command(const app::CommandSpec& spec, const std::string& sku, std::string_view body,
                           const Headers& headers, const CommandDefaults& defaults) {
    std::vector<std::string_view> names;
    for (const auto& f : spec.fields) names.emplace_back(f.api_key);
    const std::size_t reason = names.size(), actor = names.size() + 1;
    names.emplace_back("reason");
    names.emplace_back("actor");

    // An empty body is an object with no fields.
    std::vector<JsonValue> values(names.size());
    if (body.find_first_not_of(" \t\r\n") != std::string_view::npos)
        values = batch::read_json_fields(body, names, R"({"quantity":3})");
    auto given = [&](std::size_t i) { return values[i].given(); };

    app::CommandInput input;
    input.sku = path_sku(sku);
    for (std::size_t i = 0; i < spec.fields.size(); ++i) {
        if (!given(i)) {
            input.values.emplace_back();
            continue;
        }
        const JsonValue& v = values[i];
        const auto& field = spec.fields[i];
        if (v.kind != JsonKind::integer || !app::valid_value(field.type, v.integer))
            throw bad(field.api_key, v,
                      fmt::format("expected {}{}", app::value_rule(field.type),
                                  v.kind == JsonKind::string ? " as a JSON number, not a string" : ""));
        input.values.emplace_back(v.integer);
    }
    if (given(reason)) input.reason = text_value("reason", values[reason], domain::max_reason_length);
    input.actor = given(actor) ? text_value("actor", values[actor], domain::max_actor_length) : defaults.actor;
    input.expected_version = expected_version(headers);
    input.idempotency_key = idempotency_key(headers);
    return app::make_request(spec, std::move(input), [](const app::FieldSpec* f) {
        return f ? json_quoted(f->api_key) : std::string("a \"reason\"");
    });
}

}  // namespace invlog::http
