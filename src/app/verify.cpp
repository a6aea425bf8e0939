// The checks of verify, one event at a time.
#include "invlog/app/verify.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "invlog/app/verify_rules.hpp"
#include "invlog/domain/text.hpp"
#include "invlog/store/audit.hpp"
#include "invlog/util/crypto.hpp"
#include "invlog/util/handoff.hpp"
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

// Where a problem falls among those of the same seq: the order in which
// one pass in seq order finds them. Problems are sorted by seq, then by
// phase, so that the per-SKU checks find the same problems in the same order
// whether they run in that pass or in their own pass SKU by SKU.
enum class Phase : std::uint8_t {
    chain,       // seq, chain, storage types, time, event ids
    event,       // per SKU: version, decoding, values, snapshot
    row,         // the event's key entry, the expected hash at its seq
    command,     // per SKU, at the end of a command: fingerprint, invariant
    read_model,  // per SKU: the read-model row
    missing,     // per SKU: no read-model row
    rest,        // stray snapshots and keys, settings, other tables, expectations
};

bool per_sku(Phase p) {
    return p == Phase::event || p == Phase::command || p == Phase::read_model || p == Phase::missing;
}

// Thrown by the pass SKU by SKU when the file breaks what makes it find what
// the seq-order pass would (names in order, seqs in version order): verify
// then runs again in one pass that keeps every SKU's state.
struct NeedsOnePass {};

class Checker {
public:
    // sku_limit: how many SKUs the seq-order pass keeps states for before it
    // lets them go and leaves the per-SKU checks to a pass SKU by SKU.
    Checker(VerifyReport& report, const VerifyOptions& options, std::optional<std::int64_t> ids_from, bool sealed,
            std::size_t sku_limit)
        : m_report(report),
          m_options(options),
          m_expect_seen(options.expect.size(), false),
          m_ids(ids_from),
          m_report_sealed(sealed),
          m_sku_limit(sku_limit) {}

    // The pass in seq order.
    void event(const store::AuditRow& row);
    void finish_events();
    // Whether that pass kept every SKU (else the pass SKU by SKU follows).
    bool holds_skus() const { return m_hold; }
    // Whether only one pass can judge this file (seqs that are not positive,
    // an empty SKU name).
    bool one_pass_only() const { return m_one_pass_only; }
    // The read model after a pass that kept every SKU.
    void read_model_row(const domain::SkuState& row);
    void read_model_done();
    // The pass SKU by SKU (EventStore::for_each_audit_row_by_sku).
    void sku_event(const store::AuditRow& row);
    void sku_state(const domain::SkuState& row);
    void skus_done();

    void orphan_snapshot(const store::Snapshot& s);
    void key_target(const store::KeyTarget& t);
    void expectations();
    // Gives every problem found since the last call `phase`.
    void tag(Phase phase) { m_phases.resize(m_report.problems.size(), phase); }
    const std::vector<Phase>& phases() const { return m_phases; }

private:
    struct Sku {
        domain::State state;  // replayed so far; version is the last stored version
        std::int64_t last_seq = 0;
        domain::Millis last_at = 0;
        bool replayable = true;  // false after an event that does not decode
        bool broken = false;     // breaks the invariant (reported once until it holds again)
        bool in_read_model = false;
    };
    // The command being read: the invariant holds between commands, not
    // between the events of one (reserve raises reserved before it lowers
    // available), so it is checked when the command ends. A command with an
    // idempotency key is decided again from its fingerprint then, from the
    // state before its first event.
    struct Command {
        std::string sku;
        std::int64_t first_seq = 0;
        std::int64_t last_seq = 0;
        domain::State before;
        std::optional<store::IdempotencyEntry> entry;
        std::string key;
        std::vector<domain::Event> events;
        bool decoded = true;
    };

