// The table of subcommands: each is declared with its name, group, summary
// and a describe function that registers its options on a CLI11 app and
// returns the function that performs it.
#pragma once

#include <functional>
#include <string_view>
#include <vector>

#include "invlog/cli/context.hpp"

namespace CLI {
class App;
}

namespace invlog::cli {

enum class Group { write, read, audit, export_, maintenance, server };

std::string_view group_title(Group group);

using Perform = std::function<void(Context&)>;

struct Subcommand {
    std::string_view name;
    Group group;
    std::string_view summary;
    std::function<Perform(CLI::App&)> describe;
};

const std::vector<Subcommand>& subcommands();

// One factory per subcommand file.
Subcommand show_subcommand();
Subcommand list_subcommand();
Subcommand history_subcommand();
Subcommand events_subcommand();
Subcommand diff_subcommand();
Subcommand apply_subcommand();
Subcommand export_subcommand();
Subcommand verify_subcommand();
Subcommand stats_subcommand();
Subcommand init_subcommand();
Subcommand config_subcommand();
Subcommand rebuild_subcommand();
Subcommand backup_subcommand();
Subcommand copy_subcommand();
Subcommand serve_subcommand();

}  // namespace invlog::cli
