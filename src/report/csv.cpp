// The checklist rows (shared by CSV, XLSX and HTML) and the CSV writers.
#include "report/csv.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "core/redact.h"
#include "report/common.h"
#include "report/labels.h"

namespace csap::report {
namespace {

using assess::Verdict;
using engine::Status;

// {ko, en}, in the order of enum CL.
const std::array<Text, static_cast<std::size_t>(CL::kCount)> kWords = {{
    {"분야", "Area"},
    {"항목", "Item"},
    {"통제번호", "Control ID"},
    {"통제항목", "Control"},
    {"점검결과", "Result"},
    {"근거·증적", "Basis and evidence"},
    {"담당", "Owner"},
    {"비고", "Remarks"},
    {"규칙", "Rule"},
    {"위험도", "Severity"},
    {"자원", "Resource"},
    {"위치", "Location"},
    {"속성", "Attribute"},
    {"기대값", "Expected"},
    {"실제값", "Actual"},
    {"상태", "Status"},
    {"관련 통제", "Controls"},
    {"조치 방법", "Remediation"},
    {"규칙명", "Rule title"},
    {"구분", "Kind"},
    {"대상", "Target"},
    {"적용 범위", "Scope"},
    {"내용", "Statement or reason"},
    {"승인자·담당", "Approver or owner"},
    {"만료일", "Expires"},
    {"증적 파일(sha256)", "Evidence files (sha256)"},
    {"상태", "State"},
    {"출처", "Source"},
    {"점검표", "Checklist"},
    {"발견사항", "Findings"},
    {"예외·증적", "Waivers and evidence"},
    {"분야별 현황", "Areas"},
    {"예외 승인", "Waiver"},
    {"증적 확인", "Attestation"},
    {"유효", "valid"},
    {"만료됨", "expired"},
    {"미사용(해당 부적합 없음)", "stale (matches no failure)"},
    {"만료 임박(30일 이내)", "expires within 30 days"},
    {"해시 변경", "hash changed"},
    {"파일 없음", "file missing"},
    {"증적 미제출", "no attestation given"},
    {"필요 증적", "Evidence expected"},
    {"통제 이행을 보여주는 문서·기록", "documents or records showing the control is in place"},
    {"증적 확인", "Attested"},
    {"검토일", "reviewed"},
    {"승인", "approved by"},
    {"예외 만료", "waiver expires"},
    {"증적 만료", "attestation expires"},
    {"예외 승인", "waived"},
    {"자원 {}건 모두 적합", "all {} resources pass"},
    {"… 외 {}건 (발견사항 목록 참조)", "… and {} more (see the findings list)"},
    {"점검표", "checklist"},
    {"도구", "Tool"},
    {"대상 {} · 적합 {} · 부적합 {} · 확인 불가 {} · 수동 확인 필요 {} · 예외 승인 {} · 해당 없음 "
     "{}",
     "{} in scope · pass {} · fail {} · unknown {} · manual {} · waived {} · not applicable {}"},
    {"해당 없음 사유", "not applicable because"},
    {"준비도", "Readiness"},
}};

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

std::string short_hash(const std::string& h) {
  return h.size() > 12 ? h.substr(0, 12) : h;
}

std::string_view t(L l, Lang lang) {
  return tr(l, lang);
}

bool waived(const assess::Assessment& a, std::size_t fi) {
  return fi < a.finding_waiver.size() && a.finding_waiver[fi] >= 0;
}

// Control-level waivers are recorded per control (ControlResult::waived) where the assessor has
// them.
template <class CR>
int control_waiver(const CR& cr, std::size_t k) {
  if constexpr (requires { cr.waived; }) {
    if (k < cr.waived.size() && cr.waived[k] >= 0) return static_cast<int>(cr.waived[k]);
  }
  return -1;
}

std::string address(const assess::Assessment& a, const engine::Finding& f) {
  return safe(a.deployment->resources[f.resource].address);
}

std::string location_text(const assess::Assessment& a, const engine::Finding& f) {
  auto loc = finding_location(a, f);
  if (!loc) return {};
  if (loc->line > 0) return fmt::format("{}:{}", loc->file, loc->line);
  return loc->file;
}

// "aws_s3_bucket.logs — 속성 encrypted, 기대값 truthy, 실제값 false"
std::string finding_detail(const assess::Assessment& a, const engine::Finding& f, int waiver,
                           Lang lang) {
  std::string addr = address(a, f);
  std::string path = f.why.path.empty() ? "-" : safe(f.why.path);
  if (waiver >= 0) {
    const auto& w = a.waivers[static_cast<std::size_t>(waiver)];
    return fmt::format("{} — {} ({})", addr, cl(CL::kWaivedBy, lang), people_text(w.reason, 400));
  }
  switch (f.status) {
    case Status::kFail:
      return fmt::format("{} — {} {}, {} {}, {} {}", addr, t(L::kAttribute, lang), path,
                         t(L::kExpected, lang), safe(f.why.expected), t(L::kActual, lang),
                         safe(f.why.actual));
    case Status::kUnknown:
      if (f.why.path.empty()) return fmt::format("{} — {}", addr, t(L::kKnownAfterApply, lang));
      return fmt::format("{} — {} {}: {}", addr, t(L::kAttribute, lang), path,
                         t(L::kKnownAfterApply, lang));
    case Status::kError:
      return fmt::format("{} — {}: {}", addr, t(L::kError, lang), safe(f.error));
    case Status::kPass:
      return addr;
  }
  return addr;
}

std::string attestation_state(const assess::Attestation& at, Lang lang) {
  if (!at.valid)
    return at.problem.empty() ? std::string(cl(CL::kExpired, lang)) : at.problem.get(lang);
  if (at.expiring_soon) return std::string(cl(CL::kExpiringSoon, lang));
  return std::string(cl(CL::kValid, lang));
}

std::string waiver_state(const assess::Waiver& w, Lang lang) {
  if (!w.valid)
    return w.problem.empty() ? std::string(cl(CL::kExpired, lang)) : w.problem.get(lang);
  if (w.matched == 0) return std::string(cl(CL::kStale, lang));
  if (w.expiring_soon) return std::string(cl(CL::kExpiringSoon, lang));
  return std::string(cl(CL::kValid, lang));
}

std::string evidence_file_line(const assess::EvidenceFile& e, Lang lang) {
  std::string line = cell_text(e.path, 500);
  if (!e.sha256.empty()) line += fmt::format(" (sha256 {})", short_hash(e.sha256));
  if (!e.exists)
    line += fmt::format(" [{}]", cl(CL::kMissing, lang));
  else if (e.changed)
    line += fmt::format(" [{}]", cl(CL::kChanged, lang));
  return line;
}

}  // namespace

int waiver_at(const assess::Assessment& a, const assess::ControlResult& cr, std::size_t k) {
  if (k >= cr.findings.size()) return -1;
  std::size_t fi = cr.findings[k];
  if (waived(a, fi) && a.findings[fi].status == Status::kFail) return a.finding_waiver[fi];
  return control_waiver(cr, k);
}

const Text& cl_text(CL word) {
  return kWords[static_cast<std::size_t>(word)];
}
std::string_view cl(CL word, Lang lang) {
  return cl_text(word).get(lang);
}

std::string_view checklist_verdict(Verdict v, Lang lang) {
  bool ko = lang == Lang::kKo;
  switch (v) {
    case Verdict::kPass:
      return ko ? "적합" : "Pass";
    case Verdict::kFail:
      return ko ? "부적합" : "Fail";
    case Verdict::kUnknown:
      return ko ? "확인 불가" : "Unknown";
    case Verdict::kManual:
      return ko ? "수동 확인 필요" : "Manual check required";
    case Verdict::kWaived:
      return ko ? "예외 승인" : "Waived";
    case Verdict::kNotApplicable:
      return ko ? "해당 없음" : "Not applicable";
  }
  return "?";
}

std::string_view attestation_status_word(std::string_view status, Lang lang) {
  bool ko = lang == Lang::kKo;
  if (status == "implemented") return ko ? "이행" : "implemented";
  if (status == "partial") return ko ? "부분 이행" : "partially implemented";
  if (status == "planned") return ko ? "이행 예정" : "planned";
  if (status == "not-applicable") return ko ? "해당 없음" : "not applicable";
  return status;
}

std::string cell_text(std::string_view s, std::size_t max_bytes) {
  std::string out;
  out.reserve(std::min(s.size(), max_bytes) + 4);
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80           ? 1
                      : (c >> 5) == 0x6  ? 2
                      : (c >> 4) == 0xE  ? 3
                      : (c >> 3) == 0x1E ? 4
                                         : 0;
    bool ok = len > 0 && i + len <= s.size();
    for (std::size_t k = 1; ok && k < len; ++k)
      ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    if (ok && len == 2) ok = c >= 0xC2;
    if (ok && len == 3) {
      auto c1 = static_cast<unsigned char>(s[i + 1]);
      ok = !(c == 0xE0 && c1 < 0xA0) && !(c == 0xED && c1 >= 0xA0);  // overlong, surrogates
    }
    if (ok && len == 4) {
      auto c1 = static_cast<unsigned char>(s[i + 1]);
      ok = c <= 0xF4 && !(c == 0xF0 && c1 < 0x90) && !(c == 0xF4 && c1 >= 0x90);
    }
    std::string_view piece = ok ? s.substr(i, len) : std::string_view("\xEF\xBF\xBD");
    i += ok ? len : 1;
    if (piece.size() == 1 && (static_cast<unsigned char>(piece[0]) < 0x20 || piece[0] == '\x7f') &&
        piece[0] != '\n')
      piece = " ";
    if (out.size() + piece.size() > max_bytes - 3) {
      out += "…";
      return out;
    }
    out += piece;
  }
  return out;
}

