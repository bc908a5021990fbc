#include "core/redact.h"

#include <re2/re2.h>

#include <array>
#include <cctype>
#include <cmath>

namespace csap {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

const RE2& secret_value_re() {
  static const RE2 re(
      "(AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16}"                    // AWS access key ids
      "|-----BEGIN [A-Z ]*PRIVATE KEY-----"                            // PEM private keys
      "|eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}"  // JWT
      "|(?i:bearer\\s+[A-Za-z0-9._~+/=-]{16,})"
      "|[a-zA-Z][a-zA-Z0-9+.-]*://[^/\\s:@]+:[^/\\s@]+@"   // URL with user:password@
      "|ghp_[A-Za-z0-9]{36}|xox[baprs]-[A-Za-z0-9-]{10,}"  // GitHub, Slack tokens
      "|AIza[0-9A-Za-z_-]{35}");                           // Google API keys
  return re;
}

double entropy(std::string_view s) {
  std::array<int, 256> counts{};
  for (unsigned char c : s) ++counts[c];
  double h = 0;
  for (int n : counts)
    if (n) {
      double p = static_cast<double>(n) / static_cast<double>(s.size());
      h -= p * std::log2(p);
    }
  return h;
}

// A long token mixing letters and digits with high entropy (API secrets, random passwords).
bool high_entropy_token(std::string_view s) {
  if (s.size() < 32 || s.size() > 512) return false;
  bool upper = false, lowerc = false, digit = false;
  for (unsigned char c : s) {
    if (std::isspace(c)) return false;
    if (std::isupper(c))
      upper = true;
    else if (std::islower(c))
      lowerc = true;
    else if (std::isdigit(c))
      digit = true;
    else if (c != '+' && c != '/' && c != '=' && c != '_' && c != '-')
      return false;
  }
  if (!(digit && (upper || lowerc) && (upper && lowerc))) return false;
  // Identifiers like ARNs and resource ids have separators and low entropy per char.
  return entropy(s) > 4.2;
}

}  // namespace

bool secret_name(std::string_view key) {
  static const RE2 re(
      "(^|_|-)(password|passwd|pwd|secret|secret_key|private_key|access_key|secret_access_key|"
      "api_key|apikey|token|access_token|auth_token|client_secret|credential|credentials|"
      "passphrase|master_password|admin_password|user_password|connection_string)($|_|-)|"
      "^(password|secret|token)");
  return RE2::PartialMatch(lower(key), re);
}

bool secret_value(std::string_view value) {
  if (value.size() < 16) return false;
  if (RE2::PartialMatch(value, secret_value_re())) return true;
  return high_entropy_token(value);
}

std::string redact_text(std::string_view text) {
  std::string out(text);
  RE2::GlobalReplace(&out, secret_value_re(), "(redacted)");
  return out;
}

}  // namespace csap
