// Command fingerprints: written normalised, read back in every form invlog
// has written, so that idempotency keys recorded by earlier versions keep
// working and verify can decide a recorded command again.
#include <charconv>

#include <fmt/format.h>

#include "invlog/domain/commands.hpp"
#include "invlog/domain/limits.hpp"
#include "invlog/util/overloaded.hpp"

namespace invlog::domain {
namespace {

std::string opt(const std::optional<Qty>& q) { return q ? std::to_string(*q) : std::string("-"); }

std::vector<std::string_view> words(std::string_view text) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i <= text.size()) {
        std::size_t end = text.find(' ', i);
        if (end == std::string_view::npos) end = text.size();
        out.push_back(text.substr(i, end - i));
        i = end + 1;
    }
    return out;
}

// A decimal integer as fingerprint() writes it: an optional minus sign and
// digits, no leading zero, no plus sign, no spaces.
std::optional<Qty> integer(std::string_view s) {
    if (s.empty() || s == "-" || s == "-0" || s.front() == '+') return std::nullopt;
    std::string_view digits = s.front() == '-' ? s.substr(1) : s;
    if (digits.size() > 1 && digits.front() == '0') return std::nullopt;
    Qty value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return value;
}

std::optional<Qty> quantity(std::string_view s, bool allow_zero) {
    auto q = integer(s);
    return q && valid_quantity(*q, allow_zero) ? q : std::nullopt;
}

// "-" (not given) or a quantity; the outer nullopt: invalid.
std::optional<std::optional<Qty>> optional_quantity(std::string_view s) {
    if (s == "-") return std::optional<Qty>();
    if (auto q = quantity(s, true)) return std::optional<Qty>(*q);
    return std::nullopt;
}

}  // namespace

std::string fingerprint(std::string_view sku, const Command& command) {
    std::string args =
        std::visit(util::overloaded{
                       [](const Create& c) { return fmt::format("{} {}", c.soh, c.available.value_or(c.soh)); },
                       [](const SetSoh& c) { return fmt::format("{} {}", c.soh, opt(c.available)); },
                       [](const SetAvailable& c) { return std::to_string(c.available); },
                       [](const Reserve& c) { return std::to_string(c.qty); },
                       [](const Complete& c) { return std::to_string(c.qty); },
                       [](const Release& c) { return std::to_string(c.qty); },
                       [](const Receive& c) { return std::to_string(c.qty); },
                       [](const Adjust& c) { return std::to_string(c.delta); },
                   },
                   command);
    return fmt::format("{} {} {}", command_name(command), sku, args);
}

std::optional<ParsedFingerprint> parse_fingerprint(std::string_view text) {
    const auto w = words(text);
    if (w.size() < 3 || !valid_sku(w[1])) return std::nullopt;
    const std::string_view name = w[0];
    ParsedFingerprint out{std::string(w[1]), Create{}};
    if (name == "create" || name == "set-soh") {
        if (w.size() != 4) return std::nullopt;
        auto soh = quantity(w[2], true);
        auto available = optional_quantity(w[3]);
        if (!soh || !available) return std::nullopt;
        if (name == "create")
            out.command = Create{*soh, *available};
        else
            out.command = SetSoh{*soh, *available};
        return out;
    }
    if (w.size() != 3) return std::nullopt;
    if (name == "adjust") {
        auto delta = integer(w[2]);
        if (!delta || !valid_delta(*delta)) return std::nullopt;
        out.command = Adjust{*delta};
        return out;
    }
    auto q = quantity(w[2], name == "set-available");
    if (!q) return std::nullopt;
    if (name == "set-available")
        out.command = SetAvailable{*q};
    else if (name == "reserve")
        out.command = Reserve{*q};
    else if (name == "complete")
        out.command = Complete{*q};
    else if (name == "release")
        out.command = Release{*q};
    else if (name == "receive")
        out.command = Receive{*q};
    else
        return std::nullopt;
    return out;
}

bool same_command(std::string_view stored, std::string_view normalised) {
    if (stored == normalised) return true;
    auto parsed = parse_fingerprint(stored);
    return parsed && fingerprint(parsed->sku, parsed->command) == normalised;
}

}  // namespace invlog::domain
