// Savepoints within a write transaction, and the undo record that lets the
// transaction's remembered states follow a rollback.
#include "invlog/store/event_store.hpp"

namespace invlog::store {

void EventStore::remember(domain::SkuState row) {
    std::string sku = row.sku;
    if (m_tx.savepoints > 0) {
        auto it = m_tx.dirty.find(sku);
        m_tx.undo.emplace_back(sku, it == m_tx.dirty.end() ? std::nullopt : std::optional(it->second));
    }
    m_tx.dirty.insert_or_assign(std::move(sku), std::move(row));
}

EventStore::Savepoint::Savepoint(EventStore& store)
    : m_store(store), m_head(store.m_tx.head), m_mark(store.m_tx.undo.size()) {
    m_store.m_conn->exec("SAVEPOINT invlog_request");
    ++m_store.m_tx.savepoints;
}

EventStore::Savepoint::~Savepoint() {
    if (!m_open) return;
    // Never throws from a destructor: a failed rollback leaves the outer
    // transaction to fail at its COMMIT.
    sqlite3_exec(m_store.m_conn->handle(), "ROLLBACK TO invlog_request; RELEASE invlog_request", nullptr, nullptr,
                 nullptr);
    auto& tx = m_store.m_tx;
    while (tx.undo.size() > m_mark) {
        auto& [sku, previous] = tx.undo.back();
        if (previous)
            tx.dirty.insert_or_assign(sku, std::move(*previous));
        else
            tx.dirty.erase(sku);
        tx.undo.pop_back();
    }
    tx.head = m_head;
    if (--tx.savepoints == 0) tx.undo.clear();
}

void EventStore::Savepoint::release() {
    m_store.m_conn->exec("RELEASE invlog_request");
    m_open = false;
    if (--m_store.m_tx.savepoints == 0) m_store.m_tx.undo.clear();
}

}  // namespace invlog::store
