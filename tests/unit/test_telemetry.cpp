// The pure parts of telemetry: the W3C traceparent parser, the
// OpenTelemetry environment variables, and the OTLP JSON and protobuf
// bodies. No socket, no file.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <map>

#include "invlog/http/metrics.hpp"
#include "invlog/telemetry/config.hpp"
#include "invlog/telemetry/context.hpp"
#include "invlog/telemetry/otlp.hpp"
#include "invlog/telemetry/span.hpp"

using namespace invlog::telemetry;

namespace {

const char* const valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

Config config_of(std::map<std::string, std::string> env) {
    return config_from([&](const char* name) -> std::optional<std::string> {
        auto it = env.find(name);
        if (it == env.end()) return std::nullopt;
        return it->second;
    });
}

SpanData sample_span() {
    SpanData s;
    s.trace_id = parse_traceparent(valid)->trace_id;
    s.span_id = {1, 2, 3, 4, 5, 6, 7, 8};
    s.parent_id = {0, 0, 0, 0, 0, 0, 0, 9};
    s.name = "POST /inventory/{sku}/reserve";
    s.kind = SpanKind::server;
    s.start_ns = 1'700'000'000'000'000'001ULL;
    s.end_ns = 1'700'000'000'000'000'002ULL;
    s.attributes = {{"invlog.sku", std::string("A")}, {"http.response.status_code", std::int64_t{200}}};
    s.links = {SpanContext{s.trace_id, {9, 9, 9, 9, 9, 9, 9, 9}, 1}};
    s.error = true;
    s.status_message = "boom";
    return s;
}

}  // namespace

