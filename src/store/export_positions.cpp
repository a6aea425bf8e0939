// The export_positions table and the counting query of the exporter.
#include "invlog/store/export_positions.hpp"

namespace invlog::store {

std::optional<ExportPosition> read_export_position(EventStore& store, std::string_view destination) {
    Statement& st =
        store.connection().cached("SELECT last_seq, updated_at FROM export_positions WHERE destination = ?1");
    st.bind(1, destination);
    if (!st.step()) return std::nullopt;
    ExportPosition p{std::string(destination), st.int64(0), st.int64(1)};
    st.reset();
    return p;
}

void write_export_position(EventStore& store, std::string_view destination, std::int64_t last_seq,
                           domain::Millis now) {
    EventStore::Transaction tx(store, true);
    Statement& st = store.connection().cached(
        "INSERT INTO export_positions (destination, last_seq, updated_at) VALUES (?1, ?2, ?3) "
        "ON CONFLICT (destination) DO UPDATE SET last_seq = max(last_seq, excluded.last_seq), "
        "updated_at = excluded.updated_at");
    st.bind(1, destination).bind(2, last_seq).bind(3, now);
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
