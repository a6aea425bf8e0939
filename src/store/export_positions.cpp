// The export_positions table of a file and the counting query of the exporter.
#include "invlog/store/sqlite_store.hpp"

#include <algorithm>

namespace invlog::store {

namespace {

// A row of (last_seq, updated_at, last_hash, compat) at the statement's
// current step.
ExportPosition position_row(Statement& st, std::string destination) {
    ExportPosition p{std::move(destination), st.int64(0), st.int64(1), std::nullopt, st.optional_text(3)};
    if (auto blob = st.blob(2); !st.is_null(2) && blob.size() == util::Digest{}.size()) {
        p.last_hash.emplace();
        std::copy(blob.begin(), blob.end(), p.last_hash->begin());
    }
    return p;
}

}  // namespace

std::optional<ExportPosition> SqliteStore::read_export_position(std::string_view destination) {
    // A file of format 1 (read without being upgraded) has neither last_hash
    // nor compat.
    Statement& st = m_conn->cached(
        m_format >= 2 ? "SELECT last_seq, updated_at, last_hash, compat FROM export_positions WHERE destination = ?1"
                      : "SELECT last_seq, updated_at, NULL, NULL FROM export_positions WHERE destination = ?1");
    st.bind(1, destination);
    if (!st.step()) return std::nullopt;
    ExportPosition p = position_row(st, std::string(destination));
    st.reset();
    return p;
}

std::vector<ExportPosition> SqliteStore::list_export_positions() {
    Statement& st = m_conn->cached(
        m_format >= 2
            ? "SELECT last_seq, updated_at, last_hash, compat, destination FROM export_positions ORDER BY destination"
            : "SELECT last_seq, updated_at, NULL, NULL, destination FROM export_positions ORDER BY destination");
    std::vector<ExportPosition> out;
    while (st.step()) out.push_back(position_row(st, std::string(st.text(4))));
    st.reset();
    return out;
}

void SqliteStore::write_export_position(std::string_view destination, std::int64_t last_seq, domain::Millis now,
                                        const std::optional<util::Digest>& last_hash,
                                        const std::optional<std::string>& compat) {
    Transaction tx(*this, true);
    Statement& st = m_conn->cached(
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

void SqliteStore::forget_export_position(std::string_view destination) {
    Transaction tx(*this, true);
    Statement& st = m_conn->cached("DELETE FROM export_positions WHERE destination = ?1");
    st.bind(1, destination);
    st.run();
    tx.commit();
}

std::int64_t SqliteStore::count_events(const EventFilter& filter) {
    // Only the bounds the exporter uses; the SQL text is fixed, every value bound.
    Statement& st = m_conn->cached(
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
