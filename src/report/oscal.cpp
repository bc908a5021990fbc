// OSCAL 1.1.3 assessment-results. What maps to what is in docs/reports.md.
#include "report/oscal.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
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
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  unsigned n[3] = {0, 0, 0};
  const std::size_t start[3] = {0, 5, 8}, len[3] = {4, 2, 2};
  for (std::size_t part = 0; part < 3; ++part)
    for (std::size_t i = start[part]; i < start[part] + len[part]; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      n[part] = n[part] * 10 + static_cast<unsigned>(s[i] - '0');
    }
  std::chrono::year_month_day ymd{std::chrono::year{static_cast<int>(n[0])},
                                  std::chrono::month{n[1]}, std::chrono::day{n[2]}};
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

namespace {

// The assessment-results document, part by part. UUIDs are stable: things that outlive one run
// (the tool, resources, risks, control findings' targets) are named under the catalog and
// profile; this run's document, result and observations also under the time and the inputs.
class Oscal {
 public:
  Oscal(const assess::Assessment& a, const ReportInfo& info)
      : a_(a),
        info_(info),
        lang_(info.lang),
        d_(a.deployment),
        stamp_(timestamp(info.generated_at)),
        catalog_id_(a.catalog ? a.catalog->id : ""),
        catalog_version_(a.catalog ? a.catalog->version : ""),
        profile_id_(a.profile.id.empty() ? a.profile.service + "-" + a.profile.tier : a.profile.id),
        stable_(uuid_v5(kUuidNamespace, fmt::format("{}\n{}", catalog_id_, profile_id_))),
        run_(uuid_v5(stable_, run_name())),
        tool_uuid_(S("component/csapcheck")),
        ap_uuid_(R("back-matter/assessment-plan")),
        origins_(ojson::array(
            {{{"actors", ojson::array({{{"type", "tool"}, {"actor-uuid", tool_uuid_}}})}}})),
        nrules_(a.rules ? a.rules->rules.size() : 0),
        accepted_(finding_waivers(a)) {
    sort_findings();
  }

  void write(std::ostream& os) {
    ojson resources = back_matter();
    ojson ar;
    ar["uuid"] = run_;
    ar["metadata"] = metadata();
    ar["import-ap"] = {{"href", "#" + ap_uuid_}, {"remarks", kApRemarks.get(lang_)}};
    ar["results"] = ojson::array({result()});
    ar["back-matter"] = {{"resources", std::move(resources)}};
    ojson doc = {{"assessment-results", std::move(ar)}};
    write_streamed(os, doc,
                   {{"inventory-items", [this](const Emit& emit) { inventory(emit); }},
                    {"observations", [this](const Emit& emit) { observations(emit); }}});
  }

 private:
  const assess::Assessment& a_;
  const ReportInfo& info_;
  const Lang lang_;
  const Deployment* d_;
  const std::string stamp_, catalog_id_, catalog_version_, profile_id_;
  const std::string stable_, run_, tool_uuid_, ap_uuid_;
  const ojson origins_;
  const std::size_t nrules_;
  const std::vector<const assess::Waiver*> accepted_;  // per finding
  // Filled by sort_findings: resources with findings, passing and open failing findings per rule,
  // and (rule, waiver) -> the failures that waiver accepted for some control.
  std::vector<char> has_subject_;
  std::vector<std::vector<std::size_t>> passes_, fails_;
  std::map<std::pair<std::size_t, std::size_t>, std::set<std::size_t>> waived_;
  // Filled by back_matter.
  std::vector<std::string> input_uuid_;
  std::vector<std::vector<std::string>> evidence_uuid_;  // per attestation and file
  ojson relevant_inputs_ = ojson::array();

