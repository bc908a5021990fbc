#include "assess/roadmap.h"

#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>
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

namespace {

std::string_view step_word(Step s, Lang lang) {
  bool ko = lang == Lang::kKo;
  switch (s) {
    case Step::kFix:
      return ko ? "자원 수정" : "FIX";
    case Step::kAttest:
      return ko ? "증적 제출" : "ATTEST";
    case Step::kRenew:
      return ko ? "갱신" : "RENEW";
  }
  return "";
}

}  // namespace

void write_roadmap_text(std::ostream& os, const Roadmap& r, const Assessment& a, Lang lang) {
  bool ko = lang == Lang::kKo;
  const catalog::Catalog& cat = *a.catalog;
  os << fmt::format("{} {} {} · {}: {} → {}   ({} {})\n", ko ? "인증 로드맵" : "Roadmap", cat.id,
                    cat.version, r.service, r.from, r.to, ko ? "기준일" : "as of", a.today);
  std::string to = r.to;
  if (const catalog::Tier* t = cat.find_tier(r.to); t && ko && !t->title.ko.empty())
    to = t->title.ko;
  double pct =
      r.in_scope ? 100.0 * static_cast<double>(r.ready) / static_cast<double>(r.in_scope) : 0.0;
  if (ko)
    os << fmt::format("  {} 등급 대상 통제 {}개 (신규 {}개), 준비 완료 {}개 ({:.0f}%)\n", to,
                      r.in_scope, r.new_controls, r.ready, pct);
  else
    os << fmt::format("  {} controls in scope at {} ({} new), {} ready ({:.0f}%)\n", r.in_scope,
                      r.to, r.new_controls, r.ready, pct);
  os << fmt::format("  {}: {} {} · {} {} · {} {}\n", ko ? "남은 일" : "to do",
                    step_word(Step::kFix, lang), r.fix, step_word(Step::kAttest, lang), r.attest,
                    step_word(Step::kRenew, lang), r.renew);
  os << (ko ? "  자원 수정 = 배포 구성(Terraform)을 고칠 것, 증적 제출 = 절차를 이행하고 증적과 "
              "함께 확인서를 쓸 것\n"
            : "  FIX = add or fix resources in the deployment; ATTEST = do the procedural work and "
              "attest it with "
              "evidence\n");
  std::size_t w = 0;
  for (Step s : {Step::kFix, Step::kAttest, Step::kRenew})
    w = std::max(w, step_word(s, lang).size());
  for (const auto& ar : r.areas) {
    os << '\n';
    if (ar.area)
      os << ar.area->id << "  " << ar.area->title.get(lang) << '\n';
    else
      os << (ko ? "기타" : "Other") << '\n';
    for (const auto& it : ar.items) {
      const auto& cr = *it.control;
      std::string word(step_word(it.step, lang));
      // Korean step words are two columns per syllable: pad by display width, roughly.
      std::size_t cols = 0;
      for (unsigned char c : word) cols += (c & 0xC0) != 0x80 ? ((c >= 0xE0) ? 2 : 1) : 0;
      std::size_t wcols = ko ? 9 : w;
      std::string pad(wcols > cols ? wcols - cols : 0, ' ');
      os << "  " << word << pad << "  " << cr.control->id << "  " << cr.control->title.get(lang);
      if (it.new_at_target) os << (ko ? "  [신규]" : "  [new]");
      if (!it.owner.empty()) os << fmt::format("  ({}: {})", ko ? "담당" : "owner", it.owner);
      os << '\n';
      std::string why = it.step == Step::kRenew
                            ? (ko ? fmt::format("{}에 만료: 갱신 필요", it.expires)
                                  : fmt::format("expires on {}: renew it", it.expires))
                            : cr.reason.get(lang);
      os << std::string(4 + (ko ? 9 : w), ' ') << why << '\n';
      if (it.step == Step::kAttest && !cr.evidence.empty() && cr.attestation < 0) {
        for (const auto& e : cr.evidence)
          os << std::string(6 + (ko ? 9 : w), ' ') << "- " << e << '\n';
      }
    }
  }
  if (r.areas.empty()) os << '\n' << (ko ? "남은 일이 없습니다.\n" : "Nothing left to do.\n");
}

void write_roadmap_json(std::ostream& os, const Roadmap& r, const Assessment& a) {
  using json = nlohmann::ordered_json;
  json j;
  j["schema"] = "csapcheck/roadmap/v1";
  j["catalog"] = {{"id", a.catalog->id}, {"version", a.catalog->version}};
  j["service"] = r.service;
  j["from"] = r.from;
  j["to"] = r.to;
  j["today"] = a.today;
  j["summary"] = {{"in_scope", r.in_scope}, {"new", r.new_controls}, {"ready", r.ready},
                  {"fix", r.fix},           {"attest", r.attest},    {"renew", r.renew}};
  json areas = json::array();
  for (const auto& ar : r.areas) {
    json items = json::array();
    for (const auto& it : ar.items) {
      const auto& cr = *it.control;
      items.push_back({{"control", cr.control->id},
                       {"title", {{"ko", cr.control->title.ko}, {"en", cr.control->title.en}}},
                       {"step", std::string(step_name(it.step))},
                       {"verdict", std::string(verdict_name(cr.verdict))},
                       {"new", it.new_at_target},
                       {"owner", it.owner.empty() ? json(nullptr) : json(it.owner)},
                       {"expires", it.expires.empty() ? json(nullptr) : json(it.expires)},
                       {"reason", {{"ko", cr.reason.ko}, {"en", cr.reason.en}}},
                       {"evidence_expected", cr.evidence}});
    }
    areas.push_back({{"id", ar.area ? json(ar.area->id) : json(nullptr)},
                     {"title", ar.area ? json{{"ko", ar.area->title.ko}, {"en", ar.area->title.en}}
                                       : json(nullptr)},
                     {"items", items}});
  }
  j["areas"] = areas;
  os << j.dump(2, ' ', false, json::error_handler_t::replace) << '\n';
}

}  // namespace csap::assess