int finding_state_rank(Status s, bool waived) {
  if (waived) return 3;
  switch (s) {
    case Status::kFail:
      return 0;
    case Status::kError:
      return 1;
    case Status::kUnknown:
      return 2;
    case Status::kPass:
      return 4;
  }
  return 4;
}

int finding_state_rank(const assess::Assessment& a, const assess::ControlResult& cr,
                       std::size_t k) {
  return finding_state_rank(a.findings[cr.findings[k]].status, waiver_at(a, cr, k) >= 0);
}

std::string people_text(std::string_view s, std::size_t max_bytes) {
  return cell_text(redact_text(s), max_bytes);
}

std::vector<std::string> checklist_headers(Lang lang) {
  return {std::string(cl(CL::kArea, lang)),      std::string(cl(CL::kItem, lang)),
          std::string(cl(CL::kControlId, lang)), std::string(cl(CL::kControlTitle, lang)),
          std::string(cl(CL::kResult, lang)),    std::string(cl(CL::kEvidence, lang)),
          std::string(cl(CL::kOwner, lang)),     std::string(cl(CL::kNote, lang))};
}

std::vector<ChecklistRow> checklist_rows(const assess::Assessment& a, Lang lang,
                                         std::size_t max_resources) {
  std::vector<ChecklistRow> rows;
  rows.reserve(a.controls.size());
  const auto& rules = a.rules->rules;
  for (const auto& cr : a.controls) {
    ChecklistRow row;
    row.control = &cr;
    const catalog::Control* c = cr.control;
    const catalog::Control* area = a.catalog ? a.catalog->area_of(c->id) : nullptr;
    if (area) {
      row.area_id = area->id;
      row.area = fmt::format("{} {}", area->id, area->title.get(lang));
      // The sub-area: the ancestor right below the area (the control itself at depth two).
      const catalog::Control* item = c;
      while (item && !item->parent.empty() && item->parent != area->id)
        item = a.catalog->parent_of(*item);
      if (item && item != area) row.item = fmt::format("{} {}", item->id, item->title.get(lang));
    }
    row.id = c->id;
    row.title = c->title.get(lang);
    row.verdict = cr.verdict;
    row.result = std::string(checklist_verdict(cr.verdict, lang));

    std::vector<std::string> evidence, owners, notes;
    std::string reason = cr.reason.get(lang);
    if (!reason.empty()) notes.push_back(reason);

    // Automated part: per mapped rule, the failing / undecided / waived resources, or "all pass".
    if (cr.automated && !cr.findings.empty()) {
      std::map<std::uint32_t, std::vector<std::size_t>> by_rule;  // rule → non-passing findings (k)
      std::map<std::uint32_t, std::size_t> total;
      for (std::size_t k = 0; k < cr.findings.size(); ++k) {
        const auto& f = a.findings[cr.findings[k]];
        ++total[f.rule];
        if (f.status != Status::kPass) by_rule[f.rule].push_back(k);
      }
      std::vector<std::uint32_t> order;
      for (const auto& [r, _] : total) order.push_back(r);
      std::stable_sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
        return std::make_tuple(-static_cast<int>(rules[x].severity), rules[x].id) <
               std::make_tuple(-static_cast<int>(rules[y].severity), rules[y].id);
      });
      std::size_t shown = 0, hidden = 0;
      for (std::uint32_t ri : order) {
        const rules::Rule& rule = rules[ri];
        std::string head = fmt::format("[{}] {} ({})", rule.id, rule.title.get(lang),
                                       severity_word(rule.severity, lang));
        auto it = by_rule.find(ri);
        if (it == by_rule.end()) {
          evidence.push_back(fmt::format(
              "{}: {}", head, fmt::format(fmt::runtime(cl(CL::kAllPass, lang)), total[ri])));
          continue;
        }
        // Fail first, then error, unknown, waived.
        auto rank = [&](std::size_t k) { return finding_state_rank(a, cr, k); };
        std::vector<std::size_t> list = it->second;
        std::stable_sort(list.begin(), list.end(),
                         [&](std::size_t x, std::size_t y) { return rank(x) < rank(y); });
        evidence.push_back(fmt::format("{}: {}", head, resources_count(list.size(), lang)));
        for (std::size_t k : list) {
          if (shown >= max_resources) {
            ++hidden;
            continue;
          }
          evidence.push_back(
              " · " + finding_detail(a, a.findings[cr.findings[k]], waiver_at(a, cr, k), lang));
          ++shown;
        }
      }
      if (hidden)
        evidence.push_back(fmt::format(fmt::runtime(cl(CL::kMoreFindings, lang)), hidden));
    }

    // Waivers behind this control: the ones its findings used, and control-level ones.
    std::set<std::size_t> used;
    for (std::size_t k = 0; k < cr.findings.size(); ++k)
      if (int wi = waiver_at(a, cr, k); wi >= 0) used.insert(static_cast<std::size_t>(wi));
    for (std::size_t wi = 0; wi < a.waivers.size(); ++wi)
      if (!a.waivers[wi].control.empty() && a.waivers[wi].control == c->id &&
          a.waivers[wi].matched > 0)
        used.insert(wi);
    for (std::size_t wi : used) {
      const auto& w = a.waivers[wi];
      if (!w.approved_by.empty())
        owners.push_back(
            fmt::format("{} ({})", cell_text(w.approved_by, 200), cl(CL::kWaiver, lang)));
      std::string n =
          fmt::format("{} {}", cl(CL::kWaiverExpires, lang), w.expires.empty() ? "-" : w.expires);
      if (!w.approved_by.empty())
        n += fmt::format(" ({} {})", cl(CL::kApprovedBy, lang), cell_text(w.approved_by, 200));
      if (w.expiring_soon) {
        n += " · " + std::string(cl(CL::kExpiringSoon, lang));
        row.expiring_soon = true;
      }
      notes.push_back(std::move(n));
    }

    // People's part: the attestation, or what is expected of them.
    if (cr.attestation >= 0 && static_cast<std::size_t>(cr.attestation) < a.attestations.size()) {
      const auto& at = a.attestations[static_cast<std::size_t>(cr.attestation)];
      std::string head =
          fmt::format("{} ({})", cl(CL::kAttested, lang), attestation_status_word(at.status, lang));
      if (!at.statement.empty()) head += ": " + people_text(at.statement, 2000);
      evidence.push_back(std::move(head));
      for (const auto& e : at.evidence) evidence.push_back(" · " + evidence_file_line(e, lang));
      if (!at.reviewed.empty())
        evidence.push_back(fmt::format("{} {}", cl(CL::kReviewed, lang), at.reviewed));
      if (!at.owner.empty()) owners.push_back(people_text(at.owner, 200));
      if (!at.reason.empty() && at.status == "not-applicable")
        notes.push_back(fmt::format("{}: {}", cl(CL::kNotApplicableReason, lang),
                                    people_text(at.reason, 2000)));
      if (!at.expires.empty()) {
        std::string n = fmt::format("{} {}", cl(CL::kAttestationExpires, lang), at.expires);
        if (at.expiring_soon) {
          n += " · " + std::string(cl(CL::kExpiringSoon, lang));
          row.expiring_soon = true;
        }
        notes.push_back(std::move(n));
      }
      if (!at.valid && !at.problem.empty()) notes.push_back(at.problem.get(lang));
    } else if (cr.needs_attestation && cr.verdict != Verdict::kNotApplicable) {
      evidence.push_back(std::string(cl(CL::kNoAttestation, lang)));
      std::string expected = cr.evidence.empty() ? std::string(cl(CL::kEvidenceNeededAny, lang))
                                                 : cell_text(join(cr.evidence, "; "), 4000);
      evidence.push_back(fmt::format("{}: {}", cl(CL::kEvidenceNeeded, lang), expected));
    }

    row.evidence = cell_text(join(evidence, "\n"));
    std::vector<std::string> uniq;
    for (auto& o : owners)
      if (std::find(uniq.begin(), uniq.end(), o) == uniq.end()) uniq.push_back(o);
    row.owner = cell_text(join(uniq, "; "), 2000);
    row.note = cell_text(join(notes, "\n"));
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<std::string> finding_headers(Lang lang) {
  std::vector<std::string> h;
  for (CL w :
       {CL::kRule, CL::kRuleTitle, CL::kSeverity, CL::kResource, CL::kLocation, CL::kAttribute,
        CL::kExpected, CL::kActual, CL::kStatus, CL::kControls, CL::kRemediation})
    h.emplace_back(cl(w, lang));
  return h;
}

