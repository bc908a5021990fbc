// OSCAL 1.1.3 assessment-results. What maps to what is in docs/reports.md.
#include "report/oscal.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <regex>
#include <set>

#include "report/common.h"
#include "report/labels.h"
#include "report/sarif_oscal_util.h"

namespace csap::report {
namespace {

using assess::Verdict;
using engine::Status;

// Namespace of csapcheck's name-based UUIDs, and of its own OSCAL properties.
constexpr std::string_view kUuidNamespace = "9b1e4a52-7c3d-4f0e-a6b8-2d5c9e1f7a30";
constexpr std::string_view kNs = "urn:csapcheck:oscal";

const Text kPass = {"적합 자원", "resources pass"};
const Text kObservationOf = {"{0} 점검: {1}", "{0} check: {1}"};
const Text kAttestationOf = {"{0} 통제 증적 확인", "Attestation for control {0}"};
const Text kApTitle = {"평가 계획: 인증 기준 {0} {1}, 프로파일 {2}, 점검 규칙 {3}개",
                       "Assessment plan: catalog {0} {1}, profile {2}, {3} rules"};
const Text kApRemarks = {
    "별도의 OSCAL 평가 계획은 없습니다. 인증 기준·프로파일·점검 규칙이 계획에 해당합니다.",
    "There is no separate OSCAL assessment plan: the catalog, the profile and the rule set are the "
    "plan."};
const Text kToolDescription = {"Terraform 배포를 보안인증 통제 항목에 대해 점검하는 도구",
                               "checks a Terraform deployment against certification controls"};
const Text kResultDescription = {
    "인증 기준 {0} {1} ({2}), 프로파일 {3}: 통제 {4}개, 준비도 {5:.1f}%",
    "Catalog {0} {1} ({2}), profile {3}: {4} controls, readiness {5:.1f}%"};
const Text kRiskStatement = {"{0}: {1}", "{0}: {1}"};
const Text kWaivedTitle = {"{0} (예외 승인)", "{0} (waived)"};
const Text kWaivedStatement = {"예외 승인된 부적합 {0}: {1}", "accepted failures on {0}: {1}"};
const Text kInput = {"입력 파일 {0} ({1})", "input file {0} ({1})"};
const Text kEvidenceFile = {"증적 파일 {0}", "evidence file {0}"};
const Text kMissing = {"(파일 없음)", "(missing)"};

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  auto letter = [](unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
  };
  if (!letter(static_cast<unsigned char>(s[0])) && s[0] != '_') return false;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (!letter(c) && !(c >= '0' && c <= '9') && c != '.' && c != '-' && c != '_') return false;
  }
  return true;
}

// A value for an OSCAL string: no control characters, no surrounding blanks, never empty.
std::string str(std::string_view s) {
  std::string v = safe(s);
  auto b = v.find_first_not_of(' ');
  if (b == std::string::npos) return "-";
  auto e = v.find_last_not_of(' ');
  return v.substr(b, e - b + 1);
}

ojson prop(std::string_view name, std::string_view value, bool own = true) {
  ojson p = {{"name", std::string(name)}};
  if (own) p["ns"] = kNs;
  p["value"] = str(value);
  return p;
}

// YYYY-MM-DD naming a real day.
bool is_date(std::string_view s) {
  static const std::regex re("^([0-9]{4})-([0-9]{2})-([0-9]{2})$");
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_match(s.begin(), s.end(), m, re)) return false;
  std::chrono::year_month_day ymd{std::chrono::year{std::stoi(m[1].str())},
                                  std::chrono::month{static_cast<unsigned>(std::stoi(m[2].str()))},
                                  std::chrono::day{static_cast<unsigned>(std::stoi(m[3].str()))}};
  return ymd.ok();
}

std::string risk_key(const std::string& rule) {
  return "risk/" + rule;
}

}  // namespace

std::string oscal_control_id(std::string_view catalog, std::string_view id) {
  if (is_token(id)) return std::string(id);
  std::string out;
  for (char c : id) {
    if (c == '(')
      out += '.';
    else if (c == ')')
      continue;
    else if (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' ||
             static_cast<unsigned char>(c) >= 0x80)
      out += c;
    else
      out += '_';
  }
  if (!is_token(out)) {
    std::string prefix = is_token(catalog) ? std::string(catalog) : "control";
    out = prefix + "-" + out;
  }
  if (!is_token(out)) out = "_" + out;
  return out;
}

