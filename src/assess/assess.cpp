#include "assess/assess.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace csap::assess {

std::string_view verdict_name(Verdict v) {
  switch (v) {
    case Verdict::kPass:
      return "pass";
    case Verdict::kFail:
      return "fail";
    case Verdict::kUnknown:
      return "unknown";
    case Verdict::kManual:
      return "manual";
    case Verdict::kWaived:
      return "waived";
    case Verdict::kNotApplicable:
      return "not-applicable";
  }
  return "manual";
}

Text verdict_text(Verdict v) {
  switch (v) {
    case Verdict::kPass:
      return {"적합", "pass"};
    case Verdict::kFail:
      return {"부적합", "fail"};
    case Verdict::kUnknown:
      return {"확인 불가(적용 후 결정)", "unknown"};
    case Verdict::kManual:
      return {"수동 확인 필요", "manual"};
    case Verdict::kWaived:
      return {"예외 승인", "waived"};
    case Verdict::kNotApplicable:
      return {"해당 없음", "not applicable"};
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
  return denom == 0 ? 0.0
                    : static_cast<double>((*this)[Verdict::kPass]) / static_cast<double>(denom);
}

namespace {

int severity_rank(Verdict v) {
  switch (v) {
    case Verdict::kFail:
      return 5;
    case Verdict::kUnknown:
      return 4;
    case Verdict::kManual:
      return 3;
    case Verdict::kWaived:
      return 2;
    case Verdict::kPass:
      return 1;
    case Verdict::kNotApplicable:
      return 0;
  }
  return 0;
}

}  // namespace

Assessment assess(const catalog::Catalog& cat, const catalog::Profile& profile,
                  const std::vector<catalog::Mapping>& mappings, const rules::RuleSet& rules,
                  const Deployment& d, std::vector<engine::Finding> findings) {
  return assess(cat, profile, mappings, rules, d, std::move(findings), Evidence{});
}

Assessment assess(const catalog::Catalog& cat, const catalog::Profile& profile,
                  const std::vector<catalog::Mapping>& mappings, const rules::RuleSet& rules,
                  const Deployment& d, std::vector<engine::Finding> findings, Evidence evidence) {
  Assessment a;
  a.catalog = &cat;
  a.profile = profile;
  a.rules = &rules;
  a.deployment = &d;
  a.findings = std::move(findings);
  for (const auto& f : a.findings) ++a.finding_counts[static_cast<std::size_t>(f.status)];
  a.today = evidence.today.empty() ? evidence::today_local() : evidence.today;
  a.attestations = std::move(evidence.attestations);
  a.waivers = std::move(evidence.waivers);
  evidence::evaluate(a.attestations, a.waivers, a.today);
  a.finding_waiver.assign(a.findings.size(), -1);
  std::map<std::string, int> attestation_of;
  for (std::size_t i = 0; i < a.attestations.size(); ++i)
    attestation_of.emplace(a.attestations[i].control, static_cast<int>(i));
  // Rule waivers apply to the finding wherever it counts; the first valid one that matches wins.
  for (std::size_t fi = 0; fi < a.findings.size(); ++fi) {
    const auto& f = a.findings[fi];
    if (f.status != engine::Status::kFail) continue;
    const std::string& rid = rules.rules[f.rule].id;
    std::string_view addr = d.resources[f.resource].address;
    for (std::size_t wi = 0; wi < a.waivers.size(); ++wi) {
      auto& w = a.waivers[wi];
      if (!w.valid || w.rule.empty() || w.rule != rid || !evidence::glob_match(w.resource, addr))
        continue;
      a.finding_waiver[fi] = static_cast<int>(wi);
      ++w.matched;
      break;
    }
  }
  // A control waiver covers the control and the controls under it.
  auto covers = [&](const std::string& waived, const catalog::Control* c) {
    for (; c; c = cat.parent_of(*c))
      if (c->id == waived) return true;
    return false;
  };

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
        a.notes.push_back(
            fmt::format("{}: control '{}' is not in catalog {}; its mapping is ignored", m.file,
                        cm.control, cat.id));
        continue;
      }
      Merged& e = merged[cm.control];
      e.present = true;
      for (const auto& r : cm.rules)
        if (std::find(e.rules.begin(), e.rules.end(), r) == e.rules.end()) e.rules.push_back(r);
      for (const auto& ev : cm.evidence)
        if (std::find(e.evidence.begin(), e.evidence.end(), ev) == e.evidence.end())
          e.evidence.push_back(ev);
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
    // Waivers: failing findings a valid waiver accepts.
    cr.waived.assign(cr.findings.size(), -1);
    for (std::size_t k = 0; k < cr.findings.size(); ++k) {
      std::size_t fi = cr.findings[k];
      const auto& f = a.findings[fi];
      if (f.status != engine::Status::kFail) continue;
      int wi = a.finding_waiver[fi];
      if (wi < 0) {
        std::string_view addr = d.resources[f.resource].address;
        for (std::size_t j = 0; j < a.waivers.size(); ++j) {
          auto& w = a.waivers[j];
          if (!w.valid || w.control.empty() || !covers(w.control, c) ||
              !evidence::glob_match(w.resource, addr))
            continue;
          wi = static_cast<int>(j);
          ++w.matched;
          break;
        }
      }
      cr.waived[k] = wi;
      if (wi >= 0) ++cr.waived_count;
    }
    const Attestation* att = nullptr;
    if (auto it = attestation_of.find(c->id); it != attestation_of.end()) {
      cr.attestation = it->second;
      att = &a.attestations[static_cast<std::size_t>(it->second)];
    }
    const auto& fc = cr.finding_counts;
    std::size_t fails = fc[static_cast<std::size_t>(engine::Status::kFail)] - cr.waived_count;
    std::size_t unknowns = fc[static_cast<std::size_t>(engine::Status::kUnknown)] +
                           fc[static_cast<std::size_t>(engine::Status::kError)];
    bool no_resources = cr.automated && cr.findings.empty();
    bool needs = cr.needs_attestation || no_resources;
    if (fails > 0) {
      cr.verdict = Verdict::kFail;
      cr.reason = {fmt::format("자원 {}건이 점검 규칙을 충족하지 않음", fails),
                   fmt::format("{} finding(s) fail the mapped rules", fails)};
      if (cr.waived_count) {
        cr.reason.ko += fmt::format(" (예외 승인 {}건 제외)", cr.waived_count);
        cr.reason.en += fmt::format(" ({} more accepted by a waiver)", cr.waived_count);
      }
    } else if (att && att->says_not_met()) {
      cr.verdict = Verdict::kFail;
      std::string st = att->statement.empty() ? std::string() : ": " + att->statement;
      cr.reason = {fmt::format("증적에 미충족으로 기재됨({}){}",
                               att->status == "partial" ? "부분 이행" : "이행 예정", st),
                   fmt::format("attested as not met ({}){}", att->status, st)};
    } else if (unknowns > 0) {
      cr.verdict = Verdict::kUnknown;
      cr.reason = {fmt::format("{}건의 값이 적용(apply) 후에야 결정됨", unknowns),
                   fmt::format("{} finding(s) depend on values known only after apply", unknowns)};
    } else if (att && att->valid && att->says_not_applicable()) {
      cr.verdict = Verdict::kNotApplicable;
      cr.reason = {"해당 없음으로 확인됨: " + att->reason,
                   "attested not applicable: " + att->reason};
    } else if (no_resources && cr.conditional) {
      cr.verdict = Verdict::kNotApplicable;
      cr.reason = {"점검 대상 유형의 자원이 없음", "no resource of a checked type exists"};
    } else if (needs && !(att && att->valid && att->says_met())) {
      cr.verdict = Verdict::kManual;
      if (att && !att->valid)
        cr.reason = {"증적이 유효하지 않음: " + att->problem.ko,
                     "the attestation does not count: " + att->problem.en};
      else if (att && att->says_not_applicable())
        cr.reason = {"해당 없음 증적이 유효하지 않음",
                     "the not-applicable attestation does not count"};
      else if (!cr.automated)
        cr.reason = {"배포 구성으로 확인할 수 없음: 증적 확인 필요",
                     "not visible in configuration: needs an attestation with evidence"};
      else if (no_resources)
        cr.reason = {"점검 대상 자원이 없어 자동 판정 불가: 증적 확인 필요",
                     "none of the checked resource types is present: confirm by attestation"};
      else
        cr.reason = {"자동 점검은 통과, 추가 증적 필요",
                     "automated checks pass; evidence from people is also required"};
    } else if (cr.waived_count > 0) {
      cr.verdict = Verdict::kWaived;
      cr.reason = {fmt::format("부적합 {}건이 예외 승인됨", cr.waived_count),
                   fmt::format("{} failing finding(s) accepted by a waiver", cr.waived_count)};
    } else {
      cr.verdict = Verdict::kPass;
      if (att && att->valid && cr.findings.empty())
        cr.reason = att->statement.empty()
                        ? Text{"증적으로 확인됨", "attested"}
                        : Text{"증적으로 확인됨: " + att->statement, "attested: " + att->statement};
      else if (att && att->valid)
        cr.reason = {fmt::format("자원 {}건 모두 충족, 증적 확인됨", cr.findings.size()),
                     fmt::format("all {} finding(s) pass, and attested", cr.findings.size())};
      else
        cr.reason = {fmt::format("자원 {}건 모두 충족", cr.findings.size()),
                     fmt::format("all {} finding(s) pass", cr.findings.size())};
    }
    a.summary.add(cr.verdict);
    if (cr.automated) a.automated.add(cr.verdict);
    if (cr.needs_attestation) a.attested.add(cr.verdict);
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
    if (cr.needs_attestation) ar.attested.add(cr.verdict);
    if (severity_rank(cr.verdict) > severity_rank(ar.verdict)) ar.verdict = cr.verdict;
  }
  return a;
}

bool fails_at(const Assessment& a, rules::Severity min) {
  std::set<std::size_t> counted;
  for (const auto& cr : a.controls) {
    if (cr.verdict != Verdict::kFail) continue;
    for (std::size_t k = 0; k < cr.findings.size(); ++k) {
      if (k < cr.waived.size() && cr.waived[k] >= 0) continue;
      const auto& f = a.findings[cr.findings[k]];
      if (f.status == engine::Status::kFail && a.rules->rules[f.rule].severity >= min) return true;
    }
  }
  if (a.controls.empty())
    for (std::size_t fi = 0; fi < a.findings.size(); ++fi) {
      const auto& f = a.findings[fi];
      if (fi < a.finding_waiver.size() && a.finding_waiver[fi] >= 0) continue;
      if (f.status == engine::Status::kFail && a.rules->rules[f.rule].severity >= min) return true;
    }
  return false;
}

}  // namespace csap::assess
