// evolve: one exhaustive visit over the event variant. A new event type that
// is not handled here fails to compile.
#include "invlog/domain/state.hpp"
#include "invlog/util/overloaded.hpp"

#include <fmt/format.h>

namespace invlog::domain {
namespace {

// Wrapping arithmetic: replay must be defined for any recorded value, and
// negating INT64_MIN or adding past INT64_MAX is not.
Qty add(Qty a, Qty b) { return static_cast<Qty>(static_cast<std::uint64_t>(a) + static_cast<std::uint64_t>(b)); }
Qty sub(Qty a, Qty b) { return static_cast<Qty>(static_cast<std::uint64_t>(a) - static_cast<std::uint64_t>(b)); }

enum class Sign { non_negative, non_positive, any };

std::optional<std::string> field_problem(std::string_view type, std::string_view field, Qty value, Sign sign) {
    if (value > max_state_quantity || value < -max_state_quantity)
        return fmt::format("{} {} of {} is beyond the limit of {}", field, value, type, max_state_quantity);
    if (sign == Sign::non_negative && value < 0)
        return fmt::format("{} {} of {} is negative; no command records that", field, value, type);
    if (sign == Sign::non_positive && value > 0)
        return fmt::format("{} {} of {} is positive; no command records that", field, value, type);
    return std::nullopt;
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
                   [&](const ProcessedReservedDecreased& e) { s.reserved = sub(s.reserved, e.reserved); },
                   [&](const ProcessedReservedSohDecreased& e) { s.soh = add(s.soh, e.soh); },
                   [&](const ReservationReleased& e) {
                       s.reserved = sub(s.reserved, e.quantity);
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
    s.version = add(s.version, 1);
    return s;
}

std::optional<std::string> invariant_problem(const State& s) {
    if (s.reserved < 0) return fmt::format("reserved is negative ({})", s.reserved);
    if (s.available_quantity < 0) return fmt::format("available is negative ({})", s.available_quantity);
    if (s.soh < 0) return fmt::format("soh is negative ({})", s.soh);
    if (s.soh > max_state_quantity) return fmt::format("soh {} is beyond the limit of {}", s.soh, max_state_quantity);
    // All three are now within [0, 2^53), so neither side can overflow.
    if (s.available_quantity > s.soh || s.reserved > s.soh - s.available_quantity)
        return fmt::format("available {} + reserved {} exceeds soh {}", s.available_quantity, s.reserved, s.soh);
    return std::nullopt;
}

std::optional<std::string> value_problem(const Event& event) {
    const std::string_view type = event_type(event);
    auto check = [&](std::string_view field, Qty value, Sign sign) { return field_problem(type, field, value, sign); };
    return std::visit(
        util::overloaded{
            [&](const InventoryCreated& e) {
                if (auto p = check("soh", e.soh, Sign::non_negative)) return p;
                if (auto p = check("available_quantity", e.available_quantity, Sign::non_negative)) return p;
                return check("reserved", e.reserved, Sign::non_negative);
            },
            [&](const SohReplaced& e) { return check("soh", e.soh, Sign::non_negative); },
            [&](const AvailableQuantityReplaced& e) {
                return check("available_quantity", e.available_quantity, Sign::non_negative);
            },
            [&](const StockReserved& e) { return check("reserved", e.reserved, Sign::non_negative); },
            [&](const AvailableQuantityDecreased& e) {
                return check("available_quantity", e.available_quantity, Sign::non_positive);
            },
            [&](const ProcessedReservedDecreased& e) { return check("reserved", e.reserved, Sign::non_negative); },
            [&](const ProcessedReservedSohDecreased& e) { return check("soh", e.soh, Sign::non_positive); },
            [&](const ReservationReleased& e) { return check("quantity", e.quantity, Sign::non_negative); },
            [&](const StockReceived& e) { return check("quantity", e.quantity, Sign::non_negative); },
            [&](const StockAdjusted& e) { return check("quantity", e.quantity, Sign::any); },
        },
        event);
}

}  // namespace invlog::domain
