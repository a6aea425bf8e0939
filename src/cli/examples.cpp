// The examples that end each subcommand's --help: two or three command lines
// a user can copy. tests/e2e/test_cli_conventions.sh runs every one of them
// on a scratch database, so they stay valid as options change.
#include "invlog/cli/help.hpp"

#include <map>

namespace invlog::cli {

std::string_view examples_of(std::string_view path) {
    static const std::map<std::string_view, std::string_view> table = {
        {"create",
         "  invlog create WIDGET-1 --soh 100\n"
         "  invlog create WIDGET-2 --soh 50 --available 40 --reason 'initial count'\n"},
        {"set-soh",
         "  invlog set-soh WIDGET-1 120 --reason 'stock count'\n"
         "  invlog set-soh WIDGET-1 120 --available 90 --reason 'stock count, 30 on hold'\n"},
        {"set-available",
         "  invlog set-available WIDGET-1 80 --reason 'hold back 20 for repairs'\n"
         "  invlog set-available WIDGET-1 80 --expected-version \"$(invlog -o json show WIDGET-1 | jq .version)\"\n"},
        {"reserve",
         "  invlog reserve WIDGET-1 3\n"
         "  invlog reserve WIDGET-1 3 --idempotency-key order-1042\n"},
        {"complete",
         "  invlog complete WIDGET-1 2\n"
         "  invlog complete WIDGET-1 1 --idempotency-key shipment-1042\n"},
        {"release",
         "  invlog release WIDGET-1 1 --reason 'order cancelled'\n"
         "  invlog release WIDGET-1 1 --idempotency-key cancel-1043\n"},
        {"receive",
         "  invlog receive WIDGET-1 50 --reason 'PO 7731'\n"
         "  invlog receive WIDGET-1 50 --idempotency-key po-7731\n"},
        {"adjust",
         "  invlog adjust WIDGET-1 5 --reason 'found in the back room'\n"
         "  invlog adjust WIDGET-1 --reason 'damaged in transit' -- -2\n"},
        {"show",
         "  invlog show WIDGET-1\n"
         "  invlog show WIDGET-1 --as-of 2030-01-01T12:00:00Z\n"
         "  invlog -o json show WIDGET-1 --at-version 1\n"},
        {"list",
         "  invlog list\n"
         "  invlog -o csv list --at-seq 1\n"},
        {"history",
         "  invlog history WIDGET-1\n"
         "  invlog -o ndjson history WIDGET-1 --since 2026-11-01\n"},
        {"events",
         "  invlog events --limit 20\n"
         "  invlog -o ndjson events --after 1 --sku WIDGET-1\n"},
        {"diff",
         "  invlog diff --from yesterday\n"
         "  invlog -o csv diff --from 2026-11-01 --to 2026-11-30 --sku 'WIDGET-*'\n"},
        {"apply",
         "  invlog apply orders.ndjson\n"
         "  printf '%s\\n' '{\"cmd\":\"reserve\",\"sku\":\"WIDGET-1\",\"qty\":1}' | invlog apply --atomic\n"},
        {"verify",
         "  invlog verify\n"
         "  invlog -o json verify --expect-head \"$(invlog -o json stats | jq -r .head_hash)\"\n"},
        {"stats",
         "  invlog stats\n"
         "  invlog -o json stats\n"},
        {"init",
         "  invlog --db ./shop.db init\n"
         "  invlog init\n"},
        {"config",
         "  invlog config list\n"
         "  invlog config set snapshot-every 50\n"},
        {"config get", "  invlog config get snapshot-every\n  invlog -o json config get snapshot-every\n"},
        {"config set", "  invlog config set snapshot-every 50\n  invlog config set snapshot-every 0\n"},
        {"config unset", "  invlog config unset snapshot-every\n  invlog -o json config unset snapshot-every\n"},
        {"config list", "  invlog config list\n  invlog -o json config list\n"},
        {"rebuild",
         "  invlog rebuild\n"
         "  invlog -o json rebuild\n"},
        {"backup",
         "  invlog backup inventory-copy.db\n"
         "  invlog backup --force inventory-copy.db\n"},
        {"copy",
         "  invlog copy moved.db\n"
         "  invlog -o json copy --batch 1000 moved.db\n"},
        {"export",
         "  invlog export file events.json\n"
         "  invlog export mongo --uri mongodb://db1:27017/inventory --dry-run\n"},
        {"export mongo",
         "  invlog export mongo --uri mongodb://db1:27017/inventory --dry-run\n"
         "  INVLOG_MONGO_URI=mongodb://db1:27017/inventory invlog export mongo --follow --with-state\n"},
        {"export file",
         "  invlog export file --force events.json\n"
         "  invlog export file --format ndjson --sku WIDGET-1 -\n"},
        {"serve",
         "  invlog serve\n"
         "  invlog serve --listen 0.0.0.0:8000 --token-file /etc/invlog/tokens\n"},
    };
    auto it = table.find(path);
    return it == table.end() ? std::string_view{} : it->second;
}

}  // namespace invlog::cli
