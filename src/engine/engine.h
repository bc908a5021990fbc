// The engine: every rule that applies to a resource type, over every resource, on all cores.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "model/deployment.h"
#include "rules/ruleset.h"

namespace csap::engine {

enum class Status : std::uint8_t { kPass, kFail, kUnknown, kError };
std::string_view status_name(Status s);

// One rule applied to one resource.
struct Finding {
  std::uint32_t rule = 0;      // index into RuleSet::rules
  std::uint32_t resource = 0;  // index into Deployment::resources
  Status status = Status::kPass;
  rules::Explanation why;  // for fail / unknown: the deciding attribute, expected vs actual
  std::string error;       // for kError
};

struct Options {
  unsigned jobs = 0;  // 0: all cores
  // Called now and then from one thread with (resources done, total).
  std::function<void(std::size_t, std::size_t)> progress;
};

// Findings ordered by resource, then rule. Data sources (mode "data") are not judged: they are
// read, not deployed, and no finding is made for them.
std::vector<Finding> run(const rules::RuleSet& rules, const Deployment& d,
                         const Options& opts = {});

}  // namespace csap::engine
