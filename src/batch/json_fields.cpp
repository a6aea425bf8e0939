// The flat JSON object reader shared by apply lines and HTTP command bodies
// (json_fields.hpp).
#include "invlog/batch/json_fields.hpp"

#include <algorithm>
#include <limits>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "invlog/domain/error.hpp"
#include "invlog/domain/text.hpp"

namespace invlog::batch {

using domain::Failure;
using domain::usage_error;
using Json = nlohmann::json;

namespace {

// Collects the top-level fields; refuses unknown and repeated keys on sight.
class Collector : public nlohmann::json_sax<Json> {
public:
    Collector(const std::vector<std::string_view>& names, std::string_view example)
        : values(names.size()), m_names(names), m_example(example) {}

    std::vector<JsonValue> values;
    std::optional<Failure> error;

    bool null() override { return scalar(JsonKind::null, 0, "null"); }
    bool boolean(bool b) override { return scalar(JsonKind::other, 0, b ? "true" : "false"); }
    bool number_integer(number_integer_t n) override { return scalar(JsonKind::integer, n, std::to_string(n)); }
    bool number_unsigned(number_unsigned_t n) override {
        if (n > static_cast<number_unsigned_t>(std::numeric_limits<std::int64_t>::max()))
            return scalar(JsonKind::too_large, 0, std::to_string(n));
        return scalar(JsonKind::integer, static_cast<std::int64_t>(n), std::to_string(n));
    }
    bool number_float(number_float_t, const string_t& raw) override { return scalar(JsonKind::other, 0, raw); }
    bool string(string_t& s) override {
        if (m_depth == 0) return not_object();
        if (m_depth == 1) {
            JsonValue& v = values[m_field];
            v.kind = JsonKind::string;
            v.text = std::move(s);
        }
        return true;
    }
    bool binary(binary_t&) override { return scalar(JsonKind::other, 0, "binary"); }
    bool start_object(std::size_t) override { return open("{...}"); }
    bool start_array(std::size_t) override {
        if (m_depth == 0) return not_object();
        return open("[...]");
    }
    bool end_object() override { return close(); }
    bool end_array() override { return close(); }
    bool key(string_t& k) override {
        if (m_depth != 1) return true;
        const auto f = static_cast<std::size_t>(std::find(m_names.begin(), m_names.end(), k) - m_names.begin());
        if (f == m_names.size())
            return fail("unknown_field",
                        fmt::format("unknown field {} (known fields: {})", json_quoted(k), fmt::join(m_names, ", ")));
        if (values[f].kind != JsonKind::absent)
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
    bool scalar(JsonKind kind, std::int64_t n, std::string text) {
        if (m_depth == 0) return not_object();
        if (m_depth == 1) values[m_field] = JsonValue{kind, n, std::move(text)};
        return true;
    }
    bool open(const char* shown_as) {
        if (m_depth == 1) values[m_field] = JsonValue{JsonKind::other, 0, shown_as};
        ++m_depth;
        return true;
    }
    bool close() {
        --m_depth;
        return true;
    }
    bool not_object() { return fail("not_an_object", fmt::format("expected a JSON object such as {}", m_example)); }
    bool fail(const char* code, std::string message) {
        if (!error) error.emplace(usage_error(code, message));
        return false;
    }

    const std::vector<std::string_view>& m_names;
    std::string_view m_example;
    int m_depth = 0;
    std::size_t m_field = 0;
};

}  // namespace

std::vector<JsonValue> read_json_fields(std::string_view text, const std::vector<std::string_view>& names,
                                        std::string_view example) {
    if (auto nul = text.find('\0'); nul != std::string_view::npos)
        throw usage_error("invalid_json", fmt::format("invalid JSON at byte {}: a NUL byte", nul));
    Collector collector(names, example);
    const bool parsed =
        Json::sax_parse(text.begin(), text.end(), &collector, nlohmann::detail::input_format_t::json, true);
    if (collector.error) throw *collector.error;
    if (!parsed) throw usage_error("invalid_json", "invalid JSON");
    return std::move(collector.values);
}

std::string json_quoted(std::string_view s) { return fmt::format("\"{}\"", domain::shown(s)); }

std::string shown(const JsonValue& v) {
    return v.kind == JsonKind::string ? json_quoted(v.text) : domain::shown(v.text);
}

}  // namespace invlog::batch
