// The command-line entry point.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace invlog::cli {

inline constexpr std::string_view version = "0.1.0";

// Parses argv, runs the subcommand and returns the exit status. Never throws.
int run(int argc, char** argv);

// The known name nearest to `word`, or empty when none is close.
std::string nearest(std::string_view word, const std::vector<std::string_view>& names);

}  // namespace invlog::cli
