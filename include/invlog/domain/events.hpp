// The event catalogue. Event names and data field names are a public contract
// shared with the reference inventory service; never rename them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace invlog::domain {

using Qty = std::int64_t;

struct InventoryCreated {
    Qty soh = 0;
    Qty available_quantity = 0;
    Qty reserved = 0;
    bool operator==(const InventoryCreated&) const = default;
};
struct SohReplaced {
    Qty soh = 0;
    bool operator==(const SohReplaced&) const = default;
};
struct AvailableQuantityReplaced {
    Qty available_quantity = 0;
    bool operator==(const AvailableQuantityReplaced&) const = default;
};
struct StockReserved {
    Qty reserved = 0;
    bool operator==(const StockReserved&) const = default;
};
// Always appended right after StockReserved; the value is negative.
struct AvailableQuantityDecreased {
    Qty available_quantity = 0;
    bool operator==(const AvailableQuantityDecreased&) const = default;
};
struct ProcessedReservedDecreased {
    Qty reserved = 0;
    bool operator==(const ProcessedReservedDecreased&) const = default;
};
// Always appended right after ProcessedReservedDecreased; the value is negative.
struct ProcessedReservedSohDecreased {
    Qty soh = 0;
    bool operator==(const ProcessedReservedSohDecreased&) const = default;
};
struct ReservationReleased {
    Qty quantity = 0;
    bool operator==(const ReservationReleased&) const = default;
};
struct StockReceived {
    Qty quantity = 0;
    bool operator==(const StockReceived&) const = default;
};
struct StockAdjusted {
    Qty quantity = 0;
    bool operator==(const StockAdjusted&) const = default;
};

// Events compare equal when they are of the same type with the same data.
using Event = std::variant<InventoryCreated, SohReplaced, AvailableQuantityReplaced, StockReserved,
                           AvailableQuantityDecreased, ProcessedReservedDecreased, ProcessedReservedSohDecreased,
                           ReservationReleased, StockReceived, StockAdjusted>;

// A data field of an event, in the order the catalogue lists it.
using Field = std::pair<std::string_view, Qty>;

std::string_view event_type(const Event& event);
std::vector<Field> event_fields(const Event& event);

// Builds an event from its type name and data fields; nullopt when the type is
// unknown or a field is missing. Extra fields are ignored.
std::optional<Event> make_event(std::string_view type, const std::vector<Field>& fields);

// The data object of the public contract as compact JSON text:
// {"soh":10,"available_quantity":10,"reserved":0}, fields in catalogue order.
// Field names need no escaping and values are integers, so no JSON library
// is involved.
std::string data_json_text(const Event& event);

// Every event type name, in catalogue order.
const std::vector<std::string_view>& event_types();

}  // namespace invlog::domain
