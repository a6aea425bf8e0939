// The reference inventory service's view of the event log ("seed-compatible"
// export): its entity, which validates even while replaying, and the
// translation of each invlog event into reference events that a reader
// knowing only the reference's seven event types replays to invlog's state.
// The rules are those of ../shared/seed/replay-rules.md. Pure.
#pragma once

#include <optional>
#include <vector>

#include "invlog/domain/events.hpp"
#include "invlog/domain/state.hpp"

namespace invlog::domain {

// Whether an event is one of the reference's seven types (the first seven
// alternatives of Event); the others are skipped by a reference reader.
bool is_reference_event(const Event& event);

// The reference entity as its replay leaves it: `created` is false while its
// sku is '' (the SKU does not exist for the reference).
struct ReferenceState {
    Qty soh = 0;
    Qty available_quantity = 0;
    Qty reserved = 0;
    bool created = false;
    bool operator==(const ReferenceState&) const = default;
};

// The reference's view of an invlog state.
ReferenceState reference_state(const State& state);

// Applies one document as the reference's replay does: nullopt when its
// entity method raises (the replay aborts and the SKU becomes unreadable);
// an event outside its catalogue is skipped (the state comes back as it is).
std::optional<ReferenceState> reference_apply(ReferenceState state, const Event& event);

// The reference events for one invlog event, given the SKU's state before it:
// replayed by reference_apply from reference_state(before), every one of
// them passes the entity's checks and the last leaves
// reference_state(evolve(before, event)). Never empty, at most three.
//
// An event of the reference catalogue is kept as it is when it passes. The
// others, and a catalogue event that would raise (SOH_REPLACED to a value
// equal to the reserved quantity), become per-field steps: the reserved
// quantity, then soh, then available (other orders when that one raises),
// each step an absolute replace (SOH_REPLACED, AVAILABLE_QUANTITY_REPLACED)
// when it passes, else the delta form (PROCESSED_RESERVED_SOH_DECREASED,
// AVAILABLE_QUANTITY_DECREASED, which carry a signed change); reserved moves
// by STOCK_RESERVED or PROCESSED_RESERVED_DECREASED. An event that changes
// nothing and cannot be written as it is (SOH_REPLACED 0 on a SKU at 0)
// becomes AVAILABLE_QUANTITY_REPLACED with the current available quantity
// (else PROCESSED_RESERVED_DECREASED 0). Only where no such form passes,
// which no state reachable through invlog's commands needs (a state that
// breaks the invariant, from a damaged log), is the whole state written as
// INVENTORY_CREATED.
std::vector<Event> seed_translate(const State& before, const Event& event);

}  // namespace invlog::domain