void write_oscal(std::ostream& os, const assess::Assessment& a, const ReportInfo& info) {
  const Lang lang = info.lang;
  const Deployment* d = a.deployment;
  const std::string stamp = timestamp(info.generated_at);
  const std::string catalog_id = a.catalog ? a.catalog->id : "";
  const std::string catalog_version = a.catalog ? a.catalog->version : "";
  const std::string profile_id =
      a.profile.id.empty() ? a.profile.service + "-" + a.profile.tier : a.profile.id;

  // Stable UUIDs: things that outlive one run (the tool, resources, risks, control findings'
  // targets) under the catalog and profile; this run's document, result and observations also under
  // the time and the inputs.
  const std::string stable = uuid_v5(kUuidNamespace, fmt::format("{}\n{}", catalog_id, profile_id));
  std::string run_name =
      fmt::format("{}\n{}\n{}", stamp, lang == Lang::kKo ? "ko" : "en", catalog_version);
  if (d)
    for (const auto& in : d->inputs) run_name += "\n" + in.path + "\n" + in.sha256;
  const std::string run = uuid_v5(stable, run_name);
  auto S = [&](const std::string& name) { return uuid_v5(stable, name); };
  auto R = [&](const std::string& name) { return uuid_v5(run, name); };

  const std::string tool_uuid = S("component/csapcheck");
  const std::string ap_uuid = R("back-matter/assessment-plan");
  const ojson origins =
      ojson::array({{{"actors", ojson::array({{{"type", "tool"}, {"actor-uuid", tool_uuid}}})}}});

  // ---- back matter: the plan placeholder, the inputs and the evidence files, with hashes.
  ojson resources = ojson::array();
  resources.push_back(
      {{"uuid", ap_uuid},
       {"title", fmt::format(fmt::runtime(kApTitle.get(lang)), catalog_id, catalog_version,
                             profile_id, a.rules ? a.rules->rules.size() : 0)},
       {"remarks", kApRemarks.get(lang)}});
  std::vector<std::string> input_uuid;
  if (d)
    for (std::size_t i = 0; i < d->inputs.size(); ++i) {
      const auto& in = d->inputs[i];
      input_uuid.push_back(R(fmt::format("back-matter/input/{}", i)));
      ojson r = {{"uuid", input_uuid.back()},
                 {"title", fmt::format(fmt::runtime(kInput.get(lang)),
                                       in.path.empty() ? "-" : in.path, in.kind)}};
      r["props"] = ojson::array({prop("input-kind", in.kind)});
      if (!in.tool_version.empty())
        r["props"].push_back(prop("terraform-version", in.tool_version));
      ojson link = {{"href", in.path.empty() ? "#" : artifact_uri(in.path)},
                    {"media-type", "application/json"}};
      if (!in.sha256.empty())
        link["hashes"] = ojson::array({{{"algorithm", "SHA-256"}, {"value", in.sha256}}});
      r["rlinks"] = ojson::array({link});
      resources.push_back(std::move(r));
    }
  // Evidence files: one back-matter resource per attestation and file.
  std::vector<std::vector<std::string>> evidence_uuid(a.attestations.size());
  for (std::size_t ai = 0; ai < a.attestations.size(); ++ai) {
    const auto& at = a.attestations[ai];
    for (std::size_t k = 0; k < at.evidence.size(); ++k) {
      const auto& e = at.evidence[k];
      evidence_uuid[ai].push_back(R(fmt::format("back-matter/evidence/{}/{}", ai, k)));
      ojson r = {{"uuid", evidence_uuid[ai].back()},
                 {"title", fmt::format(fmt::runtime(kEvidenceFile.get(lang)), str(e.path))}};
      ojson link = {{"href", uri_encode(e.path)}};
      if (!e.sha256.empty())
        link["hashes"] = ojson::array({{{"algorithm", "SHA-256"}, {"value", e.sha256}}});
      r["rlinks"] = ojson::array({link});
      ojson props = ojson::array({prop("exists", e.exists ? "true" : "false")});
      if (!e.locked_sha256.empty()) props.push_back(prop("locked-sha256", e.locked_sha256));
      if (e.changed) props.push_back(prop("changed", "true"));
      r["props"] = std::move(props);
      resources.push_back(std::move(r));
    }
  }
  ojson relevant_inputs = ojson::array();
  if (d)
    for (std::size_t i = 0; i < d->inputs.size(); ++i) {
      const auto& in = d->inputs[i];
      relevant_inputs.push_back(
          {{"href", "#" + input_uuid[i]},
           {"description", fmt::format("{} (sha256 {})", in.path.empty() ? "-" : in.path,
                                       in.sha256.empty() ? "-" : in.sha256)}});
    }

  // ---- which resources, observations and risks exist (uuids are needed before the items are
  // written).
  std::size_t nrules = a.rules ? a.rules->rules.size() : 0;
  std::vector<char> has_subject(d ? d->resources.size() : 0, 0);
  std::vector<std::vector<std::size_t>> passes(nrules), fails(nrules);
  // Open risks count failures accepted nowhere; a deviation-approved risk per rule and waiver
  // counts the failures that waiver accepted for some control.
  std::map<std::pair<std::size_t, std::size_t>, std::set<std::size_t>>
      waived;  // (rule, waiver) -> findings
  const auto accepted = finding_waivers(a);
  auto waiver_index = [&](const assess::Waiver* w) {
    return static_cast<std::size_t>(w - a.waivers.data());
  };
  if (a.rules && d) {
    for (std::size_t i = 0; i < a.findings.size(); ++i) {
      const auto& f = a.findings[i];
      has_subject[f.resource] = 1;
      if (f.status == Status::kPass)
        passes[f.rule].push_back(i);
      else if (f.status == Status::kFail && !accepted[i])
        fails[f.rule].push_back(i);
      else if (f.status == Status::kFail)
        waived[{f.rule, waiver_index(accepted[i])}].insert(i);
    }
    for (const auto& cr : a.controls)
      for (std::size_t k = 0; k < cr.findings.size(); ++k)
        if (const assess::Waiver* w = waiver_in_control(a, cr, k))
          waived[{a.findings[cr.findings[k]].rule, waiver_index(w)}].insert(cr.findings[k]);
  }
  auto resource_uuid = [&](std::size_t r) {
    return S("resource/" + std::string(d->resources[r].address));
  };
  auto finding_obs_uuid = [&](std::size_t fi) {
    const auto& f = a.findings[fi];
    return R(fmt::format("observation/{}/{}", a.rules->rules[f.rule].id,
                         d->resources[f.resource].address));
  };
  auto pass_obs_uuid = [&](std::size_t rule) {
    return R("observation-pass/" + a.rules->rules[rule].id);
  };
  auto att_obs_uuid = [&](std::size_t ai) {
    return R(fmt::format("observation-attestation/{}", ai));
  };
  auto waived_risk_uuid = [&](std::size_t rule, std::size_t w) {
    return S(fmt::format("risk-waived/{}/{}", a.rules->rules[rule].id, w));
  };
  auto address_list = [&](const auto& fis) {
    std::string s;
    std::size_t n = std::min<std::size_t>(fis.size(), 20);
    std::size_t k = 0;
    for (std::size_t fi : fis) {
      if (k == n) break;
      s += (k++ ? ", " : "") + std::string(d->resources[a.findings[fi].resource].address);
    }
    if (fis.size() > n)
      s += " " + fmt::format(fmt::runtime(tr(L::kAndMore, lang)), group_digits(fis.size() - n));
    return safe(s);
  };

  // ---- risks: open for each rule with unwaived failures, deviation-approved per rule and waiver.
  ojson risks = ojson::array();
  for (std::size_t ri = 0; ri < nrules; ++ri) {
    if (fails[ri].empty()) continue;
    const rules::Rule& rule = a.rules->rules[ri];
    std::string title = rule.title.get(lang).empty() ? rule.id : rule.title.get(lang);
    ojson r;
    r["uuid"] = S(risk_key(rule.id));
    r["title"] = fmt::format("{} {}", rule.id, title);
    r["description"] = rule.rationale.get(lang).empty() ? title : rule.rationale.get(lang);
    r["statement"] = fmt::format(fmt::runtime(kRiskStatement.get(lang)),
                                 resources_count(fails[ri].size(), lang), address_list(fails[ri]));
    r["props"] = ojson::array(
        {prop("rule-id", rule.id), prop("severity", rules::severity_name(rule.severity))});
    r["status"] = "open";
    r["origins"] = origins;
    if (!rule.remediation.empty())
      r["remediations"] = ojson::array({{{"uuid", S("remediation/" + rule.id)},
                                         {"lifecycle", "recommendation"},
                                         {"title", std::string(tr(L::kRemediation, lang))},
                                         {"description", rule.remediation.get(lang)}}});
    ojson rel = ojson::array();
    for (std::size_t fi : fails[ri]) rel.push_back({{"observation-uuid", finding_obs_uuid(fi)}});
    r["related-observations"] = std::move(rel);
    risks.push_back(std::move(r));
  }
  for (const auto& [key, fis] : waived) {
    const rules::Rule& rule = a.rules->rules[key.first];
    const assess::Waiver& w = a.waivers[key.second];
    std::string title = rule.title.get(lang).empty() ? rule.id : rule.title.get(lang);
    ojson r;
    r["uuid"] = waived_risk_uuid(key.first, key.second);
    r["title"] =
        fmt::format(fmt::runtime(kWaivedTitle.get(lang)), fmt::format("{} {}", rule.id, title));
    r["description"] = rule.rationale.get(lang).empty() ? title : rule.rationale.get(lang);
    std::string waiver = fmt::format("{}: {}", tr(L::kWaiver, lang), safe(w.reason));
    if (!w.approved_by.empty())
      waiver += fmt::format(" · {} {}", tr(L::kApprovedBy, lang), safe(w.approved_by));
    if (!w.expires.empty()) waiver += fmt::format(" · {} {}", tr(L::kExpires, lang), w.expires);
    r["statement"] = fmt::format(fmt::runtime(kWaivedStatement.get(lang)),
                                 resources_count(fis.size(), lang), address_list(fis)) +
                     "\n\n" + waiver;
    ojson props = ojson::array({prop("rule-id", rule.id),
                                prop("severity", rules::severity_name(rule.severity)),
                                prop("waiver-reason", w.reason)});
    if (!w.approved_by.empty()) props.push_back(prop("waiver-approved-by", w.approved_by));
    if (!w.expires.empty()) props.push_back(prop("waiver-expires", w.expires));
    if (!w.source.empty()) props.push_back(prop("waiver-source", w.source));
    r["props"] = std::move(props);
    r["status"] = "deviation-approved";
    r["origins"] = origins;
    ojson rel = ojson::array();
    for (std::size_t fi : fis) rel.push_back({{"observation-uuid", finding_obs_uuid(fi)}});
    r["related-observations"] = std::move(rel);
    risks.push_back(std::move(r));
  }

  // ---- findings: one per assessed control.
  ojson findings = ojson::array();
  ojson include = ojson::array();
  std::set<std::string> included;
  for (const auto& cr : a.controls) {
    const std::string token = oscal_control_id(catalog_id, cr.control->id);
    if (included.insert(token).second) include.push_back({{"control-id", token}});
    ojson status;
    switch (cr.verdict) {
      case Verdict::kPass:
        status = {{"state", "satisfied"}, {"reason", "pass"}};
        break;
      case Verdict::kNotApplicable:
        status = {{"state", "satisfied"}, {"reason", "other"}};
        break;
      case Verdict::kFail:
        status = {{"state", "not-satisfied"}, {"reason", "fail"}};
        break;
      case Verdict::kWaived:
      case Verdict::kUnknown:
      case Verdict::kManual:
        status = {{"state", "not-satisfied"}, {"reason", "other"}};
        break;
    }
    status["remarks"] =
        fmt::format("{}: {}", assess::verdict_text(cr.verdict).get(lang), cr.reason.get(lang));
    ojson target = {{"type", "objective-id"}, {"target-id", token}};
    target["props"] = ojson::array({prop("control-label", cr.control->id)});
    target["status"] = std::move(status);
    if (cr.verdict == Verdict::kNotApplicable)
      target["implementation-status"] = {{"state", "not-applicable"}};

    ojson f;
    f["uuid"] = R("finding/" + cr.control->id);
    std::string ctitle = cr.control->title.get(lang);
    f["title"] = ctitle.empty() ? cr.control->id : fmt::format("{} {}", cr.control->id, ctitle);
    f["description"] = cr.reason.get(lang).empty()
                           ? std::string(assess::verdict_text(cr.verdict).get(lang))
                           : cr.reason.get(lang);
    ojson props = ojson::array({prop("verdict", assess::verdict_name(cr.verdict))});
    if (!cr.control->kind.empty()) props.push_back(prop("control-kind", cr.control->kind));
    for (const auto& r : cr.rules) props.push_back(prop("rule-id", r));
    f["props"] = std::move(props);
    f["origins"] = origins;
    f["target"] = std::move(target);

    ojson rel_obs = ojson::array();
    std::set<std::string> rel_risks;
    std::set<std::size_t> pass_rules;
    for (std::size_t k = 0; k < cr.findings.size(); ++k) {
      std::size_t fi = cr.findings[k];
      const auto& fd = a.findings[fi];
      if (fd.status == Status::kPass) {
        pass_rules.insert(fd.rule);
        continue;
      }
      rel_obs.push_back({{"observation-uuid", finding_obs_uuid(fi)}});
      if (fd.status == Status::kFail) {
        if (const assess::Waiver* w = waiver_in_control(a, cr, k))
          rel_risks.insert(waived_risk_uuid(fd.rule, waiver_index(w)));
        else
          rel_risks.insert(S(risk_key(a.rules->rules[fd.rule].id)));
      }
    }
    for (std::size_t ri : pass_rules) rel_obs.push_back({{"observation-uuid", pass_obs_uuid(ri)}});
    if (cr.attestation >= 0 && static_cast<std::size_t>(cr.attestation) < a.attestations.size())
      rel_obs.push_back(
          {{"observation-uuid", att_obs_uuid(static_cast<std::size_t>(cr.attestation))}});
    if (!rel_obs.empty()) f["related-observations"] = std::move(rel_obs);
    if (!rel_risks.empty()) {
      ojson rr = ojson::array();
      for (const auto& u : rel_risks) rr.push_back({{"risk-uuid", u}});
      f["related-risks"] = std::move(rr);
    }
    findings.push_back(std::move(f));
  }

  // ---- the result.
  ojson result;
  result["uuid"] = R("result");
  result["title"] = fmt::format("{} — {} {}, {}", tr(L::kAssessmentResults, lang), catalog_id,
                                catalog_version, profile_text(a, lang));
  result["description"] = fmt::format(fmt::runtime(kResultDescription.get(lang)), catalog_id,
                                      catalog_version, a.catalog ? a.catalog->status : "-",
                                      profile_id, a.controls.size(), a.summary.readiness() * 100.0);
  result["start"] = stamp;
  result["end"] = stamp;
  {
    ojson props = ojson::array(
        {prop("readiness", fmt::format("{:.4f}", round4(a.summary.readiness()))),
         prop("automated-readiness", fmt::format("{:.4f}", round4(a.automated.readiness())))});
    for (std::size_t i = 0; i < assess::kVerdicts; ++i) {
      auto v = static_cast<Verdict>(i);
      props.push_back(
          prop(fmt::format("controls-{}", assess::verdict_name(v)), std::to_string(a.summary[v])));
    }
    result["props"] = std::move(props);
  }
  ojson local;
  local["components"] = ojson::array(
      {{{"uuid", tool_uuid},
        {"type", "software"},
        {"title", info.tool_name},
        {"description", kToolDescription.get(lang)},
        {"props", ojson::array({prop("version", info.tool_version.empty() ? "-" : info.tool_version,
                                     false)})},
        {"status", {{"state", "operational"}}}}});
  bool any_subject = std::find(has_subject.begin(), has_subject.end(), 1) != has_subject.end();
  if (any_subject) local["inventory-items"] = placeholder("inventory-items");
  result["local-definitions"] = std::move(local);
  ojson selection = ojson::object();
  if (!include.empty())
    selection["include-controls"] = std::move(include);
  else
    selection["remarks"] = tr(L::kNoControls, lang);
  result["reviewed-controls"] = {{"control-selections", ojson::array({selection})}};

  bool any_obs = !a.attestations.empty() || (a.rules && d && !a.findings.empty());
  if (any_obs) result["observations"] = placeholder("observations");
  if (!risks.empty()) result["risks"] = std::move(risks);
  if (!findings.empty()) result["findings"] = std::move(findings);

  ojson meta;
  meta["title"] = fmt::format("{}: {} {} · {}", tr(L::kAssessmentResults, lang), catalog_id,
                              catalog_version, profile_id);
  meta["last-modified"] = stamp;
  meta["version"] = stamp;
  meta["oscal-version"] = "1.1.3";
  {
    ojson props = ojson::array();
    if (a.catalog) {
      props.push_back(prop("catalog-id", a.catalog->id));
      if (!a.catalog->version.empty()) props.push_back(prop("catalog-version", a.catalog->version));
      props.push_back(prop("catalog-status", a.catalog->status));
    }
    if (!a.profile.id.empty()) props.push_back(prop("profile", a.profile.id));
    props.push_back(prop("service-type", a.profile.service));
    props.push_back(prop("tier", a.profile.tier));
    props.push_back(prop("tool", info.tool_name));
    if (!info.tool_version.empty()) props.push_back(prop("tool-version", info.tool_version));
    props.push_back(prop("lang", lang == Lang::kKo ? "ko" : "en"));
    if (d)
      for (const auto& in : d->inputs) {
        props.push_back(prop("input", in.path.empty() ? "-" : in.path));
        if (!in.sha256.empty()) props.push_back(prop("input-sha256", in.sha256));
      }
    meta["props"] = std::move(props);
  }
  if (a.catalog && !a.catalog->notice.empty()) meta["remarks"] = a.catalog->notice.get(lang);

  ojson ar;
  ar["uuid"] = run;
  ar["metadata"] = std::move(meta);
  ar["import-ap"] = {{"href", "#" + ap_uuid}, {"remarks", kApRemarks.get(lang)}};
  ar["results"] = ojson::array({std::move(result)});
  ar["back-matter"] = {{"resources", std::move(resources)}};
  ojson doc = {{"assessment-results", std::move(ar)}};

  auto inventory = [&](const Emit& emit) {
    for (std::size_t r = 0; r < has_subject.size(); ++r) {
      if (!has_subject[r]) continue;
      const Resource& res = d->resources[r];
      emit({{"uuid", resource_uuid(r)},
            {"description", str(res.address)},
            {"props", ojson::array({prop("asset-id", res.address, false),
                                    prop("terraform-type", res.type)})}});
    }
  };
  auto observations = [&](const Emit& emit) {
    if (a.rules && d) {
      for (std::size_t i = 0; i < a.findings.size(); ++i) {
        const auto& f = a.findings[i];
        if (f.status == Status::kPass) continue;
        const rules::Rule& rule = a.rules->rules[f.rule];
        const Resource& res = d->resources[f.resource];
        ojson o;
        o["uuid"] = finding_obs_uuid(i);
        o["title"] =
            fmt::format(fmt::runtime(kObservationOf.get(lang)), rule.id, safe(res.address));
        o["description"] = finding_message(a, f, lang);
        ojson props =
            ojson::array({prop("rule-id", rule.id), prop("status", engine::status_name(f.status)),
                          prop("severity", rules::severity_name(rule.severity))});
        if (!f.why.path.empty()) props.push_back(prop("attribute", f.why.path));
        if (!f.why.expected.empty()) props.push_back(prop("expected", f.why.expected));
        if (f.status == Status::kFail && !f.why.actual.empty())
          props.push_back(prop("actual", f.why.actual));
        if (accepted[i]) props.push_back(prop("waived", "true"));
        o["props"] = std::move(props);
        o["methods"] = ojson::array({"TEST"});
        o["types"] = ojson::array({"finding"});
        o["origins"] = origins;
        o["subjects"] = ojson::array({{{"subject-uuid", resource_uuid(f.resource)},
                                       {"type", "inventory-item"},
                                       {"title", safe(res.address)}}});
        if (!relevant_inputs.empty() && res.input < relevant_inputs.size())
          o["relevant-evidence"] = ojson::array({relevant_inputs[res.input]});
        o["collected"] = stamp;
        emit(o);
      }
      for (std::size_t ri = 0; ri < nrules; ++ri) {
        if (passes[ri].empty()) continue;
        const rules::Rule& rule = a.rules->rules[ri];
        ojson o;
        o["uuid"] = pass_obs_uuid(ri);
        o["title"] =
            fmt::format(fmt::runtime(kObservationOf.get(lang)), rule.id,
                        fmt::format("{} {}", group_digits(passes[ri].size()), kPass.get(lang)));
        o["description"] = rule.title.get(lang).empty() ? rule.id : rule.title.get(lang);
        o["props"] = ojson::array({prop("rule-id", rule.id), prop("status", "pass"),
                                   prop("severity", rules::severity_name(rule.severity))});
        o["methods"] = ojson::array({"TEST"});
        o["types"] = ojson::array({"finding"});
        o["origins"] = origins;
        ojson subjects = ojson::array();
        std::set<std::uint32_t> inputs;
        for (std::size_t fi : passes[ri]) {
          subjects.push_back({{"subject-uuid", resource_uuid(a.findings[fi].resource)},
                              {"type", "inventory-item"}});
          inputs.insert(d->resources[a.findings[fi].resource].input);
        }
        o["subjects"] = std::move(subjects);
        ojson ev = ojson::array();
        for (auto in : inputs)
          if (in < relevant_inputs.size()) ev.push_back(relevant_inputs[in]);
        if (!ev.empty()) o["relevant-evidence"] = std::move(ev);
        o["collected"] = stamp;
        emit(o);
      }
    }
    for (std::size_t ai = 0; ai < a.attestations.size(); ++ai) {
      const auto& at = a.attestations[ai];
      ojson o;
      o["uuid"] = att_obs_uuid(ai);
      o["title"] = fmt::format(fmt::runtime(kAttestationOf.get(lang)), at.control);
      o["description"] =
          at.statement.empty() ? std::string(tr(L::kAttestation, lang)) : safe(at.statement);
      ojson props = ojson::array({prop("control-label", at.control),
                                  prop("attestation-status", at.status.empty() ? "-" : at.status),
                                  prop("valid", at.valid ? "true" : "false")});
      if (!at.owner.empty()) props.push_back(prop("owner", at.owner));
      if (!at.reviewed.empty()) props.push_back(prop("reviewed", at.reviewed));
      if (!at.expires.empty()) props.push_back(prop("expires", at.expires));
      if (!at.file.empty())
        props.push_back(
            prop("source", at.line > 0 ? fmt::format("{}:{}", at.file, at.line) : at.file));
      o["props"] = std::move(props);
      o["methods"] = ojson::array({"EXAMINE"});
      o["types"] = ojson::array({"control-objective"});
      o["origins"] = origins;
      ojson ev = ojson::array();
      for (std::size_t k = 0; k < at.evidence.size(); ++k) {
        const auto& e = at.evidence[k];
        std::string desc = fmt::format(fmt::runtime(kEvidenceFile.get(lang)), safe(e.path));
        desc += e.sha256.empty() ? " " + kMissing.get(lang) : fmt::format(" (sha256 {})", e.sha256);
        ev.push_back({{"href", "#" + evidence_uuid[ai][k]}, {"description", desc}});
      }
      if (!ev.empty()) o["relevant-evidence"] = std::move(ev);
      o["collected"] = is_date(at.reviewed) ? at.reviewed + "T00:00:00Z" : stamp;
      std::string remarks;
      if (!at.reason.empty()) remarks += safe(at.reason);
      if (!at.problem.empty())
        remarks += (remarks.empty() ? "" : " · ") + safe(at.problem.get(lang));
      if (!remarks.empty()) o["remarks"] = remarks;
      emit(o);
    }
  };
  write_streamed(os, doc, {{"inventory-items", inventory}, {"observations", observations}});
}

}  // namespace csap::report
