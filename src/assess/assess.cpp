#include "assess/assess.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace csap::assess {

std::string_view verdict_name(Verdict v) {
  switch (v) {
    case Verdict::kPass: return "pass";
    case Verdict::kFail: return "fail";
    case Verdict::kUnknown: return "unknown";
    case Verdict::kManual: return "manual";
    case Verdict::kWaived: return "waived";
    case Verdict::kNotApplicable: return "not-applicable";
  }
  return "manual";
}

Text verdict_text(Verdict v) {
  switch (v) {
    case Verdict::kPass: return {"적합", "pass"};
    case Verdict::kFail: return {"부적합", "fail"};
    case Verdict::kUnknown: return {"확인 불가(적용 후 결정)", "unknown"};
    case Verdict::kManual: return {"수동 확인 필요", "manual"};
    case Verdict::kWaived: return {"예외 승인", "waived"};
    case Verdict::kNotApplicable: return {"해당 없음", "not applicable"};
  }
  return {};
}

std::size_t Counts::total() const {
  std::size_t n = 0;
  for (auto c : by_verdict) n += c;
  return n;
}

double Counts::readiness() const {
  std::size_t denom = total() - (*this)[Verdict::kNotApplicable];
  return denom == 0 ? 0.0 : static_cast<double>((*this)[Verdict::kPass]) / static_cast<double>(denom);
}

namespace {

int severity_rank(Verdict v) {
  switch (v) {
    case Verdict::kFail: return 5;
    case Verdict::kUnknown: return 4;
    case Verdict::kManual: return 3;
    case Verdict::kWaived: return 2;
    case Verdict::kPass: return 1;
    case Verdict::kNotApplicable: return 0;
  }
  return 0;
}

}  // namespace

