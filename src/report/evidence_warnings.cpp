// The words of the evidence warnings, Korean and English.
#include "report/evidence_warnings.h"

#include <fmt/format.h>

#include <set>

namespace csap::report {

using assess::Assessment;
using assess::Waiver;
namespace {

std::string waiver_name(const Waiver& w, bool ko) {
  if (ko)
    return fmt::format("{}({}, {})", w.rule.empty() ? "통제 " + w.control : w.rule, w.resource,
                       w.source);
  std::string what = w.rule.empty() ? "control " + w.control : w.rule;
  return fmt::format("{} on {} ({})", what, w.resource, w.source);
}

long days_left(const std::string& today, const std::string& expires) {
  auto t = evidence::parse_date(today), e = evidence::parse_date(expires);
  if (!t || !e) return 0;
  return static_cast<long>((*e - *t).count());
}

}  // namespace

std::vector<std::string> evidence_warnings(const Assessment& a, Lang lang) {
  bool ko = lang == Lang::kKo;
  std::vector<std::string> out;
  std::set<std::string> assessed;
  for (const auto& cr : a.controls) assessed.insert(cr.control->id);
  for (const auto& at : a.attestations) {
    std::string where = fmt::format("{}:{}", at.file, at.line);
    if (!assessed.count(at.control))
      out.push_back(
          ko ? fmt::format("통제 {} 증적({})은 이 프로파일에서 평가하는 통제가 아님", at.control,
                           where)
             : fmt::format("attestation for {} ({}) names a control this profile does not assess",
                           at.control, where));
    if (!at.valid)
      out.push_back(
          ko ? fmt::format("통제 {} 증적({})이 인정되지 않음: {}", at.control, where, at.problem.ko)
             : fmt::format("attestation for {} ({}) does not count: {}", at.control, where,
                           at.problem.en));
    else if (at.expiring_soon)
      out.push_back(ko ? fmt::format("통제 {} 증적({})이 {}에 만료됨 ({}일 남음)", at.control,
                                     where, at.expires, days_left(a.today, at.expires))
                       : fmt::format("attestation for {} ({}) expires on {} (in {} days)",
                                     at.control, where, at.expires,
                                     days_left(a.today, at.expires)));
  }
  for (const auto& w : a.waivers) {
    if (!w.valid)
      out.push_back(
          ko ? fmt::format("예외 {} 적용 안 됨: {}", waiver_name(w, ko), w.problem.ko)
             : fmt::format("waiver {} is not applied: {}", waiver_name(w, ko), w.problem.en));
    else if (w.matched == 0)
      out.push_back(
          ko ? fmt::format("예외 {}에 해당하는 부적합이 없음 (더 이상 필요 없는 예외)",
                           waiver_name(w, ko))
             : fmt::format("waiver {} matches no failing finding (stale)", waiver_name(w, ko)));
    if (w.valid && w.expiring_soon)
      out.push_back(ko ? fmt::format("예외 {}가 {}에 만료됨 ({}일 남음)", waiver_name(w, ko),
                                     w.expires, days_left(a.today, w.expires))
                       : fmt::format("waiver {} expires on {} (in {} days)", waiver_name(w, ko),
                                     w.expires, days_left(a.today, w.expires)));
  }
  return out;
}

}  // namespace csap::report
