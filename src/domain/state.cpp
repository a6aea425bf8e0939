// evolve: one exhaustive visit over the event variant. A new event type that
// is not handled here fails to compile.
#include "invlog/domain/state.hpp"
#include "invlog/util/overloaded.hpp"

#include <fmt/format.h>

namespace invlog::domain {
namespace {

// Wrapping addition: replay must be defined for any recorded value.
Qty add(Qty a, Qty b) {
    return static_cast<Qty>(static_cast<std::uint64_t>(a) + static_cast<std::uint64_t>(b));
}


}  // namespace

State evolve(State s, const Event& event) {
    std::visit(util::overloaded{
                   [&](const InventoryCreated& e) {
                       s.soh = e.soh;
                       s.available_quantity = e.available_quantity;
                       s.reserved = e.reserved;
                   },
                   [&](const SohReplaced& e) { s.soh = e.soh; },
                   [&](const AvailableQuantityReplaced& e) { s.available_quantity = e.available_quantity; },
                   [&](const StockReserved& e) { s.reserved = add(s.reserved, e.reserved); },
                   [&](const AvailableQuantityDecreased& e) {
                       s.available_quantity = add(s.available_quantity, e.available_quantity);
                   },
                   [&](const ProcessedReservedDecreased& e) { s.reserved = add(s.reserved, -e.reserved); },
                   [&](const ProcessedReservedSohDecreased& e) { s.soh = add(s.soh, e.soh); },
                   [&](const ReservationReleased& e) {
                       s.reserved = add(s.reserved, -e.quantity);
                       s.available_quantity = add(s.available_quantity, e.quantity);
                   },
                   [&](const StockReceived& e) {
                       s.soh = add(s.soh, e.quantity);
                       s.available_quantity = add(s.available_quantity, e.quantity);
                   },
                   [&](const StockAdjusted& e) {
                       s.soh = add(s.soh, e.quantity);
                       s.available_quantity = add(s.available_quantity, e.quantity);
                   },
               },
               event);
    s.version += 1;
    return s;
}

std::optional<std::string> invariant_problem(const State& s) {
    if (s.reserved < 0) return fmt::format("reserved is negative ({})", s.reserved);
    if (s.available_quantity < 0) return fmt::format("available is negative ({})", s.available_quantity);
    if (s.soh < 0) return fmt::format("soh is negative ({})", s.soh);
    if (s.available_quantity > s.soh - s.reserved)
        return fmt::format("available {} + reserved {} exceeds soh {}", s.available_quantity, s.reserved, s.soh);
    return std::nullopt;
}

}  // namespace invlog::domain
