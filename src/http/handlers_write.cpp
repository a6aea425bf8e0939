// Write routes: the command table's POST /inventory/{sku}/{command} and the
// reference service's four write routes. Every write goes through the group
// committer and is answered once its transaction has committed.
#include <fmt/format.h>

#include "handlers.hpp"
#include "invlog/domain/error.hpp"
#include "invlog/domain/limits.hpp"
#include "invlog/http/command_body.hpp"
#include "invlog/http/reference.hpp"
#include "invlog/output/json.hpp"

namespace invlog::http {
namespace {

Response state_response(const app::Outcome& outcome) {
    Response r;
    r.body = state_body(outcome.state, outcome.notes, outcome.replayed);
    r.set_header("ETag", fmt::format("\"{}\"", outcome.state.state.version));
    r.sku = outcome.state.sku;
    return r;
}

// A value pydantic accepted (> 0) that invlog's own rule may still refuse.
domain::Qty reference_quantity(const std::string& digits, std::string_view field) {
    if (digits.size() <= 13) {
        const domain::Qty q = std::stoll(digits);
        if (domain::valid_quantity(q, false)) return q;
    }
    throw domain::usage_error("invalid_argument",
                              fmt::format("invalid \"{}\" value {}: expected {}", field,
                                          digits.size() > 80 ? digits.substr(0, 80) + "..." : digits,
                                          domain::quantity_rule(false)));
}

}  // namespace

std::string state_body(const domain::SkuState& state, const std::vector<std::string>& notes, bool replayed) {
    output::Json j = output::state_json(state);
    if (replayed) j["replayed"] = true;
    if (!notes.empty()) j["notes"] = notes;
    return output::dump_line(j);
}

app::Outcome run_request(Service& service, const app::Request& request) {
    app::Outcome outcome;
    service.committer().run([&](store::EventStore& store, domain::Millis now) {
        outcome = app::execute_in_transaction(store, request, now);
    });
    return outcome;
}

Response handle_command(const Call& call) {
    const app::Request request = parse_command(*call.match.command, call.match.sku, call.request.body,
                                               call.request.headers, CommandDefaults{call.service.options().actor});
    return state_response(run_request(call.service, request));
}

Response handle_reference_write(const Call& call) {
    ReferenceModel model = ReferenceModel::quantity;
    if (call.match.route->id == RouteId::ref_create) model = ReferenceModel::create;
    if (call.match.route->id == RouteId::ref_update) model = ReferenceModel::update;
    auto validated = validate_reference_body(model, call.request.body, call.request.header("Content-Type"));
    if (auto* refused = std::get_if<Response>(&validated)) {
        refused->sku = call.match.sku;
        return std::move(*refused);
    }
    const auto& fields = std::get<ReferenceFields>(validated);

    app::Request request;
    request.actor = call.service.options().actor;
    switch (call.match.route->id) {
    case RouteId::ref_create:
        request.sku = path_sku(fields.sku);
        request.command = domain::Create{reference_quantity(fields.integers[0], "soh"),
                                         reference_quantity(fields.integers[1], "available_quantity")};
        break;
    case RouteId::ref_update:
        request.sku = path_sku(call.match.sku);
        request.command = domain::SetSoh{reference_quantity(fields.integers[0], "soh"),
                                         reference_quantity(fields.integers[1], "available_quantity")};
        break;
    case RouteId::ref_reserve:
        request.sku = path_sku(call.match.sku);
        request.command = domain::Reserve{reference_quantity(fields.integers[0], "quantity")};
        break;
    default:
        request.sku = path_sku(call.match.sku);
        request.command = domain::Complete{reference_quantity(fields.integers[0], "quantity")};
        break;
    }
    request.expected_version = expected_version(call.request.headers);
    request.idempotency_key = idempotency_key(call.request.headers);
    const app::Outcome outcome = run_request(call.service, request);

    // The reference's InventoryResponse, keys in its order.
    output::Json j;
    j["sku"] = outcome.state.sku;
    j["soh"] = outcome.state.state.soh;
    j["reserved"] = outcome.state.state.reserved;
    j["available_quantity"] = outcome.state.state.available_quantity;
    Response r;
    r.body = output::dump_line(j);
    r.set_header("ETag", fmt::format("\"{}\"", outcome.state.state.version));
    r.sku = outcome.state.sku;
    return r;
}

}  // namespace invlog::http
