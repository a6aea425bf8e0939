// Credentials out of sight: redacting MongoDB URIs and secrets in text.
// Pure; no driver.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace invlog::util {

// The URI with the password and the values of secret options
// (tlsCertificateKeyFilePassword, authMechanismProperties) replaced by ***:
// mongodb://user:***@host/db.
std::string redact_uri(std::string_view uri);

// The password as written in the URI (percent-encoded), empty when none.
std::string_view raw_password(std::string_view uri);

// Removes known secrets from text that may quote them (driver messages).
class Redactor {
public:
    void add_secret(std::string_view secret);
    std::string operator()(std::string_view text) const;

private:
    std::vector<std::string> m_secrets;
};

}  // namespace invlog::util
