// The states of SKUs written within one write transaction, so that a batch
// does not replay a SKU's whole history for each of its lines. Correct only
// while that transaction holds the write lock (no other writer can change a
// SKU meanwhile): discard the cache when the transaction ends.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "invlog/domain/state.hpp"
#include "invlog/store/event_store.hpp"

namespace invlog::app {

class StateCache {
public:
    // Past this many SKUs the cache starts over, to bound memory on batches
    // that touch millions of SKUs; a SKU dropped is simply replayed again.
    explicit StateCache(std::size_t max_entries = 100'000) : m_max(max_entries) {}

    // The SKU's state: remembered, else replayed from the store.
    domain::State load(store::EventStore& store, std::string_view sku);
    void put(std::string_view sku, const domain::State& state);
    std::size_t size() const { return m_states.size(); }

private:
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    std::size_t m_max;
    std::unordered_map<std::string, domain::State, Hash, std::equal_to<>> m_states;
};

}  // namespace invlog::app
