// The exporter's configuration from the standard OpenTelemetry environment
// variables, read through a lookup function so that it is a pure function
// of them (tested without touching the environment).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace invlog::telemetry {

using KeyValues = std::vector<std::pair<std::string, std::string>>;

enum class Protocol { protobuf, json };

struct Config {
    bool enabled = false;
    std::string url;  // where spans are POSTed
    Protocol protocol = Protocol::protobuf;
    KeyValues resource;  // service.name first
    KeyValues headers;   // secrets: never logged
    // Why a variable was ignored (telemetry may still be on); shown with --verbose.
    std::vector<std::string> problems;
};

// "key1=value1,key2=value2" with percent-encoded values, as
// OTEL_RESOURCE_ATTRIBUTES and OTEL_EXPORTER_OTLP_HEADERS are written
// (surrounding spaces trimmed). nullopt when any member is malformed (no
// '=', an empty key): the whole value is then discarded, as the
// specification says.
std::optional<KeyValues> parse_key_values(std::string_view text);

using Lookup = std::function<std::optional<std::string>(const char* name)>;

// OTEL_SDK_DISABLED, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (used as is) or
// OTEL_EXPORTER_OTLP_ENDPOINT (+ "/v1/traces"), OTEL_EXPORTER_OTLP_PROTOCOL
// (and its _TRACES_ form), OTEL_SERVICE_NAME (default "invlog"),
// OTEL_RESOURCE_ATTRIBUTES, OTEL_EXPORTER_OTLP_HEADERS (and _TRACES_).
Config config_from(const Lookup& lookup);
// The same over the process environment.
Config config_from_environment();

}  // namespace invlog::telemetry
