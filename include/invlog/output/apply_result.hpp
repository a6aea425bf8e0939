// The results of `invlog apply`, one per command line, in input order:
//   {"line":N,"ok":true,"state":{...}}   plus "replayed":true and "notes":[...]
//                                        when there are any
//   {"line":N,"ok":false,"error":{"code","message","exit_code"}}
// as ndjson (also for -o text: these results are for programs), one json
// array, or csv rows.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "invlog/domain/record.hpp"
#include "invlog/output/render.hpp"

namespace invlog::output {

class ApplyResultRenderer : public ListRenderer {
public:
    explicit ApplyResultRenderer(Format format);
    std::string add_ok(std::int64_t line, const domain::SkuState& state, const std::vector<std::string>& notes,
                       bool replayed);
    std::string add_error(std::int64_t line, const std::string& code, const std::string& message, int exit_code);
};

}  // namespace invlog::output
