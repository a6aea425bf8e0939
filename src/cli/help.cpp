// Help and parse errors in invlog's voice (see help.hpp).
#include "invlog/cli/help.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <sstream>

#include "invlog/cli/run.hpp"
#include "invlog/domain/error.hpp"
#include "invlog/domain/text.hpp"

namespace invlog::cli {
namespace {

constexpr std::size_t name_column = 30;

// The terminal's width when standard output is one, else 80 (as man does).
std::size_t help_width() {
    winsize ws{};
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40) return ws.ws_col;
    return 80;
}

// `text` broken at spaces into lines of at most `width` bytes.
std::vector<std::string> wrap_words(std::string_view text, std::size_t width) {
    std::vector<std::string> lines;
    std::string line;
    std::istringstream words{std::string(text)};
    for (std::string word; words >> word;) {
        if (!line.empty() && line.size() + 1 + word.size() > width) {
            lines.push_back(line);
            line.clear();
        }
        line += (line.empty() ? "" : " ") + word;
    }
    if (!line.empty()) lines.push_back(line);
    return lines;
}

// CLI11's formatter with each option's description wrapped to the width,
// continued under the description column.
class WrappingFormatter : public CLI::Formatter {
public:
    explicit WrappingFormatter(std::size_t width) : m_width(width) { column_width(name_column); }

    std::string make_option(const CLI::Option* opt, bool is_positional) const override {
        return row("  " + make_option_name(opt, is_positional) + make_option_opts(opt), make_option_desc(opt));
    }

    std::string make_subcommand(const CLI::App* sub) const override {
        return row("  " + sub->get_display_name(), sub->get_description());
    }

private:
    std::string row(const std::string& name, const std::string& description) const {
        const auto lines = wrap_words(description, m_width > name_column + 20 ? m_width - name_column : 20);
        std::string out = name;
        std::size_t at = 0;
        if (name.size() < name_column && !lines.empty()) {
            out += std::string(name_column - name.size(), ' ') + lines[0];
            at = 1;
        }
        out += '\n';
        for (; at < lines.size(); ++at) out += std::string(name_column, ' ') + lines[at] + '\n';
        return out;
    }

    std::size_t m_width;
};

std::vector<const CLI::App*> children(const CLI::App& app) { return app.get_subcommands(nullptr); }

const CLI::App* child_named(const CLI::App& app, std::string_view name) {
    for (const CLI::App* sub : children(app))
        if (sub->get_name() == name) return sub;
    return nullptr;
}

std::vector<std::string_view> child_names(const CLI::App& app) {
    std::vector<std::string_view> names;
    for (const CLI::App* sub : children(app)) names.push_back(sub->get_name());
    return names;
}

std::string see_help(const CLI::App& app) {
    const std::string path = command_path(app);
    return path.empty() ? "see 'invlog --help'" : fmt::format("see 'invlog {} --help'", path);
}

// "mongo or file"; "get, set, unset or list".
std::string alternatives(const std::vector<std::string_view>& names) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i)
        out += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + std::string(names[i]);
    return out;
}

// A message for `app`: "export file: MESSAGE (see 'invlog export file --help')".
std::string for_app(const CLI::App& app, const std::string& message) {
    const std::string path = command_path(app);
    return path.empty() ? fmt::format("{} ({})", message, see_help(app))
                        : fmt::format("{}: {} ({})", path, message, see_help(app));
}

void walk(CLI::App& app, const std::function<void(CLI::App&)>& fn) {
    fn(app);
    for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) walk(*sub, fn);
}

// Every option name of `app` and of the root, as a user types it.
std::vector<std::string> option_names(const CLI::App& app) {
    std::vector<std::string> names;
    for (const CLI::App* a = &app; a; a = a->get_parent())
        for (const CLI::Option* opt : a->get_options()) {
            for (const auto& l : opt->get_lnames()) names.push_back("--" + l);
            for (const auto& s : opt->get_snames()) names.push_back("-" + s);
        }
    return names;
}

}  // namespace

std::string command_path(const CLI::App& app) {
    std::string path;
    for (const CLI::App* a = &app; a && a->get_parent(); a = a->get_parent())
        path = a->get_name() + (path.empty() ? "" : " " + path);
    return path;
}

const CLI::App& deepest_parsed(const CLI::App& root) {
    const CLI::App* at = &root;
    while (!at->get_subcommands().empty()) at = at->get_subcommands().front();
    return *at;
}

void apply_help_conventions(CLI::App& root) {
    auto formatter = std::make_shared<WrappingFormatter>(help_width());
    walk(root, [&](CLI::App& app) {
        app.formatter(formatter);
        if (app.get_parent()) {
            // The overview's footer is the root's alone; a subcommand's ends
            // in its examples (after any footer of its own).
            std::string footer = app.get_footer();
            if (footer == root.get_footer()) footer.clear();
            if (auto examples = examples_of(command_path(app)); !examples.empty())
                footer += (footer.empty() ? "" : "\n") + std::string("Examples:\n") + std::string(examples);
            app.footer(footer);
        }
        for (CLI::Option* opt : app.get_options()) {
            if (opt->get_positional()) {
                if (opt->get_type_name() == "TEXT") opt->type_name("");
            } else if (opt->get_expected_max() == 1) {
                // As in git, jq and rg: an alias's value is overridden by
                // a later one instead of being refused.
                opt->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
            }
        }
    });
}

