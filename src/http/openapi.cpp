// The OpenAPI document (see openapi.hpp).
#include "invlog/http/openapi.hpp"

#include <fmt/format.h>

#include "invlog/app/command_table.hpp"
#include "invlog/domain/limits.hpp"
#include "invlog/http/params.hpp"
#include "invlog/http/router.hpp"
#include "invlog/output/json.hpp"

namespace invlog::http {
namespace {

using output::Json;

Json schema_ref(const std::string& name) { return Json{{"$ref", "#/components/schemas/" + name}}; }

Json json_content(const Json& schema) { return Json{{"application/json", {{"schema", schema}}}}; }

Json integer(std::int64_t min, std::int64_t max, const std::string& description = {}) {
    Json j{{"type", "integer"}, {"minimum", min}, {"maximum", max}};
    if (!description.empty()) j["description"] = description;
    return j;
}

Json field_schema(const app::FieldSpec& f) {
    switch (f.type) {
    case app::FieldType::quantity: return integer(1, domain::max_quantity, std::string(f.help));
    case app::FieldType::stock: return integer(0, domain::max_quantity, std::string(f.help));
    case app::FieldType::delta:
        return Json{{"type", "integer"},
                    {"minimum", -domain::max_quantity},
                    {"maximum", domain::max_quantity},
                    {"not", {{"const", 0}}},
                    {"description", std::string(f.help)}};
    }
    return integer(0, domain::max_quantity);
}

std::string body_name(std::string_view command) {
    std::string out;
    bool upper = true;
    for (char c : command) {
        if (c == '-') {
            upper = true;
            continue;
        }
        out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
        upper = false;
    }
    return out + "Body";
}

Json command_body(const app::CommandSpec& spec) {
    Json props = Json::object(), required = Json::array();
    for (const auto& f : spec.fields) {
        props[std::string(f.api_key)] = field_schema(f);
        if (f.required) required.push_back(std::string(f.api_key));
    }
    props["reason"] = {{"type", "string"},
                       {"maxLength", domain::max_reason_length},
                       {"description", "Why the change is made, recorded with the events"}};
    props["actor"] = {{"type", "string"},
                      {"maxLength", domain::max_actor_length},
                      {"description", "Who makes the change (default: serve's --actor)"}};
    if (spec.needs_reason) required.push_back("reason");
    Json j{{"type", "object"}, {"properties", props}, {"additionalProperties", false}};
    if (!required.empty()) j["required"] = required;
    return j;
}

Json reference_model(std::initializer_list<const char*> ints, bool with_sku) {
    Json props = Json::object(), required = Json::array();
    if (with_sku) {
        props["sku"] = {{"type", "string"}};
        required.push_back("sku");
    }
    for (const char* name : ints) {
        props[name] = {{"type", "integer"}, {"exclusiveMinimum", 0}};
        required.push_back(name);
    }
    return Json{{"type", "object"}, {"properties", props}, {"required", required}};
}

Json schemas() {
    Json s = Json::object();
    s["State"] = {{"type", "object"},
                  {"required", {"sku", "soh", "available_quantity", "reserved", "version", "updated_at"}},
                  {"properties",
                   {{"sku", {{"type", "string"}}},
                    {"soh", {{"type", "integer"}}},
                    {"available_quantity", {{"type", "integer"}}},
                    {"reserved", {{"type", "integer"}}},
                    {"version", {{"type", "integer"}}},
                    {"updated_at", {{"type", "string"}, {"format", "date-time"}}},
                    {"replayed", {{"type", "boolean"}}},
                    {"notes", {{"type", "array"}, {"items", {{"type", "string"}}}}}}}};
    s["InventoryResponse"] = {{"type", "object"},
                              {"required", {"sku", "soh", "reserved", "available_quantity"}},
                              {"properties",
                               {{"sku", {{"type", "string"}}},
                                {"soh", {{"type", "integer"}}},
                                {"reserved", {{"type", "integer"}}},
                                {"available_quantity", {{"type", "integer"}}}}}};
    s["Error"] = {
        {"type", "object"},
        {"required", {"detail", "code", "exit_code"}},
        {"properties",
         {{"detail", {{"type", "string"}}}, {"code", {{"type", "string"}}}, {"exit_code", {{"type", "integer"}}}}}};
    s["ValidationError"] = {
        {"type", "object"},
        {"required", {"type", "loc", "msg", "input"}},
        {"properties",
         {{"type", {{"type", "string"}}},
          {"loc", {{"type", "array"}, {"items", {{"anyOf", {{{"type", "string"}}, {{"type", "integer"}}}}}}}},
          {"msg", {{"type", "string"}}},
          {"input", Json::object()},
          {"ctx", {{"type", "object"}}}}}};
    s["HTTPValidationError"] = {{"type", "object"},
                                {"properties",
                                 {{"detail", {{"type", "array"}, {"items", schema_ref("ValidationError")}}},
                                  {"code", {{"type", "string"}}},
                                  {"exit_code", {{"type", "integer"}}}}}};
    s["Event"] = {{"type", "object"},
                  {"properties",
                   {{"seq", {{"type", "integer"}}},
                    {"event_id", {{"type", "string"}, {"format", "uuid"}}},
                    {"sku", {{"type", "string"}}},
                    {"version", {{"type", "integer"}}},
                    {"event_type", {{"type", "string"}}},
                    {"data", {{"type", "object"}}},
                    {"recorded_at", {{"type", "string"}, {"format", "date-time"}}},
                    {"actor", {{"type", "string"}}},
                    {"reason", {{"type", {"string", "null"}}}},
                    {"command_id", {{"type", "string"}}},
                    {"idempotency_key", {{"type", {"string", "null"}}}},
                    {"hash", {{"type", "string"}}},
                    {"state",
                     {{"type", "object"}, {"description", "history only: the state right after the event"}}}}}};
    s["Report"] = {{"type", "object"}, {"description", "as `invlog -o json stats` or `verify` prints it"}};
    s["CreateInventory"] = reference_model({"soh", "available_quantity"}, true);
    s["UpdateInventory"] = reference_model({"soh", "available_quantity"}, false);
    s["InventoryReserveStock"] = reference_model({"quantity"}, false);
    s["CompleteReservedStock"] = reference_model({"quantity"}, false);
    for (const auto& spec : app::command_table()) s[body_name(spec.name)] = command_body(spec);
    return s;
}

Json response(const std::string& description, const Json& schema, const char* type = "application/json") {
    return Json{{"description", description}, {"content", {{type, {{"schema", schema}}}}}};
}

Json error_responses(bool reference, bool writes) {
    Json r = Json::object();
    if (reference) {
        r["400"] = response("Refused (every refusal, an unknown SKU included)", schema_ref("Error"));
        r["422"] = response("Validation Error", schema_ref("HTTPValidationError"));
    } else {
        r["400"] = response("Refused by a business rule", schema_ref("Error"));
        r["404"] = response("SKU, version or seq not found", schema_ref("Error"));
        r["409"] = response("Version (If-Match) or idempotency key conflict", schema_ref("Error"));
        r["422"] = response("Invalid input", schema_ref("Error"));
    }
    r["401"] = response("No valid bearer token", schema_ref("Error"));
    if (writes) {
        r["403"] = response("A read-only token on a write route", schema_ref("Error"));
        r["413"] = response("Body larger than --max-body", schema_ref("Error"));
    }
    r["503"] = response("Overloaded or locked; retry after Retry-After seconds", schema_ref("Error"));
    return r;
}

Json param(const char* name, const char* in, const Json& schema, const std::string& description,
           bool required = false) {
    return Json{{"name", name}, {"in", in}, {"required", required}, {"schema", schema}, {"description", description}};
}

Json sku_param() { return param("sku", "path", {{"type", "string"}}, "The SKU, percent-encoded ('/' as %2F)", true); }

Json write_headers() {
    return Json::array({param("Idempotency-Key", "header", {{"type", "string"}, {"maxLength", domain::max_key_length}},
                              "Apply at most once: a repeat returns the first result with \"replayed\": true"),
                        param("If-Match", "header", {{"type", "string"}},
                              "\"N\": refuse (409) unless the SKU is at version N; \"0\": it must not exist yet")});
}

Json query_params(RouteId id) {
    const Json time{{"type", "string"}, {"description", "RFC 3339, or YYYY-MM-DD for the end of that day (UTC)"}};
    const Json count{{"type", "integer"}, {"minimum", 0}};
    const Json format{{"type", "string"}, {"enum", {"json", "ndjson"}}};
    switch (id) {
    case RouteId::ref_show:
    case RouteId::state:
        return Json::array({param("as_of", "query", time, "The state as of this time"),
                            param("at_version", "query", count, "The state right after this version")});
    case RouteId::list:
        return Json::array(
            {param("below", "query", count, "Only SKUs whose available quantity is below N"),
             param("as_of", "query", time, "Every SKU as of this time, replayed from the log"),
             param("at_seq", "query", count, "Every SKU right after the event with this seq"),
             param("prefix", "query", {{"type", "string"}, {"minLength", 1}, {"maxLength", domain::max_sku_length}},
                   "Only SKUs that start with this"),
             param("limit", "query", {{"type", "integer"}, {"minimum", 1}, {"maximum", max_page_rows}},
                   "A page of at most N SKUs in SKU order; while more follow, a Link header (rel=\"next\") "
                   "names the next page. Without it, every SKU, streamed"),
             param("after", "query", {{"type", "string"}, {"minLength", 1}, {"maxLength", domain::max_sku_length}},
                   "Only SKUs sorted after this one: the cursor of a page (the last SKU of the previous page)"),
             param("format", "query", format, "ndjson: one object a line (or Accept: application/x-ndjson)")});
    case RouteId::history:
        return Json::array({param("since", "query", time, "Only events recorded at or after this time"),
                            param("until", "query", time, "Only events recorded at or before this time"),
                            param("format", "query", format, "ndjson: one object a line")});
    case RouteId::events:
        return Json::array({param("after", "query", count, "Only events with a greater seq"),
                            param("limit", "query", {{"type", "integer"}, {"minimum", 1}}, "At most N events"),
                            param("wait", "query", {{"type", "integer"}, {"minimum", 0}, {"maximum", 60}},
                                  "When no event matches yet, wait up to this many seconds for one"),
                            param("sku", "query", {{"type", "string"}}, "Only this SKU's events"),
                            param("since", "query", time, "Only events recorded at or after this time"),
                            param("until", "query", time, "Only events recorded at or before this time"),
                            param("format", "query", format, "ndjson: one object a line")});
    case RouteId::apply:
        return Json::array({param("atomic", "query", {{"type", "boolean"}}, "All lines or none"),
                            param("stop_on_error", "query", {{"type", "boolean"}}, "Stop at the first failed line")});
    case RouteId::verify:
        return Json::array({param("expect_head", "query", {{"type", "string"}}, "The last event must have this hash"),
                            param("expect", "query", {{"type", "string"}},
                                  "HASH@SEQ: the event at SEQ must have this hash (repeatable)")});
    default: return Json::array();
    }
}

Json operation(const Route& route, const app::CommandSpec* command) {
    Json op;
    op["operationId"] = command ? fmt::format("command_{}", command->name) : std::string(route.pattern);
    op["summary"] = command ? std::string(command->summary) : std::string(route.summary);
    Json params = Json::array();
    if (std::string_view(route.pattern).find("{sku}") != std::string_view::npos) params.push_back(sku_param());
    for (auto& p : query_params(route.id)) params.push_back(p);
    if (route.writes && route.id != RouteId::apply)
        for (auto& p : write_headers()) params.push_back(p);
    if (!params.empty()) op["parameters"] = params;
    const bool reference = route.id == RouteId::ref_create || route.id == RouteId::ref_show ||
                           route.id == RouteId::ref_update || route.id == RouteId::ref_reserve ||
                           route.id == RouteId::ref_complete;
    Json responses = Json::object();
    switch (route.id) {
    case RouteId::healthz:
        responses["200"] = response("Alive", {{"type", "object"}});
        op["security"] = Json::array();
        break;
    case RouteId::openapi: responses["200"] = response("This document", {{"type", "object"}}); break;
    case RouteId::ref_create:
    case RouteId::ref_update:
    case RouteId::ref_reserve:
    case RouteId::ref_complete: {
        const char* model = route.id == RouteId::ref_create    ? "CreateInventory"
                            : route.id == RouteId::ref_update  ? "UpdateInventory"
                            : route.id == RouteId::ref_reserve ? "InventoryReserveStock"
                                                               : "CompleteReservedStock";
        op["requestBody"] = {{"required", true}, {"content", json_content(schema_ref(model))}};
        responses["200"] = response("Successful Response", schema_ref("InventoryResponse"));
        break;
    }
    case RouteId::ref_show: responses["200"] = response("Successful Response", schema_ref("InventoryResponse")); break;
    case RouteId::command:
        op["requestBody"] = {{"required", false}, {"content", json_content(schema_ref(body_name(command->name)))}};
        responses["200"] = response("The state after the command", schema_ref("State"));
        break;
    case RouteId::state: responses["200"] = response("The state", schema_ref("State")); break;
    case RouteId::list:
        responses["200"] =
            response("Every SKU's state, or a page of them", {{"type", "array"}, {"items", schema_ref("State")}});
        responses["200"]["headers"] = {
            {"Link",
             {{"description",
               "With ?limit, while more SKUs follow: <the next page's target>; rel=\"next\" (the "
               "same query with after= the last SKU of this page)"},
              {"schema", {{"type", "string"}}}}}};
        break;
    case RouteId::history:
    case RouteId::events:
        responses["200"] = response("Events in order", {{"type", "array"}, {"items", schema_ref("Event")}});
        break;
    case RouteId::apply:
        op["requestBody"] = {{"required", true},
                             {"content", {{"application/x-ndjson", {{"schema", {{"type", "string"}}}}}}}};
        responses["200"] = response("One result a line, as `invlog -o ndjson apply` prints them", {{"type", "string"}},
                                    "application/x-ndjson");
        break;
    case RouteId::stats:
    case RouteId::verify: responses["200"] = response("The report", schema_ref("Report")); break;
    case RouteId::metrics:
        responses["200"] = response("The Prometheus text exposition format, version 0.0.4", {{"type", "string"}},
                                    "text/plain; version=0.0.4");
        break;
    case RouteId::exports:
        responses["200"] = response("Each destination's last exported seq and lag (head_seq - last_seq)",
                                    {{"type", "array"},
                                     {"items",
                                      {{"type", "object"},
                                       {"required", {"destination", "last_seq", "updated_at", "head_seq", "lag"}},
                                       {"properties",
                                        {{"destination", {{"type", "string"}}},
                                         {"last_seq", {{"type", "integer"}}},
                                         {"updated_at", {{"type", "string"}, {"format", "date-time"}}},
                                         {"head_seq", {{"type", "integer"}}},
                                         {"lag", {{"type", "integer"}}},
                                         {"compat", {{"type", {"string", "null"}}}}}}}}});
        break;
    }
    const Json errors = error_responses(reference, route.writes);
    if (route.id != RouteId::healthz)
        for (auto it = errors.begin(); it != errors.end(); ++it) responses[it.key()] = it.value();
    op["responses"] = responses;
    return op;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string build() {
    Json doc;
    doc["openapi"] = "3.1.0";
    doc["info"] = {{"title", "invlog"},
                   {"version", "0.1.0"},
                   {"description",
                    "invlog serve: the reference inventory service's five routes, answered as it answers them, and "
                    "every command and query of invlog. Errors carry {detail, code, exit_code}."}};
    Json paths = Json::object();
    for (const auto& route : routes()) {
        if (route.id == RouteId::command) {
            for (const auto& spec : app::command_table()) {
                const std::string path = fmt::format("/inventory/{{sku}}/{}", spec.name);
                paths[path]["post"] = operation(route, &spec);
            }
            continue;
        }
        paths[std::string(route.pattern)][lower(route.method)] = operation(route, nullptr);
    }
    doc["paths"] = paths;
    doc["components"] = {{"schemas", schemas()},
                         {"securitySchemes", {{"bearerAuth", {{"type", "http"}, {"scheme", "bearer"}}}}}};
    doc["security"] = Json::array({{{"bearerAuth", Json::array()}}});
    return output::dump_line(doc);
}

}  // namespace

const std::string& openapi_document() {
    static const std::string doc = build();
    return doc;
}

}  // namespace invlog::http