  // ---- names and UUIDs ----------------------------------------------------------------------
  std::string run_name() const {
    std::string name =
        fmt::format("{}\n{}\n{}", stamp_, lang_ == Lang::kKo ? "ko" : "en", catalog_version_);
    if (d_)
      for (const auto& in : d_->inputs) name += "\n" + in.path + "\n" + in.sha256;
    return name;
  }
  std::string S(const std::string& name) const { return uuid_v5(stable_, name); }
  std::string R(const std::string& name) const { return uuid_v5(run_, name); }
  std::size_t waiver_index(const assess::Waiver* w) const {
    return static_cast<std::size_t>(w - a_.waivers.data());
  }
  std::string resource_uuid(std::size_t r) const {
    return S("resource/" + std::string(d_->resources[r].address));
  }
  std::string finding_obs_uuid(std::size_t fi) const {
    const auto& f = a_.findings[fi];
    return R(fmt::format("observation/{}/{}", a_.rules->rules[f.rule].id,
                         d_->resources[f.resource].address));
  }
  std::string pass_obs_uuid(std::size_t rule) const {
    return R("observation-pass/" + a_.rules->rules[rule].id);
  }
  std::string att_obs_uuid(std::size_t ai) const {
    return R(fmt::format("observation-attestation/{}", ai));
  }
  std::string waived_risk_uuid(std::size_t rule, std::size_t w) const {
    return S(fmt::format("risk-waived/{}/{}", a_.rules->rules[rule].id, w));
  }
  template <class Findings>
  std::string address_list(const Findings& fis) const {
    std::string s;
    std::size_t n = std::min<std::size_t>(fis.size(), 20);
    std::size_t k = 0;
    for (std::size_t fi : fis) {
      if (k == n) break;
      s += (k++ ? ", " : "") + std::string(d_->resources[a_.findings[fi].resource].address);
    }
    if (fis.size() > n)
      s.append(" ").append(
          fmt::format(fmt::runtime(tr(L::kAndMore, lang_)), group_digits(fis.size() - n)));
    return safe(s);
  }

  // Which resources, observations and risks exist (their UUIDs are needed before the items are
  // written). Open risks count failures accepted nowhere; a deviation-approved risk per rule and
  // waiver counts the failures that waiver accepted for some control.
  void sort_findings() {
    has_subject_.assign(d_ ? d_->resources.size() : 0, 0);
    passes_.assign(nrules_, {});
    fails_.assign(nrules_, {});
    if (!a_.rules || !d_) return;
    for (std::size_t i = 0; i < a_.findings.size(); ++i) {
      const auto& f = a_.findings[i];
      has_subject_[f.resource] = 1;
      if (f.status == Status::kPass)
        passes_[f.rule].push_back(i);
      else if (f.status == Status::kFail && !accepted_[i])
        fails_[f.rule].push_back(i);
      else if (f.status == Status::kFail)
        waived_[{f.rule, waiver_index(accepted_[i])}].insert(i);
    }
    for (const auto& cr : a_.controls)
      for (std::size_t k = 0; k < cr.findings.size(); ++k)
        if (const assess::Waiver* w = waiver_in_control(a_, cr, k))
          waived_[{a_.findings[cr.findings[k]].rule, waiver_index(w)}].insert(cr.findings[k]);
  }

  // ---- back matter: the plan placeholder, the inputs and the evidence files, with hashes -------
  ojson back_matter() {
    ojson resources = ojson::array();
    resources.push_back({{"uuid", ap_uuid_},
                         {"title", fmt::format(fmt::runtime(kApTitle.get(lang_)), catalog_id_,
                                               catalog_version_, profile_id_, nrules_)},
                         {"remarks", kApRemarks.get(lang_)}});
    if (d_)
      for (std::size_t i = 0; i < d_->inputs.size(); ++i) resources.push_back(input_resource(i));
    evidence_uuid_.assign(a_.attestations.size(), {});
    for (std::size_t ai = 0; ai < a_.attestations.size(); ++ai)
      for (std::size_t k = 0; k < a_.attestations[ai].evidence.size(); ++k)
        resources.push_back(evidence_resource(ai, k));
    if (d_)
      for (std::size_t i = 0; i < d_->inputs.size(); ++i) {
        const auto& in = d_->inputs[i];
        relevant_inputs_.push_back(
            {{"href", "#" + input_uuid_[i]},
             {"description", fmt::format("{} (sha256 {})", in.path.empty() ? "-" : in.path,
                                         in.sha256.empty() ? "-" : in.sha256)}});
      }
    return resources;
  }

