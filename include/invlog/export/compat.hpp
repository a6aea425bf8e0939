// The export modes: invlog's own documents, or the reference service's
// (--compat seed, see seed.hpp). The mode is recorded with each export
// position, so that one destination never mixes the two.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace invlog::exporter {

enum class Compat { native, seed };

// "seed" or "native"; nullopt for another name.
std::optional<Compat> parse_compat(std::string_view name);
// The mode as the export position records it: nullopt for native.
std::optional<std::string> compat_setting(Compat compat);
// The name of a recorded mode: "native" for nullopt, else a view into
// setting (which must outlive it).
std::string_view compat_name(const std::optional<std::string>& setting);

}  // namespace invlog::exporter
