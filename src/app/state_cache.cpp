// The per-transaction cache of SKU states.
#include "invlog/app/state_cache.hpp"

namespace invlog::app {

domain::State StateCache::load(store::EventStore& store, std::string_view sku) {
    if (auto it = m_states.find(sku); it != m_states.end()) return it->second;
    domain::State state = store.load(sku);
    put(sku, state);
    return state;
}

void StateCache::put(std::string_view sku, const domain::State& state) {
    if (auto it = m_states.find(sku); it != m_states.end()) {
        it->second = state;
        return;
    }
    if (m_states.size() >= m_max) m_states.clear();
    m_states.emplace(std::string(sku), state);
}

}  // namespace invlog::app