    void problem(std::int64_t seq, const std::string& sku, const char* code, std::string message) {
        m_report.problems.push_back(Problem{seq, sku, code, std::move(message)});
    }
    void check_seq_and_chain(const store::RawEvent& e);
    void check_sku(const store::AuditRow& row, Sku& sku, const util::Digest& computed);
    void check_snapshot(const store::RawEvent& e, const store::Snapshot& s, const domain::State& replayed,
                        const util::Digest& computed);
    void start_command(const store::AuditRow& row, const Sku& sku);
    void end_command(Sku* sku);
    void compare_read_model(const domain::SkuState& row, Sku& sku);
    void let_go();
    void finish_group();

    VerifyReport& m_report;
    const VerifyOptions& m_options;
    std::vector<Phase> m_phases;  // of each problem
    std::vector<bool> m_expect_seen;
    util::Sha256 m_sha;
    util::Digest m_prev_stored{};    // the stored hash of the previous event
    util::Digest m_prev_computed{};  // the hash the previous event should have had
    std::int64_t m_prev_seq = 0;
    std::optional<domain::Millis> m_prev_at;
    // The command of the previous event in seq order: an event with the same
    // command id and SKU continues it.
    std::string m_seq_command;
    std::string m_seq_command_sku;
    IdRules m_ids;
    bool m_report_sealed;  // snapshots carry a hash (format 2)
    std::size_t m_sku_limit;
    bool m_hold = true;
    bool m_one_pass_only = false;
    // Kept from the seq-order pass for the pass SKU by SKU, and growing only
    // with damage: the seq of the event before each event whose seq does
    // not follow it, and the hash each event should have had where it is
    // not the stored one.
    std::map<std::int64_t, std::int64_t> m_jumps;
    std::map<std::int64_t, util::Digest> m_computed;
    // The per-SKU state: every SKU's while the seq-order pass holds them,
    // else the current SKU's in the pass SKU by SKU.
    std::unordered_map<std::string, Sku> m_skus;
    Command m_command;
    bool m_in_group = false;
    std::string m_group_sku;
    Sku m_group;
    std::int64_t m_groups = 0;
    bool m_any_state = false;
    std::string m_last_state_sku;
};

void Checker::event(const store::AuditRow& row) {
    const store::RawEvent& e = row.event;
    ++m_report.events;
    if (!m_report.first_recorded_at) m_report.first_recorded_at = e.recorded_at;
    m_report.last_recorded_at = e.recorded_at;
    m_report.head_seq = e.seq;
    if (e.seq <= 0 || e.sku.empty()) m_one_pass_only = true;

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
    tag(Phase::chain);

    const bool command_start = e.meta.command_id != m_seq_command || e.sku != m_seq_command_sku;
    if (command_start) {
        m_seq_command = e.meta.command_id;
        m_seq_command_sku = e.sku;
    }
    Sku* sku = nullptr;
    if (m_hold) {
        if (command_start) {
            auto it = m_skus.find(m_command.sku);
            end_command(it == m_skus.end() ? nullptr : &it->second);
            tag(Phase::command);
        }
        // Elements of an unordered_map stay where they are while it grows.
        sku = &m_skus[e.sku];
        if (command_start) start_command(row, *sku);
    }
    m_ids.event(e, command_start, m_report.problems, m_report.notices);
    tag(Phase::chain);
    if (sku) {
        check_sku(row, *sku, m_prev_computed);
        m_command.last_seq = e.seq;
        tag(Phase::event);
    }

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
    tag(Phase::row);
    if (m_hold && m_skus.size() > m_sku_limit) let_go();
}

void Checker::let_go() {
    // From here on the per-SKU checks wait for their own pass: what they
    // found so far is found again there.
    m_hold = false;
    std::unordered_map<std::string, Sku>().swap(m_skus);
    m_command = Command{};
    m_report.snapshots = 0;
    std::size_t kept = 0;
    for (std::size_t i = 0; i < m_report.problems.size(); ++i) {
        if (per_sku(m_phases[i])) continue;
        if (kept != i) {
            m_report.problems[kept] = std::move(m_report.problems[i]);
            m_phases[kept] = m_phases[i];
        }
        ++kept;
    }
    m_report.problems.resize(kept);
    m_phases.resize(kept);
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
    if (gap) m_jumps.emplace(e.seq, m_prev_seq);

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
    if (computed != e.hash) m_computed.insert_or_assign(e.seq, computed);
    m_prev_stored = e.hash;
    m_prev_computed = computed;
    m_prev_seq = e.seq;
}

