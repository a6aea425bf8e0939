// The checks of verify that stand on their own (verify_rules.hpp).
#include "invlog/app/verify_rules.hpp"

#include <fmt/format.h>

#include "invlog/domain/commands.hpp"
#include "invlog/domain/text.hpp"
#include "invlog/store/audit.hpp"
#include "invlog/store/codec.hpp"
#include "invlog/store/settings.hpp"
#include "invlog/util/time.hpp"

namespace invlog::app {
namespace {

std::string describe(const std::vector<domain::Event>& events) {
    std::string out;
    for (const auto& e : events)
        out += fmt::format("{}{} {}", out.empty() ? "" : ", ", domain::event_type(e), store::encode_data(e));
    return out.empty() ? "no event" : out;
}

std::string duration(domain::Millis ms) {
    return ms < 1000 ? fmt::format("{} ms", ms) : fmt::format("{}.{:03} s", ms / 1000, ms % 1000);
}

}  // namespace

std::optional<Problem> check_fingerprint(const std::string& key, const store::IdempotencyEntry& entry,
                                         const std::string& sku, std::int64_t seq, const domain::State& before,
                                         const std::vector<domain::Event>& recorded) {
    auto parsed = domain::parse_fingerprint(entry.fingerprint);
    if (!parsed)
        return Problem{seq, sku, "fingerprint_invalid",
                       fmt::format("idempotency key '{}' records the command '{}', which is not a command invlog "
                                   "takes (seq {}, {})",
                                   domain::shown(key), domain::shown(entry.fingerprint), seq, sku)};
    if (parsed->sku != sku)
        return Problem{seq, sku, "fingerprint_mismatch",
                       fmt::format("idempotency key '{}' records '{}', a command on {}, but its events (from seq {}) "
                                   "are of {}",
                                   domain::shown(key), domain::shown(entry.fingerprint), domain::shown(parsed->sku),
                                   seq, sku)};
    if (before.exists() && domain::invariant_problem(before)) return std::nullopt;
    auto decided = domain::decide(sku, before, parsed->command);
    if (auto* rejection = std::get_if<domain::Rejection>(&decided))
        return Problem{seq, sku, "fingerprint_mismatch",
                       fmt::format("idempotency key '{}' records '{}', which the state before seq {} refuses ({}); "
                                   "that command did not write the events of the key",
                                   domain::shown(key), domain::shown(entry.fingerprint), seq, rejection->message)};
    const auto& decision = std::get<domain::Decision>(decided);
    if (decision.events != recorded)
        return Problem{seq, sku, "fingerprint_mismatch",
                       fmt::format("idempotency key '{}' records '{}', which decides {} from the state before seq {}; "
                                   "the log holds {}",
                                   domain::shown(key), domain::shown(entry.fingerprint), describe(decision.events), seq,
                                   describe(recorded))};
    return std::nullopt;
}

void IdRules::event(const store::RawEvent& e, bool command_start, std::vector<Problem>& problems,
                    std::vector<Problem>& notices) {
    if (m_ids_from && e.seq >= *m_ids_from) {
        auto id = util::parse_uuid(e.event_id);
        auto ms = id ? util::uuid_v7_ms(*id) : std::nullopt;
        if (!ms)
            problems.push_back(
                Problem{e.seq, e.sku, "event_id_time",
                        fmt::format("seq {} has event id '{}', which is not a version 7 UUID", e.seq, e.event_id)});
        else if (*ms != e.recorded_at)
            problems.push_back(
                Problem{e.seq, e.sku, "event_id_time",
                        fmt::format("seq {} has event id {} of {}, but was recorded at {}", e.seq, e.event_id,
                                    util::format_time(*ms), util::format_time(e.recorded_at))});
        if (id && m_prev_id && !(*m_prev_id < *id))
            problems.push_back(Problem{e.seq, e.sku, "event_id_order",
                                       fmt::format("seq {} has event id {}, which does not sort after the id of seq {}",
                                                   e.seq, e.event_id, m_prev_seq)});
        m_prev_id = id;
        m_prev_seq = e.seq;
    }

    if (command_start) {
        auto id = util::parse_uuid(e.meta.command_id);
        auto clock = id ? util::uuid_v7_ms(*id) : std::nullopt;
        m_in_clamped_command = clock && *clock < e.recorded_at;
        if (!m_in_clamped_command) {
            close(notices);
        } else {
            if (!m_stretch) m_stretch = Stretch{e.seq, e.seq, e.sku, 0, e.recorded_at, e.recorded_at, 0};
            Stretch& s = *m_stretch;
            if (s.sku != e.sku) s.sku.clear();
            ++s.commands;
            s.last_at = e.recorded_at;
            // Both are real times here, far from the ends of the range.
            s.max_lag = std::max(s.max_lag, e.recorded_at - *clock);
        }
    }
    if (m_in_clamped_command && m_stretch) m_stretch->last_seq = e.seq;
}

void IdRules::close(std::vector<Problem>& notices) {
    if (!m_stretch) return;
    const Stretch& s = *m_stretch;
    const std::string seqs = s.first_seq == s.last_seq ? fmt::format("seq {}", s.first_seq)
                                                       : fmt::format("seq {} to {}", s.first_seq, s.last_seq);
    const std::string times =
        s.first_at == s.last_at ? util::format_time(s.first_at)
                                : fmt::format("{} to {}", util::format_time(s.first_at), util::format_time(s.last_at));
    notices.push_back(Problem{
        s.first_seq, s.sku, "clock_behind",
        fmt::format("{} ({} command{}) recorded at {}: the clock read up to {} earlier, behind the log's last time, "
                    "so recorded_at was held there",
                    seqs, s.commands, s.commands == 1 ? "" : "s", times, duration(s.max_lag))});
    m_stretch.reset();
}

void IdRules::finish(std::vector<Problem>& notices) { close(notices); }

void check_settings(store::EventStore& store, std::vector<Problem>& problems) {
    store.for_each_setting([&](std::string_view key, std::string_view value) {
        const store::SettingSpec* spec = store::find_setting(key);
        if (!spec)
            problems.push_back(Problem{0, "", "unknown_setting",
                                       fmt::format("the settings hold '{}' = '{}', which no invlog setting is",
                                                   domain::shown(key), domain::shown(value))});
        else if (auto problem = store::setting_problem(*spec, value))
            problems.push_back(Problem{0, "", "invalid_setting",
                                       fmt::format("{}: every write would refuse it (fix it with 'invlog config set "
                                                   "{} N')",
                                                   *problem, domain::shown(key))});
    });
}

void check_table_types(store::EventStore& store, std::vector<Problem>& problems) {
    store.for_each_wrong_type_row([&](const store::WrongTypeRow& row) {
        problems.push_back(Problem{0, "", "wrong_type",
                                   fmt::format("{} row {} stores {}: not the storage type of its column", row.table,
                                               row.key, row.columns)});
    });
}

}  // namespace invlog::app
