// The settings of one file (the settings table): which keys exist, their
// defaults and ranges, and reading and writing them. Values are stored as
// text; every setting so far is a whole number.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace invlog::store {

class Connection;

struct SettingSpec {
    std::string_view key;
    std::string_view description;
    std::int64_t default_value;
    std::int64_t min;
    std::int64_t max;
};

inline constexpr std::string_view snapshot_every_key = "snapshot-every";

// Every known setting, in the order `config list` shows them.
const std::vector<SettingSpec>& setting_specs();

// nullptr when the key is unknown.
const SettingSpec* find_setting(std::string_view key);

// The value of a setting given its stored text (nullopt: not set), in a
// store that messages name `location`: the stored one, else the default. A
// stored value that is not a whole number within the range is an integrity
// failure.
std::int64_t setting_value(const SettingSpec& spec, const std::optional<std::string>& stored,
                           std::string_view location);

// The same on a file's connection (SqliteStore and the tests that edit a
// file). The stored text, or nullopt when the setting is not set in this file.
std::optional<std::string> read_setting(Connection& conn, std::string_view key);
void write_setting(Connection& conn, std::string_view key, std::string_view value);
// Returns whether the setting was set.
bool delete_setting(Connection& conn, std::string_view key);

// Why a stored text is not a valid value of the setting (not a whole number
// within its range); nullopt when it is valid.
std::optional<std::string> setting_problem(const SettingSpec& spec, std::string_view text);

// The value in force: the stored one, else the default. A stored value that
// is not a whole number within the range is an integrity failure.
std::int64_t int_setting(Connection& conn, const SettingSpec& spec);

// Every stored setting, known or not, in key order.
void for_each_setting(Connection& conn, const std::function<void(std::string_view key, std::string_view value)>& fn);

}  // namespace invlog::store
