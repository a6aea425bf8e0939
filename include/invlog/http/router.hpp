// Request targets and routes. The path is split on '/' in the raw target
// (never the decoded path) and each segment is then percent-decoded, so that
// a SKU holding '/' travels as %2F. The routes of write commands are
// generated from the command table: one POST /inventory/{sku}/{name} per row.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "invlog/app/command_table.hpp"

namespace invlog::http {

struct Target {
    std::vector<std::string> segments;              // "/inventory/A%2F1" -> {"inventory", "A/1"}
    std::multimap<std::string, std::string> query;  // decoded; '+' is a space
};

// Percent-decodes; a '%' not followed by two hex digits stays as it is.
std::string percent_decode(std::string_view text, bool plus_is_space = false);
std::string percent_encode(std::string_view text);

Target parse_target(std::string_view target);

enum class RouteId {
    healthz,
    openapi,
    ref_create,    // POST /inventory/create
    ref_show,      // GET /inventory/{sku}
    ref_update,    // PATCH /inventory/{sku}/update
    ref_reserve,   // PATCH /inventory/{sku}/reserve
    ref_complete,  // PATCH /inventory/{sku}/complete
    command,       // POST /inventory/{sku}/{command}
    list,          // GET /inventory
    state,         // GET /inventory/{sku}/state
    history,       // GET /inventory/{sku}/history
    events,        // GET /events
    apply,         // POST /apply
    stats,         // GET /stats
    verify,        // GET /verify
    metrics,       // GET /metrics
    exports,       // GET /exports
};

struct Route {
    RouteId id;
    std::string_view method;
    std::string_view pattern;  // "/inventory/{sku}/history"; {command}: a command table row
    bool writes;               // needs a token that may write
    std::string_view summary;
};

// Every route, in the order they are matched and documented.
const std::vector<Route>& routes();

struct Match {
    const Route* route = nullptr;  // null: see allow
    std::string sku;
    const app::CommandSpec* command = nullptr;
    // No route: empty for an unknown path (404), else the methods the path
    // takes (405 with Allow).
    std::vector<std::string> allow;
};

Match match(std::string_view method, const std::vector<std::string>& segments);

}  // namespace invlog::http
