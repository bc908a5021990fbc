#include "report/coverage.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "assess/assess.h"
#include "report/report.h"

namespace csap::report {

void CoverageCounts::add(Automation a) {
  switch (a) {
    case Automation::kAutomated:
      ++automated;
      break;
    case Automation::kPartial:
      ++partial;
      break;
    case Automation::kManual:
      ++manual;
      break;
  }
}

ProfileCoverage coverage(const catalog::Catalog& cat, const catalog::Profile& profile,
                         const std::vector<catalog::Mapping>& mappings,
                         const rules::RuleSet& rules) {
  // The assessor decides which controls are assessed and which rules and evidence they carry: an
  // assessment of an empty deployment gives exactly that, with no findings.
  Deployment empty;
  auto a = assess::assess(cat, profile, mappings, rules, empty, {});
  ProfileCoverage pc;
  pc.profile = profile;
  std::map<std::string, std::size_t> index;
  for (const catalog::Control* root : cat.roots()) {
    if (!cat.in_scope(*root, profile.service, profile.tier)) continue;
    index[root->id] = pc.areas.size();
    pc.areas.push_back({root, {}, {}, {}, {}});
  }
  for (const auto& cr : a.controls) {
    Automation kind = !cr.automated         ? Automation::kManual
                      : cr.evidence.empty() ? Automation::kAutomated
                                            : Automation::kPartial;
    pc.total.add(kind);
    const catalog::Control* area = cat.area_of(cr.control->id);
    if (!area) continue;
    auto it = index.find(area->id);
    if (it == index.end()) {
      index[area->id] = pc.areas.size();
      pc.areas.push_back({area, {}, {}, {}, {}});
      it = index.find(area->id);
    }
    AreaCoverage& ac = pc.areas[it->second];
    ac.counts.add(kind);
    (kind == Automation::kAutomated ? ac.automated
     : kind == Automation::kPartial ? ac.partial
                                    : ac.manual)
        .push_back(cr.control->id);
  }
  std::erase_if(pc.areas, [](const AreaCoverage& ac) { return ac.counts.total() == 0; });
  return pc;
}

Result<CatalogCoverage> catalog_coverage(const catalog::Catalog& cat,
                                         const std::vector<catalog::Mapping>& mappings,
                                         const rules::RuleSet& rules, const std::string& profile) {
  CatalogCoverage cc;
  cc.catalog = &cat;
  if (!profile.empty()) {
    auto p = cat.resolve_profile(profile);
    if (!p) return std::unexpected(p.error());
    cc.profiles.push_back(coverage(cat, *p, mappings, rules));
    return cc;
  }
  for (const auto& p : cat.profiles) cc.profiles.push_back(coverage(cat, p, mappings, rules));
  return cc;
}

std::string coverage_text(const std::vector<CatalogCoverage>& cov, Lang lang) {
  bool ko = lang == Lang::kKo;
  std::string out;
  const std::size_t area_w = 48, num_w = 11;
  auto row = [&](std::string_view label, const CoverageCounts& c) {
    return fmt::format(
        "  {}{}{}{}{}\n", pad_right(truncate_width(label, area_w), area_w),
        pad_left(std::to_string(c.automated), num_w), pad_left(std::to_string(c.partial), num_w),
        pad_left(std::to_string(c.manual), num_w), pad_left(std::to_string(c.total()), num_w));
  };
  out += ko ? "자동: 매핑된 규칙이 통제 전체를 점검(추가 증적 불필요) · 부분 자동: 규칙 + 사람의 "
              "증적 필요 · 수동: 규칙 없음\n"
            : "automated: rules check the whole control (no evidence expected) · partly: rules, "
              "and evidence "
              "from people is also expected · manual: no rule\n";
  for (const auto& cc : cov) {
    const auto& cat = *cc.catalog;
    out += fmt::format("\n{} {} — {}\n", cat.id, cat.version, cat.title.get(lang));
    for (const auto& pc : cc.profiles) {
      const catalog::Tier* tier = cat.find_tier(pc.profile.tier);
      std::string tier_name = tier ? tier->title.get(lang) : pc.profile.tier;
      std::string name =
          pc.profile.id.empty() ? pc.profile.service + "-" + pc.profile.tier : pc.profile.id;
      out += fmt::format("\n  {} ({} {}, {} {})\n", name, ko ? "서비스" : "service",
                         pc.profile.service, ko ? "등급" : "tier", tier_name);
      out += fmt::format(
          "  {}{}{}{}{}\n", pad_right(ko ? "영역" : "area", area_w),
          pad_left(ko ? "자동" : "automated", num_w), pad_left(ko ? "부분 자동" : "partly", num_w),
          pad_left(ko ? "수동" : "manual", num_w), pad_left(ko ? "평가 대상" : "assessed", num_w));
      for (const auto& ac : pc.areas)
        out += row(ac.area->id + " " + ac.area->title.get(lang), ac.counts);
      out += row(ko ? "합계" : "total", pc.total);
    }
  }
  return out;
}

std::string coverage_json(const std::vector<CatalogCoverage>& cov) {
  using J = nlohmann::ordered_json;
  auto counts = [](const CoverageCounts& c) {
    return J{{"automated", c.automated},
             {"partial", c.partial},
             {"manual", c.manual},
             {"assessed", c.total()}};
  };
  J cats = J::array();
  for (const auto& cc : cov) {
    J profiles = J::array();
    for (const auto& pc : cc.profiles) {
      J areas = J::array();
      for (const auto& ac : pc.areas) {
        J a = {{"id", ac.area->id},
               {"title", {{"ko", ac.area->title.ko}, {"en", ac.area->title.en}}}};
        a.update(counts(ac.counts));
        a["controls"] = {
            {"automated", ac.automated}, {"partial", ac.partial}, {"manual", ac.manual}};
        areas.push_back(std::move(a));
      }
      profiles.push_back(J{{"profile", pc.profile.id},
                           {"service", pc.profile.service},
                           {"tier", pc.profile.tier},
                           {"total", counts(pc.total)},
                           {"areas", std::move(areas)}});
    }
    cats.push_back(J{{"catalog", cc.catalog->id},
                     {"version", cc.catalog->version},
                     {"title", {{"ko", cc.catalog->title.ko}, {"en", cc.catalog->title.en}}},
                     {"profiles", std::move(profiles)}});
  }
  J root = {{"schema", "csapcheck/coverage/v1"}, {"catalogs", std::move(cats)}};
  return root.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace csap::report
