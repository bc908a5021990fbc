// `csapcheck rules test`: runs every rule's own test cases.
#pragma once
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/error.h"
#include "model/deployment.h"
#include "rules/ruleset.h"

namespace csap::engine {

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

// Loads an input file (a Terraform plan or state) for cases that name one with `input:`.
using InputLoader = std::function<Result<void>(const std::filesystem::path&, Deployment&)>;

// Runs the test cases of every rule (or of the rule `only`). A case is
//   {expect: pass|fail|unknown|none, resource: {...}}              one resource
//   {expect: {ADDRESS: STATUS, ...}, resources: [{...}, ...]}       several
//   {expect: ..., input: FILE}                                      a plan/state beside the rule
// with optional `params: {name: value}` overriding the rule's parameters for that case.
// Every rule must have at least one passing and one failing case.
SelfTestReport run_rule_tests(const rules::RuleSet& rules, const InputLoader& loader,
                              const std::string& only = "");

}  // namespace csap::engine
