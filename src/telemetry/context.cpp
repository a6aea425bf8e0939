// Trace ids and the traceparent header (see context.hpp).
#include "invlog/telemetry/context.hpp"

#include <fmt/format.h>

#include "invlog/util/crypto.hpp"

namespace invlog::telemetry {
namespace {

template <std::size_t N>
bool is_zero_bytes(const std::array<std::uint8_t, N>& id) {
    for (auto b : id)
        if (b != 0) return false;
    return true;
}

template <std::size_t N>
std::array<std::uint8_t, N> random_id() {
    std::array<std::uint8_t, N> id{};
    do util::random_bytes(id.data(), id.size());
    while (is_zero_bytes(id));
    return id;
}

int lower_hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;  // uppercase is not valid in traceparent
}

// Reads 2*N lowercase hex digits into out.
template <std::size_t N>
bool read_hex(std::string_view text, std::array<std::uint8_t, N>& out) {
    if (text.size() != 2 * N) return false;
    for (std::size_t i = 0; i < N; ++i) {
        const int hi = lower_hex(text[2 * i]), lo = lower_hex(text[2 * i + 1]);
        if (hi < 0 || lo < 0) return false;
        out[i] = static_cast<std::uint8_t>(hi * 16 + lo);
    }
    return true;
}

}  // namespace

bool is_zero(const TraceId& id) { return is_zero_bytes(id); }
bool is_zero(const SpanId& id) { return is_zero_bytes(id); }
TraceId new_trace_id() { return random_id<16>(); }
SpanId new_span_id() { return random_id<8>(); }
std::string hex(const TraceId& id) { return util::to_hex(id.data(), id.size()); }
std::string hex(const SpanId& id) { return util::to_hex(id.data(), id.size()); }

std::optional<SpanContext> parse_traceparent(std::string_view value) {
    // version "-" trace-id "-" parent-id "-" flags: 2+1+32+1+16+1+2 = 55.
    if (value.size() < 55) return std::nullopt;
    std::array<std::uint8_t, 1> version{};
    if (!read_hex(value.substr(0, 2), version) || version[0] == 0xff) return std::nullopt;
    // Version 00 is exactly 55 characters; a later version may append
    // fields after a '-'.
    if (version[0] == 0 ? value.size() != 55 : value.size() > 55 && value[55] != '-') return std::nullopt;
    if (value[2] != '-' || value[35] != '-' || value[52] != '-') return std::nullopt;
    SpanContext ctx;
    std::array<std::uint8_t, 1> flags{};
    if (!read_hex(value.substr(3, 32), ctx.trace_id) || !read_hex(value.substr(36, 16), ctx.span_id) ||
        !read_hex(value.substr(53, 2), flags))
        return std::nullopt;
    if (is_zero(ctx.trace_id) || is_zero(ctx.span_id)) return std::nullopt;
    ctx.flags = flags[0];
    return ctx;
}

std::string traceparent(const SpanContext& context) {
    return fmt::format("00-{}-{}-{:02x}", hex(context.trace_id), hex(context.span_id), context.flags);
}

}  // namespace invlog::telemetry
