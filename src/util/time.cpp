// RFC 3339 parsing and formatting without locale or time zone database.
#include "invlog/util/time.hpp"

#include <chrono>

#include <fmt/format.h>

namespace invlog::util {
namespace {

// Howard Hinnant's days_from_civil / civil_from_days.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
}

bool leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(std::int64_t y, unsigned m) {
    static const unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : days[m - 1];
}

// Reads exactly n digits at pos.
bool digits(std::string_view s, std::size_t& pos, std::size_t n, int& out) {
    if (pos + n > s.size()) return false;
    out = 0;
    for (std::size_t i = 0; i < n; ++i) {
        char c = s[pos + i];
        if (c < '0' || c > '9') return false;
        out = out * 10 + (c - '0');
    }
    pos += n;
    return true;
}

bool expect(std::string_view s, std::size_t& pos, char c) {
    if (pos >= s.size() || s[pos] != c) return false;
    ++pos;
    return true;
}

const Millis min_time = days_from_civil(0, 1, 1) * 86'400'000;
const Millis max_time = days_from_civil(10000, 1, 1) * 86'400'000 - 1;

}  // namespace

Millis now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

namespace {

// The 24 characters of a time in the years 0000 to 9999 into buf; false for
// a time outside them, which format_time writes with fmt instead.
// The civil date of ms and the milliseconds into its day. Floor division
// without negating or multiplying: any stored time, even INT64_MIN from a
// tampered file, is split without overflow.
void split_time(Millis ms, std::int64_t& y, unsigned& m, unsigned& d, std::int64_t& rest) {
    std::int64_t days = ms / 86'400'000;
    rest = ms % 86'400'000;
    if (rest < 0) {
        rest += 86'400'000;
        --days;
    }
    civil_from_days(days, y, m, d);
}

bool put_time(char* buf, Millis ms) {
    std::int64_t y, rest;
    unsigned m, d;
    split_time(ms, y, m, d, rest);
    if (y < 0 || y > 9999) return false;
    // Written by hand: this runs once per event listed or exported, and
    // fmt::format costs more than the rest of the event's JSON.
    auto put = [&](int pos, std::int64_t value, int width) {
        for (int i = pos + width - 1; i >= pos; --i, value /= 10) buf[i] = static_cast<char>('0' + value % 10);
    };
    put(0, y, 4);
    buf[4] = '-';
    put(5, m, 2);
    buf[7] = '-';
    put(8, d, 2);
    buf[10] = 'T';
    put(11, rest / 3'600'000, 2);
    buf[13] = ':';
    put(14, rest / 60'000 % 60, 2);
    buf[16] = ':';
    put(17, rest / 1000 % 60, 2);
    buf[19] = '.';
    put(20, rest % 1000, 3);
    buf[23] = 'Z';
    return true;
}

}  // namespace

std::string format_time(Millis ms) {
    char buf[24];
    if (put_time(buf, ms)) return std::string(buf, sizeof buf);
    std::int64_t y, rest;
    unsigned m, d;
    split_time(ms, y, m, d, rest);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", y, m, d, rest / 3'600'000, rest / 60'000 % 60,
                       rest / 1000 % 60, rest % 1000);
}

std::string_view TimeFormatter::operator()(Millis ms) {
    std::int64_t second = ms / 1000;
    std::int64_t milli = ms % 1000;
    if (milli < 0) {
        milli += 1000;
        --second;
    }
    if (m_cached && second == m_second) {
        // Only the milliseconds differ from the previous time.
        m_text[20] = static_cast<char>('0' + milli / 100);
        m_text[21] = static_cast<char>('0' + milli / 10 % 10);
        m_text[22] = static_cast<char>('0' + milli % 10);
        return {m_text, sizeof m_text};
    }
    m_cached = put_time(m_text, ms);
    m_second = second;
    if (m_cached) return {m_text, sizeof m_text};
    m_other = format_time(ms);
    return m_other;
}

std::optional<Millis> parse_time(std::string_view s) {
    std::size_t pos = 0;
    int year, month, day;
    if (!digits(s, pos, 4, year) || !expect(s, pos, '-') || !digits(s, pos, 2, month) || !expect(s, pos, '-') ||
        !digits(s, pos, 2, day))
        return std::nullopt;
    if (month < 1 || month > 12 || day < 1 || static_cast<unsigned>(day) > days_in_month(year, month))
        return std::nullopt;
    const Millis day_start = days_from_civil(year, month, day) * 86'400'000;
    if (pos == s.size()) return day_start + 86'400'000 - 1;

    if (s[pos] != 'T' && s[pos] != 't') return std::nullopt;
    ++pos;
    int hour, minute, second;
    if (!digits(s, pos, 2, hour) || !expect(s, pos, ':') || !digits(s, pos, 2, minute) || !expect(s, pos, ':') ||
        !digits(s, pos, 2, second))
        return std::nullopt;
    if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
    Millis ms = 0;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        std::size_t start = pos;
        int scale = 100;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            ms += (s[pos] - '0') * scale;  // digits past milliseconds are truncated
            scale /= 10;
            ++pos;
        }
        if (pos == start || pos - start > 9) return std::nullopt;
    }
    Millis offset = 0;
    if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
        ++pos;
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
        int sign = s[pos] == '-' ? -1 : 1;
        ++pos;
        int oh, om;
        if (!digits(s, pos, 2, oh) || !expect(s, pos, ':') || !digits(s, pos, 2, om) || oh > 23 || om > 59)
            return std::nullopt;
        offset = sign * (oh * 3'600'000LL + om * 60'000LL);
    } else {
        return std::nullopt;
    }
    if (pos != s.size()) return std::nullopt;
    const Millis t = day_start + hour * 3'600'000LL + minute * 60'000LL + second * 1000LL + ms - offset;
    // An offset can carry a time out of the four-digit years; refuse it
    // rather than produce a time that cannot be written back.
    if (t < min_time || t > max_time) return std::nullopt;
    return t;
}

std::optional<Millis> parse_time_at(std::string_view text, Millis now) {
    constexpr Millis day = 86'400'000;
    auto end_of_day = [&](Millis t) { return (t >= 0 ? t / day : (t - day + 1) / day) * day + day - 1; };
    if (text == "now") return now;
    if (text == "today") return end_of_day(now);
    if (text == "yesterday") return end_of_day(now - day);
    if (text.size() >= 2 && text.size() <= 8) {
        Millis unit = 0;
        switch (text.back()) {
        case 's': unit = 1000; break;
        case 'm': unit = 60'000; break;
        case 'h': unit = 3'600'000; break;
        case 'd': unit = day; break;
        case 'w': unit = 7 * day; break;
        default: break;
        }
        const std::string_view count = text.substr(0, text.size() - 1);
        if (unit && count.find_first_not_of("0123456789") == std::string_view::npos) {
            Millis n = 0;
            for (char c : count) n = n * 10 + (c - '0');  // at most 7 digits: no overflow
            // No earlier than a time can be written (year 0000), so that
            // every accepted time prints and parses back the same.
            static const Millis earliest = *parse_time("0000-01-01T00:00:00Z");
            if (now - earliest < n * unit) return std::nullopt;
            return now - n * unit;
        }
    }
    return parse_time(text);
}

}  // namespace invlog::util
