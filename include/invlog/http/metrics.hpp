// The counters and histograms of `invlog serve`, rendered for GET /metrics
// in the Prometheus text format 0.0.4. Thread-safe: connection threads and
// the group commit's writer record into one instance.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "invlog/app/group_commit.hpp"
#include "invlog/store/export_positions.hpp"

namespace invlog::http {

class Histogram {
public:
    explicit Histogram(std::vector<double> bounds);
    void observe(double value);
    // The _bucket, _sum and _count lines of `name` with `labels` ("" or
    // `route="/x",`: each already followed by a comma).
    std::string render(const std::string& name, const std::string& labels) const;

private:
    std::vector<double> m_bounds;
    std::vector<std::uint64_t> m_counts;  // per bucket, not cumulative; the last is +Inf
    double m_sum = 0;
    std::uint64_t m_count = 0;
};

class Metrics {
public:
    Metrics();
    void observe_request(const std::string& route, int status, double seconds);
    void observe_command(const std::string& command, const std::string& outcome);
    void observe_batch(const app::BatchReport& report);

    // The whole exposition, with the gauges read now.
    std::string render(std::int64_t head_seq, const std::vector<store::ExportPosition>& positions) const;

private:
    mutable std::mutex m_mutex;
    std::map<std::pair<std::string, int>, std::uint64_t> m_requests;
    std::map<std::string, Histogram> m_durations;
    std::map<std::pair<std::string, std::string>, std::uint64_t> m_commands;
    Histogram m_batch_sizes;
    Histogram m_commit_seconds;
    std::uint64_t m_commit_retries = 0;
};

// A label value with \, " and newline escaped, as the text format wants.
std::string prometheus_label(std::string_view value);

}  // namespace invlog::http
