// Progress lines on stderr for long work (apply, rebuild, verify, export):
// shown only when stderr is a terminal and --no-progress is not given, and
// redrawn at most a few times a second. With a known total the line shows a
// percentage and, once a second has passed, an estimate of the time left.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace invlog::cli {

class Progress {
public:
    // label: "verify", "apply"...; total: 0 when unknown.
    Progress(std::string label, std::int64_t total, bool enabled);
    ~Progress();
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    // Reports `done` units so far; cheap when nothing needs drawing.
    void update(std::int64_t done, const std::string& detail = {});
    // Clears the progress line.
    void finish();

private:
    std::string m_label;
    std::int64_t m_total;
    bool m_enabled;
    bool m_drawn = false;
    std::chrono::steady_clock::time_point m_last{};
    std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
};

// The text of a progress line (pure, for the tests): "verify: 1200/5000
// (24%), about 13s left" with a total, "apply: 120" without. The estimate
// assumes the rest goes at the pace so far; it is left out before a second
// has passed or before anything is done, when it would only be noise.
std::string progress_text(std::string_view label, std::int64_t done, std::int64_t total,
                          std::chrono::milliseconds elapsed, std::string_view detail = {});

// A duration as a progress line shows it: "45s", "3m05s", "2h07m".
std::string duration_text(std::chrono::seconds duration);

// Whether progress may be shown: stderr is a terminal and --no-progress unset.
bool progress_wanted(bool no_progress_flag);

}  // namespace invlog::cli
