// The checks of verify, one event at a time.
#include "invlog/app/verify.hpp"

#include <algorithm>
#include <limits>
#include <unordered_map>

#include <fmt/format.h>

#include "invlog/app/verify_rules.hpp"
#include "invlog/domain/text.hpp"
#include "invlog/store/audit.hpp"
#include "invlog/util/crypto.hpp"
#include "invlog/util/time.hpp"

namespace invlog::app {
namespace {

std::string quantities(const domain::State& s) {
    return fmt::format("soh {}, available {}, reserved {}", s.soh, s.available_quantity, s.reserved);
}

// Whether b is a + 1, for any stored a (a + 1 overflows at INT64_MAX).
bool follows(std::int64_t a, std::int64_t b) { return a != std::numeric_limits<std::int64_t>::max() && b == a + 1; }

// b - a for b > a, however far apart.
std::uint64_t distance(std::int64_t a, std::int64_t b) {
    return static_cast<std::uint64_t>(b) - static_cast<std::uint64_t>(a);
}

class Checker {
public:
    Checker(VerifyReport& report, const VerifyOptions& options, std::optional<std::int64_t> ids_from, bool sealed)
        : m_report(report),
          m_options(options),
          m_expect_seen(options.expect.size(), false),
          m_ids(ids_from),
          m_report_sealed(sealed) {}

    void event(const store::AuditRow& row);
    void finish_events();
    void read_model_row(const domain::SkuState& row);
    void read_model_done();
    void orphan_snapshot(const store::Snapshot& s);
    void key_target(const store::KeyTarget& t);
    void expectations();

private:
    struct Sku {
        domain::State state;  // replayed so far; version is the last stored version
        std::int64_t last_seq = 0;
        domain::Millis last_at = 0;
        bool replayable = true;  // false after an event that does not decode
        bool broken = false;     // breaks the invariant (reported once until it holds again)
        bool in_read_model = false;
    };

    void problem(std::int64_t seq, const std::string& sku, const char* code, std::string message) {
        m_report.problems.push_back(Problem{seq, sku, code, std::move(message)});
    }
    void check_seq_and_chain(const store::RawEvent& e);
    void check_sku(const store::AuditRow& row, Sku& sku);
    void check_snapshot(const store::RawEvent& e, const store::Snapshot& s, const domain::State& replayed);
    void start_command(const store::AuditRow& row, const Sku& sku);
    void end_command();

