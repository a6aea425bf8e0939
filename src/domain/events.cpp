// Event type names and data fields: the wire vocabulary of the event log.
#include "invlog/domain/events.hpp"
#include "invlog/util/overloaded.hpp"

#include <algorithm>

namespace invlog::domain {
namespace {

std::optional<Qty> field(const std::vector<Field>& fields, std::string_view name) {
    auto it = std::find_if(fields.begin(), fields.end(), [&](const Field& f) { return f.first == name; });
    if (it == fields.end()) return std::nullopt;
    return it->second;
}

}  // namespace

std::string_view event_type(const Event& event) {
    return std::visit(
        util::overloaded{
            [](const InventoryCreated&) { return std::string_view("INVENTORY_CREATED"); },
            [](const SohReplaced&) { return std::string_view("SOH_REPLACED"); },
            [](const AvailableQuantityReplaced&) { return std::string_view("AVAILABLE_QUANTITY_REPLACED"); },
            [](const StockReserved&) { return std::string_view("STOCK_RESERVED"); },
            [](const AvailableQuantityDecreased&) { return std::string_view("AVAILABLE_QUANTITY_DECREASED"); },
            [](const ProcessedReservedDecreased&) { return std::string_view("PROCESSED_RESERVED_DECREASED"); },
            [](const ProcessedReservedSohDecreased&) { return std::string_view("PROCESSED_RESERVED_SOH_DECREASED"); },
            [](const ReservationReleased&) { return std::string_view("RESERVATION_RELEASED"); },
            [](const StockReceived&) { return std::string_view("STOCK_RECEIVED"); },
            [](const StockAdjusted&) { return std::string_view("STOCK_ADJUSTED"); },
        },
        event);
}

std::vector<Field> event_fields(const Event& event) {
    return std::visit(util::overloaded{
                          [](const InventoryCreated& e) {
                              return std::vector<Field>{{"soh", e.soh},
                                                        {"available_quantity", e.available_quantity},
                                                        {"reserved", e.reserved}};
                          },
                          [](const SohReplaced& e) {
                              return std::vector<Field>{{"soh", e.soh}};
                          },
                          [](const AvailableQuantityReplaced& e) {
                              return std::vector<Field>{{"available_quantity", e.available_quantity}};
                          },
                          [](const StockReserved& e) {
                              return std::vector<Field>{{"reserved", e.reserved}};
                          },
                          [](const AvailableQuantityDecreased& e) {
                              return std::vector<Field>{{"available_quantity", e.available_quantity}};
                          },
                          [](const ProcessedReservedDecreased& e) {
                              return std::vector<Field>{{"reserved", e.reserved}};
                          },
                          [](const ProcessedReservedSohDecreased& e) {
                              return std::vector<Field>{{"soh", e.soh}};
                          },
                          [](const ReservationReleased& e) {
                              return std::vector<Field>{{"quantity", e.quantity}};
                          },
                          [](const StockReceived& e) {
                              return std::vector<Field>{{"quantity", e.quantity}};
                          },
                          [](const StockAdjusted& e) {
                              return std::vector<Field>{{"quantity", e.quantity}};
                          },
                      },
                      event);
}

std::string data_json_text(const Event& event) {
    std::string out = "{";
    for (const auto& [name, value] : event_fields(event)) {
        if (out.size() > 1) out += ',';
        out += '"';
        out += name;
        out += "\":";
        out += std::to_string(value);
    }
    out += '}';
    return out;
}

const std::vector<std::string_view>& event_types() {
    static const std::vector<std::string_view> types = {
        "INVENTORY_CREATED",
        "SOH_REPLACED",
        "AVAILABLE_QUANTITY_REPLACED",
        "STOCK_RESERVED",
        "AVAILABLE_QUANTITY_DECREASED",
        "PROCESSED_RESERVED_DECREASED",
        "PROCESSED_RESERVED_SOH_DECREASED",
        "RESERVATION_RELEASED",
        "STOCK_RECEIVED",
        "STOCK_ADJUSTED",
    };
    return types;
}

std::optional<Event> make_event(std::string_view type, const std::vector<Field>& fields) {
    auto one = [&](std::string_view name) { return field(fields, name); };
    if (type == "INVENTORY_CREATED") {
        auto soh = one("soh");
        auto available = one("available_quantity");
        if (!soh || !available) return std::nullopt;
        return InventoryCreated{*soh, *available, one("reserved").value_or(0)};
    }
    if (type == "SOH_REPLACED") {
        if (auto v = one("soh")) return SohReplaced{*v};
    } else if (type == "AVAILABLE_QUANTITY_REPLACED") {
        if (auto v = one("available_quantity")) return AvailableQuantityReplaced{*v};
    } else if (type == "STOCK_RESERVED") {
        if (auto v = one("reserved")) return StockReserved{*v};
    } else if (type == "AVAILABLE_QUANTITY_DECREASED") {
        if (auto v = one("available_quantity")) return AvailableQuantityDecreased{*v};
    } else if (type == "PROCESSED_RESERVED_DECREASED") {
        if (auto v = one("reserved")) return ProcessedReservedDecreased{*v};
    } else if (type == "PROCESSED_RESERVED_SOH_DECREASED") {
        if (auto v = one("soh")) return ProcessedReservedSohDecreased{*v};
    } else if (type == "RESERVATION_RELEASED") {
        if (auto v = one("quantity")) return ReservationReleased{*v};
    } else if (type == "STOCK_RECEIVED") {
        if (auto v = one("quantity")) return StockReceived{*v};
    } else if (type == "STOCK_ADJUSTED") {
        if (auto v = one("quantity")) return StockAdjusted{*v};
    }
    return std::nullopt;
}

}  // namespace invlog::domain
