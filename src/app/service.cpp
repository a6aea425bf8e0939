// Load, decide, append, project.
#include "invlog/app/service.hpp"

#include <fmt/format.h>

#include "invlog/app/queries.hpp"
#include "invlog/telemetry/span.hpp"
#include "invlog/util/backoff.hpp"
#include "invlog/util/crypto.hpp"

namespace invlog::app {

using domain::ErrorKind;
using domain::Failure;

namespace {

Failure impossible_state(const std::string& sku, const std::string& problem, bool after = false) {
    const std::string what = after ? fmt::format("the command would leave SKU {}", sku) : fmt::format("SKU {} is", sku);
    return Failure(ErrorKind::integrity, "impossible_state",
                   fmt::format("{} in an impossible state ({}); nothing was changed (run 'invlog verify')", what,
                               problem));
}

}  // namespace

Outcome execute(store::EventStore& store, const Request& request, const Clock& clock) {
    // A store shared by several writers (MongoDB) refuses a commit decided on
    // a head another writer has moved since (write_conflict): the command is
    // loaded and decided again, a bounded number of times, so that it is
    // judged on the state it changes (an expected version then conflicts).
    for (int attempt = 1;; ++attempt) {
        try {
            store::EventStore::Transaction tx(store, true);
            Outcome outcome = execute_in_transaction(store, request, clock());
            telemetry::Span span("commit");
            tx.commit();
            return outcome;
        } catch (const Failure& f) {
            if (f.code() != "write_conflict" || attempt >= max_write_attempts) throw;
        }
        util::sleep_backoff(attempt);
    }
}

Outcome execute_in_transaction(store::EventStore& store, const Request& request, domain::Millis now) {
    const std::string fp = domain::fingerprint(request.sku, request.command);
    if (request.idempotency_key) {
        if (auto seen = store.find_idempotency(*request.idempotency_key)) {
            if (!domain::same_command(seen->fingerprint, fp))
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

    std::optional<telemetry::Span> load_span(std::in_place, "load");
    const domain::State before = store.load(request.sku);
    load_span.reset();
    // A state no command can produce (a damaged log, or a snapshot edited so
    // that its seal still holds) is never decided on: nothing is appended.
    if (before.exists())
        if (auto problem = domain::invariant_problem(before)) throw impossible_state(request.sku, *problem);
    if (request.expected_version && *request.expected_version != before.version)
        throw Failure(ErrorKind::conflict, "version_conflict",
                      before.exists() ? fmt::format("SKU {} is at version {}, expected {}", request.sku, before.version,
                                                    *request.expected_version)
                                      : fmt::format("SKU {} does not exist, expected version {}", request.sku,
                                                    *request.expected_version));

    std::optional<telemetry::Span> decide_span(std::in_place, "decide");
    auto decided = domain::decide(request.sku, before, request.command);
    if (auto* rejection = std::get_if<domain::Rejection>(&decided)) {
        decide_span->fail(rejection->code);
        throw Failure(*rejection);
    }
    auto& decision = std::get<domain::Decision>(decided);
    domain::State after = before;
    for (const auto& e : decision.events) after = domain::evolve(after, e);
    // Defence in depth: the decider keeps the invariant, and this checks it
    // did before anything is appended.
    if (auto problem = domain::invariant_problem(after)) throw impossible_state(request.sku, *problem, true);
    decide_span.reset();

    // The command id carries the clock as read for this command, before
    // recorded_at is held at the log's last time (see verify's clock notices).
    domain::Metadata meta{request.actor, request.reason, util::uuid_v7(now), request.idempotency_key};
    Outcome outcome;
    telemetry::Span append_span("append");
    append_span.set_int("invlog.events", static_cast<std::int64_t>(decision.events.size()));
    outcome.events = store.append(request.sku, before, decision.events, meta, now);
    outcome.notes = std::move(decision.notes);
    outcome.state = domain::SkuState{request.sku, after, outcome.events.back().recorded_at};
    if (request.idempotency_key)
        store.record_idempotency(*request.idempotency_key,
                                 store::IdempotencyEntry{fp, request.sku, after.version, meta.command_id});
    return outcome;
}

}  // namespace invlog::app
