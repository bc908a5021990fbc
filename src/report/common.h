// What the report formats share: finding messages, locations, the rule → control index, the
// profile's display name. Internal to src/report.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "assess/assess.h"
#include "core/text.h"

namespace csap::report {

// Text that came from a resource (through the engine's Explanation) or an error message, made safe
// for output: secret-looking tokens and the values of secret-named members of a JSON object (at
// any depth) become "(redacted)", control characters become spaces.
std::string safe(std::string_view s);
// safe() without the last step: control characters are kept (the console escapes them itself).
std::string redacted(std::string_view s);

// One line in `lang`: title + attribute + expected vs actual (fail), "known after apply" (unknown),
// or the error (error); the title alone for pass.
std::string finding_message(const assess::Assessment& a, const engine::Finding& f, Lang lang);

struct Location {
  std::string file;
  int line = 0;
  int column = 0;
};
// Where a finding's resource is, when its input file is known.
std::optional<Location> finding_location(const assess::Assessment& a, const engine::Finding& f);

// For each rule (by index into RuleSet::rules): the ids of the assessed controls it maps to, in
// assessment order.
std::vector<std::vector<std::string>> controls_by_rule(const assess::Assessment& a);

// "SaaS · 중(moderate)" (ko) / "SaaS · moderate (중)" (en).
std::string profile_text(const assess::Assessment& a, Lang lang);

// Readiness as a fraction rounded to four decimals (0.3333).
double round4(double x);

// Indents every line after the first by `indent` spaces: nests a pretty-printed JSON value inside a
// document that is streamed member by member.
std::string indent_following_lines(const std::string& text, std::size_t indent);

}  // namespace csap::report
