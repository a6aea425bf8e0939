// JSON objects of states and events.
#include "invlog/output/json.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <iterator>

#include <fmt/format.h>

#include "invlog/util/time.hpp"

namespace invlog::output {
Json state_json(const domain::SkuState& s) {
    Json j;
    j["sku"] = s.sku;
    j["soh"] = s.state.soh;
    j["available_quantity"] = s.state.available_quantity;
    j["reserved"] = s.state.reserved;
    j["version"] = s.state.version;
    j["updated_at"] = util::format_time(s.updated_at);
    return j;
}

Json error_json(const std::string& code, const std::string& message, int exit_code) {
    Json err;
    err["code"] = code;
    err["message"] = message;
    err["exit_code"] = exit_code;
    return err;
}

std::string dump_line(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

namespace {

constexpr char hex_digits[] = "0123456789abcdef";

// Bytes copied as they are: printable ASCII other than the quote and the
// backslash.
const std::array<bool, 256> plain_bytes = [] {
    std::array<bool, 256> t{};
    for (int b = 0x20; b < 0x80; ++b) t[b] = b != '"' && b != '\\';
    return t;
}();

// Whether any of the 8 bytes of v needs more than a copy: a control byte
// (< 0x20), a byte >= 0x80, a quote or a backslash. Exact, no false alarms.
bool needs_escape(std::uint64_t v) {
    constexpr std::uint64_t ones = 0x0101010101010101, highs = 0x8080808080808080;
    auto has_zero = [](std::uint64_t x) { return (x - ones) & ~x & highs; };
    return ((v - ones * 0x20) & ~v & highs) | (v & highs) | has_zero(v ^ (ones * '"')) | has_zero(v ^ (ones * '\\'));
}

// For each byte that starts a UTF-8 sequence (RFC 3629, table 3-7 of the
// Unicode standard): the sequence's length and the range of its second
// byte, which excludes overlong forms, surrogates and code points past
// U+10FFFF. Length 0: the byte starts no sequence.
struct Utf8Lead {
    std::uint8_t length = 0;
    unsigned char second_min = 0x80;
    unsigned char second_max = 0xbf;
};

constexpr std::array<Utf8Lead, 256> make_utf8_leads() {
    std::array<Utf8Lead, 256> t{};
    for (int c = 0xc2; c <= 0xdf; ++c) t[c] = {2, 0x80, 0xbf};
    for (int c = 0xe0; c <= 0xef; ++c) t[c] = {3, 0x80, 0xbf};
    t[0xe0].second_min = 0xa0;
    t[0xed].second_max = 0x9f;
    for (int c = 0xf0; c <= 0xf4; ++c) t[c] = {4, 0x80, 0xbf};
    t[0xf0].second_min = 0x90;
    t[0xf4].second_max = 0x8f;
    return t;
}

constexpr std::array<Utf8Lead, 256> utf8_leads = make_utf8_leads();

}  // namespace

char* put_json_string(char* out, std::string_view s) {
    *out++ = '"';
    const char* p = s.data();
    const char* const end = p + s.size();
    while (p < end) {
        // The common case, printable ASCII, is copied eight bytes at a time,
        // then byte by byte up to the next byte that needs escaping.
        while (end - p >= 8) {
            std::uint64_t v;
            std::memcpy(&v, p, 8);
            if (needs_escape(v)) break;
            std::memcpy(out, p, 8);
            out += 8;
            p += 8;
        }
        while (p < end && plain_bytes[static_cast<unsigned char>(*p)]) *out++ = *p++;
        if (p == end) break;
        const auto c = static_cast<unsigned char>(*p);
        if (c < 0x80) {
            *out++ = '\\';
            switch (c) {
            case '"': *out++ = '"'; break;
            case '\\': *out++ = '\\'; break;
            case '\b': *out++ = 'b'; break;
            case '\f': *out++ = 'f'; break;
            case '\n': *out++ = 'n'; break;
            case '\r': *out++ = 'r'; break;
            case '\t': *out++ = 't'; break;
            default:
                std::memcpy(out, "u00", 3);
                out[3] = hex_digits[c >> 4];
                out[4] = hex_digits[c & 15];
                out += 5;
            }
            ++p;
            continue;
        }
        // A whole UTF-8 sequence is copied. Anything else becomes U+FFFD
        // as nlohmann::json replaces it: one for the longest start of a
        // sequence that could still have been valid (a cut or broken
        // sequence), whose next byte is read again; one for a byte that
        // can start none.
        const Utf8Lead lead = utf8_leads[c];
        std::size_t k = 0;  // bytes that could still be a valid sequence
        if (lead.length > 0) {
            k = 1;
            const auto limit = std::min<std::size_t>(lead.length, static_cast<std::size_t>(end - p));
            while (k < limit) {
                const auto cc = static_cast<unsigned char>(p[k]);
                const bool fits = k == 1 ? cc >= lead.second_min && cc <= lead.second_max : (cc >> 6) == 0x2;
                if (!fits) break;
                ++k;
            }
        }
        if (k > 0 && k == lead.length) {
            std::memcpy(out, p, k);
            out += k;
            p += k;
        } else {
            std::memcpy(out, "\xef\xbf\xbd", 3);
            out += 3;
            p += k > 0 ? k : 1;
        }
    }
    *out++ = '"';
    return out;
}

void append_json_string(std::string& out, std::string_view s) {
    const std::size_t used = out.size();
    out.resize(used + json_string_room(s.size()));
    char* end = put_json_string(out.data() + used, s);
    out.resize(static_cast<std::size_t>(end - out.data()));
}

void append_state_json(std::string& out, const domain::SkuState& s, std::string_view extra_key,
                       std::int64_t extra_value) {
    auto it = std::back_inserter(out);
    out += "{\"sku\":";
    append_json_string(out, s.sku);
    fmt::format_to(it, ",\"soh\":{},\"available_quantity\":{},\"reserved\":{},\"version\":{},\"updated_at\":\"",
                   s.state.soh, s.state.available_quantity, s.state.reserved, s.state.version);
    out += util::format_time(s.updated_at);
    out += '"';
    if (!extra_key.empty()) {
        out += ',';
        append_json_string(out, extra_key);
        fmt::format_to(it, ":{}", extra_value);
    }
    out += '}';
}

namespace {

char* put_raw(char* out, std::string_view s) {
    std::memcpy(out, s.data(), s.size());
    return out + s.size();
}

char* put_int(char* out, std::int64_t value) {
    // 20 characters hold any int64.
    return std::to_chars(out, out + 20, value).ptr;
}

char* put_nullable(char* out, const std::optional<std::string_view>& s) {
    return s ? put_json_string(out, *s) : put_raw(out, "null");
}

std::size_t room(const std::optional<std::string_view>& s) { return s ? json_string_room(s->size()) : 4; }

}  // namespace

std::size_t event_json_room(const EventView& e) {
    // The keys, the integers, the event type, the data (at most three
    // fields) and the time take less than 512 bytes; the strings
    // at most json_string_room each.
    return 512 + json_string_room(e.event_id.size()) + json_string_room(e.hash.size()) +
           json_string_room(e.sku.size()) + json_string_room(e.actor.size()) + room(e.reason) +
           json_string_room(e.command_id.size()) + room(e.idempotency_key);
}

char* put_event_json(char* out, const EventView& e, util::TimeFormatter& time) {
    out = put_raw(out, "{\"seq\":");
    out = put_int(out, e.seq);
    out = put_raw(out, ",\"event_id\":");
    out = put_json_string(out, e.event_id);
    out = put_raw(out, ",\"sku\":");
    out = put_json_string(out, e.sku);
    out = put_raw(out, ",\"version\":");
    out = put_int(out, e.version);
    out = put_raw(out, ",\"event_type\":\"");
    out = put_raw(out, domain::event_type(e.event));
    out = put_raw(out, "\",\"data\":{");
    // domain::data_json_text's bytes.
    bool first = true;
    for (const auto& [name, value] : domain::event_fields(e.event)) {
        if (!first) *out++ = ',';
        first = false;
        *out++ = '"';
        out = put_raw(out, name);
        out = put_raw(out, "\":");
        out = put_int(out, value);
    }
    out = put_raw(out, "},\"recorded_at\":\"");
    out = put_raw(out, time(e.recorded_at));
    out = put_raw(out, "\",\"actor\":");
    out = put_json_string(out, e.actor);
    out = put_raw(out, ",\"reason\":");
    out = put_nullable(out, e.reason);
    out = put_raw(out, ",\"command_id\":");
    out = put_json_string(out, e.command_id);
    out = put_raw(out, ",\"idempotency_key\":");
    out = put_nullable(out, e.idempotency_key);
    out = put_raw(out, ",\"hash\":");
    out = put_json_string(out, e.hash);
    *out++ = '}';
    return out;
}

std::string event_json(const domain::EventRecord& e, const domain::State* after) {
    // Written directly rather than through a JSON document: `events`,
    // `history` and `export file` write one of these per event.
    auto optional_view = [](const std::optional<std::string>& s) {
        return s ? std::optional<std::string_view>(*s) : std::nullopt;
    };
    EventView view{e.seq,
                   e.event_id,
                   e.sku,
                   e.version,
                   e.event,
                   e.recorded_at,
                   e.meta.actor,
                   optional_view(e.meta.reason),
                   e.meta.command_id,
                   optional_view(e.meta.idempotency_key),
                   e.hash};
    std::string out;
    out.resize(event_json_room(view));
    util::TimeFormatter time;
    char* end = put_event_json(out.data(), view, time);
    out.resize(static_cast<std::size_t>(end - out.data()));
    if (after)
        out.insert(out.size() - 1,
                   fmt::format(",\"state\":{{\"soh\":{},\"available_quantity\":{},\"reserved\":{},\"version\":{}}}",
                               after->soh, after->available_quantity, after->reserved, after->version));
    return out;
}

std::string history_json(const domain::EventRecord& e, const domain::State* after) {
    std::string out = event_json(e, after);
    if (!after) out.insert(out.size() - 1, ",\"state\":null");
    return out;
}

}  // namespace invlog::output