std::vector<FindingRow> finding_rows(const assess::Assessment& a, Lang lang) {
  std::vector<FindingRow> rows;
  if (!a.rules || !a.deployment) return rows;
  auto by_rule = controls_by_rule(a);
  const auto& rules = a.rules->rules;
  for (std::size_t fi = 0; fi < a.findings.size(); ++fi) {
    const auto& f = a.findings[fi];
    if (f.status == Status::kPass) continue;
    const rules::Rule& rule = rules[f.rule];
    FindingRow r;
    r.finding = fi;
    r.rule = rule.id;
    r.rule_title = rule.title.get(lang);
    r.sev = rule.severity;
    r.severity = std::string(severity_word(rule.severity, lang));
    r.resource = address(a, f);
    r.location = location_text(a, f);
    r.attribute = f.why.path.empty() ? "" : safe(f.why.path);
    if (f.status == Status::kFail || f.status == Status::kUnknown)
      r.expected = safe(f.why.expected);
    if (f.status == Status::kFail) r.actual = safe(f.why.actual);
    if (f.status == Status::kUnknown) r.actual = std::string(t(L::kKnownAfterApply, lang));
    if (f.status == Status::kError) r.actual = safe(f.error);
    if (waived(a, fi)) {
      r.status_key = "waived";
      r.status = std::string(checklist_verdict(Verdict::kWaived, lang));
    } else {
      r.status_key = std::string(engine::status_name(f.status));
      r.status = std::string(status_word(f.status, lang));
    }
    r.controls = join(by_rule[f.rule], ", ");
    r.remediation = cell_text(rule.remediation.get(lang), 4000);
    while (!r.remediation.empty() && (r.remediation.back() == '\n' || r.remediation.back() == ' '))
      r.remediation.pop_back();
    rows.push_back(std::move(r));
  }
  auto rank = [&](const FindingRow& r) {
    return finding_state_rank(a.findings[r.finding].status, r.status_key == "waived");
  };
  std::stable_sort(rows.begin(), rows.end(), [&](const FindingRow& x, const FindingRow& y) {
    return std::make_tuple(rank(x), -static_cast<int>(x.sev), std::string_view(x.rule)) <
           std::make_tuple(rank(y), -static_cast<int>(y.sev), std::string_view(y.rule));
  });
  return rows;
}

