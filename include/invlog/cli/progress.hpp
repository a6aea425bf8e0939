// Progress lines on stderr for long work (apply, rebuild, verify, export):
// shown only when stderr is a terminal and --no-progress is not given, and
// redrawn at most a few times a second.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

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
};

// Whether progress may be shown: stderr is a terminal and --no-progress unset.
bool progress_wanted(bool no_progress_flag);

}  // namespace invlog::cli
