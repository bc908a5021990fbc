// `csapcheck rules new ID --like OTHER`: a new rule file started from an existing rule.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace csap::app {

struct NewRuleOptions {
  std::string id;    // the new rule's id (also its file name: DIR/ID.yaml)
  std::string like;  // the rule to start from
  std::string dir;   // empty: the directory of `like` when it is a user rule, else
                     // data/rules/<cloud>/ inside the source tree, else the current directory
  std::vector<std::string> rule_dirs;  // where user rules (and `like`) may be found
  bool no_bundled_rules = false;
};

struct NewRule {
  std::string file;  // the file written
  std::string text;
};

// The text of a new rule `id` from `source` (the YAML of the document or file holding `like`):
// the id replaced, title, rationale and remediation marked TODO, everything else (resources,
// check, params, tests) kept as a template. `file` names `source` in errors.
Result<std::string> scaffold_rule_text(std::string_view source, const std::string& file,
                                       const std::string& like, const std::string& id);

// Finds `like`, writes DIR/ID.yaml (never over an existing file) and checks that it compiles.
Result<NewRule> new_rule(const NewRuleOptions& opts);

}  // namespace csap::app
