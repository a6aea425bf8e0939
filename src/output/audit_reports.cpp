// The verify and stats reports (see audit_reports.hpp).
#include "invlog/output/audit_reports.hpp"

#include "invlog/util/crypto.hpp"

namespace invlog::output {

Report verify_report(const std::string& path, const app::VerifyReport& r) {
    Report out;
    out.summary = {
        {"database", path},
        {"ok", r.ok()},
        {"events", r.events},
        {"skus", r.skus},
        {"first_recorded_at", time_value(r.first_recorded_at)},
        {"last_recorded_at", time_value(r.last_recorded_at)},
        {"head_seq", r.head_seq},
        {"head_hash", text_or_null(r.head_hash)},
        {"snapshots_checked", r.snapshots},
        {"idempotency_keys_checked", r.idempotency_keys},
        {"problem_count", static_cast<std::int64_t>(r.problems.size())},
        {"notice_count", static_cast<std::int64_t>(r.notices.size())},
    };
    out.rows_key = "problems";
    out.notes_key = "notices";
    out.columns = {"seq", "sku", "code", "message"};
    auto row = [](const app::Problem& p) {
        return std::vector<Value>{p.seq > 0 ? Value(p.seq) : Value(nullptr), text_or_null(p.sku), p.code, p.message};
    };
    for (const auto& p : r.problems) out.rows.push_back(row(p));
    for (const auto& n : r.notices) out.notes.push_back(row(n));
    return out;
}

Report stats_report(const app::Stats& s) {
    Report report;
    report.summary = {
        {"database", s.path},
        {"file_size_bytes", s.file_bytes ? Value(*s.file_bytes) : Value(nullptr)},
        {"schema_version", s.schema_version},
        {"events", s.counts.events},
        {"skus", s.counts.skus},
        {"first_recorded_at", time_value(s.counts.first_recorded_at)},
        {"last_recorded_at", time_value(s.counts.last_recorded_at)},
        {"head_seq", s.head.seq},
        {"head_hash", text_or_null(s.head.seq > 0 ? util::to_hex(s.head.hash) : "")},
        {"snapshot_every", s.snapshot_every},
        {"snapshots", s.counts.snapshots},
        {"idempotency_keys", s.counts.idempotency_keys},
    };
    return report;
}

}  // namespace invlog::output
