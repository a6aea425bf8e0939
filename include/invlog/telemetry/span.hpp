// Spans as the code records them. A Span is a scope: it starts as a child of
// the span current on its thread (or of a caller's context), becomes the
// current one, and when it ends goes to the recorder (recorder.hpp). When
// telemetry is off, constructing a Span reads one atomic flag and does
// nothing else: the hot paths pay nothing.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "invlog/telemetry/context.hpp"

namespace invlog::telemetry {

enum class SpanKind { internal = 1, server = 2, client = 3 };

using AttributeValue = std::variant<std::string, std::int64_t, bool>;

struct Attribute {
    std::string key;
    AttributeValue value;
};

struct SpanData {
    TraceId trace_id{};
    SpanId span_id{};
    SpanId parent_id{};  // all zero: a root span
    std::string name;
    SpanKind kind = SpanKind::internal;
    std::uint64_t start_ns = 0;  // Unix time in nanoseconds
    std::uint64_t end_ns = 0;
    std::vector<Attribute> attributes;
    std::vector<SpanContext> links;
    bool error = false;
    std::string status_message;
};

namespace detail {
extern std::atomic<bool> g_enabled;
}

// Whether spans are recorded (an exporter was started).
inline bool enabled() { return detail::g_enabled.load(std::memory_order_relaxed); }

// The span current on this thread, if any.
std::optional<SpanContext> current();

class Span {
public:
    // A child of the current span of this thread, or a new trace.
    explicit Span(std::string_view name, SpanKind kind = SpanKind::internal);
    // A child of `parent` (a caller's traceparent), or a new trace when none.
    Span(std::string_view name, SpanKind kind, const std::optional<SpanContext>& parent);
    ~Span();
    Span(const Span&) = delete;
    Span& operator=(const Span&) = delete;

    bool active() const { return m_data != nullptr; }
    void set_string(std::string_view key, std::string_view value);
    void set_int(std::string_view key, std::int64_t value);
    void set_name(std::string_view name);
    void link(const SpanContext& other);
    void fail(std::string_view message);
    // The span's own context; nullopt when inactive.
    std::optional<SpanContext> context() const;

private:
    void start(std::string_view name, SpanKind kind, const std::optional<SpanContext>& parent);

    std::unique_ptr<SpanData> m_data;
    std::optional<SpanContext> m_previous;
};

// Makes `context` the current span of this thread for the scope's life: the
// group commit's writer thread runs a request's work under the request's
// span.
class Scope {
public:
    explicit Scope(const std::optional<SpanContext>& context);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

private:
    std::optional<SpanContext> m_previous;
    bool m_set = false;
};

}  // namespace invlog::telemetry
