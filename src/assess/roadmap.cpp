#include "assess/roadmap.h"

#include <fmt/format.h>

#include <map>
#include <set>

namespace csap::assess {

std::string_view step_name(Step s) {
  switch (s) {
    case Step::kFix:
      return "fix";
    case Step::kAttest:
      return "attest";
    case Step::kRenew:
      return "renew";
  }
  return "attest";
}

Roadmap roadmap(const Assessment& a, const catalog::Gap& gap) {
  Roadmap r;
  r.service = gap.service;
  r.from = gap.from_tier;
  r.to = gap.to_tier;
  std::set<std::string> added;
  for (const auto* c : gap.added) added.insert(c->id);

  std::map<std::string, std::size_t> area_pos;
  for (const auto& ar : a.areas) {
    area_pos[ar.area->id] = r.areas.size();
    r.areas.push_back({ar.area, {}});
  }
  RoadmapArea other;
  for (const auto& cr : a.controls) {
    ++r.in_scope;
    RoadmapItem item;
    item.control = &cr;
    // New at the target: the control (or its area, for controls under an added area) enters scope.
    for (const catalog::Control* c = cr.control; c; c = a.catalog->parent_of(*c))
      if (added.count(c->id)) item.new_at_target = true;
    if (item.new_at_target) ++r.new_controls;
    const Attestation* att =
        cr.attestation >= 0 ? &a.attestations[static_cast<std::size_t>(cr.attestation)] : nullptr;
    if (att) item.owner = att->owner;
    std::size_t unwaived_fails =
        cr.finding_counts[static_cast<std::size_t>(engine::Status::kFail)] - cr.waived_count;
    bool todo = true;
    switch (cr.verdict) {
      case Verdict::kFail:
        item.step = unwaived_fails > 0 ? Step::kFix : Step::kAttest;
        break;
      case Verdict::kUnknown:
        item.step = Step::kFix;
        break;
      case Verdict::kManual:
        item.step = Step::kAttest;
        break;
      case Verdict::kPass:
      case Verdict::kWaived:
      case Verdict::kNotApplicable: {
        todo = false;
        std::string soonest;
        if (att && att->valid && att->expiring_soon) soonest = att->expires;
        for (int wi : cr.waived) {
          if (wi < 0) continue;
          const auto& w = a.waivers[static_cast<std::size_t>(wi)];
          if (w.expiring_soon && (soonest.empty() || w.expires < soonest)) soonest = w.expires;
        }
        if (!soonest.empty()) {
          todo = true;
          item.step = Step::kRenew;
          item.expires = soonest;
        }
        break;
      }
    }
    if (!todo) {
      if (cr.verdict != Verdict::kWaived) ++r.ready;
      continue;
    }
    if (item.step == Step::kRenew && cr.verdict != Verdict::kWaived) ++r.ready;
    (item.step == Step::kFix ? r.fix : item.step == Step::kAttest ? r.attest : r.renew)++;
    const catalog::Control* area = a.catalog->area_of(cr.control->id);
    auto it = area ? area_pos.find(area->id) : area_pos.end();
    if (it == area_pos.end())
      other.items.push_back(std::move(item));
    else
      r.areas[it->second].items.push_back(std::move(item));
  }
  std::vector<RoadmapArea> kept;
  for (auto& ar : r.areas)
    if (!ar.items.empty()) kept.push_back(std::move(ar));
  if (!other.items.empty()) kept.push_back(std::move(other));
  r.areas = std::move(kept);
  // Within an area: fix, then attest, then renew; catalog order inside each.
  for (auto& ar : r.areas)
    std::stable_sort(ar.items.begin(), ar.items.end(),
                     [](const RoadmapItem& x, const RoadmapItem& y) { return x.step < y.step; });
  return r;
}

}  // namespace csap::assess
