// The ends of commands. Each query reads the event at (or last before) the
// position and the one after it, and walks back over the command's own events
// only when the two share a command: a few rows by primary key or by the
// (sku, version) index, whatever the length of the log.
#include "invlog/store/sqlite_store.hpp"

namespace invlog::store {

std::int64_t SqliteStore::last_complete_seq(std::int64_t seq) {
    Statement& st = m_conn->cached(
        "SELECT CASE WHEN next_command = command THEN "
        "  coalesce((SELECT seq FROM events WHERE seq < at AND command_id <> command ORDER BY seq DESC LIMIT 1), 0) "
        "ELSE ?1 END FROM ("
        "  SELECT e.seq AS at, e.command_id AS command, "
        "    (SELECT n.command_id FROM events n WHERE n.seq > e.seq ORDER BY n.seq LIMIT 1) AS next_command "
        "  FROM events e WHERE e.seq <= ?1 ORDER BY e.seq DESC LIMIT 1)");
    st.bind(1, seq);
    const std::int64_t resolved = st.step() ? st.int64(0) : seq;
    st.reset();
    return resolved;
}

std::int64_t SqliteStore::last_complete_version(std::string_view sku, std::int64_t version) {
    Statement& st = m_conn->cached(
        "SELECT CASE WHEN next_command = command THEN "
        "  coalesce((SELECT version FROM events WHERE sku = ?1 AND version < at AND command_id <> command "
        "            ORDER BY version DESC LIMIT 1), 0) "
        "ELSE ?2 END FROM ("
        "  SELECT e.version AS at, e.command_id AS command, "
        "    (SELECT n.command_id FROM events n WHERE n.sku = ?1 AND n.version > e.version "
        "     ORDER BY n.version LIMIT 1) AS next_command "
        "  FROM events e WHERE e.sku = ?1 AND e.version <= ?2 ORDER BY e.version DESC LIMIT 1)");
    st.bind(1, sku).bind(2, version);
    const std::int64_t resolved = st.step() ? st.int64(0) : version;
    st.reset();
    return resolved;
}

}  // namespace invlog::store
