#include "report/labels.h"

#include <fmt/format.h>

#include <array>
#include <cstddef>

#include "report/report.h"

namespace csap::report {
namespace {

// {ko, en}, in the order of enum L.
const std::array<Text, static_cast<std::size_t>(L::kCount)> kLabels = {{
    {"보안인증 준비도 보고서", "Certification readiness report"},
    {"인증 기준", "Catalog"},
    {"프로파일", "Profile"},
    {"입력", "Inputs"},
    {"자원", "Resources"},
    {"생성 시각", "Generated"},
    {"(입력 없음)", "(no inputs)"},
    {"알림", "Notice"},
    {"이 인증 기준 목록은 구조(항목 번호·제목)만 확인된 것입니다. 공식 기준으로 판정하려면 "
     "'csapcheck catalog import' 또는 '--catalog FILE'로 공식 목록을 불러오십시오.",
     "This catalog is structural: its ids and titles are confirmed, its items are not. Load the "
     "official list with 'csapcheck catalog import' or '--catalog FILE' for an authoritative "
     "verdict."},
    {"분야별 결과", "Areas"},
    {"이 프로파일에 해당하는 통제 항목이 없습니다.", "No controls are in scope for this profile."},
    {"사유", "Reason"},
    {"속성", "attribute"},
    {"기대값", "expected"},
    {"실제값", "actual"},
    {"조치 방법", "Remediation"},
    {"… 외 {}건", "… and {} more"},
    {"자원 {}건", "{} resources"},
    {"자원 1건", "1 resource"},
    {"상세 내용은 {} 참조", "details under {}"},
    {"통제 {}건은 증적(attestation)으로 확인해야 합니다",
     "{} controls need an attestation with evidence"},
    {"통제 1건은 증적(attestation)으로 확인해야 합니다",
     "1 control needs an attestation with evidence"},
    {"증적 양식 생성: {} (작성 후 --attest FILE로 제출)",
     "write a template with {}, fill it in and pass it with --attest FILE"},
    {"필요 증적", "Evidence"},
    {"적용(apply) 후 결정됨", "known after apply"},
    {"오류", "error"},
    {"요약", "Summary"},
    {"통제 항목", "Controls"},
    {"대상 {}개", "{} in scope"},
    {"준비도", "Readiness"},
    {"해당 {1}개 중 적합 {0}개", "pass {0} of {1} applicable"},
    {"자동 점검", "Automated"},
    {"자동 점검 통제 {1}개 중 적합 {0}개", "pass {0} of {1} automated controls"},
    {"점검 결과", "Findings"},
    {"주요 부적합 규칙", "Top failing rules"},
    {"경고", "Warnings"},
    {"참고", "Notes"},
    {"기타", "Other"},
    {"형식", "format"},
    {"Terraform", "Terraform"},
    {"{0}: {1} — 기대값 {2}, 실제값 {3}", "{0}: {1} — expected {2}, actual {3}"},
    {"{0}: {1} — 적용(apply) 후 결정됨 (기대값 {2})",
     "{0}: {1} — known after apply (expected {2})"},
    {"{0}: 오류: {1}", "{0}: error: {1}"},
    {"통제", "controls"},
    {"… 외 입력 {}개", "… and {} more inputs"},
    {"증적 확인", "Attestation"},
    {"참고 자료", "References"},
    {"승인자", "approved by"},
    {"만료일", "expires"},
    {"예외 승인", "Waiver"},
    {"담당", "owner"},
    {"검토일", "reviewed"},
    {"보안인증 준비도 평가 결과", "Certification readiness assessment results"},
    {"부적합 자원", "failing resources"},
    {"증적 통제", "Attested"},
    {"증적이 필요한 통제 {1}개 중 적합 {0}개", "pass {0} of {1} controls that need an attestation"},
    {"증적·예외", "Evidence"},
    {"증적 {0}건 인정, {1}건 불인정 · 예외 {2}건 적용, {3}건 불필요(stale), {4}건 미적용",
     "attestations {0} counted, {1} not · waivers {2} applied, {3} stale, {4} not applied"},
    {"{}건이 30일 이내에 만료됨 (경고 참조)", "{} expire within 30 days (see the warnings)"},
    {"증적", "attested"},
}};

}  // namespace

const Text& text(L label) {
  return kLabels[static_cast<std::size_t>(label)];
}
std::string_view tr(L label, Lang lang) {
  return text(label).get(lang);
}

std::string resources_count(std::size_t n, Lang lang) {
  if (n == 1) return std::string(tr(L::kResourceOne, lang));
  return fmt::format(fmt::runtime(tr(L::kResourcesCount, lang)), group_digits(n));
}

std::string_view catalog_status_word(std::string_view status, Lang lang) {
  if (lang != Lang::kKo) return status;
  if (status == "structure") return "구조 목록";
  if (status == "official") return "공식 목록";
  if (status == "extraction") return "추출 목록";
  if (status == "custom") return "사용자 정의";
  return status;
}

std::string_view verdict_short(assess::Verdict v, Lang lang) {
  bool ko = lang == Lang::kKo;
  switch (v) {
    case assess::Verdict::kPass:
      return ko ? "적합" : "PASS";
    case assess::Verdict::kFail:
      return ko ? "부적합" : "FAIL";
    case assess::Verdict::kUnknown:
      return ko ? "확인불가" : "UNKNOWN";
    case assess::Verdict::kManual:
      return ko ? "수동확인" : "MANUAL";
    case assess::Verdict::kWaived:
      return ko ? "예외승인" : "WAIVED";
    case assess::Verdict::kNotApplicable:
      return ko ? "해당없음" : "N/A";
  }
  return "?";
}

std::string_view status_word(engine::Status s, Lang lang) {
  bool ko = lang == Lang::kKo;
  switch (s) {
    case engine::Status::kPass:
      return ko ? "적합" : "pass";
    case engine::Status::kFail:
      return ko ? "부적합" : "fail";
    case engine::Status::kUnknown:
      return ko ? "확인불가" : "unknown";
    case engine::Status::kError:
      return ko ? "오류" : "error";
  }
  return "?";
}

std::string_view severity_word(rules::Severity s, Lang lang) {
  bool ko = lang == Lang::kKo;
  switch (s) {
    case rules::Severity::kCritical:
      return ko ? "긴급" : "CRITICAL";
    case rules::Severity::kHigh:
      return ko ? "높음" : "HIGH";
    case rules::Severity::kMedium:
      return ko ? "중간" : "MEDIUM";
    case rules::Severity::kLow:
      return ko ? "낮음" : "LOW";
    case rules::Severity::kInfo:
      return ko ? "정보" : "INFO";
  }
  return "?";
}

}  // namespace csap::report