  ojson input_resource(std::size_t i) {
    const auto& in = d_->inputs[i];
    input_uuid_.push_back(R(fmt::format("back-matter/input/{}", i)));
    ojson r = {{"uuid", input_uuid_.back()},
               {"title", fmt::format(fmt::runtime(kInput.get(lang_)),
                                     in.path.empty() ? "-" : in.path, in.kind)}};
    r["props"] = ojson::array({prop("input-kind", in.kind)});
    if (!in.tool_version.empty()) r["props"].push_back(prop("terraform-version", in.tool_version));
    ojson link = {{"href", in.path.empty() ? "#" : artifact_uri(in.path)},
                  {"media-type", "application/json"}};
    if (!in.sha256.empty())
      link["hashes"] = ojson::array({{{"algorithm", "SHA-256"}, {"value", in.sha256}}});
    r["rlinks"] = ojson::array({link});
    return r;
  }

  ojson evidence_resource(std::size_t ai, std::size_t k) {
    const auto& e = a_.attestations[ai].evidence[k];
    evidence_uuid_[ai].push_back(R(fmt::format("back-matter/evidence/{}/{}", ai, k)));
    ojson r = {{"uuid", evidence_uuid_[ai].back()},
               {"title", fmt::format(fmt::runtime(kEvidenceFile.get(lang_)), str(e.path))}};
    ojson link = {{"href", uri_encode(e.path)}};
    if (!e.sha256.empty())
      link["hashes"] = ojson::array({{{"algorithm", "SHA-256"}, {"value", e.sha256}}});
    r["rlinks"] = ojson::array({link});
    ojson props = ojson::array({prop("exists", e.exists ? "true" : "false")});
    if (!e.locked_sha256.empty()) props.push_back(prop("locked-sha256", e.locked_sha256));
    if (e.changed) props.push_back(prop("changed", "true"));
    r["props"] = std::move(props);
    return r;
  }

  // ---- risks: open for each rule with unwaived failures, deviation-approved per rule and waiver
  // --
  ojson risks() const {
    ojson out = ojson::array();
    for (std::size_t ri = 0; ri < nrules_; ++ri)
      if (!fails_[ri].empty()) out.push_back(open_risk(ri));
    for (const auto& [key, fis] : waived_) out.push_back(waived_risk(key.first, key.second, fis));
    return out;
  }

  std::string rule_title(const rules::Rule& rule) const {
    return rule.title.get(lang_).empty() ? rule.id : rule.title.get(lang_);
  }

  template <class Findings>
  ojson related_observations(const Findings& fis) const {
    ojson rel = ojson::array();
    for (std::size_t fi : fis) rel.push_back({{"observation-uuid", finding_obs_uuid(fi)}});
    return rel;
  }

  ojson open_risk(std::size_t ri) const {
    const rules::Rule& rule = a_.rules->rules[ri];
    std::string title = rule_title(rule);
    ojson r;
    r["uuid"] = S(risk_key(rule.id));
    r["title"] = fmt::format("{} {}", rule.id, title);
    r["description"] = rule.rationale.get(lang_).empty() ? title : rule.rationale.get(lang_);
    r["statement"] =
        fmt::format(fmt::runtime(kRiskStatement.get(lang_)),
                    resources_count(fails_[ri].size(), lang_), address_list(fails_[ri]));
    r["props"] = ojson::array(
        {prop("rule-id", rule.id), prop("severity", rules::severity_name(rule.severity))});
    r["status"] = "open";
    r["origins"] = origins_;
    if (!rule.remediation.empty())
      r["remediations"] = ojson::array({{{"uuid", S("remediation/" + rule.id)},
                                         {"lifecycle", "recommendation"},
                                         {"title", std::string(tr(L::kRemediation, lang_))},
                                         {"description", rule.remediation.get(lang_)}}});
    r["related-observations"] = related_observations(fails_[ri]);
    return r;
  }

