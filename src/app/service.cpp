// Load, decide, append, project.
#include "invlog/app/service.hpp"

#include <fmt/format.h>

#include "invlog/app/queries.hpp"
#include "invlog/util/crypto.hpp"

namespace invlog::app {

using domain::ErrorKind;
using domain::Failure;

Outcome execute(store::EventStore& store, const Request& request, const Clock& clock) {
    store::EventStore::Transaction tx(store, true);
    Outcome outcome = execute_in_transaction(store, request, clock());
    tx.commit();
    return outcome;
}

Outcome execute_in_transaction(store::EventStore& store, const Request& request, domain::Millis now) {
    const std::string fp = domain::fingerprint(request.sku, request.command);
    if (request.idempotency_key) {
        if (auto seen = store.find_idempotency(*request.idempotency_key)) {
            if (seen->fingerprint != fp)
                throw Failure(ErrorKind::conflict, "idempotency_key_reused",
                              fmt::format("idempotency key {} was already used for another command ({})",
                                          *request.idempotency_key, seen->fingerprint));
            Outcome replay;
            replay.state = state_at(store, seen->sku, At{seen->version, std::nullopt});
            replay.replayed = true;
            replay.notes.push_back(fmt::format("idempotency key {} was already applied (command {}); nothing appended",
                                               *request.idempotency_key, seen->command_id));
            return replay;
        }
    }

    const domain::State before = store.load(request.sku);
    if (request.expected_version && *request.expected_version != before.version)
        throw Failure(ErrorKind::conflict, "version_conflict",
                      before.exists() ? fmt::format("SKU {} is at version {}, expected {}", request.sku, before.version,
                                                    *request.expected_version)
                                      : fmt::format("SKU {} does not exist, expected version {}", request.sku,
                                                    *request.expected_version));

    auto decided = domain::decide(request.sku, before, request.command);
    if (auto* rejection = std::get_if<domain::Rejection>(&decided)) throw Failure(*rejection);
    auto& decision = std::get<domain::Decision>(decided);

    domain::Metadata meta{request.actor, request.reason, util::new_uuid(), request.idempotency_key};
    Outcome outcome;
    outcome.events = store.append(request.sku, before, decision.events, meta, now);
    outcome.notes = std::move(decision.notes);
    domain::State after = before;
    for (const auto& e : decision.events) after = domain::evolve(after, e);
    outcome.state = domain::SkuState{request.sku, after, outcome.events.back().recorded_at};
    if (request.idempotency_key)
        store.record_idempotency(*request.idempotency_key,
                                 store::IdempotencyEntry{fp, request.sku, after.version, meta.command_id});
    return outcome;
}

}  // namespace invlog::app
