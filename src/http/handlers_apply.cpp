// POST /apply: NDJSON command lines, as `invlog apply` reads them, run in
// one group transaction. Each line in a savepoint of its own (a failed line
// undoes only itself), or with ?atomic=true all of them in the request's
// savepoint (the first failure undoes everything). The body lists every
// line's result as `invlog -o ndjson apply` prints it; the status is 200
// when every line applied, else that of the first failure.
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "handlers.hpp"
#include "invlog/batch/line_reader.hpp"
#include "invlog/batch/parse_line.hpp"
#include "invlog/domain/error.hpp"
#include "invlog/http/params.hpp"
#include "invlog/http/status.hpp"
#include "invlog/output/apply_result.hpp"

namespace invlog::http {
namespace {

struct LineOutcome {
    std::int64_t line = 0;
    std::optional<app::Outcome> outcome;
    std::optional<domain::Failure> failure;
};

LineOutcome too_long(std::int64_t line) {
    return {line, std::nullopt,
            domain::usage_error("line_too_long",
                                fmt::format("line is longer than {} bytes (1 MiB); skipped", batch::max_line_bytes))};
}

}  // namespace

Response handle_apply(const Call& call) {
    Params p(call.target, {"atomic", "stop_on_error"});
    const bool atomic = p.flag("atomic"), stop_on_error = p.flag("stop_on_error");
    if (atomic && stop_on_error)
        throw domain::usage_error("usage", "atomic and stop_on_error exclude each other; give one");
    for (const char* header : {"Idempotency-Key", "If-Match"})
        if (call.request.header(header))
            throw domain::usage_error("usage", fmt::format("{} does not apply to /apply: give each line its own "
                                                           "idempotency_key or expected_version",
                                                           header));
    const batch::Defaults defaults{call.service.options().actor, std::nullopt};

    std::vector<LineOutcome> results;
    std::optional<LineOutcome> failed_atomic;
    try {
        call.service.committer().run([&](store::EventStore& store, domain::Millis now) {
            // Run again, from the first line, when another writer of a shared
            // store won the commit: only the last run's results are answered.
            results.clear();
            failed_atomic.reset();
            batch::LineReader reader(batch::read_string(call.request.body));
            while (auto line = reader.next()) {
                if (!line->too_long && line->text.find_first_not_of(" \t\r") == std::string_view::npos) continue;
                LineOutcome result = too_long(line->number);
                if (!line->too_long) {
                    result.failure.reset();
                    try {
                        const app::Request request = batch::parse_line(line->text, defaults);
                        if (atomic) {
                            result.outcome = app::execute_in_transaction(store, request, now);
                        } else {
                            store::EventStore::Savepoint savepoint(store);
                            result.outcome = app::execute_in_transaction(store, request, now);
                            savepoint.release();
                        }
                    } catch (const domain::Failure& f) {
                        result.failure = f;
                    }
                }
                const bool failed = result.failure.has_value();
                results.push_back(std::move(result));
                if (!failed) continue;
                if (atomic) {
                    failed_atomic = results.back();
                    throw *results.back().failure;  // rolls the whole request back
                }
                if (stop_on_error) break;
            }
        });
    } catch (const domain::Failure&) {
        if (!failed_atomic) throw;  // the commit itself failed: nothing of it is recorded
        results = {*failed_atomic};
    }

    output::ApplyResultRenderer renderer(output::Format::ndjson);
    Response r;
    r.content_type = "application/x-ndjson";
    r.body = renderer.begin();
    std::optional<domain::Failure> first;
    for (const auto& res : results) {
        if (res.outcome) {
            r.body += renderer.add_ok(res.line, res.outcome->state, res.outcome->notes, res.outcome->replayed);
        } else {
            if (!first) first = res.failure;
            r.body += renderer.add_error(res.line, res.failure->code(), res.failure->what(),
                                         exit_code_of(res.failure->kind()));
        }
    }
    r.body += renderer.finish();
    if (first) {
        r.status = status_of(first->kind(), first->code());
        if (r.status == 503) r.set_header("Retry-After", std::to_string(retry_after_seconds));
    }
    return r;
}

}  // namespace invlog::http
