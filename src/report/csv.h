// The auditor's checklist: one row per assessed control with the columns a Korean CSAP checklist
// has (분야, 항목, 통제번호, 통제항목, 점검결과, 근거·증적, 담당, 비고), the failing and undecided
// findings, and the waivers and attestations. The row model is shared by the CSV, XLSX and HTML
// reports; the CSV writers are here. Internal to src/report.
#pragma once
#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "assess/assess.h"
#include "core/text.h"
#include "report/report.h"

namespace csap::report {

// The checklist's own words (column heads, sheet names, states), Korean and English.
enum class CL {
  kArea,
  kItem,
  kControlId,
  kControlTitle,
  kResult,
  kEvidence,
  kOwner,
  kNote,  // checklist
  kRule,
  kSeverity,
  kResource,
  kLocation,
  kAttribute,
  kExpected,
  kActual,
  kStatus,  // findings
  kControls,
  kRemediation,
  kRuleTitle,
  kKind,
  kTarget,
  kScope,
  kContent,
  kPerson,
  kExpires,
  kEvidenceFiles,
  kState,
  kSource,  // waivers
  kSheetChecklist,
  kSheetFindings,
  kSheetExceptions,
  kSheetAreas,  // sheets
  kWaiver,
  kAttestationKind,
  kValid,
  kExpired,
  kStale,
  kExpiringSoon,
  kChanged,
  kMissing,  // states
  kNoAttestation,
  kEvidenceNeeded,
  kEvidenceNeededAny,
  kAttested,
  kReviewed,
  kApprovedBy,
  kWaiverExpires,
  kAttestationExpires,
  kWaivedBy,
  kAllPass,
  kMoreFindings,
  kChecklistTitle,
  kTool,
  kSummaryLine,
  kNotApplicableReason,
  kReadinessCol,
  kCount,
};
std::string_view cl(CL word, Lang lang);
const Text& cl_text(CL word);

// Verdict as the checklist writes it: 적합 / 부적합 / 확인 불가 / 수동 확인 필요 / 예외 승인 / 해당
// 없음 (Pass / Fail / Unknown / Manual check required / Waived / Not applicable).
std::string_view checklist_verdict(assess::Verdict v, Lang lang);

// An attestation's status for people: implemented → 이행 / implemented, partial → 부분 이행,
// planned → 이행 예정, not-applicable → 해당 없음; anything else as written.
std::string_view attestation_status_word(std::string_view status, Lang lang);

struct ChecklistRow {
  const assess::ControlResult* control = nullptr;
  std::string area_id, area;  // area: "12 데이터 보호 및 암호화"
  std::string item;           // the sub-area (x.y) holding the control: "12.1 데이터 보호"
  std::string id;
  std::string title;
  assess::Verdict verdict = assess::Verdict::kManual;
  std::string result;    // checklist_verdict
  std::string evidence;  // lines separated by '\n'
  std::string owner;
  std::string note;            // lines separated by '\n'
  bool expiring_soon = false;  // an attestation or waiver behind the row expires within 30 days
};

// The waiver (index into Assessment::waivers) that accepted the control's k-th finding, or -1:
// a rule waiver for that finding, or a waiver for the control itself.
int waiver_at(const assess::Assessment& a, const assess::ControlResult& cr, std::size_t k);

// A finding's state as a sort key, most urgent first: fail 0, error 1, unknown 2, waived 3, pass 4.
int finding_state_rank(engine::Status s, bool waived);
// The same for the control's k-th finding (waived: waiver_at finds a waiver for it).
int finding_state_rank(const assess::Assessment& a, const assess::ControlResult& cr, std::size_t k);

// One row per assessed control, in catalog order. At most `max_resources` failing resources are
// listed per control (the rest are counted); the findings list has them all.
std::vector<ChecklistRow> checklist_rows(const assess::Assessment& a, Lang lang,
                                         std::size_t max_resources = 20);
std::vector<std::string> checklist_headers(Lang lang);

// One row per finding that is not a pass (fail, waived, unknown, error): most severe first.
struct FindingRow {
  std::size_t finding = 0;  // index into Assessment::findings
  std::string rule, rule_title, severity, resource, location, attribute, expected, actual;
  std::string status;      // word in the report's language
  std::string status_key;  // fail | waived | unknown | error
  std::string controls;    // "1.1, 2.1"
  std::string remediation;
  rules::Severity sev = rules::Severity::kInfo;
};
std::vector<FindingRow> finding_rows(const assess::Assessment& a, Lang lang);
std::vector<std::string> finding_headers(Lang lang);

// Waivers, then attestations.
struct ExceptionRow {
  bool waiver = false;
  std::string kind, target, scope, content, person, expires, evidence, state, source;
  bool bad = false;  // expired, invalid, or (waivers) used by nothing
  bool expiring_soon = false;
};
std::vector<ExceptionRow> exception_rows(const assess::Assessment& a, Lang lang);
std::vector<std::string> exception_headers(Lang lang);

// What every checklist carries besides the table: (label, value) pairs for the catalog, profile,
// inputs with their sha256, tool version, date, readiness, and the catalog's notice.
std::vector<std::pair<std::string, std::string>> checklist_meta(const assess::Assessment& a,
                                                                const ReportInfo& info);

// Text made safe for a cell: valid UTF-8 (invalid bytes become U+FFFD), no control characters
// but '\n', and at most `max_bytes` bytes (cut at a character boundary, ending in "…").
std::string cell_text(std::string_view s, std::size_t max_bytes = 32000);
// cell_text for what people wrote (attestation statements and reasons, owners, waiver reasons and
// approvers): secret-looking tokens in it become "(redacted)" first.
std::string people_text(std::string_view s, std::size_t max_bytes = 32000);

// The checklist as CSV: UTF-8 with a byte-order mark, RFC 4180 quoting, CRLF line ends; the header
// row, one row per control, then an empty row and the meta rows ("# 인증 기준", value).
void write_csv(std::ostream& os, const assess::Assessment& a, const ReportInfo& info);
// The findings list as CSV, same conventions (format csv-findings).
void write_csv_findings(std::ostream& os, const assess::Assessment& a, const ReportInfo& info);

// One CSV field, quoted when needed. Text that a spreadsheet would run as a formula (=, +, -, @
// at the start, unless it is a number) gets a leading apostrophe.
std::string csv_field(std::string_view s);

}  // namespace csap::report
