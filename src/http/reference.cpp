// pydantic v2's validation of the reference request models (see
// reference.hpp). Messages, types and the order of keys are pydantic's, as
// FastAPI returns them (errors(include_url=False), "body" before each loc).
#include "invlog/http/reference.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "invlog/http/pyjson.hpp"
#include "invlog/http/status.hpp"

namespace invlog::http {
namespace {

using py::Value;
using Kind = py::Value::Kind;

struct FieldSpec {
    std::string_view name;
    bool is_string;
};

std::vector<FieldSpec> fields_of(ReferenceModel model) {
    switch (model) {
    case ReferenceModel::create: return {{"sku", true}, {"soh", false}, {"available_quantity", false}};
    case ReferenceModel::update: return {{"soh", false}, {"available_quantity", false}};
    case ReferenceModel::quantity: return {{"quantity", false}};
    }
    return {};
}

// One pydantic error entry, as JSON text.
struct Entry {
    std::string type;
    std::string loc;  // JSON text of the loc array
    std::string msg;
    std::string input;  // JSON text
    std::string ctx;    // JSON text, or empty
};

std::string loc_of(std::string_view field) {
    std::string out = "[\"body\"";
    if (!field.empty()) {
        out += ',';
        py::dump_string(out, field);
    }
    return out + "]";
}

std::string render(const std::vector<Entry>& entries) {
    std::string out = "{\"detail\":[";
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const Entry& e = entries[i];
        if (i) out += ',';
        out += "{\"type\":";
        py::dump_string(out, e.type);
        out += ",\"loc\":" + e.loc + ",\"msg\":";
        py::dump_string(out, e.msg);
        out += ",\"input\":" + e.input;
        if (!e.ctx.empty()) out += ",\"ctx\":" + e.ctx;
        out += '}';
    }
    return out + "],\"code\":\"invalid_argument\",\"exit_code\":2}";
}

Response unprocessable(const std::vector<Entry>& entries) {
    Response r;
    r.status = 422;
    r.body = render(entries);
    return r;
}

// Python's str.strip() of whitespace, for the ASCII whitespace a client sends.
std::string_view strip(std::string_view s) {
    auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
    while (!s.empty() && ws(s.front())) s.remove_prefix(1);
    while (!s.empty() && ws(s.back())) s.remove_suffix(1);
    return s;
}

// Rust's str::parse for integers: an optional sign, then at least one digit.
std::optional<std::string> parse_digits(std::string_view s) {
    bool negative = false;
    if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
        negative = s.front() == '-';
        s.remove_prefix(1);
    }
    if (s.empty()) return std::nullopt;
    for (char c : s)
        if (c < '0' || c > '9') return std::nullopt;
    while (s.size() > 1 && s.front() == '0') s.remove_prefix(1);
    if (s == "0") return std::string("0");
    return (negative ? "-" : "") + std::string(s);
}

// pydantic-core's str_as_int: the digits, else with ".000" stripped, else
// with single underscores between digits removed.
std::optional<std::string> str_as_int(std::string_view raw, std::string& error) {
    const std::string_view s = strip(raw);
    if (s.size() > 4300) {
        error = "int_parsing_size";
        return std::nullopt;
    }
    if (auto v = parse_digits(s)) return v;
    if (auto dot = s.find('.'); dot != std::string_view::npos) {
        bool zeros = true;
        for (char c : s.substr(dot + 1)) zeros = zeros && c == '0';
        if (zeros) {
            if (auto v = parse_digits(s.substr(0, dot))) return v;
            error = "int_parsing";
            return std::nullopt;
        }
    }
    if (s.find('_') != std::string_view::npos && !s.starts_with('_') && !s.ends_with('_') &&
        s.find("__") == std::string_view::npos) {
        std::string joined;
        for (char c : s)
            if (c != '_') joined += c;
        if (auto v = parse_digits(joined)) return v;
    }
    error = "int_parsing";
    return std::nullopt;
}

std::string message_of(const std::string& type) {
    if (type == "int_type") return "Input should be a valid integer";
    if (type == "int_parsing") return "Input should be a valid integer, unable to parse string as an integer";
    if (type == "int_from_float") return "Input should be a valid integer, got a number with a fractional part";
    if (type == "int_parsing_size") return "Unable to parse input string as an integer, exceeded maximum size";
    if (type == "finite_number") return "Input should be a finite number";
    if (type == "string_type") return "Input should be a valid string";
    return type;
}