void Checker::check_sku(const store::AuditRow& row, Sku& sku, const util::Digest& computed) {
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
    if (!event) m_command.decoded = false;
    if (!sku.replayable) {
        sku.state.version = e.version;
        return;
    }
    if (auto wrong = domain::value_problem(*event))
        problem(e.seq, e.sku, "value_out_of_range", fmt::format("seq {}: {}", e.seq, *wrong));
    m_command.events.push_back(*event);
    const bool created = std::holds_alternative<domain::InventoryCreated>(*event);
    if (created && e.version != 1)
        problem(e.seq, e.sku, "unexpected_event",
                fmt::format("{} is created again at version {} (seq {})", e.sku, e.version, e.seq));
    else if (!created && e.version == 1)
        problem(e.seq, e.sku, "unexpected_event",
                fmt::format("the first event of {} (seq {}) is {}, not INVENTORY_CREATED", e.sku, e.seq, e.event_type));
    sku.state = domain::evolve(sku.state, *event);
    sku.state.version = e.version;

    if (row.snapshot) check_snapshot(e, *row.snapshot, sku.state, computed);
}

void Checker::check_snapshot(const store::RawEvent& e, const store::Snapshot& s, const domain::State& replayed,
                             const util::Digest& computed) {
    ++m_report.snapshots;
    if (s.state != replayed || s.seq != e.seq || s.recorded_at != e.recorded_at)
        problem(e.seq, e.sku, "snapshot_mismatch",
                fmt::format("the snapshot of {} at version {} holds {} (seq {}, {}); the events give {} (seq {}, {})",
                            e.sku, e.version, quantities(s.state), s.seq, util::format_time(s.recorded_at),
                            quantities(replayed), e.seq, util::format_time(e.recorded_at)));
    // Sealed with the hash the event has, or with the one it should have: when
    // only the event's stored hash was changed, that is the one problem.
    else if (m_report_sealed && store::snapshot_hash(m_sha, e.hash, s.sku, s.state, s.seq, s.recorded_at) != s.hash &&
             store::snapshot_hash(m_sha, computed, s.sku, s.state, s.seq, s.recorded_at) != s.hash)
        problem(e.seq, e.sku, "snapshot_mismatch",
                fmt::format("the hash of the snapshot of {} at version {} does not match its event and contents: "
                            "invlog ignores it",
                            e.sku, e.version));
}

void Checker::start_command(const store::AuditRow& row, const Sku& sku) {
    const store::RawEvent& e = row.event;
    m_command.sku = e.sku;
    m_command.first_seq = e.seq;
    m_command.before = sku.state;
    m_command.events.clear();
    m_command.decoded = sku.replayable;
    m_command.entry.reset();
    // Only the entry that names this very command: others are reported as
    // idempotency mismatches.
    if (e.meta.idempotency_key && row.idempotency && row.idempotency->command_id == e.meta.command_id &&
        row.idempotency->sku == e.sku) {
        m_command.entry = row.idempotency;
        m_command.key = *e.meta.idempotency_key;
    }
}

void Checker::end_command(Sku* sku) {
    if (!sku || !sku->replayable) return;
    if (m_command.entry && m_command.decoded)
        if (auto p = check_fingerprint(m_command.key, *m_command.entry, m_command.sku, m_command.first_seq,
                                       m_command.before, m_command.events))
            m_report.problems.push_back(std::move(*p));
    m_command.entry.reset();
    if (auto broken = domain::invariant_problem(sku->state)) {
        if (!sku->broken)
            problem(m_command.last_seq, m_command.sku, "invariant_broken",
                    fmt::format("after seq {}, {} breaks the invariant: {}", m_command.last_seq, m_command.sku,
                                *broken));
        sku->broken = true;
    } else {
        sku->broken = false;
    }
}

void Checker::finish_events() {
    if (m_hold) {
        auto it = m_skus.find(m_command.sku);
        end_command(it == m_skus.end() ? nullptr : &it->second);
        tag(Phase::command);
        m_report.skus = static_cast<std::int64_t>(m_skus.size());
    }
    m_ids.finish(m_report.notices);
    if (m_report.events > 0) m_report.head_hash = util::to_hex(m_prev_stored);
}

