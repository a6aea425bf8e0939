// Prometheus metrics of the server (see metrics.hpp).
#include "invlog/http/metrics.hpp"

#include <fmt/format.h>

namespace invlog::http {
namespace {

const std::vector<double> duration_bounds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                             0.1,    0.25,  0.5,    1,     2.5,  5,     10};
const std::vector<double> batch_bounds = {1, 2, 4, 8, 16, 32, 64, 128, 256};

// Go's ParseFloat reads what fmt writes for a double ("0.0005", "1e-05", "2.5").
std::string number(double v) { return fmt::format("{}", v); }

void header(std::string& out, const char* name, const char* type, const char* help) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

}  // namespace

std::string prometheus_label(std::string_view value) {
    std::string out;
    for (char c : value) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

Histogram::Histogram(std::vector<double> bounds) : m_bounds(std::move(bounds)), m_counts(m_bounds.size() + 1, 0) {}

void Histogram::observe(double value) {
    std::size_t i = 0;
    while (i < m_bounds.size() && value > m_bounds[i]) ++i;
    ++m_counts[i];
    m_sum += value;
    ++m_count;
}

std::string Histogram::render(const std::string& name, const std::string& labels) const {
    std::string out;
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < m_bounds.size(); ++i) {
        cumulative += m_counts[i];
        out += fmt::format("{}_bucket{{{}le=\"{}\"}} {}\n", name, labels, number(m_bounds[i]), cumulative);
    }
    cumulative += m_counts.back();
    out += fmt::format("{}_bucket{{{}le=\"+Inf\"}} {}\n", name, labels, cumulative);
    const std::string bare = labels.empty() ? "" : "{" + labels.substr(0, labels.size() - 1) + "}";
    out += fmt::format("{}_sum{} {}\n{}_count{} {}\n", name, bare, number(m_sum), name, bare, m_count);
    return out;
}

Metrics::Metrics() : m_batch_sizes(batch_bounds), m_commit_seconds(duration_bounds) {}

void Metrics::observe_request(const std::string& route, int status, double seconds) {
    std::lock_guard lock(m_mutex);
    ++m_requests[{route, status}];
    m_durations.try_emplace(route, duration_bounds).first->second.observe(seconds);
}

void Metrics::observe_command(const std::string& command, const std::string& outcome) {
    std::lock_guard lock(m_mutex);
    ++m_commands[{command, outcome}];
}

void Metrics::observe_batch(const app::BatchReport& report) {
    std::lock_guard lock(m_mutex);
    m_batch_sizes.observe(static_cast<double>(report.requests));
    if (report.committed) m_commit_seconds.observe(std::chrono::duration<double>(report.commit_time).count());
    if (report.attempts > 1) m_commit_retries += static_cast<std::uint64_t>(report.attempts - 1);
}

std::string Metrics::render(std::int64_t head_seq, const std::vector<store::ExportPosition>& positions) const {
    std::lock_guard lock(m_mutex);
    std::string out;
    header(out, "invlog_http_requests_total", "counter", "HTTP requests answered, by route template and status.");
    for (const auto& [key, n] : m_requests)
        out += fmt::format("invlog_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n", prometheus_label(key.first),
                           key.second, n);
    header(out, "invlog_http_request_duration_seconds", "histogram",
           "Time from the first byte of a request to the end of its response.");
    for (const auto& [route, h] : m_durations)
        out += h.render("invlog_http_request_duration_seconds", fmt::format("route=\"{}\",", prometheus_label(route)));
    header(out, "invlog_commands_total", "counter",
           "Write commands served, by command and outcome (ok, or the error kind).");
    for (const auto& [key, n] : m_commands)
        out += fmt::format("invlog_commands_total{{command=\"{}\",outcome=\"{}\"}} {}\n", prometheus_label(key.first),
                           prometheus_label(key.second), n);
    header(out, "invlog_group_commit_batch_size", "histogram", "Write requests committed in one transaction.");
    out += m_batch_sizes.render("invlog_group_commit_batch_size", "");
    header(out, "invlog_commit_duration_seconds", "histogram",
           "Time of a group commit's COMMIT, which includes SQLite's fsync of the log.");
    out += m_commit_seconds.render("invlog_commit_duration_seconds", "");
    header(out, "invlog_group_commit_retries_total", "counter",
           "Group transactions run again because another writer of a shared store (MongoDB) committed first.");
    out += fmt::format("invlog_group_commit_retries_total {}\n", m_commit_retries);
    header(out, "invlog_head_seq", "gauge", "The seq of the last event committed to the store.");
    out += fmt::format("invlog_head_seq {}\n", head_seq);
    header(out, "invlog_export_lag_events", "gauge",
           "Events recorded but not yet exported, per export destination recorded in the database.");
    for (const auto& p : positions)
        out += fmt::format("invlog_export_lag_events{{destination=\"{}\"}} {}\n", prometheus_label(p.destination),
                           std::max<std::int64_t>(0, head_seq - p.last_seq));
    return out;
}

}  // namespace invlog::http