std::vector<std::string> exception_headers(Lang lang) {
  std::vector<std::string> h;
  for (CL w : {CL::kKind, CL::kTarget, CL::kScope, CL::kContent, CL::kPerson, CL::kExpires,
               CL::kEvidenceFiles, CL::kState, CL::kSource})
    h.emplace_back(cl(w, lang));
  return h;
}

std::vector<ExceptionRow> exception_rows(const assess::Assessment& a, Lang lang) {
  std::vector<ExceptionRow> rows;
  for (const auto& w : a.waivers) {
    ExceptionRow r;
    r.waiver = true;
    r.kind = std::string(cl(CL::kWaiver, lang));
    r.target = !w.rule.empty() ? w.rule : w.control;
    r.scope = w.resource.empty() ? "*" : cell_text(safe(w.resource), 2000);
    r.content = people_text(w.reason, 4000);
    r.person = people_text(w.approved_by, 400);
    r.expires = w.expires;
    if (w.valid && w.matched > 0) {
      r.state = fmt::format("{} · {}", cl(CL::kValid, lang), resources_count(w.matched, lang));
      if (w.expiring_soon) r.state += " · " + std::string(cl(CL::kExpiringSoon, lang));
    } else {
      r.state = waiver_state(w, lang);
    }
    r.bad = !w.valid || w.matched == 0;
    r.expiring_soon = w.expiring_soon;
    r.source = cell_text(safe(w.source), 400);
    rows.push_back(std::move(r));
  }
  for (const auto& at : a.attestations) {
    ExceptionRow r;
    r.kind = std::string(cl(CL::kAttestationKind, lang));
    r.target = at.control;
    r.scope = std::string(attestation_status_word(at.status, lang));
    std::string content = at.statement;
    if (!at.reason.empty()) content += (content.empty() ? "" : "\n") + at.reason;
    r.content = people_text(content, 4000);
    r.person = people_text(at.owner, 400);
    r.expires = at.expires;
    std::vector<std::string> files;
    for (const auto& e : at.evidence) {
      std::string line = cell_text(e.path, 500);
      if (!e.sha256.empty()) line += " sha256:" + e.sha256;
      if (!e.exists)
        line += fmt::format(" [{}]", cl(CL::kMissing, lang));
      else if (e.changed)
        line += fmt::format(" [{}]", cl(CL::kChanged, lang));
      files.push_back(std::move(line));
    }
    r.evidence = cell_text(join(files, "\n"));
    r.state = attestation_state(at, lang);
    r.bad = !at.valid;
    r.expiring_soon = at.expiring_soon;
    r.source =
        at.file.empty() ? "" : (at.line > 0 ? fmt::format("{}:{}", at.file, at.line) : at.file);
    rows.push_back(std::move(r));
  }
  return rows;
}