void Checker::compare_read_model(const domain::SkuState& row, Sku& sku) {
    sku.in_read_model = true;
    if (sku.replayable && (row.state != sku.state || row.updated_at != sku.last_at))
        problem(sku.last_seq, row.sku, "read_model_mismatch",
                fmt::format("the read model says {} has {}, version {}, updated {}; the events give {}, version {}, "
                            "updated {}",
                            row.sku, quantities(row.state), row.state.version, util::format_time(row.updated_at),
                            quantities(sku.state), sku.state.version, util::format_time(sku.last_at)));
}

void Checker::read_model_row(const domain::SkuState& row) {
    auto it = m_skus.find(row.sku);
    if (it == m_skus.end())
        problem(0, row.sku, "read_model_extra", fmt::format("the read model holds {}, which has no events", row.sku));
    else
        compare_read_model(row, it->second);
    tag(Phase::read_model);
}

void Checker::read_model_done() {
    for (const auto& [name, sku] : m_skus)
        if (!sku.in_read_model)
            problem(sku.last_seq, name, "read_model_missing",
                    fmt::format("{} has events up to seq {} but no row in the read model", name, sku.last_seq));
    tag(Phase::missing);
}

void Checker::sku_event(const store::AuditRow& row) {
    const store::RawEvent& e = row.event;
    bool command_start = true;
    if (m_in_group && e.sku == m_group_sku) {
        // The seq-order pass would see this SKU's events in seq order.
        if (e.seq <= m_group.last_seq) throw NeedsOnePass{};
        // It continues the command of the SKU's event before it when that
        // is the event before it in seq order too, of the same command.
        auto jump = m_jumps.find(e.seq);
        const std::int64_t before = jump == m_jumps.end() ? e.seq - 1 : jump->second;
        command_start = before != m_group.last_seq || e.meta.command_id != m_seq_command;
        if (command_start) end_command(&m_group);
    } else {
        if (m_in_group) {
            if (e.sku < m_group_sku) throw NeedsOnePass{};
            finish_group();
        }
        m_in_group = true;
        m_group_sku = e.sku;
        m_group = Sku{};
        ++m_groups;
    }
    tag(Phase::command);
    if (command_start) {
        m_seq_command = e.meta.command_id;
        start_command(row, m_group);
    }
    auto computed = m_computed.find(e.seq);
    check_sku(row, m_group, computed == m_computed.end() ? e.hash : computed->second);
    m_command.last_seq = e.seq;
    tag(Phase::event);
}

void Checker::finish_group() {
    end_command(&m_group);
    tag(Phase::command);
    if (!m_group.in_read_model)
        problem(m_group.last_seq, m_group_sku, "read_model_missing",
                fmt::format("{} has events up to seq {} but no row in the read model", m_group_sku, m_group.last_seq));
    tag(Phase::missing);
}

void Checker::sku_state(const domain::SkuState& row) {
    if (m_any_state && row.sku <= m_last_state_sku) throw NeedsOnePass{};
    m_any_state = true;
    m_last_state_sku = row.sku;
    if (m_in_group && row.sku == m_group_sku)
        compare_read_model(row, m_group);
    else
        problem(0, row.sku, "read_model_extra", fmt::format("the read model holds {}, which has no events", row.sku));
    tag(Phase::read_model);
}

