// invlog config get KEY | set KEY VALUE | unset KEY | list
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "invlog/cli/parse.hpp"
#include "invlog/cli/run.hpp"
#include "invlog/cli/subcommand.hpp"
#include "invlog/cli/warning.hpp"
#include "invlog/domain/error.hpp"
#include "invlog/domain/text.hpp"
#include "invlog/output/report.hpp"
#include "invlog/store/settings.hpp"

namespace invlog::cli {
namespace {

const store::SettingSpec& known_setting(const std::string& key) {
    if (const auto* spec = store::find_setting(key)) return *spec;
    std::vector<std::string_view> keys;
    std::string all;
    for (const auto& s : store::setting_specs()) {
        keys.push_back(s.key);
        all += (all.empty() ? "" : ", ") + std::string(s.key);
    }
    std::string hint = nearest(key, keys);
    throw domain::usage_error("unknown_setting",
                              hint.empty()
                                  ? fmt::format("unknown setting '{}' (known: {})", domain::shown(key), all)
                                  : fmt::format("unknown setting '{}'; did you mean '{}'?", domain::shown(key), hint));
}

struct Current {
    std::int64_t value;
    bool is_set;
};

Current current(store::EventStore& store, const store::SettingSpec& spec) {
    return Current{store.int_setting(spec), store.read_setting(spec.key).has_value()};
}

// get, set and unset print the same record.
void print_one(Context& ctx, const store::SettingSpec& spec, const Current& c, bool changed) {
    if (ctx.format() == output::Format::text) {
        if (!changed)
            ctx.write(fmt::format("{}\n", c.value));
        else
            ctx.write(fmt::format("{} = {}{}\n", spec.key, c.value, c.is_set ? "" : " (default)"));
        return;
    }
    output::Report report;
    report.summary = {{"key", std::string(spec.key)},
                      {"value", c.value},
                      {"default", spec.default_value},
                      {"set", c.is_set}};
    ctx.write(output::render_report(report, ctx.format(), ctx.style()));
}

}  // namespace

Subcommand config_subcommand() {
    return {"config", Group::maintenance, "Show or change this database's settings", [](CLI::App& app) -> Perform {
                struct Args {
                    std::string key, value;
                };
                auto args = std::make_shared<Args>();
                app.require_subcommand(0, 1);
                std::string keys;
                for (const auto& s : store::setting_specs())
                    keys += fmt::format("\n  {} (default {}, {} to {}): {}", s.key, s.default_value, s.min, s.max,
                                        s.description);
                app.footer("The settings (values in force: invlog config list):" + keys + "\n");
                auto* get = app.add_subcommand("get", "Print the value in force (the default when not set)");
                get->add_option("KEY", args->key, "The setting")->required();
                auto* set = app.add_subcommand("set", "Change a setting of this database");
                set->add_option("KEY", args->key, "The setting")->required();
                set->add_option("VALUE", args->value, "Its new value")->required();
                auto* unset = app.add_subcommand("unset", "Return a setting to its default");
                unset->add_option("KEY", args->key, "The setting")->required();
                auto* list = app.add_subcommand("list", "Show every setting: value, default, whether set, meaning");
                for (auto* sub : {get, set, unset, list}) sub->group("Subcommands");
                return [args, get, set, unset, list](Context& ctx) {
                    if (!get->parsed() && !set->parsed() && !unset->parsed() && !list->parsed())
                        throw domain::usage_error("usage",
                                                  "config: a subcommand is required: get, set, unset or list "
                                                  "(see 'invlog config --help')");
                    if (list->parsed()) {
                        auto store = ctx.open_store(store::OpenMode::read);
                        output::Report report;
                        report.rows_key = "settings";
                        report.columns = {"key", "value", "default", "set", "description"};
                        for (const auto& spec : store::setting_specs()) {
                            Current c = current(*store, spec);
                            report.rows.push_back({std::string(spec.key), c.value, spec.default_value, c.is_set,
                                                   std::string(spec.description)});
                        }
                        ctx.write(output::render_report(report, ctx.format(), ctx.style()));
                        return;
                    }
                    const auto& spec = known_setting(args->key);
                    if (get->parsed()) {
                        auto store = ctx.open_store(store::OpenMode::read);
                        print_one(ctx, spec, current(*store, spec), false);
                        return;
                    }
                    auto store = ctx.open_store(store::OpenMode::write);
                    if (set->parsed()) {
                        std::int64_t value = parse_count(args->value, spec.key, spec.min, spec.max);
                        store->write_setting(spec.key, std::to_string(value));
                    } else if (unset->parsed()) {
                        store->delete_setting(spec.key);
                    }
                    if (ctx.quiet()) return;
                    print_one(ctx, spec, current(*store, spec), true);
                    if (spec.key == store::snapshot_every_key)
                        print_note(
                            "applies to events appended from now on; 'invlog rebuild' re-takes the existing "
                            "snapshots at this interval",
                            ctx.format());
                };
            }};
}

}  // namespace invlog::cli