TEST_SUITE("unit.telemetry") {
    TEST_CASE("traceparent: a valid header gives its ids and flags") {
        auto ctx = parse_traceparent(valid);
        REQUIRE(ctx);
        CHECK(hex(ctx->trace_id) == "4bf92f3577b34da6a3ce929d0e0e4736");
        CHECK(hex(ctx->span_id) == "00f067aa0ba902b7");
        CHECK(ctx->flags == 1);
        CHECK(traceparent(*ctx) == valid);
        CHECK(parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")->flags == 0);
    }

    TEST_CASE("traceparent: versions") {
        CHECK_FALSE(parse_traceparent("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
        // A later version is read by its first fields, with more after a '-'.
        CHECK(parse_traceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
        CHECK(parse_traceparent("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future"));
        CHECK_FALSE(parse_traceparent("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01what"));
        // Version 00 is exactly 55 characters.
        CHECK_FALSE(parse_traceparent(std::string(valid) + "-extra"));
        CHECK_FALSE(parse_traceparent("0x-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
    }

    TEST_CASE("traceparent: all-zero ids, uppercase, bad separators and lengths are invalid") {
        CHECK_FALSE(parse_traceparent("00-00000000000000000000000000000000-00f067aa0ba902b7-01"));
        CHECK_FALSE(parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"));
        CHECK_FALSE(parse_traceparent("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"));
        CHECK_FALSE(parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01"));
        CHECK_FALSE(parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0A"));
        CHECK_FALSE(parse_traceparent("00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
        CHECK_FALSE(parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01"));
        CHECK_FALSE(parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1"));
        CHECK_FALSE(parse_traceparent(""));
        CHECK_FALSE(parse_traceparent(" 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
    }

    TEST_CASE("new ids are never zero and differ") {
        CHECK_FALSE(is_zero(new_trace_id()));
        CHECK_FALSE(is_zero(new_span_id()));
        CHECK(new_trace_id() != new_trace_id());
    }

    TEST_CASE("key=value lists: trimmed, percent-decoded, all or nothing") {
        auto kv = parse_key_values(" service.version = 1.2 ,team=a%2Cb%20c,,empty=");
        REQUIRE(kv);
        REQUIRE(kv->size() == 3);
        CHECK((*kv)[0] == std::pair<std::string, std::string>{"service.version", "1.2"});
        CHECK((*kv)[1] == std::pair<std::string, std::string>{"team", "a,b c"});
        CHECK((*kv)[2] == std::pair<std::string, std::string>{"empty", ""});
        CHECK_FALSE(parse_key_values("a=1,novalue"));
        CHECK_FALSE(parse_key_values("=1"));
        CHECK(parse_key_values("")->empty());
    }

    TEST_CASE("config: endpoints, protocol, service name, resource and headers") {
        CHECK_FALSE(config_of({}).enabled);
        auto c = config_of({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/"}});
        CHECK(c.enabled);
        CHECK(c.url == "http://collector:4318/v1/traces");
        CHECK(c.protocol == Protocol::protobuf);
        REQUIRE(c.resource.size() == 1);
        CHECK(c.resource[0] == std::pair<std::string, std::string>{"service.name", "invlog"});
        c = config_of(
            {{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://a:1"}, {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://b/x"}});
        CHECK(c.url == "https://b/x");  // as given, nothing appended
        c = config_of({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://a:1"}, {"OTEL_SDK_DISABLED", " TRUE "}});
        CHECK_FALSE(c.enabled);
        c = config_of({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://a:1"}, {"OTEL_SDK_DISABLED", "false"}});
        CHECK(c.enabled);
        c = config_of({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://a:1"}, {"OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"}});
        CHECK(c.protocol == Protocol::json);
        c = config_of({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://a:1"}, {"OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"}});
        CHECK_FALSE(c.enabled);
        CHECK(c.problems.size() == 1);
        c = config_of({{"OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318"}});
        CHECK_FALSE(c.enabled);
        c = config_of({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://a:1"},
                       {"OTEL_RESOURCE_ATTRIBUTES", "service.name=from-attrs,team=t"}});
        CHECK(c.resource[0].second == "from-attrs");
        CHECK(c.resource.size() == 2);
        c = config_of({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://a:1"},
                       {"OTEL_SERVICE_NAME", "shop"},
                       {"OTEL_RESOURCE_ATTRIBUTES", "service.name=from-attrs"}});
        CHECK(c.resource[0].second == "shop");
        CHECK(c.resource.size() == 1);
        c = config_of({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://a:1"},
                       {"OTEL_RESOURCE_ATTRIBUTES", "broken"},
                       {"OTEL_EXPORTER_OTLP_HEADERS", "authorization=Bearer%20x"}});
        CHECK(c.enabled);
        CHECK(c.resource.size() == 1);
        CHECK(c.problems.size() == 1);
        REQUIRE(c.headers.size() == 1);
        CHECK(c.headers[0].second == "Bearer x");
        // A header problem names the variable, never its value (a secret).
        c = config_of({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://a:1"}, {"OTEL_EXPORTER_OTLP_HEADERS", "sekrit"}});
        REQUIRE(c.problems.size() == 1);
        CHECK(c.problems[0].find("sekrit") == std::string::npos);
    }

    TEST_CASE("OTLP JSON: the mapping's names, hex ids and decimal strings") {
        const auto body = nlohmann::json::parse(otlp_json({{"service.name", "invlog"}}, {sample_span()}));
        const auto& rs = body["resourceSpans"][0];
        CHECK(rs["resource"]["attributes"][0] ==
              nlohmann::json::parse(R"({"key":"service.name","value":{"stringValue":"invlog"}})"));
        const auto& ss = rs["scopeSpans"][0];
        CHECK(ss["scope"]["name"] == "invlog");
        const auto& s = ss["spans"][0];
        CHECK(s["traceId"] == "4bf92f3577b34da6a3ce929d0e0e4736");
        CHECK(s["spanId"] == "0102030405060708");
        CHECK(s["parentSpanId"] == "0000000000000009");
        CHECK(s["name"] == "POST /inventory/{sku}/reserve");
        CHECK(s["kind"] == 2);
        CHECK(s["startTimeUnixNano"] == "1700000000000000001");
        CHECK(s["endTimeUnixNano"] == "1700000000000000002");
        CHECK(s["attributes"][0] == nlohmann::json::parse(R"({"key":"invlog.sku","value":{"stringValue":"A"}})"));
        CHECK(s["attributes"][1] ==
              nlohmann::json::parse(R"({"key":"http.response.status_code","value":{"intValue":"200"}})"));
        CHECK(s["links"][0]["spanId"] == "0909090909090909");
        CHECK(s["status"] == nlohmann::json::parse(R"({"code":2,"message":"boom"})"));
        // A root span has no parentSpanId; bytes that are not UTF-8 are replaced.
        SpanData root = sample_span();
        root.parent_id = {};
        root.name = "bad \xff name";
        const auto j = nlohmann::json::parse(otlp_json({}, {root}));
        CHECK_FALSE(j["resourceSpans"][0]["scopeSpans"][0]["spans"][0].contains("parentSpanId"));
    }

    TEST_CASE("OTLP protobuf: known bytes for a small span") {
        SpanData s;
        s.trace_id.fill(0x11);
        s.span_id.fill(0x22);
        s.name = "x";
        s.kind = SpanKind::internal;
        s.start_ns = 1;
        s.end_ns = 2;
        const std::string body = otlp_protobuf({{"k", "v"}}, {s});
        // Span: 0a 10 <16 x 11> 12 08 <8 x 22> 2a 01 'x' 30 01 39 <fixed64 1> 41 <fixed64 2>
        std::string span = "\x0a\x10" + std::string(16, '\x11') + "\x12\x08" + std::string(8, '\x22') + "\x2a\x01x" +
                           "\x30\x01" + "\x39" + std::string("\x01\0\0\0\0\0\0\0", 8) + "\x41" +
                           std::string("\x02\0\0\0\0\0\0\0", 8);
        CHECK(span.size() == 51);
        const std::string kv = std::string("\x0a\x01k\x12\x03\x0a\x01v", 8);  // KeyValue{key, AnyValue{string}}
        const std::string resource = "\x0a" + std::string(1, static_cast<char>(kv.size())) + kv;
        const std::string scope = std::string("\x0a\x06invlog");
        const std::string scope_spans = "\x0a" + std::string(1, static_cast<char>(scope.size())) + scope + "\x12" +
                                        std::string(1, static_cast<char>(span.size())) + span;
        const std::string resource_spans = "\x0a" + std::string(1, static_cast<char>(resource.size())) + resource +
                                           "\x12" + std::string(1, static_cast<char>(scope_spans.size())) + scope_spans;
        const std::string expected = "\x0a" + std::string(1, static_cast<char>(resource_spans.size())) + resource_spans;
        CHECK(body == expected);
    }

    TEST_CASE("spans are inactive and cost nothing while telemetry is off") {
        REQUIRE_FALSE(enabled());
        Span s("load");
        CHECK_FALSE(s.active());
        CHECK_FALSE(s.context());
        CHECK_FALSE(current());
    }

    TEST_CASE("metrics: the text format's histogram lines and escaped labels") {
        invlog::http::Metrics m;
        m.observe_request("/healthz", 200, 0.002);
        m.observe_request("/healthz", 200, 20);
        m.observe_command("reserve", "rejected");
        const std::string text = m.render(7, {{"mongo \"x\"\n", 5, 0, std::nullopt, std::nullopt}});
        CHECK(text.find("invlog_http_requests_total{route=\"/healthz\",status=\"200\"} 2\n") != std::string::npos);
        CHECK(text.find("invlog_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.0025\"} 1\n") !=
              std::string::npos);
        CHECK(text.find("invlog_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"} 2\n") !=
              std::string::npos);
        CHECK(text.find("invlog_http_request_duration_seconds_count{route=\"/healthz\"} 2\n") != std::string::npos);
        CHECK(text.find("invlog_commands_total{command=\"reserve\",outcome=\"rejected\"} 1\n") != std::string::npos);
        CHECK(text.find("invlog_head_seq 7\n") != std::string::npos);
        CHECK(text.find("invlog_export_lag_events{destination=\"mongo \\\"x\\\"\\n\"} 2\n") != std::string::npos);
    }
}
