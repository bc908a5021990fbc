// The roadmap as text for people and as JSON (schema csapcheck/roadmap/v1) for programs.
#include "report/roadmap.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

#include "report/console.h"
#include "report/report.h"

namespace csap::report {

using assess::Assessment;
using assess::Roadmap;
using assess::Step;

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

void write_roadmap_text(std::ostream& out, const Roadmap& r, const Assessment& a, Lang lang) {
  // Titles, owners and evidence come from input files: the text is escaped for the terminal.
  std::ostringstream os;
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
      os << "  " << pad_right(step_word(it.step, lang), ko ? 9 : w) << "  " << cr.control->id
         << "  " << cr.control->title.get(lang);
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
  out << terminal_escape(os.str());
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
                       {"step", std::string(assess::step_name(it.step))},
                       {"verdict", std::string(assess::verdict_name(cr.verdict))},
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

}  // namespace csap::report
