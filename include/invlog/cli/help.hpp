// The conventions of invlog's command line that CLI11 does not give as
// such: help wrapped to the terminal and ending in examples, `invlog help
// [SUBCOMMAND...]`, the last value of a repeated option winning, and parse
// errors worded in invlog's voice with the subcommand path and a suggestion.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace CLI {
class App;
class ParseError;
}  // namespace CLI

namespace invlog::cli {

// The examples that end the help of the subcommand at `path` ("reserve",
// "export file"); empty when it has none.
std::string_view examples_of(std::string_view path);

// "export file" for the nested subcommand file of export; "" for the root.
std::string command_path(const CLI::App& app);

// The deepest subcommand that was parsed, or the root.
const CLI::App& deepest_parsed(const CLI::App& root);

// After every subcommand is registered: the wrapping formatter, examples as
// each subcommand's footer, last-wins for single-valued options, and
// positionals labelled by their name alone (QTY, not QTY TEXT).
void apply_help_conventions(CLI::App& root);

// Where the words of a command line begin (the subcommand, then its own
// arguments), found with the root's own table of global options so that it
// agrees with CLI11: the index of the first argument that is neither a
// global option nor the value of one, argc when there is none, and nullopt
// when an argument before it is not a global option (no guess is made).
std::optional<int> first_word(const CLI::App& root, int argc, char** argv);

// `invlog help [SUBCOMMAND...]`: when argv names `help` as the subcommand,
// the words after it; nullopt otherwise.
std::optional<std::vector<std::string>> help_request(const CLI::App& root, int argc, char** argv);

// Prints the help of the subcommand the words name (the overview for none)
// and returns 0; throws a usage failure for an unknown name, with a suggestion.
int print_help(const CLI::App& root, const std::vector<std::string>& words);

// A CLI11 parse error as one line in invlog's voice, naming the subcommand
// path and its help.
std::string parse_error_message(const CLI::ParseError& e, const CLI::App& root);

// The message for an argument that no subcommand took: an unknown option or
// nested subcommand, with the nearest known name when one is close.
std::string unknown_option_message(const std::string& option, const CLI::App& root);
std::optional<std::string> unknown_nested_message(const CLI::App& root);

}  // namespace invlog::cli
