// Warnings on stderr: what an operator should know although the command
// succeeds (the store's WarningHandler). Each code is printed once per
// process, as "invlog: warning: MESSAGE" or, with -o json/ndjson, as one
// {"warning":{"code","message"}} line.
//
// Notes too ("available lowered to fit", "showing seq 6"): every one is
// printed, in every format, as "invlog: note: MESSAGE" or one
// {"note":{"message"}} line, so that standard output holds the answer alone
// and a note is never lost in CSV.
#pragma once

#include <string>
#include <string_view>

#include "invlog/output/format.hpp"

namespace invlog::cli {

void print_warning(std::string_view code, const std::string& message, output::Format format);
void print_note(const std::string& message, output::Format format);

}  // namespace invlog::cli