  ojson waived_risk(std::size_t ri, std::size_t wi, const std::set<std::size_t>& fis) const {
    const rules::Rule& rule = a_.rules->rules[ri];
    const assess::Waiver& w = a_.waivers[wi];
    std::string title = rule_title(rule);
    ojson r;
    r["uuid"] = waived_risk_uuid(ri, wi);
    r["title"] =
        fmt::format(fmt::runtime(kWaivedTitle.get(lang_)), fmt::format("{} {}", rule.id, title));
    r["description"] = rule.rationale.get(lang_).empty() ? title : rule.rationale.get(lang_);
    std::string waiver = fmt::format("{}: {}", tr(L::kWaiver, lang_), safe(w.reason));
    if (!w.approved_by.empty())
      waiver += fmt::format(" · {} {}", tr(L::kApprovedBy, lang_), safe(w.approved_by));
    if (!w.expires.empty()) waiver += fmt::format(" · {} {}", tr(L::kExpires, lang_), w.expires);
    r["statement"] = fmt::format(fmt::runtime(kWaivedStatement.get(lang_)),
                                 resources_count(fis.size(), lang_), address_list(fis)) +
                     "\n\n" + waiver;
    ojson props = ojson::array({prop("rule-id", rule.id),
                                prop("severity", rules::severity_name(rule.severity)),
                                prop("waiver-reason", w.reason)});
    if (!w.approved_by.empty()) props.push_back(prop("waiver-approved-by", w.approved_by));
    if (!w.expires.empty()) props.push_back(prop("waiver-expires", w.expires));
    if (!w.source.empty()) props.push_back(prop("waiver-source", w.source));
    r["props"] = std::move(props);
    r["status"] = "deviation-approved";
    r["origins"] = origins_;
    r["related-observations"] = related_observations(fis);
    return r;
  }

  // ---- findings: one per assessed control ----------------------------------------------------
  static ojson target_status(Verdict v) {
    switch (v) {
      case Verdict::kPass:
        return {{"state", "satisfied"}, {"reason", "pass"}};
      case Verdict::kNotApplicable:
        return {{"state", "satisfied"}, {"reason", "other"}};
      case Verdict::kFail:
        return {{"state", "not-satisfied"}, {"reason", "fail"}};
      case Verdict::kWaived:
      case Verdict::kUnknown:
      case Verdict::kManual:
        break;
    }
    return {{"state", "not-satisfied"}, {"reason", "other"}};
  }

