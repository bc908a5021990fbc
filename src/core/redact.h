// Keeping secrets out of every output: values Terraform marks sensitive are redacted by the value
// model; this catches the rest — attribute names and values that look like keys or passwords.
#pragma once
#include <string>
#include <string_view>

namespace csap {

inline constexpr std::string_view kRedacted = "(redacted)";

// True for attribute names such as password, secret_key, access_token, private_key, api_key.
bool secret_name(std::string_view key);
// True for values that look like credentials: AWS access keys, private-key blocks, JWTs,
// bearer tokens, URLs with passwords, long high-entropy strings.
bool secret_value(std::string_view value);
// Replaces every secret-looking token inside free text with "(redacted)".
std::string redact_text(std::string_view text);

}  // namespace csap