    VerifyReport& m_report;
    const VerifyOptions& m_options;
    std::vector<bool> m_expect_seen;
    std::unordered_map<std::string, Sku> m_skus;
    util::Sha256 m_sha;
    util::Digest m_prev_stored{};    // the stored hash of the previous event
    util::Digest m_prev_computed{};  // the hash the previous event should have had
    std::int64_t m_prev_seq = 0;
    std::optional<domain::Millis> m_prev_at;
    // The command being read: the invariant holds between commands, not
    // between the events of one (reserve raises reserved before it lowers
    // available), so it is checked when the next command starts. A command
    // with an idempotency key is decided again from its fingerprint then,
    // from the state before its first event.
    std::string m_command;
    std::string m_command_sku;
    std::int64_t m_command_seq = 0;
    std::int64_t m_command_first_seq = 0;
    domain::State m_command_before;
    std::optional<store::IdempotencyEntry> m_command_entry;
    std::string m_command_key;
    std::vector<domain::Event> m_command_events;
    bool m_command_decoded = true;
    IdRules m_ids;
    bool m_report_sealed;  // snapshots carry a hash (format 2)
};

void Checker::event(const store::AuditRow& row) {
    const store::RawEvent& e = row.event;
    ++m_report.events;
    if (!m_report.first_recorded_at) m_report.first_recorded_at = e.recorded_at;
    m_report.last_recorded_at = e.recorded_at;
    m_report.head_seq = e.seq;

    check_seq_and_chain(e);
    if (!row.wrong_types.empty())
        problem(e.seq, e.sku, "wrong_type",
                fmt::format("seq {} stores {}: not the storage type of its column (the hash covers values, not "
                            "types; such a value escapes look-ups and UNIQUE (sku, version))",
                            e.seq, row.wrong_types));
    if (m_prev_at && e.recorded_at < *m_prev_at)
        problem(e.seq, e.sku, "time_goes_back",
                fmt::format("seq {} was recorded at {}, before the event ahead of it ({})", e.seq,
                            util::format_time(e.recorded_at), util::format_time(*m_prev_at)));
    m_prev_at = e.recorded_at;

    const bool command_start = e.meta.command_id != m_command || e.sku != m_command_sku;
    if (command_start) end_command();
    // Elements of an unordered_map stay where they are while it grows.
    Sku& sku = m_skus[e.sku];
    if (command_start) start_command(row, sku);
    m_ids.event(e, command_start, m_report.problems, m_report.notices);
    check_sku(row, sku);
    m_command_seq = e.seq;

    if (e.meta.idempotency_key) {
        const auto& key = *e.meta.idempotency_key;
        if (!row.idempotency)
            problem(e.seq, e.sku, "idempotency_missing",
                    fmt::format("seq {} carries idempotency key '{}', which the idempotency table does not hold", e.seq,
                                domain::shown(key)));
        else if (row.idempotency->sku != e.sku || row.idempotency->command_id != e.meta.command_id ||
                 row.idempotency->version < e.version)
            problem(e.seq, e.sku, "idempotency_mismatch",
                    fmt::format("seq {} ({} version {}, command {}) carries idempotency key '{}', but the key's "
                                "entry names {} version {} (command {})",
                                e.seq, e.sku, e.version, e.meta.command_id, domain::shown(key), row.idempotency->sku,
                                row.idempotency->version, row.idempotency->command_id));
    }

    for (std::size_t i = 0; i < m_options.expect.size(); ++i) {
        const auto& x = m_options.expect[i];
        if (x.seq != e.seq) continue;
        m_expect_seen[i] = true;
        if (auto hash = util::to_hex(e.hash); hash != x.hash)
            problem(e.seq, e.sku, "unexpected_hash",
                    fmt::format("seq {} has hash {}, expected {}: the log up to it was rewritten", e.seq, hash,
                                x.hash));
    }
}

void Checker::check_seq_and_chain(const store::RawEvent& e) {
    // Seqs come in increasing order (the primary key), but a tampered file
    // may hold any of them: no arithmetic here may overflow.
    const bool gap = !follows(m_prev_seq, e.seq);
    if (e.seq > m_prev_seq && distance(m_prev_seq, e.seq) > 2)
        problem(m_prev_seq + 1, "", "missing_events",
                fmt::format("events seq {} to {} are missing (the log goes from seq {} to seq {})", m_prev_seq + 1,
                            e.seq - 1, m_prev_seq, e.seq));
    else if (e.seq > m_prev_seq && distance(m_prev_seq, e.seq) == 2)
        problem(m_prev_seq + 1, "", "missing_events",
                fmt::format("event seq {} is missing (the log goes from seq {} to seq {})", m_prev_seq + 1, m_prev_seq,
                            e.seq));
    else if (gap)
        problem(e.seq, e.sku, "invalid_seq", fmt::format("seq {} does not follow seq {}", e.seq, m_prev_seq));

    const util::Digest computed = store::chain_hash(m_sha, m_prev_stored, e);
    bool ok = computed == e.hash;
    // When only the previous event's stored hash was changed, this event
    // still chains to the hash that event should have: one problem, not two.
    if (!ok && m_prev_computed != m_prev_stored) ok = store::chain_hash(m_sha, m_prev_computed, e) == e.hash;
    if (!ok)
        problem(e.seq, e.sku, "hash_mismatch",
                gap ? fmt::format("the hash of seq {} does not chain to seq {}, the event before it", e.seq, m_prev_seq)
                    : fmt::format("the hash of seq {} does not match its content: the event or its hash was changed "
                                  "after it was written",
                                  e.seq));
    m_prev_stored = e.hash;
    m_prev_computed = computed;
    m_prev_seq = e.seq;
}

void Checker::check_sku(const store::AuditRow& row, Sku& sku) {
    const store::RawEvent& e = row.event;
    if (!follows(sku.state.version, e.version))
        problem(e.seq, e.sku, "version_gap",
                e.version > sku.state.version ? fmt::format("{} jumps from version {} to version {} at seq {}", e.sku,
                                                            sku.state.version, e.version, e.seq)
                                              : fmt::format("{} version {} at seq {} follows version {}", e.sku,
                                                            e.version, e.seq, sku.state.version));
    sku.last_seq = e.seq;
    sku.last_at = e.recorded_at;

    auto event = store::decode_data(e.event_type, e.data);
    if (!event) {
        const auto& types = domain::event_types();
        if (std::find(types.begin(), types.end(), e.event_type) == types.end())
            problem(e.seq, e.sku, "unknown_event_type",
                    fmt::format("seq {} has an unknown event type '{}'", e.seq, e.event_type));
        else
            problem(e.seq, e.sku, "undecodable_event",
                    fmt::format("the data of seq {} ({}) does not decode: {}", e.seq, e.event_type, e.data));
        sku.replayable = false;
    }
    if (!event) m_command_decoded = false;
    if (!sku.replayable) {
        sku.state.version = e.version;
        return;
    }
    if (auto wrong = domain::value_problem(*event))
        problem(e.seq, e.sku, "value_out_of_range", fmt::format("seq {}: {}", e.seq, *wrong));
    m_command_events.push_back(*event);
    const bool created = std::holds_alternative<domain::InventoryCreated>(*event);
    if (created && e.version != 1)
        problem(e.seq, e.sku, "unexpected_event",
                fmt::format("{} is created again at version {} (seq {})", e.sku, e.version, e.seq));
    else if (!created && e.version == 1)
        problem(e.seq, e.sku, "unexpected_event",
                fmt::format("the first event of {} (seq {}) is {}, not INVENTORY_CREATED", e.sku, e.seq, e.event_type));
    sku.state = domain::evolve(sku.state, *event);
    sku.state.version = e.version;

    if (row.snapshot) check_snapshot(e, *row.snapshot, sku.state);
}

void Checker::check_snapshot(const store::RawEvent& e, const store::Snapshot& s, const domain::State& replayed) {
    ++m_report.snapshots;
    if (s.state != replayed || s.seq != e.seq || s.recorded_at != e.recorded_at)
        problem(e.seq, e.sku, "snapshot_mismatch",
                fmt::format("the snapshot of {} at version {} holds {} (seq {}, {}); the events give {} (seq {}, {})",
                            e.sku, e.version, quantities(s.state), s.seq, util::format_time(s.recorded_at),
                            quantities(replayed), e.seq, util::format_time(e.recorded_at)));
    // Sealed with the hash the event has, or with the one it should have: when
    // only the event's stored hash was changed, that is the one problem.
    else if (m_report_sealed && store::snapshot_hash(m_sha, e.hash, s.sku, s.state, s.seq, s.recorded_at) != s.hash &&
             store::snapshot_hash(m_sha, m_prev_computed, s.sku, s.state, s.seq, s.recorded_at) != s.hash)
        problem(e.seq, e.sku, "snapshot_mismatch",
                fmt::format("the hash of the snapshot of {} at version {} does not match its event and contents: "
                            "invlog ignores it",
                            e.sku, e.version));
}

void Checker::start_command(const store::AuditRow& row, const Sku& sku) {
    const store::RawEvent& e = row.event;
    m_command = e.meta.command_id;
    m_command_sku = e.sku;
    m_command_first_seq = e.seq;
    m_command_before = sku.state;
    m_command_events.clear();
    m_command_decoded = sku.replayable;
    m_command_entry.reset();
    // Only the entry that names this very command: others are reported as
    // idempotency mismatches.
    if (e.meta.idempotency_key && row.idempotency && row.idempotency->command_id == e.meta.command_id &&
        row.idempotency->sku == e.sku) {
        m_command_entry = row.idempotency;
        m_command_key = *e.meta.idempotency_key;
    }
}

void Checker::end_command() {
    auto it = m_skus.find(m_command_sku);
    if (it == m_skus.end() || !it->second.replayable) return;
    if (m_command_entry && m_command_decoded)
        if (auto p = check_fingerprint(m_command_key, *m_command_entry, m_command_sku, m_command_first_seq,
                                       m_command_before, m_command_events))
            m_report.problems.push_back(std::move(*p));
    m_command_entry.reset();
    Sku& sku = it->second;
    if (auto broken = domain::invariant_problem(sku.state)) {
        if (!sku.broken)
            problem(m_command_seq, m_command_sku, "invariant_broken",
                    fmt::format("after seq {}, {} breaks the invariant: {}", m_command_seq, m_command_sku, *broken));
        sku.broken = true;
    } else {
        sku.broken = false;
    }
}

void Checker::finish_events() {
    end_command();
    m_ids.finish(m_report.notices);
    m_report.skus = static_cast<std::int64_t>(m_skus.size());
    if (m_report.events > 0) m_report.head_hash = util::to_hex(m_prev_stored);
}

void Checker::read_model_row(const domain::SkuState& row) {
    auto it = m_skus.find(row.sku);
    if (it == m_skus.end()) {
        problem(0, row.sku, "read_model_extra", fmt::format("the read model holds {}, which has no events", row.sku));
        return;
    }
    Sku& sku = it->second;
    sku.in_read_model = true;
    if (sku.replayable && (row.state != sku.state || row.updated_at != sku.last_at))
        problem(sku.last_seq, row.sku, "read_model_mismatch",
                fmt::format("the read model says {} has {}, version {}, updated {}; the events give {}, version {}, "
                            "updated {}",
                            row.sku, quantities(row.state), row.state.version, util::format_time(row.updated_at),
                            quantities(sku.state), sku.state.version, util::format_time(sku.last_at)));
}

void Checker::read_model_done() {
    for (const auto& [name, sku] : m_skus)
        if (!sku.in_read_model)
            problem(sku.last_seq, name, "read_model_missing",
                    fmt::format("{} has events up to seq {} but no row in the read model", name, sku.last_seq));
}

void Checker::orphan_snapshot(const store::Snapshot& s) {
    problem(0, s.sku, "snapshot_orphan",
            fmt::format("a snapshot of {} at version {} names no event of the log", s.sku, s.state.version));
}

void Checker::key_target(const store::KeyTarget& t) {
    ++m_report.idempotency_keys;
    if (!t.event)
        problem(0, t.entry.sku, "idempotency_dangling",
                fmt::format("idempotency key '{}' points at {} version {}, which does not exist", domain::shown(t.key),
                            domain::shown(t.entry.sku), t.entry.version));
    else if (t.event->meta.idempotency_key != t.key || t.event->meta.command_id != t.entry.command_id)
        problem(t.event->seq, t.entry.sku, "idempotency_mismatch",
                fmt::format("idempotency key '{}' points at seq {} ({} version {}), which another command wrote",
                            domain::shown(t.key), t.event->seq, t.entry.sku, t.entry.version));
}

void Checker::expectations() {
    for (std::size_t i = 0; i < m_options.expect.size(); ++i)
        if (!m_expect_seen[i])
            problem(m_options.expect[i].seq, "", "expected_seq_missing",
                    fmt::format("seq {} does not exist (the head is seq {}); expected hash {}", m_options.expect[i].seq,
                                m_report.head_seq, m_options.expect[i].hash));
    if (m_options.expect_head && *m_options.expect_head != m_report.head_hash)
        problem(m_report.head_seq, "", "unexpected_head",
                m_report.events == 0 ? fmt::format("the log is empty; expected head {}", *m_options.expect_head)
                                     : fmt::format("the head is seq {} with hash {}, expected {}", m_report.head_seq,
                                                   m_report.head_hash, *m_options.expect_head));
}

}  // namespace

VerifyReport verify(store::EventStore& store, const VerifyOptions& options) {
    VerifyReport report;
    // One read transaction: every check sees the same moment, however many
    // writers carry on meanwhile.
    store::EventStore::Transaction tx(store, false);
    for (const auto& line : store.quick_check())
        report.problems.push_back(
            Problem{0, "", "file_damaged", fmt::format("SQLite finds the file damaged: {}", line)});
    if (!report.problems.empty()) return report;  // nothing read from it could be trusted

    const std::int64_t total = store.head().seq;
    // Format 2 records where its id rules begin; a file created with it, at 1.
    std::optional<std::int64_t> ids_from;
    if (store.format() >= 2) ids_from = store.first_seq_of_format(2).value_or(1);
    Checker checker(report, options, ids_from, store.format() >= 2);
    store.for_each_audit_row([&](const store::AuditRow& row) {
        checker.event(row);
        if (options.progress && report.events % 1024 == 0) options.progress(report.events, total);
    });
    checker.finish_events();
    store.for_each_state([&](const domain::SkuState& row) { checker.read_model_row(row); });
    checker.read_model_done();
    store.for_each_orphan_snapshot([&](const store::Snapshot& s) { checker.orphan_snapshot(s); });
    store.for_each_key_target([&](const store::KeyTarget& t) { checker.key_target(t); });
    check_settings(store, report.problems);
    check_table_types(store, report.problems);
    checker.expectations();
    tx.commit();

    constexpr auto last = std::numeric_limits<std::int64_t>::max();
    std::stable_sort(report.problems.begin(), report.problems.end(), [](const Problem& a, const Problem& b) {
        return (a.seq > 0 ? a.seq : last) < (b.seq > 0 ? b.seq : last);
    });
    return report;
}

}  // namespace invlog::app