Assessment assess(const catalog::Catalog& cat, const catalog::Profile& profile,
                  const std::vector<catalog::Mapping>& mappings, const rules::RuleSet& rules,
                  const Deployment& d, std::vector<engine::Finding> findings) {
  Assessment a;
  a.catalog = &cat;
  a.profile = profile;
  a.rules = &rules;
  a.deployment = &d;
  a.findings = std::move(findings);
  for (const auto& f : a.findings) ++a.finding_counts[static_cast<std::size_t>(f.status)];

  // Merge every mapping's entries per control id.
  struct Merged {
    std::vector<std::string> rules;
    std::vector<std::string> evidence;
    bool conditional = false;
    bool present = false;
  };
  std::map<std::string, Merged> merged;
  for (const auto& m : mappings) {
    for (const auto& cm : m.controls) {
      if (!cat.find(cm.control)) {
        a.notes.push_back(fmt::format("{}: control '{}' is not in catalog {}; its mapping is ignored",
                                      m.file, cm.control, cat.id));
        continue;
      }
      Merged& e = merged[cm.control];
      e.present = true;
      for (const auto& r : cm.rules)
        if (std::find(e.rules.begin(), e.rules.end(), r) == e.rules.end()) e.rules.push_back(r);
      for (const auto& ev : cm.evidence)
        if (std::find(e.evidence.begin(), e.evidence.end(), ev) == e.evidence.end()) e.evidence.push_back(ev);
      e.conditional = e.conditional || cm.conditional;
    }
  }

  // Findings by rule id.
  std::map<std::string_view, std::vector<std::size_t>> by_rule;
  for (std::size_t i = 0; i < a.findings.size(); ++i)
    by_rule[rules.rules[a.findings[i].rule].id].push_back(i);

  auto baseline = cat.baseline(profile);
  for (const catalog::Control* c : baseline) {
    bool mapped = merged.count(c->id) > 0;
    if (!cat.is_leaf(*c) && !mapped) continue;
    if (!cat.is_leaf(*c)) {
      // A group with its own mapping is assessed only if a child is not in scope to carry it.
      bool any_child = false;
      for (const auto* ch : cat.children(c->id))
        any_child = any_child || cat.in_scope(*ch, profile.service, profile.tier);
      if (any_child && !mapped) continue;
    }
    ControlResult cr;
    cr.control = c;
    if (mapped) {
      const Merged& m = merged[c->id];
      for (const auto& r : m.rules)
        if (rules.find(r)) cr.rules.push_back(r);
      cr.evidence = m.evidence;
      cr.conditional = m.conditional;
    }
    cr.automated = !cr.rules.empty();
    cr.needs_attestation = !cr.automated || !cr.evidence.empty();
    for (const auto& r : cr.rules)
      if (auto it = by_rule.find(r); it != by_rule.end())
        for (std::size_t fi : it->second) {
          cr.findings.push_back(fi);
          ++cr.finding_counts[static_cast<std::size_t>(a.findings[fi].status)];
        }
    std::sort(cr.findings.begin(), cr.findings.end());
    const auto& fc = cr.finding_counts;
    std::size_t fails = fc[static_cast<std::size_t>(engine::Status::kFail)];
    std::size_t unknowns = fc[static_cast<std::size_t>(engine::Status::kUnknown)] +
                           fc[static_cast<std::size_t>(engine::Status::kError)];
    if (fails > 0) {
      cr.verdict = Verdict::kFail;
      cr.reason = {fmt::format("자원 {}건이 점검 규칙을 충족하지 않음", fails),
                   fails == 1 ? std::string("1 finding fails the mapped rules") : fmt::format("{} findings fail the mapped rules", fails)};
    } else if (unknowns > 0) {
      cr.verdict = Verdict::kUnknown;
      cr.reason = {fmt::format("{}건의 값이 적용(apply) 후에야 결정됨", unknowns),
                   unknowns == 1 ? std::string("1 finding depends on values known only after apply") : fmt::format("{} findings depend on values known only after apply", unknowns)};
    } else if (cr.automated && cr.findings.empty() && cr.conditional) {
      cr.verdict = Verdict::kNotApplicable;
      cr.reason = {"점검 대상 유형의 자원이 없음", "no resource of a checked type exists"};
    } else if (cr.needs_attestation) {
      cr.verdict = Verdict::kManual;
      if (!cr.automated)
        cr.reason = {"배포 구성으로 확인할 수 없음: 증적 확인 필요", "not visible in configuration: needs an attestation with evidence"};
      else
        cr.reason = {"자동 점검은 통과, 추가 증적 필요", "automated checks pass; evidence from people is also required"};
    } else if (cr.findings.empty()) {
      cr.verdict = Verdict::kManual;
      cr.reason = {"점검 대상 자원이 없어 자동 판정 불가: 증적 확인 필요",
                   "none of the checked resource types is present: confirm by attestation"};
    } else {
      cr.verdict = Verdict::kPass;
      cr.reason = {fmt::format("자원 {}건 모두 충족", cr.findings.size()),
                   cr.findings.size() == 1 ? std::string("its 1 finding passes") : fmt::format("all {} findings pass", cr.findings.size())};
    }
    a.summary.add(cr.verdict);
    if (cr.automated) a.automated.add(cr.verdict);
    a.controls.push_back(std::move(cr));
  }

  // Areas: the roots in scope, with their assessed controls rolled up.
  std::map<std::string, std::size_t> area_index;
  for (const catalog::Control* root : cat.roots()) {
    if (!cat.in_scope(*root, profile.service, profile.tier)) continue;
    area_index[root->id] = a.areas.size();
    AreaResult ar;
    ar.area = root;
    ar.verdict = Verdict::kNotApplicable;
    a.areas.push_back(ar);
  }
  for (const auto& cr : a.controls) {
    const catalog::Control* area = cat.area_of(cr.control->id);
    if (!area) continue;
    auto it = area_index.find(area->id);
    if (it == area_index.end()) continue;
    AreaResult& ar = a.areas[it->second];
    ar.counts.add(cr.verdict);
    if (cr.automated) ar.automated.add(cr.verdict);
    if (severity_rank(cr.verdict) > severity_rank(ar.verdict)) ar.verdict = cr.verdict;
  }
  return a;
}

bool fails_at(const Assessment& a, rules::Severity min) {
  std::set<std::size_t> counted;
  for (const auto& cr : a.controls) {
    if (cr.verdict != Verdict::kFail) continue;
    for (std::size_t fi : cr.findings) {
      const auto& f = a.findings[fi];
      if (f.status == engine::Status::kFail && a.rules->rules[f.rule].severity >= min) return true;
    }
  }
  if (a.controls.empty())
    for (const auto& f : a.findings)
      if (f.status == engine::Status::kFail && a.rules->rules[f.rule].severity >= min) return true;
  return false;
}

}  // namespace csap::assess
