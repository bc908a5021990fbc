// The road to a tier: what the deployment and the team still need for a target profile, per area,
// from an assessment at the target tier and the catalog's tier gap (`csapcheck roadmap`). Its text
// and JSON rendering are in report/roadmap.h.
#pragma once
#include <string>
#include <vector>

#include "assess/assess.h"
#include "catalog/gap.h"

namespace csap::assess {

enum class Step {
  kFix,     // add or fix resources: failing (unwaived) or unknown automated checks
  kAttest,  // procedural work and evidence: no valid attestation, or attested as not met
  kRenew,   // in place, but an attestation or a waiver it relies on expires within 30 days
};
std::string_view step_name(Step s);  // fix, attest, renew

struct RoadmapItem {
  const ControlResult* control = nullptr;  // into the target assessment
  Step step = Step::kAttest;
  bool new_at_target = false;  // not in scope at the current tier
  std::string owner;           // from the control's attestation, when any
  std::string expires;         // kRenew: the earliest date that runs out
};

struct RoadmapArea {
  const catalog::Control* area = nullptr;  // nullptr: controls outside any area in scope
  std::vector<RoadmapItem> items;
};

struct Roadmap {
  std::string service, from, to;
  std::vector<RoadmapArea> areas;  // catalog order; areas with nothing to do are left out
  std::size_t in_scope = 0, new_controls = 0, ready = 0;
  std::size_t fix = 0, attest = 0, renew = 0;
};

// `target` is an assessment at the target profile; `gap` the catalog gap from the current tier.
Roadmap roadmap(const Assessment& target, const catalog::Gap& gap);

}  // namespace csap::assess
