// JSON objects of states and events.
#include "invlog/output/json.hpp"

#include "invlog/util/time.hpp"

namespace invlog::output {
namespace {

Json nullable(const std::optional<std::string>& s) { return s ? Json(*s) : Json(nullptr); }

}  // namespace

Json state_json(const domain::SkuState& s) {
    Json j;
    j["sku"] = s.sku;
    j["soh"] = s.state.soh;
    j["available_quantity"] = s.state.available_quantity;
    j["reserved"] = s.state.reserved;
    j["version"] = s.state.version;
    j["updated_at"] = util::format_time(s.updated_at);
    return j;
}

Json data_json(const domain::Event& e) {
    Json data = Json::object();
    for (const auto& [name, value] : domain::event_fields(e)) data[std::string(name)] = value;
    return data;
}

Json error_json(const std::string& code, const std::string& message, int exit_code) {
    Json err;
    err["code"] = code;
    err["message"] = message;
    err["exit_code"] = exit_code;
    return err;
}

std::string dump_line(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

Json event_json(const domain::EventRecord& e, const domain::State* after) {
    Json j;
    j["seq"] = e.seq;
    j["event_id"] = e.event_id;
    j["sku"] = e.sku;
    j["version"] = e.version;
    j["event_type"] = domain::event_type(e.event);
    j["data"] = data_json(e.event);
    j["recorded_at"] = util::format_time(e.recorded_at);
    j["actor"] = e.meta.actor;
    j["reason"] = nullable(e.meta.reason);
    j["command_id"] = e.meta.command_id;
    j["idempotency_key"] = nullable(e.meta.idempotency_key);
    j["hash"] = e.hash;
    if (after) {
        Json s;
        s["soh"] = after->soh;
        s["available_quantity"] = after->available_quantity;
        s["reserved"] = after->reserved;
        s["version"] = after->version;
        j["state"] = s;
    }
    return j;
}

}  // namespace invlog::output
