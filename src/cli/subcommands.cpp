// The subcommand table, in the order --help lists them.
#include "invlog/cli/subcommand.hpp"
#include "invlog/cli/write_command.hpp"

namespace invlog::cli {

std::string_view group_title(Group group) {
    switch (group) {
    case Group::write: return "Write commands";
    case Group::read: return "Read commands";
    case Group::audit: return "Audit commands";
    case Group::export_: return "Export commands";
    case Group::maintenance: return "Maintenance commands";
    case Group::server: return "Server commands";
    }
    return "Commands";
}

const std::vector<Subcommand>& subcommands() {
    static const std::vector<Subcommand> table = [] {
        // The write commands come from the command table, in its order.
        std::vector<Subcommand> all = write_subcommands();
        for (auto&& s :
             {show_subcommand(), list_subcommand(), history_subcommand(), events_subcommand(), diff_subcommand(),
              apply_subcommand(), verify_subcommand(), stats_subcommand(), init_subcommand(), config_subcommand(),
              rebuild_subcommand(), backup_subcommand(), copy_subcommand(), export_subcommand(), serve_subcommand()})
            all.push_back(s);
        return all;
    }();
    return table;
}

}  // namespace invlog::cli