// An int field with gt=0: the integer, or the error type.
std::optional<std::string> validate_int(const Value& v, std::string& error) {
    std::optional<std::string> digits;
    switch (v.kind) {
    case Kind::integer: digits = v.integer; break;
    case Kind::boolean: digits = v.boolean ? "1" : "0"; break;
    case Kind::floating:
        if (!std::isfinite(v.floating)) {
            error = "finite_number";
        } else if (std::fmod(v.floating, 1.0) != 0.0) {
            error = "int_from_float";
        } else if (!(v.floating > -9223372036854775808.0 && v.floating < 9223372036854775807.0)) {
            error = "int_parsing_size";
        } else {
            digits = std::to_string(static_cast<long long>(v.floating));
        }
        break;
    case Kind::string: digits = str_as_int(v.text, error); break;
    default: error = "int_type";
    }
    if (!digits) return std::nullopt;
    if (digits->starts_with('-') || *digits == "0") {
        error = "greater_than";
        return std::nullopt;
    }
    return digits;
}

}  // namespace

std::variant<ReferenceFields, Response> validate_reference_body(ReferenceModel model, std::string_view body,
                                                                const std::optional<std::string>& content_type) {
    const std::vector<FieldSpec> fields = fields_of(model);
    if (body.empty()) return unprocessable({{"missing", loc_of(""), "Field required", "null", ""}});

    // FastAPI decodes JSON only for no Content-Type or application/json or
    // application/*+json (email.message's parsing: the part before ';',
    // lowercased, exactly one '/'; anything else is text/plain).
    bool json = true;
    if (content_type) {
        std::string type(strip(std::string_view(*content_type).substr(0, content_type->find(';'))));
        for (auto& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (std::count(type.begin(), type.end(), '/') != 1) type = "text/plain";
        const auto slash = type.find('/');
        const std::string main = type.substr(0, slash), sub = type.substr(slash + 1);
        json = main == "application" && (sub == "json" || sub.ends_with("+json"));
    }
    Value value;
    if (json) {
        py::Loaded loaded = py::loads(body);
        if (loaded.error) {
            std::string ctx = "{\"error\":";
            py::dump_string(ctx, loaded.error->msg);
            ctx += '}';
            return unprocessable({{"json_invalid", "[\"body\"," + std::to_string(loaded.error->pos) + "]",
                                   "JSON decode error", "{}", ctx}});
        }
        if (!loaded.value) return plain_error(400, "invalid_json", "There was an error parsing the body", 2);
        value = std::move(*loaded.value);
    } else {
        value.kind = Kind::string;  // raw bytes, which FastAPI echoes as text
        value.text = std::string(body);
    }
    if (value.kind == Kind::null) return unprocessable({{"missing", loc_of(""), "Field required", "null", ""}});
    if (value.kind != Kind::object)
        return unprocessable(
            {{"model_attributes_type", loc_of(""),
              "Input should be a valid dictionary or object to extract fields from", py::dumps(value), ""}});

    ReferenceFields out;
    std::vector<Entry> errors;
    for (const FieldSpec& f : fields) {
        const Value* v = value.member(f.name);
        if (!v) {
            errors.push_back({"missing", loc_of(f.name), "Field required", py::dumps(value), ""});
            continue;
        }
        if (f.is_string) {
            if (v->kind == Kind::string)
                out.sku = v->text;
            else
                errors.push_back({"string_type", loc_of(f.name), message_of("string_type"), py::dumps(*v), ""});
            continue;
        }
        std::string error;
        if (auto digits = validate_int(*v, error)) {
            out.integers.push_back(*digits);
        } else if (error == "greater_than") {
            errors.push_back(
                {"greater_than", loc_of(f.name), "Input should be greater than 0", py::dumps(*v), "{\"gt\":0}"});
        } else {
            errors.push_back({error, loc_of(f.name), message_of(error), py::dumps(*v), ""});
        }
    }
    if (!errors.empty()) return unprocessable(errors);
    return out;
}

}  // namespace invlog::http
