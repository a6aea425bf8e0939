// Terminal progress lines.
#include "invlog/cli/progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>

#include <fmt/format.h>

namespace invlog::cli {

Progress::Progress(std::string label, std::int64_t total, bool enabled)
    : m_label(std::move(label)), m_total(total), m_enabled(enabled) {}

Progress::~Progress() { finish(); }

void Progress::update(std::int64_t done, const std::string& detail) {
    if (!m_enabled) return;
    auto now = std::chrono::steady_clock::now();
    if (m_drawn && now - m_last < std::chrono::milliseconds(200)) return;
    m_last = now;
    const std::string line =
        progress_text(m_label, done, m_total, std::chrono::duration_cast<std::chrono::milliseconds>(now - m_start),
                      detail);
    std::fprintf(stderr, "\r\x1b[K%s", line.c_str());
    std::fflush(stderr);
    m_drawn = true;
}

void Progress::finish() {
    if (m_drawn) {
        std::fputs("\r\x1b[K", stderr);
        std::fflush(stderr);
        m_drawn = false;
    }
}

std::string duration_text(std::chrono::seconds duration) {
    const auto s = std::max<std::int64_t>(0, duration.count());
    if (s < 60) return fmt::format("{}s", s);
    if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
    return fmt::format("{}h{:02}m", s / 3600, s / 60 % 60);
}

std::string progress_text(std::string_view label, std::int64_t done, std::int64_t total,
                          std::chrono::milliseconds elapsed, std::string_view detail) {
    if (total <= 0) {
        std::string line = fmt::format("{}: {}", label, done);
        if (!detail.empty()) fmt::format_to(std::back_inserter(line), " {}", detail);
        return line;
    }
    done = std::clamp<std::int64_t>(done, 0, total);
    // In floating point: done * 100 overflows no int64 this way, and the
    // estimate's product neither.
    const double fraction = static_cast<double>(done) / static_cast<double>(total);
    // Whole percents, rounded down as done * 100 / total would be (the
    // epsilon keeps 29/100 from showing as 28%).
    const int percent = static_cast<int>(std::floor(fraction * 100 + 1e-9));
    std::string line = fmt::format("{}: {}/{} ({}%)", label, done, total, percent);
    if (!detail.empty()) fmt::format_to(std::back_inserter(line), " {}", detail);
    if (done > 0 && done < total && elapsed >= std::chrono::seconds(1)) {
        const double left = static_cast<double>(elapsed.count()) * (1 - fraction) / fraction / 1000;
        // Rounded up: "0s left" while work remains reads as a hang.
        const auto seconds = static_cast<std::int64_t>(std::ceil(std::min(left, 1e9)));
        fmt::format_to(std::back_inserter(line), ", about {} left", duration_text(std::chrono::seconds(seconds)));
    }
    return line;
}

bool progress_wanted(bool no_progress_flag) { return !no_progress_flag && isatty(STDERR_FILENO); }

}  // namespace invlog::cli