  ojson control_finding(const assess::ControlResult& cr, const std::string& token) const {
    ojson status = target_status(cr.verdict);
    status["remarks"] =
        fmt::format("{}: {}", assess::verdict_text(cr.verdict).get(lang_), cr.reason.get(lang_));
    ojson target = {{"type", "objective-id"}, {"target-id", token}};
    target["props"] = ojson::array({prop("control-label", cr.control->id)});
    target["status"] = std::move(status);
    if (cr.verdict == Verdict::kNotApplicable)
      target["implementation-status"] = {{"state", "not-applicable"}};

    ojson f;
    f["uuid"] = R("finding/" + cr.control->id);
    std::string ctitle = cr.control->title.get(lang_);
    f["title"] = ctitle.empty() ? cr.control->id : fmt::format("{} {}", cr.control->id, ctitle);
    f["description"] = cr.reason.get(lang_).empty()
                           ? std::string(assess::verdict_text(cr.verdict).get(lang_))
                           : cr.reason.get(lang_);
    ojson props = ojson::array({prop("verdict", assess::verdict_name(cr.verdict))});
    if (!cr.control->kind.empty()) props.push_back(prop("control-kind", cr.control->kind));
    for (const auto& r : cr.rules) props.push_back(prop("rule-id", r));
    f["props"] = std::move(props);
    f["origins"] = origins_;
    f["target"] = std::move(target);

    ojson rel_obs = ojson::array();
    std::set<std::string> rel_risks;
    std::set<std::size_t> pass_rules;
    for (std::size_t k = 0; k < cr.findings.size(); ++k) {
      std::size_t fi = cr.findings[k];
      const auto& fd = a_.findings[fi];
      if (fd.status == Status::kPass) {
        pass_rules.insert(fd.rule);
        continue;
      }
      rel_obs.push_back({{"observation-uuid", finding_obs_uuid(fi)}});
      if (fd.status == Status::kFail) {
        if (const assess::Waiver* w = waiver_in_control(a_, cr, k))
          rel_risks.insert(waived_risk_uuid(fd.rule, waiver_index(w)));
        else
          rel_risks.insert(S(risk_key(a_.rules->rules[fd.rule].id)));
      }
    }
    for (std::size_t ri : pass_rules) rel_obs.push_back({{"observation-uuid", pass_obs_uuid(ri)}});
    if (cr.attestation >= 0 && static_cast<std::size_t>(cr.attestation) < a_.attestations.size())
      rel_obs.push_back(
          {{"observation-uuid", att_obs_uuid(static_cast<std::size_t>(cr.attestation))}});
    if (!rel_obs.empty()) f["related-observations"] = std::move(rel_obs);
    if (!rel_risks.empty()) {
      ojson rr = ojson::array();
      for (const auto& u : rel_risks) rr.push_back({{"risk-uuid", u}});
      f["related-risks"] = std::move(rr);
    }
    return f;
  }

  // ---- the result ------------------------------------------------------------------------------
  ojson result() const {
    ojson findings = ojson::array();
    ojson include = ojson::array();
    std::set<std::string> included;
    for (const auto& cr : a_.controls) {
      const std::string token = oscal_control_id(catalog_id_, cr.control->id);
      if (included.insert(token).second) include.push_back({{"control-id", token}});
      findings.push_back(control_finding(cr, token));
    }
    ojson risk_list = risks();

    ojson result;
    result["uuid"] = R("result");
    result["title"] = fmt::format("{} — {} {}, {}", tr(L::kAssessmentResults, lang_), catalog_id_,
                                  catalog_version_, profile_text(a_, lang_));
    result["description"] =
        fmt::format(fmt::runtime(kResultDescription.get(lang_)), catalog_id_, catalog_version_,
                    a_.catalog ? a_.catalog->status : "-", profile_id_, a_.controls.size(),
                    a_.summary.readiness() * 100.0);
    result["start"] = stamp_;
    result["end"] = stamp_;
    ojson props = ojson::array(
        {prop("readiness", fmt::format("{:.4f}", round4(a_.summary.readiness()))),
         prop("automated-readiness", fmt::format("{:.4f}", round4(a_.automated.readiness())))});
    for (std::size_t i = 0; i < assess::kVerdicts; ++i) {
      auto v = static_cast<Verdict>(i);
      props.push_back(
          prop(fmt::format("controls-{}", assess::verdict_name(v)), std::to_string(a_.summary[v])));
    }
    result["props"] = std::move(props);
    result["local-definitions"] = local_definitions();
    ojson selection = ojson::object();
    if (!include.empty())
      selection["include-controls"] = std::move(include);
    else
      selection["remarks"] = tr(L::kNoControls, lang_);
    result["reviewed-controls"] = {{"control-selections", ojson::array({selection})}};

    bool any_obs = !a_.attestations.empty() || (a_.rules && d_ && !a_.findings.empty());
    if (any_obs) result["observations"] = placeholder("observations");
    if (!risk_list.empty()) result["risks"] = std::move(risk_list);
    if (!findings.empty()) result["findings"] = std::move(findings);
    return result;
  }

