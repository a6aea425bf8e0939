// The OTLP protobuf body read back with the parser protoc generates from the
// same proto/ files: ids, parents, kinds, times, attributes of every type,
// links, status, and text that is not UTF-8. (The known-bytes case in
// test_telemetry.cpp pins the wire form itself; the e2e collector decodes
// with its own, independently written descriptors.)
#include <doctest/doctest.h>

#include "invlog/telemetry/otlp.hpp"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

using namespace invlog::telemetry;

namespace {

namespace otlp = opentelemetry::proto;

otlp::collector::trace::v1::ExportTraceServiceRequest parsed(const std::string& body) {
    otlp::collector::trace::v1::ExportTraceServiceRequest request;
    REQUIRE(request.ParseFromString(body));
    return request;
}

template <std::size_t N>
std::string bytes_of(const std::array<std::uint8_t, N>& id) {
    return {reinterpret_cast<const char*>(id.data()), id.size()};
}

SpanData span_named(std::string name, std::uint8_t id) {
    SpanData s;
    s.trace_id.fill(0xab);
    s.span_id.fill(id);
    s.name = std::move(name);
    s.start_ns = 1'700'000'000'000'000'000ULL + id;
    s.end_ns = s.start_ns + 5;
    return s;
}

}  // namespace

TEST_SUITE("unit.telemetry") {
    TEST_CASE("OTLP protobuf: the generated parser reads back every field invlog writes") {
        SpanData root = span_named("apply", 1);
        root.kind = SpanKind::server;
        root.attributes = {{"invlog.command", std::string("apply")},
                           {"invlog.exit_status", std::int64_t{0}},  // zero: kept, a oneof member
                           {"negative", std::int64_t{-7}},
                           {"flag", false}};
        SpanData child = span_named("commit", 2);
        child.parent_id = root.span_id;
        child.links = {SpanContext{root.trace_id, {7, 7, 7, 7, 7, 7, 7, 7}, 1}};
        child.error = true;
        child.status_message = "disk_full";

        const auto request = parsed(otlp_protobuf({{"service.name", "shop"}, {"team", "a,b"}}, {root, child}));
        REQUIRE(request.resource_spans_size() == 1);
        const auto& rs = request.resource_spans(0);
        REQUIRE(rs.resource().attributes_size() == 2);
        CHECK(rs.resource().attributes(0).key() == "service.name");
        CHECK(rs.resource().attributes(0).value().string_value() == "shop");
        CHECK(rs.resource().attributes(1).value().string_value() == "a,b");
        REQUIRE(rs.scope_spans_size() == 1);
        CHECK(rs.scope_spans(0).scope().name() == "invlog");
        REQUIRE(rs.scope_spans(0).spans_size() == 2);

        const auto& r = rs.scope_spans(0).spans(0);
        CHECK(r.trace_id() == bytes_of(root.trace_id));
        CHECK(r.span_id() == bytes_of(root.span_id));
        CHECK(r.parent_span_id().empty());  // a root span
        CHECK(r.name() == "apply");
        CHECK(r.kind() == otlp::trace::v1::Span::SPAN_KIND_SERVER);
        CHECK(r.start_time_unix_nano() == root.start_ns);
        CHECK(r.end_time_unix_nano() == root.end_ns);
        REQUIRE(r.attributes_size() == 4);
        CHECK(r.attributes(0).value().string_value() == "apply");
        CHECK(r.attributes(1).key() == "invlog.exit_status");
        CHECK(r.attributes(1).value().has_int_value());
        CHECK(r.attributes(1).value().int_value() == 0);
        CHECK(r.attributes(2).value().int_value() == -7);
        CHECK(r.attributes(3).value().has_bool_value());
        CHECK_FALSE(r.attributes(3).value().bool_value());
        CHECK_FALSE(r.has_status());
        CHECK(r.links_size() == 0);

        const auto& c = rs.scope_spans(0).spans(1);
        CHECK(c.trace_id() == r.trace_id());
        CHECK(c.parent_span_id() == r.span_id());
        CHECK(c.kind() == otlp::trace::v1::Span::SPAN_KIND_INTERNAL);
        REQUIRE(c.links_size() == 1);
        CHECK(c.links(0).trace_id() == bytes_of(root.trace_id));
        CHECK(c.links(0).span_id() == std::string(8, '\x07'));
        REQUIRE(c.has_status());
        CHECK(c.status().code() == otlp::trace::v1::Status::STATUS_CODE_ERROR);
        CHECK(c.status().message() == "disk_full");
    }

    TEST_CASE("OTLP protobuf: bytes that are not UTF-8 become U+FFFD, as in the JSON body") {
        // proto3 strings must be UTF-8: a collector's parser (and the
        // generated one here) rejects the whole request otherwise.
        SpanData s = span_named("bad \xff name", 3);
        s.attributes = {{"invlog.sku", std::string("\xc3(")}};
        s.error = true;
        s.status_message = "\xe2\x82";
        const auto request = parsed(otlp_protobuf({{"service.name", "x\x80y"}}, {s}));
        const auto& rs = request.resource_spans(0);
        CHECK(rs.resource().attributes(0).value().string_value() == "x\xef\xbf\xbdy");
        const auto& span = rs.scope_spans(0).spans(0);
        CHECK(span.name() == "bad \xef\xbf\xbd name");
        CHECK(span.attributes(0).value().string_value() == "\xef\xbf\xbd(");
        CHECK(span.status().message() == "\xef\xbf\xbd\xef\xbf\xbd");
        // Well-formed text is kept byte for byte.
        s.name = "r\xc3\xa9serve \xf0\x9f\x93\xa6";
        CHECK(parsed(otlp_protobuf({}, {s})).resource_spans(0).scope_spans(0).spans(0).name() == s.name);
    }

    TEST_CASE("OTLP protobuf: an empty batch is still one resource with the invlog scope") {
        const auto request = parsed(otlp_protobuf({{"service.name", "invlog"}}, {}));
        REQUIRE(request.resource_spans_size() == 1);
        REQUIRE(request.resource_spans(0).scope_spans_size() == 1);
        CHECK(request.resource_spans(0).scope_spans(0).spans_size() == 0);
    }
}
