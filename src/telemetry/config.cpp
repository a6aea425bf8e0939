// The OpenTelemetry environment variables (see config.hpp).
#include "invlog/telemetry/config.hpp"

#include <cstdlib>

#include <fmt/format.h>

namespace invlog::telemetry {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string percent_decode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            const int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out += static_cast<char>(hi * 16 + lo);
                i += 2;
                continue;
            }
        }
        out += s[i];
    }
    return out;
}

bool is_true(const std::optional<std::string>& v) {
    if (!v) return false;
    std::string lower;
    for (char c : trim(*v)) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return lower == "true";
}

// A variable that is set to something other than blanks.
std::optional<std::string> present(const Lookup& lookup, const char* name) {
    auto v = lookup(name);
    if (!v || trim(*v).empty()) return std::nullopt;
    return std::string(trim(*v));
}

}  // namespace

std::optional<KeyValues> parse_key_values(std::string_view text) {
    KeyValues out;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find(',', start);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view member = trim(text.substr(start, end - start));
        start = end + 1;
        if (member.empty()) continue;  // "a=1,,b=2" or a trailing comma
        const auto eq = member.find('=');
        if (eq == std::string_view::npos) return std::nullopt;
        const std::string key = percent_decode(trim(member.substr(0, eq)));
        if (key.empty()) return std::nullopt;
        out.emplace_back(key, percent_decode(trim(member.substr(eq + 1))));
    }
    return out;
}

Config config_from(const Lookup& lookup) {
    Config c;
    if (is_true(lookup("OTEL_SDK_DISABLED"))) return c;
    if (auto traces = present(lookup, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")) {
        c.url = *traces;
    } else if (auto base = present(lookup, "OTEL_EXPORTER_OTLP_ENDPOINT")) {
        std::string url = *base;
        while (!url.empty() && url.back() == '/') url.pop_back();
        c.url = url + "/v1/traces";
    } else {
        return c;
    }
    if (c.url.rfind("http://", 0) != 0 && c.url.rfind("https://", 0) != 0) {
        // Not logged as given: an endpoint may carry credentials.
        c.problems.push_back("the OTLP endpoint is not an http:// or https:// URL; traces are off");
        return c;
    }
    auto protocol = present(lookup, "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL");
    if (!protocol) protocol = present(lookup, "OTEL_EXPORTER_OTLP_PROTOCOL");
    if (protocol && *protocol == "http/json") {
        c.protocol = Protocol::json;
    } else if (protocol && *protocol != "http/protobuf") {
        c.problems.push_back(
            fmt::format("OTEL_EXPORTER_OTLP_PROTOCOL {} is not supported (http/protobuf or "
                        "http/json); traces are off",
                        *protocol));
        return c;
    }

    KeyValues resource;
    if (auto attrs = present(lookup, "OTEL_RESOURCE_ATTRIBUTES")) {
        if (auto parsed = parse_key_values(*attrs))
            resource = std::move(*parsed);
        else
            c.problems.push_back("OTEL_RESOURCE_ATTRIBUTES is malformed (key=value,...); ignored");
    }
    std::string service = "invlog";
    for (const auto& [k, v] : resource)
        if (k == "service.name") service = v;
    if (auto name = present(lookup, "OTEL_SERVICE_NAME")) service = *name;
    c.resource.emplace_back("service.name", service);
    for (auto& kv : resource)
        if (kv.first != "service.name") c.resource.push_back(std::move(kv));

    for (const char* name : {"OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TRACES_HEADERS"}) {
        if (auto headers = present(lookup, name)) {
            if (auto parsed = parse_key_values(*headers))
                for (auto& kv : *parsed) c.headers.push_back(std::move(kv));
            else
                c.problems.push_back(fmt::format("{} is malformed (key=value,...); ignored", name));
        }
    }
    c.enabled = true;
    return c;
}

Config config_from_environment() {
    return config_from([](const char* name) -> std::optional<std::string> {
        if (const char* v = std::getenv(name)) return std::string(v);
        return std::nullopt;
    });
}

}  // namespace invlog::telemetry
