// The reference entity's replay and the seed-compatible translation (see
// invlog/domain/seed.hpp and ../shared/seed/replay-rules.md).
#include "invlog/domain/seed.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

#include "invlog/util/overloaded.hpp"

namespace invlog::domain {
namespace {

// Python's integers do not overflow; ours wrap, so that a tampered value
// stays defined behaviour (the final comparison then refuses the plan).
Qty add(Qty a, Qty b) { return static_cast<Qty>(static_cast<std::uint64_t>(a) + static_cast<std::uint64_t>(b)); }
Qty sub(Qty a, Qty b) { return static_cast<Qty>(static_cast<std::uint64_t>(a) - static_cast<std::uint64_t>(b)); }

enum class Field { reserved, soh, available };

// The forms that move one field of `from` to `to`, preferred first.
std::vector<Event> forms(Field field, const ReferenceState& from, const ReferenceState& to) {
    switch (field) {
    case Field::soh: return {SohReplaced{to.soh}, ProcessedReservedSohDecreased{sub(to.soh, from.soh)}};
    case Field::available:
        return {AvailableQuantityReplaced{to.available_quantity},
                AvailableQuantityDecreased{sub(to.available_quantity, from.available_quantity)}};
    case Field::reserved:
        if (to.reserved > from.reserved) return {StockReserved{sub(to.reserved, from.reserved)}};
        return {ProcessedReservedDecreased{sub(from.reserved, to.reserved)}};
    }
    return {};
}

bool differs(Field field, const ReferenceState& a, const ReferenceState& b) {
    switch (field) {
    case Field::soh: return a.soh != b.soh;
    case Field::available: return a.available_quantity != b.available_quantity;
    case Field::reserved: return a.reserved != b.reserved;
    }
    return false;
}

// Depth-first over the forms of the remaining fields, in the given order:
// true with `plan` filled when every step passes and the target is reached.
bool plan_fields(const ReferenceState& at, const ReferenceState& target, const std::vector<Field>& order,
                 std::size_t next, std::vector<Event>& plan) {
    if (next == order.size()) return at == target;
    for (const Event& step : forms(order[next], at, target)) {
        auto after = reference_apply(at, step);
        if (!after) continue;
        plan.push_back(step);
        if (plan_fields(*after, target, order, next + 1, plan)) return true;
        plan.pop_back();
    }
    return false;
}

std::optional<std::vector<Event>> plan_steps(const ReferenceState& from, const ReferenceState& target) {
    std::vector<Field> order;
    for (Field f : {Field::reserved, Field::soh, Field::available})
        if (differs(f, from, target)) order.push_back(f);
    // The order reserved, soh, available first (it is lexicographically the
    // smallest), then every other.
    do {
        std::vector<Event> plan;
        if (plan_fields(from, target, order, 0, plan)) return plan;
    } while (std::next_permutation(order.begin(), order.end()));
    return std::nullopt;
}

}  // namespace

bool is_reference_event(const Event& event) {
    return std::visit(util::overloaded{
                          [](const ReservationReleased&) { return false; },
                          [](const StockReceived&) { return false; },
                          [](const StockAdjusted&) { return false; },
                          [](const auto&) { return true; },
                      },
                      event);
}

ReferenceState reference_state(const State& s) {
    return ReferenceState{s.soh, s.available_quantity, s.reserved, s.exists()};
}

std::optional<ReferenceState> reference_apply(ReferenceState s, const Event& event) {
    bool raised = false;
    std::visit(util::overloaded{
                   [&](const InventoryCreated& e) {
                       s = ReferenceState{e.soh, e.available_quantity, e.reserved, true};
                   },
                   [&](const StockReserved& e) {  // increase_reserved
                       if (s.soh <= 0 || s.available_quantity < e.reserved)
                           raised = true;
                       else
                           s.reserved = add(s.reserved, e.reserved);
                   },
                   [&](const AvailableQuantityDecreased& e) {  // update_available_quantity
                       if (s.available_quantity <= 0)
                           raised = true;
                       else
                           s.available_quantity = add(s.available_quantity, e.available_quantity);
                   },
                   [&](const AvailableQuantityReplaced& e) {  // set_available_quantity
                       if (s.soh < e.available_quantity)
                           raised = true;
                       else if (e.available_quantity >= 0)
                           s.available_quantity = e.available_quantity;
                   },
                   [&](const SohReplaced& e) {  // set_soh
                       if (s.reserved >= e.soh)
                           raised = true;
                       else if (e.soh >= 0)
                           s.soh = e.soh;
                   },
                   [&](const ProcessedReservedSohDecreased& e) {  // update_soh
                       if (s.soh <= 0)
                           raised = true;
                       else
                           s.soh = add(s.soh, e.soh);
                   },
                   [&](const ProcessedReservedDecreased& e) {  // decrease_reserved
                       if (s.reserved < e.reserved)
                           raised = true;
                       else
                           s.reserved = sub(s.reserved, e.reserved);
                   },
                   [](const auto&) {},  // outside the catalogue: skipped silently
               },
               event);
    if (raised) return std::nullopt;
    return s;
}

std::vector<Event> seed_translate(const State& before, const Event& event) {
    const ReferenceState from = reference_state(before);
    const ReferenceState target = reference_state(evolve(before, event));
    if (is_reference_event(event))
        if (auto after = reference_apply(from, event); after && *after == target) return {event};
    if (from.created && target.created) {
        if (from == target) {
            // Changes nothing, but its own form would raise: a replace by the
            // same value, else a decrease by nothing.
            for (const Event& noop :
                 {Event(AvailableQuantityReplaced{from.available_quantity}), Event(ProcessedReservedDecreased{0})})
                if (reference_apply(from, noop) == target) return {noop};
        } else if (auto plan = plan_steps(from, target)) {
            return *plan;
        }
    }
    return {InventoryCreated{target.soh, target.available_quantity, target.reserved}};
}

}  // namespace invlog::domain
