// The decider: the business rules of every write command.
#include <fmt/format.h>

#include "invlog/domain/commands.hpp"
#include "invlog/util/overloaded.hpp"

namespace invlog::domain {
namespace {

Rejection refuse(std::string code, std::string message) {
    return Rejection{ErrorKind::rejected, std::move(code), std::move(message)};
}

Decision emit(std::vector<Event> events) { return Decision{std::move(events), {}}; }

DecideResult too_large(std::string_view what, std::string_view sku, Qty current, Qty add) {
    return refuse("quantity_limit", fmt::format("cannot {} {} to {}: soh {} would exceed the limit of {}", what, add,
                                                sku, current, max_state_quantity));
}

// A quantity no command takes (the parsers refuse them first): negating it
// could overflow.
std::optional<Qty> negative_quantity(const Command& command) {
    auto neg = [](Qty q) { return q < 0 ? std::optional<Qty>(q) : std::nullopt; };
    auto neg2 = [&](Qty q, const std::optional<Qty>& r) { return neg(q) ? neg(q) : r ? neg(*r) : std::nullopt; };
    return std::visit(util::overloaded{
                          [&](const Create& c) { return neg2(c.soh, c.available); },
                          [&](const SetSoh& c) { return neg2(c.soh, c.available); },
                          [&](const SetAvailable& c) { return neg(c.available); },
                          [&](const Reserve& c) { return neg(c.qty); },
                          [&](const Complete& c) { return neg(c.qty); },
                          [&](const Release& c) { return neg(c.qty); },
                          [&](const Receive& c) { return neg(c.qty); },
                          [](const Adjust&) { return std::optional<Qty>(); },
                      },
                      command);
}

}  // namespace

std::string_view command_name(const Command& command) {
    return std::visit(util::overloaded{
                          [](const Create&) { return std::string_view("create"); },
                          [](const SetSoh&) { return std::string_view("set-soh"); },
                          [](const SetAvailable&) { return std::string_view("set-available"); },
                          [](const Reserve&) { return std::string_view("reserve"); },
                          [](const Complete&) { return std::string_view("complete"); },
                          [](const Release&) { return std::string_view("release"); },
                          [](const Receive&) { return std::string_view("receive"); },
                          [](const Adjust&) { return std::string_view("adjust"); },
                      },
                      command);
}

DecideResult decide(std::string_view sku, const State& s, const Command& command) {
    if (!std::holds_alternative<Create>(command) && !s.exists()) {
        return Rejection{ErrorKind::not_found, "sku_not_found", fmt::format("SKU {} does not exist", sku)};
    }
    // Decisions are made on possible states only: one that breaks the
    // invariant came from a damaged log, and every rule below assumes
    // quantities within [0, max_state_quantity] (so that no arithmetic
    // overflows).
    if (s.exists())
        if (auto problem = invariant_problem(s))
            return Rejection{ErrorKind::integrity, "impossible_state",
                             fmt::format("SKU {} is in an impossible state ({}); nothing was changed (run 'invlog "
                                         "verify')",
                                         sku, *problem)};
    if (auto q = negative_quantity(command))
        return Rejection{ErrorKind::usage, "invalid_argument",
                         fmt::format("invalid quantity {} for {}: quantities are not negative", *q,
                                     command_name(command))};
    return std::visit(
        util::overloaded{
            [&](const Create& c) -> DecideResult {
                if (s.exists()) return refuse("already_exists", fmt::format("SKU {} already exists", sku));
                Qty available = c.available.value_or(c.soh);
                if (available > c.soh)
                    return refuse("available_exceeds_soh",
                                  fmt::format("cannot create {}: available {} exceeds soh {}", sku, available, c.soh));
                return emit({InventoryCreated{c.soh, available, 0}});
            },
            [&](const SetSoh& c) -> DecideResult {
                if (c.soh < s.reserved)
                    return refuse("soh_below_reserved",
                                  fmt::format("cannot set soh of {} to {}: {} reserved", sku, c.soh, s.reserved));
                Qty free = c.soh - s.reserved;
                Decision d = emit({SohReplaced{c.soh}});
                if (c.available) {
                    if (*c.available > free)
                        return refuse("available_exceeds_free",
                                      fmt::format("cannot set available of {} to {}: soh {} - reserved {} leaves {}",
                                                  sku, *c.available, c.soh, s.reserved, free));
                    d.events.emplace_back(AvailableQuantityReplaced{*c.available});
                } else if (s.available_quantity > free) {
                    d.events.emplace_back(AvailableQuantityReplaced{free});
                    d.notes.push_back(fmt::format("available of {} lowered from {} to {} (soh {} - reserved {})", sku,
                                                  s.available_quantity, free, c.soh, s.reserved));
                }
                return d;
            },
            [&](const SetAvailable& c) -> DecideResult {
                Qty free = s.soh - s.reserved;
                if (c.available > free)
                    return refuse("available_exceeds_free",
                                  fmt::format("cannot set available of {} to {}: soh {} - reserved {} leaves {}", sku,
                                              c.available, s.soh, s.reserved, free));
                return emit({AvailableQuantityReplaced{c.available}});
            },
            [&](const Reserve& c) -> DecideResult {
                if (c.qty > s.available_quantity)
                    return refuse("insufficient_available", fmt::format("cannot reserve {} of {}: only {} available",
                                                                        c.qty, sku, s.available_quantity));
                return emit({StockReserved{c.qty}, AvailableQuantityDecreased{-c.qty}});
            },
            [&](const Complete& c) -> DecideResult {
                if (c.qty > s.reserved)
                    return refuse("insufficient_reserved",
                                  fmt::format("cannot complete {} of {}: only {} reserved", c.qty, sku, s.reserved));
                return emit({ProcessedReservedDecreased{c.qty}, ProcessedReservedSohDecreased{-c.qty}});
            },
            [&](const Release& c) -> DecideResult {
                if (c.qty > s.reserved)
                    return refuse("insufficient_reserved",
                                  fmt::format("cannot release {} of {}: only {} reserved", c.qty, sku, s.reserved));
                return emit({ReservationReleased{c.qty}});
            },
            [&](const Receive& c) -> DecideResult {
                if (c.qty > max_state_quantity - s.soh) return too_large("receive", sku, s.soh, c.qty);
                return emit({StockReceived{c.qty}});
            },
            [&](const Adjust& c) -> DecideResult {
                if (c.delta > 0 && c.delta > max_state_quantity - s.soh)
                    return too_large("adjust", sku, s.soh, c.delta);
                if (c.delta < 0 && c.delta < -s.available_quantity)
                    return refuse("invariant_violation",
                                  fmt::format("cannot adjust {} by {}: only {} available (soh {}, reserved {})", sku,
                                              c.delta, s.available_quantity, s.soh, s.reserved));
                return emit({StockAdjusted{c.delta}});
            },
        },
        command);
}

}  // namespace invlog::domain
