// `csapcheck rules test`: runs every rule's own test cases.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"
#include "model/deployment.h"
#include "rules/ruleset.h"

namespace csap::app {

struct CaseOutcome {
  std::string rule;
  std::string file;
  int line = 0;
  bool ok = false;
  std::string message;  // what differed
};

struct SelfTestReport {
  std::size_t rules = 0;
  std::size_t cases = 0;
  std::size_t failed = 0;
  std::vector<CaseOutcome>
      outcomes;  // one per case, plus one per rule lacking a pass or a fail case
};

// Runs the test cases of every rule (or of the rule `only`). A case is
//   {expect: pass|fail|unknown|none, resource: {...}}              one resource
//   {expect: {ADDRESS: STATUS, ...}, resources: [{...}, ...]}       several
//   {expect: ..., input: FILE}                   a plan or state, relative to the rule's file
// with optional `params: {name: value}` overriding the rule's parameters for that case.
// Every rule must have at least one passing and one failing case.
SelfTestReport run_rule_tests(const rules::RuleSet& rules, const std::string& only = "");

// Which rules `csapcheck rules test` runs: those of `dir` (else the bundled ones, unless
// `no_bundled_rules`), plus those of `rule_dirs`.
struct RuleTestOptions {
  std::string dir;
  std::vector<std::string> rule_dirs;
  bool no_bundled_rules = false;
  std::string only;  // only this rule
};

// Loads the rules and runs their cases.
Result<SelfTestReport> test_rules(const RuleTestOptions& opts);

}  // namespace csap::app
