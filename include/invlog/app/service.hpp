// The application layer: load a SKU, decide, append, project; and the read
// queries over the read model and the log.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "invlog/domain/commands.hpp"
#include "invlog/domain/record.hpp"
#include "invlog/store/event_store.hpp"

namespace invlog::app {

using Clock = std::function<domain::Millis()>;

struct Request {
    std::string sku;
    domain::Command command;
    std::string actor;
    std::optional<std::string> reason;
    std::optional<std::int64_t> expected_version;  // 0: the SKU must not exist yet
    std::optional<std::string> idempotency_key;
};

struct Outcome {
    domain::SkuState state;
    std::vector<domain::EventRecord> events;  // empty when replayed
    std::vector<std::string> notes;
    bool replayed = false;  // an idempotency key seen before: nothing appended
};

// How many times execute() decides a command when its commit loses to
// another writer of a shared store (write_conflict); then that Failure.
inline constexpr int max_write_attempts = 30;

// Runs one command in its own write transaction. Throws domain::Failure when
// the command is refused; then nothing is appended.
Outcome execute(store::EventStore& store, const Request& request, const Clock& clock);

// Runs one command inside a write transaction the caller holds. A batch may
// run many in one transaction: the store remembers the states it appended
// there, so no command replays a SKU's history again.
Outcome execute_in_transaction(store::EventStore& store, const Request& request, domain::Millis now);

}  // namespace invlog::app