void Checker::skus_done() {
    if (m_in_group) finish_group();
    m_report.skus = m_groups;
    m_report.sku_pass = true;
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

// Every check but the engine's own, inside the caller's read transaction.
// sku_limit: see Checker.
VerifyReport check(store::EventStore& store, const VerifyOptions& options, std::size_t sku_limit) {
    VerifyReport report;
    const std::int64_t total = store.head().seq;
    // Format 2 records where its id rules begin; a file created with it, at 1.
    std::optional<std::int64_t> ids_from;
    if (store.format() >= 2) ids_from = store.first_seq_of_format(2).value_or(1);
    Checker checker(report, options, ids_from, store.format() >= 2, sku_limit);
    {
        // SQLite's stepping through the rows takes about as long as the
        // checks of them (hashing, decoding, replaying), so they run side by
        // side: this thread reads, a second one checks in the order read.
        // Nothing else touches the checker or the report meanwhile.
        util::Handoff<store::AuditRow> checks([&](const store::AuditRow& row) {
            checker.event(row);
            if (options.progress && report.events % 1024 == 0) options.progress(report.events, total);
        });
        checks.feed([&] { store.for_each_audit_row([&](const store::AuditRow& row) { checks.add(row); }); });
    }
    checker.finish_events();
    if (checker.holds_skus()) {
        store.for_each_state([&](const domain::SkuState& row) { checker.read_model_row(row); });
        checker.read_model_done();
    } else {
        if (checker.one_pass_only()) throw NeedsOnePass{};
        // Side by side as above: the events and read-model rows in the order
        // the store interleaves them.
        struct Item {
            bool is_state = false;
            store::AuditRow event;
            domain::SkuState state;
        };
        util::Handoff<Item> checks([&](const Item& item) {
            if (item.is_state)
                checker.sku_state(item.state);
            else
                checker.sku_event(item.event);
        });
        checks.feed([&] {
            store.for_each_audit_row_by_sku(
                [&](const store::AuditRow& row) {
                    checks.fill([&](Item& slot) {
                        slot.is_state = false;
                        slot.event = row;
                    });
                },
                [&](const domain::SkuState& row) {
                    checks.fill([&](Item& slot) {
                        slot.is_state = true;
                        slot.state = row;
                    });
                });
        });
        checker.skus_done();
    }
    store.for_each_orphan_snapshot([&](const store::Snapshot& s) { checker.orphan_snapshot(s); });
    store.for_each_key_target([&](const store::KeyTarget& t) { checker.key_target(t); });
    check_settings(store, report.problems);
    check_table_types(store, report.problems);
    checker.expectations();
    checker.tag(Phase::rest);

    // By seq, those without one last; within a seq, in the order of one pass
    // in seq order (Phase). Problems without a seq keep the order found.
    constexpr auto last = std::numeric_limits<std::int64_t>::max();
    const auto& phases = checker.phases();
    std::vector<std::size_t> order(report.problems.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    auto key = [&](std::size_t i) {
        const std::int64_t seq = report.problems[i].seq;
        return std::pair(seq > 0 ? seq : last, seq > 0 ? static_cast<int>(phases[i]) : 0);
    };
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return key(a) < key(b); });
    std::vector<Problem> sorted;
    sorted.reserve(order.size());
    for (std::size_t i : order) sorted.push_back(std::move(report.problems[i]));
    report.problems = std::move(sorted);
    return report;
}

}  // namespace

VerifyReport verify(store::EventStore& store, const VerifyOptions& options) {
    // One read transaction: every check sees the same moment, however many
    // writers carry on meanwhile.
    store::EventStore::Transaction tx(store, false);
    // The engine's check of the file's structure runs beside the others
    // where the store can run it so; when it finds damage, that is the whole
    // report, since nothing read from the file could be trusted (and reading
    // it may have failed).
    auto damage = store.start_quick_check();
    auto damaged = [&](std::vector<std::string> lines) {
        VerifyReport report;
        for (const auto& line : lines)
            report.problems.push_back(
                Problem{0, "", "file_damaged", fmt::format("SQLite finds the file damaged: {}", line)});
        return report;
    };
    VerifyReport report;
    try {
        const std::size_t limit = store.has_audit_rows_by_sku() ? options.sku_limit : SIZE_MAX;
        try {
            report = check(store, options, limit);
        } catch (const NeedsOnePass&) {
            report = check(store, options, SIZE_MAX);
        }
    } catch (...) {
        auto lines = damage.get();
        if (!lines.empty()) return damaged(std::move(lines));
        throw;
    }
    if (auto lines = damage.get(); !lines.empty()) return damaged(std::move(lines));
    tx.commit();
    return report;
}

}  // namespace invlog::app