std::optional<int> first_word(const CLI::App& root, int argc, char** argv) {
    // Whether a global option takes a value; nullopt when there is none of
    // that name.
    auto takes_value = [&](const std::string& name) -> std::optional<bool> {
        const CLI::Option* opt = root.get_option_no_throw(name);
        if (!opt || opt->get_positional()) return std::nullopt;
        return opt->get_expected_max() > 0;
    };
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "--") return std::nullopt;
        if (a.size() < 2 || a[0] != '-') return i;
        if (a[1] == '-') {  // --name or --name=value
            const auto eq = a.find('=');
            const auto value = takes_value(std::string(a.substr(0, eq)));
            if (!value) return std::nullopt;
            if (*value && eq == std::string_view::npos) ++i;
            continue;
        }
        // -X, a cluster of flags (-qv), or one with its value (-ojson, -qo json).
        for (std::size_t c = 1; c < a.size(); ++c) {
            const auto value = takes_value(std::string("-") + a[c]);
            if (!value) return std::nullopt;
            if (!*value) continue;
            if (c + 1 == a.size()) ++i;
            break;
        }
    }
    return argc;
}

std::optional<std::vector<std::string>> help_request(const CLI::App& root, int argc, char** argv) {
    const auto i = first_word(root, argc, argv);
    if (!i || *i >= argc || std::string_view(argv[*i]) != "help") return std::nullopt;
    return std::vector<std::string>(argv + *i + 1, argv + argc);
}

int print_help(const CLI::App& root, const std::vector<std::string>& words) {
    const CLI::App* at = &root;
    std::string prev = "invlog";
    for (const auto& word : words) {
        const CLI::App* sub = child_named(*at, word);
        if (!sub) {
            const std::string hint = nearest(word, child_names(*at));
            const std::string where = command_path(*at);
            const std::string what = where.empty() ? "subcommand" : "subcommand of '" + where + "'";
            throw domain::usage_error("unknown_subcommand",
                                      hint.empty() ? fmt::format("help: unknown {} '{}' ({})", what,
                                                                 domain::shown(word), see_help(*at))
                                                   : fmt::format("help: unknown {} '{}'; did you mean '{}'?", what,
                                                                 domain::shown(word), hint));
        }
        if (at != &root) prev += " " + at->get_name();
        at = sub;
    }
    fmt::print("{}", at == &root ? root.help() : at->help(prev));
    return 0;
}

std::string parse_error_message(const CLI::ParseError& e, const CLI::App& root) {
    const CLI::App& app = deepest_parsed(root);
    const std::string name = e.get_name();
    const std::string what = e.what();
    if (name == "RequiredError" && what.find("ubcommand") != std::string::npos)
        return for_app(app, "a subcommand is required: " + alternatives(child_names(app)));
    if (name == "ExtrasError") {
        const auto extras = app.remaining();
        if (!extras.empty())
            return for_app(app, fmt::format("unexpected argument '{}'", domain::shown(extras.front())));
    }
    if (name == "ArgumentMismatch") {
        // CLI11: "--soh: 1 required TEXT missing".
        const std::string option = what.substr(0, what.find(':'));
        if (what.find("missing") != std::string::npos)
            return for_app(app, fmt::format("{} needs a value", domain::shown(option)));
    }
    if (name == "ExcludesError") {
        // CLI11: "--as-of excludes --at-version".
        const auto at = what.find(" excludes ");
        if (at != std::string::npos)
            return for_app(app, fmt::format("{} and {} exclude each other; give one", what.substr(0, at),
                                            what.substr(at + 10)));
    }
    std::string message = domain::shown(what, 240);
    if (!message.empty() && message[0] >= 'A' && message[0] <= 'Z' && message.size() > 1 && message[1] >= 'a')
        message[0] = static_cast<char>(message[0] - 'A' + 'a');
    return for_app(app, message);
}

std::string unknown_option_message(const std::string& option, const CLI::App& root) {
    const CLI::App& app = deepest_parsed(root);
    const std::string typed = option.substr(0, option.find('='));
    std::vector<std::string> names = option_names(app);
    std::erase_if(names, [](const std::string& n) { return n.substr(0, 2) != "--"; });
    // Long options only: any one-letter option is one edit from another.
    const std::string hint = typed.substr(0, 2) == "--"
                                 ? nearest(typed, std::vector<std::string_view>(names.begin(), names.end()))
                                 : std::string();
    if (hint.empty()) return for_app(app, fmt::format("unknown option '{}'", domain::shown(option)));
    return for_app(app, fmt::format("unknown option '{}'; did you mean '{}'?", domain::shown(option), hint));
}

std::optional<std::string> unknown_nested_message(const CLI::App& root) {
    const CLI::App& app = deepest_parsed(root);
    if (children(app).empty()) return std::nullopt;
    const auto extras = root.remaining();
    if (extras.empty()) return std::nullopt;
    const std::string& word = extras.front();
    if (!word.empty() && word[0] == '-') return std::nullopt;
    const std::string hint = nearest(word, child_names(app));
    if (hint.empty()) return for_app(app, fmt::format("unknown subcommand '{}'", domain::shown(word)));
    return for_app(app, fmt::format("unknown subcommand '{}'; did you mean '{}'?", domain::shown(word), hint));
}

}  // namespace invlog::cli
