// Terminal progress lines.
#include "invlog/cli/progress.hpp"

#include <unistd.h>

#include <cstdio>

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
    std::string line = m_total > 0 ? fmt::format("{}: {}/{} ({}%)", m_label, done, m_total, done * 100 / m_total)
                                   : fmt::format("{}: {}", m_label, done);
    if (!detail.empty()) line += " " + detail;
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

bool progress_wanted(bool no_progress_flag) { return !no_progress_flag && isatty(STDERR_FILENO); }

}  // namespace invlog::cli