  ojson local_definitions() const {
    ojson local;
    local["components"] = ojson::array(
        {{{"uuid", tool_uuid_},
          {"type", "software"},
          {"title", info_.tool_name},
          {"description", kToolDescription.get(lang_)},
          {"props", ojson::array({prop(
                        "version", info_.tool_version.empty() ? "-" : info_.tool_version, false)})},
          {"status", {{"state", "operational"}}}}});
    bool any_subject = std::find(has_subject_.begin(), has_subject_.end(), 1) != has_subject_.end();
    if (any_subject) local["inventory-items"] = placeholder("inventory-items");
    return local;
  }

  // ---- metadata: the catalog, the profile, the tool and the inputs as properties ---------------
  ojson metadata() const {
    ojson meta;
    meta["title"] = fmt::format("{}: {} {} · {}", tr(L::kAssessmentResults, lang_), catalog_id_,
                                catalog_version_, profile_id_);
    meta["last-modified"] = stamp_;
    meta["version"] = stamp_;
    meta["oscal-version"] = "1.1.3";
    ojson props = ojson::array();
    if (a_.catalog) {
      props.push_back(prop("catalog-id", a_.catalog->id));
      if (!a_.catalog->version.empty())
        props.push_back(prop("catalog-version", a_.catalog->version));
      props.push_back(prop("catalog-status", a_.catalog->status));
    }
    if (!a_.profile.id.empty()) props.push_back(prop("profile", a_.profile.id));
    props.push_back(prop("service-type", a_.profile.service));
    props.push_back(prop("tier", a_.profile.tier));
    props.push_back(prop("tool", info_.tool_name));
    if (!info_.tool_version.empty()) props.push_back(prop("tool-version", info_.tool_version));
    props.push_back(prop("lang", lang_ == Lang::kKo ? "ko" : "en"));
    if (d_)
      for (const auto& in : d_->inputs) {
        props.push_back(prop("input", in.path.empty() ? "-" : in.path));
        if (!in.sha256.empty()) props.push_back(prop("input-sha256", in.sha256));
      }
    meta["props"] = std::move(props);
    if (a_.catalog && !a_.catalog->notice.empty()) meta["remarks"] = a_.catalog->notice.get(lang_);
    return meta;
  }

  // ---- streamed arrays: the inventory and the observations -------------------------------------
  void inventory(const Emit& emit) const {
    for (std::size_t r = 0; r < has_subject_.size(); ++r) {
      if (!has_subject_[r]) continue;
      const Resource& res = d_->resources[r];
      emit({{"uuid", resource_uuid(r)},
            {"description", str(res.address)},
            {"props", ojson::array({prop("asset-id", res.address, false),
                                    prop("terraform-type", res.type)})}});
    }
  }

  void observations(const Emit& emit) const {
    if (a_.rules && d_) {
      for (std::size_t i = 0; i < a_.findings.size(); ++i)
        if (a_.findings[i].status != Status::kPass) emit(finding_observation(i));
      for (std::size_t ri = 0; ri < nrules_; ++ri)
        if (!passes_[ri].empty()) emit(pass_observation(ri));
    }
    for (std::size_t ai = 0; ai < a_.attestations.size(); ++ai) emit(attestation_observation(ai));
  }

  // TEST: a rule's finding on one resource that is not a pass.
  ojson finding_observation(std::size_t i) const {
    const auto& f = a_.findings[i];
    const rules::Rule& rule = a_.rules->rules[f.rule];
    const Resource& res = d_->resources[f.resource];
    ojson o;
    o["uuid"] = finding_obs_uuid(i);
    o["title"] = fmt::format(fmt::runtime(kObservationOf.get(lang_)), rule.id, safe(res.address));
    o["description"] = finding_message(a_, f, lang_);
    ojson props =
        ojson::array({prop("rule-id", rule.id), prop("status", engine::status_name(f.status)),
                      prop("severity", rules::severity_name(rule.severity))});
    if (!f.why.path.empty()) props.push_back(prop("attribute", f.why.path));
    if (!f.why.expected.empty()) props.push_back(prop("expected", f.why.expected));
    if (f.status == Status::kFail && !f.why.actual.empty())
      props.push_back(prop("actual", f.why.actual));
    if (accepted_[i]) props.push_back(prop("waived", "true"));
    o["props"] = std::move(props);
    o["methods"] = ojson::array({"TEST"});
    o["types"] = ojson::array({"finding"});
    o["origins"] = origins_;
    o["subjects"] = ojson::array({{{"subject-uuid", resource_uuid(f.resource)},
                                   {"type", "inventory-item"},
                                   {"title", safe(res.address)}}});
    if (!relevant_inputs_.empty() && res.input < relevant_inputs_.size())
      o["relevant-evidence"] = ojson::array({relevant_inputs_[res.input]});
    o["collected"] = stamp_;
    return o;
  }

