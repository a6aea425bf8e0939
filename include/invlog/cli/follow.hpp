// The --follow of events and history: tail -f for the log. It polls the
// inventory for events after the last one seen, hands each batch over, and
// flushes, until SIGINT or SIGTERM (then it returns, for exit 0) or until
// the reader of standard output goes away (output_failed, as any read).
#pragma once

#include <functional>

#include "invlog/cli/context.hpp"
#include "invlog/client/inventory.hpp"

namespace invlog::cli {

// filter.after_seq is where to start; filter.limit, when set, ends the
// follow after that many events. Rows stream (a long backlog is not held in
// memory); batch_end is called after each poll that found events, before the
// flush, but not after a poll a signal cut short. Without a limit a batch holds whole commands: a command's events
// are committed in one transaction, and one query sees all or none.
void follow_events(Context& ctx, client::Inventory& inventory, store::EventFilter filter,
                   const std::function<void(const domain::EventRecord&)>& row,
                   const std::function<void()>& batch_end = {});

// --follow never ends, and a JSON array is only valid once closed: -o json
// is refused (usage), and -o ndjson is the stream form.
void refuse_json_follow(const Context& ctx, std::string_view command);

}  // namespace invlog::cli