std::vector<std::pair<std::string, std::string>> checklist_meta(const assess::Assessment& a,
                                                                const ReportInfo& info) {
  Lang lang = info.lang;
  std::vector<std::pair<std::string, std::string>> m;
  if (const catalog::Catalog* c = a.catalog) {
    std::string title = c->title.get(lang);
    m.emplace_back(
        std::string(t(L::kCatalog, lang)),
        fmt::format("{} {} ({}){}", c->id, c->version, catalog_status_word(c->status, lang),
                    title.empty() ? "" : " — " + title));
  }
  std::string prof = profile_text(a, lang);
  m.emplace_back(std::string(t(L::kProfile, lang)),
                 a.profile.id.empty() ? prof : fmt::format("{} — {}", a.profile.id, prof));
  std::vector<std::string> inputs;
  if (a.deployment)
    for (const auto& in : a.deployment->inputs) {
      std::string s = fmt::format("{} [{}", in.path, in.kind);
      if (!in.tool_version.empty())
        s += fmt::format(", {} {}", t(L::kTerraform, lang), in.tool_version);
      s += "]";
      if (!in.sha256.empty()) s += " sha256:" + in.sha256;
      inputs.push_back(std::move(s));
    }
  m.emplace_back(std::string(t(L::kInputs, lang)),
                 inputs.empty() ? std::string(t(L::kNoInputs, lang)) : join(inputs, "\n"));
  m.emplace_back(std::string(t(L::kResources, lang)),
                 group_digits(a.deployment ? a.deployment->resources.size() : 0));
  m.emplace_back(std::string(cl(CL::kTool, lang)),
                 fmt::format("{} {}", info.tool_name, info.tool_version));
  m.emplace_back(std::string(t(L::kGenerated, lang)), info.generated_at);
  const auto& s = a.summary;
  std::size_t applicable = s.total() - s[Verdict::kNotApplicable];
  m.emplace_back(
      std::string(t(L::kReadiness, lang)),
      fmt::format(
          "{}% ({})",
          static_cast<long>(std::floor(s.readiness() * 100.0 + 1e-9)),  // never rounded up
          fmt::format(fmt::runtime(t(L::kReadinessDetail, lang)), s[Verdict::kPass], applicable)));
  m.emplace_back(std::string(t(L::kControls, lang)),
                 fmt::format(fmt::runtime(cl(CL::kSummaryLine, lang)), s.total(), s[Verdict::kPass],
                             s[Verdict::kFail], s[Verdict::kUnknown], s[Verdict::kManual],
                             s[Verdict::kWaived], s[Verdict::kNotApplicable]));
  if (const catalog::Catalog* c = a.catalog) {
    bool structural = c->status == "structure";
    if (structural || !c->notice.empty())
      m.emplace_back(
          std::string(t(L::kNotice, lang)),
          c->notice.empty() ? std::string(t(L::kStructureNotice, lang)) : c->notice.get(lang));
  }
  return m;
}

