// The recorder: ended spans wait in a bounded buffer and one background
// thread encodes and POSTs them in batches, so that a command never waits
// for the collector and never fails because of it. The POST itself is a
// function the caller supplies (the HTTP module's client): this folder does
// no network I/O.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "invlog/telemetry/config.hpp"
#include "invlog/telemetry/span.hpp"

namespace invlog::telemetry {

struct PostRequest {
    std::string url;
    KeyValues headers;
    std::string content_type;
    std::string body;
    std::chrono::milliseconds timeout{};
};

// Sends one request; returns an empty string on a 2xx answer, else what
// went wrong (without the headers, which may hold secrets).
using PostFunction = std::string (*)(const PostRequest& request);
// Encodes a batch as an OTLP/HTTP protobuf body (the HTTP module's
// otlp_protobuf, see otlp.hpp).
using EncodeFunction = std::string (*)(const KeyValues& resource, const std::vector<SpanData>& spans);
using ErrorFunction = std::function<void(const std::string& message)>;

// Starts recording (spans become active) and the sending thread;
// `protobuf` encodes the bodies of the http/protobuf protocol (unused for
// http/json). on_error is called at most once per process, with the first
// failure.
void start(Config config, PostFunction post, EncodeFunction protobuf, ErrorFunction on_error);

// Sends what is buffered, waiting at most `wait`, then stops recording. A
// POST still running then is abandoned (its thread is left to finish).
void shutdown(std::chrono::milliseconds wait);

// Hands an ended span to the sending thread (Span's destructor calls it).
// Dropped, and counted, when the buffer is full.
void record(SpanData&& span);

// Spans dropped because the buffer was full.
std::uint64_t dropped();

}  // namespace invlog::telemetry
