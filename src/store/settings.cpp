// The settings: their specs and values, and the settings table of a file.
#include "invlog/store/settings.hpp"

#include <fmt/format.h>

#include "invlog/domain/error.hpp"
#include "invlog/store/sqlite_store.hpp"

namespace invlog::store {

const std::vector<SettingSpec>& setting_specs() {
    static const std::vector<SettingSpec> specs = {
        {snapshot_every_key,
         "Save a snapshot of a SKU's state every K of its events (0: never); replay starts from the nearest one", 100,
         0, 1'000'000'000},
    };
    return specs;
}

const SettingSpec* find_setting(std::string_view key) {
    for (const auto& spec : setting_specs())
        if (spec.key == key) return &spec;
    return nullptr;
}

std::optional<std::string> read_setting(Connection& conn, std::string_view key) {
    Statement& st = conn.cached("SELECT value FROM settings WHERE key = ?1");
    st.bind(1, key);
    std::optional<std::string> value;
    if (st.step()) value = std::string(st.text(0));
    st.reset();
    return value;
}

void write_setting(Connection& conn, std::string_view key, std::string_view value) {
    Statement& st = conn.cached(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    st.bind(1, key).bind(2, value);
    st.run();
}

bool delete_setting(Connection& conn, std::string_view key) {
    Statement& st = conn.cached("DELETE FROM settings WHERE key = ?1");
    st.bind(1, key);
    st.run();
    return sqlite3_changes(conn.handle()) > 0;
}

namespace {

std::optional<std::int64_t> parse_value(const SettingSpec& spec, std::string_view text) {
    std::int64_t value = 0;
    bool ok = !text.empty() && text.size() <= 18;
    for (char c : text) {
        if (c < '0' || c > '9') ok = false;
        if (ok) value = value * 10 + (c - '0');
    }
    if (!ok || value < spec.min || value > spec.max) return std::nullopt;
    return value;
}

}  // namespace

std::optional<std::string> setting_problem(const SettingSpec& spec, std::string_view text) {
    if (parse_value(spec, text)) return std::nullopt;
    return fmt::format("setting {} is '{}', not a whole number from {} to {}", spec.key, text, spec.min, spec.max);
}

std::int64_t int_setting(Connection& conn, const SettingSpec& spec) {
    return setting_value(spec, read_setting(conn, spec.key), conn.path());
}

std::int64_t setting_value(const SettingSpec& spec, const std::optional<std::string>& text, std::string_view location) {
    if (!text) return spec.default_value;
    auto value = parse_value(spec, *text);
    if (!value)
        throw domain::Failure(domain::ErrorKind::integrity, "invalid_setting",
                              fmt::format("setting {} of {} is '{}', not a whole number from {} to {}; fix it with "
                                          "'invlog config set {} N'",
                                          spec.key, location, *text, spec.min, spec.max, spec.key));
    return *value;
}

void for_each_setting(Connection& conn, const std::function<void(std::string_view, std::string_view)>& fn) {
    Statement st = conn.prepare("SELECT key, value FROM settings ORDER BY key");
    while (st.step()) fn(st.text(0), st.text(1));
}

// The settings of a file are its settings table.
std::optional<std::string> SqliteStore::read_setting(std::string_view key) { return store::read_setting(*m_conn, key); }

void SqliteStore::write_setting(std::string_view key, std::string_view value) {
    store::write_setting(*m_conn, key, value);
}

bool SqliteStore::delete_setting(std::string_view key) { return store::delete_setting(*m_conn, key); }

void SqliteStore::for_each_setting(const std::function<void(std::string_view, std::string_view)>& fn) {
    store::for_each_setting(*m_conn, fn);
}

}  // namespace invlog::store
