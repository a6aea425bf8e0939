// What every store shares: the RAII transactions and savepoints over the
// implementation's hooks, warnings, settings in force, decoding, and the
// choice of implementation from the location.
#include "invlog/store/event_store.hpp"

#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "invlog/domain/error.hpp"
#include "invlog/store/sqlite_store.hpp"
#include "invlog/util/module.hpp"

namespace invlog::store {

using domain::ErrorKind;
using domain::Failure;

EventStore::~EventStore() = default;

EventStore::Transaction::Transaction(EventStore& store, bool write) : m_store(store), m_write(write) {
    m_store.begin_transaction(write);
}

EventStore::Transaction::~Transaction() { m_store.end_transaction(m_write, !m_open); }

void EventStore::Transaction::commit() {
    m_store.commit_transaction(m_write);
    m_open = false;
}

EventStore::Savepoint::Savepoint(EventStore& store) : m_store(store) { m_store.begin_savepoint(); }

EventStore::Savepoint::~Savepoint() {
    if (m_open) m_store.rollback_savepoint();
}

void EventStore::Savepoint::release() {
    m_store.release_savepoint();
    m_open = false;
}

void EventStore::for_each_state_at(const Point& at, const std::function<void(const domain::SkuState&)>& fn) {
    for_each_sku([&](const std::string& sku) {
        auto s = replay(sku, at);
        if (s.state.exists()) fn(s);
    });
}

std::optional<std::string> prefix_successor(std::string_view prefix) {
    std::string end(prefix);
    while (!end.empty() && static_cast<unsigned char>(end.back()) == 0xff) end.pop_back();
    if (end.empty()) return std::nullopt;
    end.back() = static_cast<char>(static_cast<unsigned char>(end.back()) + 1);
    return end;
}

void EventStore::warn_once(std::string_view code, const std::string& message) {
    if (std::find(m_warned.begin(), m_warned.end(), code) != m_warned.end()) return;
    m_warned.emplace_back(code);
    if (m_warn) m_warn(code, message);
}

void EventStore::check_room(const Head& head, std::string_view sku, const domain::State& before,
                            std::size_t count) const {
    constexpr auto last = std::numeric_limits<std::int64_t>::max();
    const auto n = static_cast<std::int64_t>(count);
    if (head.seq > last - n || before.version > last - n)
        throw Failure(ErrorKind::integrity, "impossible_state",
                      fmt::format("cannot append to {}: the log's seq {} or {}'s version {} is at the end of the "
                                  "integer range (run 'invlog verify')",
                                  path(), head.seq, sku, before.version));
}

std::int64_t EventStore::int_setting(const SettingSpec& spec) {
    return setting_value(spec, read_setting(spec.key), path());
}

domain::Event decode_event_or_throw(const RawEvent& raw) {
    auto event = decode_data(raw.event_type, raw.data);
    if (!event)
        throw Failure(ErrorKind::integrity, "undecodable_event",
                      fmt::format("event seq {} of {} ({}) cannot be decoded; run 'invlog verify'", raw.seq, raw.sku,
                                  raw.event_type));
    return std::move(*event);
}

domain::EventRecord decode_or_throw(RawEvent&& raw) {
    domain::Event event = decode_event_or_throw(raw);
    // Only now, with the message no longer needed, do the strings move.
    return domain::EventRecord{raw.seq,          std::move(raw.event_id), std::move(raw.sku),  raw.version,
                               std::move(event), raw.recorded_at,         std::move(raw.meta), util::to_hex(raw.hash)};
}

bool is_mongodb_uri(std::string_view location) {
    return location.starts_with("mongodb://") || location.starts_with("mongodb+srv://");
}

std::unique_ptr<EventStore> open_store(const OpenOptions& options) {
    if (is_mongodb_uri(options.path)) {
        // The store lives in the MongoDB module, so that only the commands
        // that use MongoDB load libmongoc.
        using Open = EventStore* (*)(const OpenOptions&);
        static const Open open = [] {
            std::string why;
            void* entry = util::module_entry("invlog-mongo.so", "invlog_mongo_open_store", why);
            if (!entry)
                throw domain::Failure(domain::ErrorKind::storage, "no_mongo_module",
                                      "the MongoDB module " + why + ": install the invlog-mongo package");
            return reinterpret_cast<Open>(entry);
        }();
        return std::unique_ptr<EventStore>(open(options));
    }
    return std::make_unique<SqliteStore>(options);
}

std::unique_ptr<SqliteStore> open_file_store(const OpenOptions& options, std::string_view command) {
    if (is_mongodb_uri(options.path))
        throw Failure(ErrorKind::usage, "file_only_command",
                      fmt::format("'invlog {}' works on a database file; --db names a MongoDB store", command));
    return std::make_unique<SqliteStore>(options);
}

}  // namespace invlog::store