// ---- CSV ------------------------------------------------------------------------------------

std::string csv_field(std::string_view in) {
  std::string s = cell_text(in, 1 << 20);
  if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '@' || s[0] == '-')) {
    // A number ("-1", "+3.5") is data; anything else starting so is kept from becoming a formula.
    bool number = s.size() > 1 && s.find_first_not_of("0123456789.", 1) == std::string::npos &&
                  (s[0] == '-' || s[0] == '+') && std::isdigit(static_cast<unsigned char>(s[1]));
    if (!number) s.insert(0, 1, '\'');
  }
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

namespace {

void csv_row(std::ostream& os, const std::vector<std::string>& cells) {
  bool first = true;
  for (const auto& c : cells) {
    if (!first) os << ',';
    os << csv_field(c);
    first = false;
  }
  os << "\r\n";
}

void csv_meta(std::ostream& os, const assess::Assessment& a, const ReportInfo& info) {
  os << "\r\n";
  for (const auto& [k, v] : checklist_meta(a, info)) csv_row(os, {"# " + k, v});
}

}  // namespace

void write_csv(std::ostream& os, const assess::Assessment& a, const ReportInfo& info) {
  os << "\xEF\xBB\xBF";
  csv_row(os, checklist_headers(info.lang));
  for (const auto& r : checklist_rows(a, info.lang))
    csv_row(os, {r.area, r.item, r.id, r.title, r.result, r.evidence, r.owner, r.note});
  csv_meta(os, a, info);
}

void write_csv_findings(std::ostream& os, const assess::Assessment& a, const ReportInfo& info) {
  os << "\xEF\xBB\xBF";
  csv_row(os, finding_headers(info.lang));
  for (const auto& r : finding_rows(a, info.lang))
    csv_row(os, {r.rule, r.rule_title, r.severity, r.resource, r.location, r.attribute, r.expected,
                 r.actual, r.status, r.controls, r.remediation});
  csv_meta(os, a, info);
}

}  // namespace csap::report
