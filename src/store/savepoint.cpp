// Savepoints within a write transaction of a file, and the undo record that
// lets the transaction's remembered states follow a rollback.
#include "invlog/store/sqlite_store.hpp"

namespace invlog::store {

void SqliteStore::remember(domain::SkuState row) {
    std::string sku = row.sku;
    if (!m_tx.savepoints.empty()) {
        auto it = m_tx.dirty.find(sku);
        m_tx.undo.emplace_back(sku, it == m_tx.dirty.end() ? std::nullopt : std::optional(it->second));
    }
    m_tx.dirty.insert_or_assign(std::move(sku), std::move(row));
}

void SqliteStore::begin_savepoint() {
    m_conn->exec("SAVEPOINT invlog_request");
    m_tx.savepoints.emplace_back(m_tx.head, m_tx.undo.size());
}

void SqliteStore::rollback_savepoint() noexcept {
    // Never throws: a failed rollback leaves the outer transaction to fail at
    // its COMMIT.
    sqlite3_exec(m_conn->handle(), "ROLLBACK TO invlog_request; RELEASE invlog_request", nullptr, nullptr, nullptr);
    auto& tx = m_tx;
    auto [head, mark] = std::move(tx.savepoints.back());
    while (tx.undo.size() > mark) {
        auto& [sku, previous] = tx.undo.back();
        if (previous)
            tx.dirty.insert_or_assign(sku, std::move(*previous));
        else
            tx.dirty.erase(sku);
        tx.undo.pop_back();
    }
    tx.head = head;
    tx.savepoints.pop_back();
    if (tx.savepoints.empty()) tx.undo.clear();
}

void SqliteStore::release_savepoint() {
    m_conn->exec("RELEASE invlog_request");
    m_tx.savepoints.pop_back();
    if (m_tx.savepoints.empty()) m_tx.undo.clear();
}

}  // namespace invlog::store