  // TEST: every resource a rule passed, in one observation.
  ojson pass_observation(std::size_t ri) const {
    const rules::Rule& rule = a_.rules->rules[ri];
    ojson o;
    o["uuid"] = pass_obs_uuid(ri);
    o["title"] =
        fmt::format(fmt::runtime(kObservationOf.get(lang_)), rule.id,
                    fmt::format("{} {}", group_digits(passes_[ri].size()), kPass.get(lang_)));
    o["description"] = rule_title(rule);
    o["props"] = ojson::array({prop("rule-id", rule.id), prop("status", "pass"),
                               prop("severity", rules::severity_name(rule.severity))});
    o["methods"] = ojson::array({"TEST"});
    o["types"] = ojson::array({"finding"});
    o["origins"] = origins_;
    ojson subjects = ojson::array();
    std::set<std::uint32_t> inputs;
    for (std::size_t fi : passes_[ri]) {
      subjects.push_back(
          {{"subject-uuid", resource_uuid(a_.findings[fi].resource)}, {"type", "inventory-item"}});
      inputs.insert(d_->resources[a_.findings[fi].resource].input);
    }
    o["subjects"] = std::move(subjects);
    ojson ev = ojson::array();
    for (auto in : inputs)
      if (in < relevant_inputs_.size()) ev.push_back(relevant_inputs_[in]);
    if (!ev.empty()) o["relevant-evidence"] = std::move(ev);
    o["collected"] = stamp_;
    return o;
  }

  // EXAMINE: an attestation and its evidence files.
  ojson attestation_observation(std::size_t ai) const {
    const auto& at = a_.attestations[ai];
    ojson o;
    o["uuid"] = att_obs_uuid(ai);
    o["title"] = fmt::format(fmt::runtime(kAttestationOf.get(lang_)), at.control);
    o["description"] =
        at.statement.empty() ? std::string(tr(L::kAttestation, lang_)) : safe(at.statement);
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
    o["origins"] = origins_;
    ojson ev = ojson::array();
    for (std::size_t k = 0; k < at.evidence.size(); ++k) {
      const auto& e = at.evidence[k];
      std::string desc = fmt::format(fmt::runtime(kEvidenceFile.get(lang_)), safe(e.path));
      desc += e.sha256.empty() ? " " + kMissing.get(lang_) : fmt::format(" (sha256 {})", e.sha256);
      ev.push_back({{"href", "#" + evidence_uuid_[ai][k]}, {"description", desc}});
    }
    if (!ev.empty()) o["relevant-evidence"] = std::move(ev);
    o["collected"] = is_date(at.reviewed) ? at.reviewed + "T00:00:00Z" : stamp_;
    std::string remarks;
    if (!at.reason.empty()) remarks += safe(at.reason);
    if (!at.problem.empty())
      remarks += (remarks.empty() ? "" : " · ") + safe(at.problem.get(lang_));
    if (!remarks.empty()) o["remarks"] = remarks;
    return o;
  }
};

}  // namespace

void write_oscal(std::ostream& os, const assess::Assessment& a, const ReportInfo& info) {
  Oscal(a, info).write(os);
}

}  // namespace csap::report
