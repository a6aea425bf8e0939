// The seed-compatible documents: ids, creation times and the per-SKU cursors
// (see invlog/export/seed.hpp).
#include "invlog/export/seed.hpp"

#include <nlohmann/json.hpp>

#include "invlog/domain/seed.hpp"
#include "invlog/util/time.hpp"

namespace invlog::exporter {

// The mode names, here rather than in a file of their own: seed is the one
// mode besides the native one.
std::optional<Compat> parse_compat(std::string_view name) {
    if (name == "seed") return Compat::seed;
    if (name == "native") return Compat::native;
    return std::nullopt;
}

std::optional<std::string> compat_setting(Compat compat) {
    return compat == Compat::seed ? std::optional<std::string>("seed") : std::nullopt;
}

std::string_view compat_name(const std::optional<std::string>& setting) {
    return setting ? std::string_view(*setting) : std::string_view("native");
}

domain::Millis next_created_at(const std::optional<domain::Millis>& last, domain::Millis recorded_at) {
    if (last && recorded_at <= *last) return *last + 1;
    return recorded_at;
}

std::vector<SeedDocument> seed_documents(SeedCursor& cursor, const domain::EventRecord& record) {
    std::vector<domain::Event> events = domain::seed_translate(cursor.state, record.event);
    std::vector<SeedDocument> out;
    out.reserve(events.size());
    const int parts = static_cast<int>(events.size());
    for (int i = 0; i < parts; ++i) {
        SeedDocument d;
        d.record = &record;
        d.event = std::move(events[static_cast<std::size_t>(i)]);
        d.part = i + 1;
        d.parts = parts;
        d.id = i == 0 ? record.event_id : record.event_id + ":" + std::to_string(i + 1);
        d.created_at = next_created_at(cursor.last_created_at, record.recorded_at);
        cursor.last_created_at = d.created_at;
        out.push_back(std::move(d));
    }
    cursor.state = domain::evolve(cursor.state, record.event);
    return out;
}

SeedCursor SeedSequencer::cursor_before(const domain::EventRecord& first) const {
    if (auto it = m_cursors.find(first.sku); it != m_cursors.end()) return it->second;
    SeedCursor cursor;
    if (first.version <= 1) return cursor;
    store::EventFilter filter;
    filter.sku = first.sku;
    filter.max_seq = first.seq - 1;
    m_store.for_each_event(filter, [&](const domain::EventRecord& e) {
        seed_documents(cursor, e);
        return true;
    });
    return cursor;
}

SeedSequencer::Translation SeedSequencer::translate(const std::vector<domain::EventRecord>& batch) const {
    Translation out;
    for (const auto& e : batch) {
        auto it = out.cursors.find(e.sku);
        if (it == out.cursors.end()) it = out.cursors.emplace(e.sku, cursor_before(e)).first;
        for (auto& d : seed_documents(it->second, e)) out.documents.push_back(std::move(d));
    }
    return out;
}

void SeedSequencer::commit(Translation&& translation) {
    for (auto& [sku, cursor] : translation.cursors) m_cursors.insert_or_assign(sku, cursor);
}

std::string seed_json_line(const SeedDocument& d) {
    const domain::EventRecord& e = *d.record;
    nlohmann::ordered_json j;
    j["_id"] = d.id;
    j["event_type"] = domain::event_type(d.event);
    j["sku"] = e.sku;
    j["created_at"] = util::format_time(d.created_at);
    for (const auto& [name, value] : domain::event_fields(d.event)) j[std::string(name)] = value;
    j["invlog_event_type"] = domain::event_type(e.event);
    nlohmann::ordered_json data = nlohmann::ordered_json::object();
    for (const auto& [name, value] : domain::event_fields(e.event)) data[std::string(name)] = value;
    j["invlog_data"] = std::move(data);
    j["event_id"] = e.event_id;
    j["seq"] = e.seq;
    j["version"] = e.version;
    j["part"] = d.part;
    j["parts"] = d.parts;
    j["recorded_at"] = util::format_time(e.recorded_at);
    j["actor"] = e.meta.actor;
    j["reason"] = e.meta.reason ? nlohmann::ordered_json(*e.meta.reason) : nlohmann::ordered_json(nullptr);
    j["command_id"] = e.meta.command_id;
    j["hash"] = e.hash;
    return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace invlog::exporter
