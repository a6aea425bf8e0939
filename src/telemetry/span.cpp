// Spans and the current span of each thread (see span.hpp).
#include "invlog/telemetry/span.hpp"

#include <chrono>

#include "invlog/telemetry/recorder.hpp"

namespace invlog::telemetry {

namespace detail {
std::atomic<bool> g_enabled{false};
}

namespace {

thread_local std::optional<SpanContext> t_current;

std::uint64_t now_ns() {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
}

}  // namespace

std::optional<SpanContext> current() { return t_current; }

Span::Span(std::string_view name, SpanKind kind) {
    if (enabled()) start(name, kind, t_current);
}

Span::Span(std::string_view name, SpanKind kind, const std::optional<SpanContext>& parent) {
    if (enabled()) start(name, kind, parent);
}

void Span::start(std::string_view name, SpanKind kind, const std::optional<SpanContext>& parent) {
    m_data = std::make_unique<SpanData>();
    m_data->name = std::string(name);
    m_data->kind = kind;
    if (parent) {
        m_data->trace_id = parent->trace_id;
        m_data->parent_id = parent->span_id;
    } else {
        m_data->trace_id = new_trace_id();
    }
    m_data->span_id = new_span_id();
    m_data->start_ns = now_ns();
    m_previous = t_current;
    t_current = SpanContext{m_data->trace_id, m_data->span_id, parent ? parent->flags : std::uint8_t{1}};
}

Span::~Span() {
    if (!m_data) return;
    t_current = m_previous;
    m_data->end_ns = now_ns();
    if (m_data->end_ns < m_data->start_ns) m_data->end_ns = m_data->start_ns;  // the wall clock stepped back
    record(std::move(*m_data));
}

void Span::set_string(std::string_view key, std::string_view value) {
    if (m_data) m_data->attributes.push_back(Attribute{std::string(key), std::string(value)});
}

void Span::set_int(std::string_view key, std::int64_t value) {
    if (m_data) m_data->attributes.push_back(Attribute{std::string(key), value});
}

void Span::set_name(std::string_view name) {
    if (m_data) m_data->name = std::string(name);
}

void Span::link(const SpanContext& other) {
    if (m_data) m_data->links.push_back(other);
}

void Span::fail(std::string_view message) {
    if (!m_data) return;
    m_data->error = true;
    m_data->status_message = std::string(message);
}

std::optional<SpanContext> Span::context() const {
    if (!m_data) return std::nullopt;
    return SpanContext{m_data->trace_id, m_data->span_id, 1};
}

Scope::Scope(const std::optional<SpanContext>& context) {
    if (!context) return;
    m_previous = t_current;
    t_current = context;
    m_set = true;
}

Scope::~Scope() {
    if (m_set) t_current = m_previous;
}

}  // namespace invlog::telemetry
