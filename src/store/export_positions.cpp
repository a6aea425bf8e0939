// The export_positions table and the counting query of the exporter.
#include "invlog/store/export_positions.hpp"

#include <algorithm>

namespace invlog::store {

std::optional<ExportPosition> read_export_position(EventStore& store, std::string_view destination) {
    // A file of format 1 (read without being upgraded) has neither last_hash
    // nor compat.
    Statement& st = store.connection().cached(
        store.format() >= 2
            ? "SELECT last_seq, updated_at, last_hash, compat FROM export_positions WHERE destination = ?1"
            : "SELECT last_seq, updated_at, NULL, NULL FROM export_positions WHERE destination = ?1");
    st.bind(1, destination);
    if (!st.step()) return std::nullopt;
    ExportPosition p{std::string(destination), st.int64(0), st.int64(1), std::nullopt, st.optional_text(3)};
    if (auto blob = st.blob(2); !st.is_null(2) && blob.size() == util::Digest{}.size()) {
        p.last_hash.emplace();
        std::copy(blob.begin(), blob.end(), p.last_hash->begin());
    }
    st.reset();
    return p;
}

std::vector<ExportPosition> list_export_positions(EventStore& store) {
    Statement& st = store.connection().cached(
        store.format() >= 2 ? "SELECT destination, last_seq, updated_at, compat FROM export_positions ORDER BY destination"
                            : "SELECT destination, last_seq, updated_at, NULL FROM export_positions ORDER BY destination");
    std::vector<ExportPosition> out;
    while (st.step()) out.push_back(ExportPosition{std::string(st.text(0)), st.int64(1), st.int64(2), std::nullopt, st.optional_text(3)});
    st.reset();
    return out;
}

void write_export_position(EventStore& store, std::string_view destination, std::int64_t last_seq,
                           domain::Millis now, const std::optional<util::Digest>& last_hash,
                           const std::optional<std::string>& compat) {
    EventStore::Transaction tx(store, true);
    Statement& st = store.connection().cached(
        "INSERT INTO export_positions (destination, last_seq, updated_at, last_hash, compat) "
        "VALUES (?1, ?2, ?3, ?4, ?5) "
        "ON CONFLICT (destination) DO UPDATE SET "
        "last_hash = CASE WHEN excluded.last_seq >= last_seq THEN excluded.last_hash ELSE last_hash END, "
        "compat = CASE WHEN excluded.last_seq >= last_seq THEN excluded.compat ELSE compat END, "
        "last_seq = max(last_seq, excluded.last_seq), updated_at = excluded.updated_at");
    st.bind(1, destination).bind(2, last_seq).bind(3, now).bind(5, compat);
    if (last_hash)
        st.bind_blob(4, *last_hash);
    else
        st.bind(4, nullptr);
    st.run();
    tx.commit();
}

void forget_export_position(EventStore& store, std::string_view destination) {
    EventStore::Transaction tx(store, true);
    Statement& st = store.connection().cached("DELETE FROM export_positions WHERE destination = ?1");
    st.bind(1, destination);
    st.run();
    tx.commit();
}

std::int64_t count_events(EventStore& store, const EventFilter& filter) {
    // Only the bounds the exporter uses; the SQL text is fixed, every value bound.
    Statement& st = store.connection().cached(
        "SELECT count(*) FROM events WHERE seq > ?1 AND (?2 IS NULL OR sku = ?2) AND (?3 IS NULL OR seq <= ?3)");
    st.bind(1, filter.after_seq).bind(2, filter.sku);
    if (filter.max_seq)
        st.bind(3, *filter.max_seq);
    else
        st.bind(3, nullptr);
    std::int64_t n = st.step() ? st.int64(0) : 0;
    st.reset();
    return n;
}

}  // namespace invlog::store
