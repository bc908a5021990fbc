// SARIF 2.1.0 (OASIS, errata 01). See docs/reports.md for what maps to what.
#include "report/sarif.h"

#include <fmt/format.h>

#include "core/files.h"
#include "report/common.h"
#include "report/labels.h"
#include "report/sarif_oscal_util.h"

namespace csap::report {
namespace {

using engine::Status;

constexpr std::string_view kSchema =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

std::string or_id(const Text& t, Lang lang, const std::string& id) {
  const std::string& s = t.get(lang);
  return s.empty() ? id : s;
}

ojson rule_json(const assess::Assessment& a, const rules::Rule& r,
                const std::vector<std::string>& controls, Lang lang) {
  std::string catalog = a.catalog ? a.catalog->id : std::string();
  std::string title = or_id(r.title, lang, r.id);
  std::string rationale = r.rationale.get(lang);
  std::string remediation = r.remediation.get(lang);

  // help: remediation first (what to do), then why, the controls and any references.
  std::string text, md;
  if (!remediation.empty()) {
    text += fmt::format("{}: {}", tr(L::kRemediation, lang), remediation);
    md += fmt::format("**{}**\n\n{}", tr(L::kRemediation, lang), remediation);
  }
  if (!rationale.empty()) {
    text += (text.empty() ? "" : "\n\n") + rationale;
    md += (md.empty() ? "" : "\n\n") + rationale;
  }
  auto section = [&](std::string_view heading, const std::vector<std::string>& items) {
    std::string list;
    for (const auto& item : items) list += "\n- " + item;
    text += fmt::format("{}{}:{}", text.empty() ? "" : "\n\n", heading, list);
    md += fmt::format("{}**{}**\n{}", md.empty() ? "" : "\n\n", heading, list);
  };
  if (!controls.empty()) {
    std::vector<std::string> items;
    for (const auto& c : controls) {
      const catalog::Control* ctl = a.catalog ? a.catalog->find(c) : nullptr;
      items.push_back(ctl ? fmt::format("{} {} {}", catalog, c, ctl->title.get(lang))
                          : fmt::format("{} {}", catalog, c));
    }
    section(tr(L::kControls, lang), items);
  }
  if (!r.references.empty()) section(tr(L::kReferences, lang), r.references);
  if (text.empty()) text = title;
  if (md.empty()) md = title;

  ojson tags = ojson::array({"security", "compliance"});
  for (const auto& c : controls) tags.push_back(fmt::format("{}:{}", catalog, c));

  ojson j;
  j["id"] = r.id;
  j["name"] = r.id;
  j["shortDescription"] = {{"text", title}};
  j["fullDescription"] = {{"text", rationale.empty() ? title : rationale}};
  for (const auto& ref : r.references)
    if (ref.starts_with("https://") || ref.starts_with("http://")) {
      j["helpUri"] = ref;
      break;
    }
  j["help"] = {{"text", text}, {"markdown", md}};
  j["defaultConfiguration"] = {{"level", sarif_level(r.severity)}};
  j["properties"] = {{"severity", rules::severity_name(r.severity)},
                     {"security-severity", security_severity(r.severity)},
                     {"tags", tags},
                     {"controls", controls}};
  return j;
}

ojson result_json(const assess::Assessment& a, std::size_t fi,
                  const std::vector<std::vector<std::string>>& by_rule,
                  const std::vector<int>& artifact_index, const assess::Waiver* waiver, Lang lang) {
  const engine::Finding& f = a.findings[fi];
  const rules::Rule& rule = a.rules->rules[f.rule];
  const Resource& r = a.deployment->resources[f.resource];
  const std::string address(r.address);

  ojson j;
  j["ruleId"] = rule.id;
  j["ruleIndex"] = f.rule;
  j["level"] = f.status == Status::kFail ? sarif_level(rule.severity) : "note";
  std::string message = fmt::format("{}: {}", safe(address), finding_message(a, f, lang));
  j["message"] = {{"text", message}};

  ojson loc = ojson::object();
  if (auto where = finding_location(a, f)) {
    ojson phys;
    phys["artifactLocation"] = {{"uri", artifact_uri(where->file)}};
    if (r.input < artifact_index.size() && artifact_index[r.input] >= 0)
      phys["artifactLocation"]["index"] = artifact_index[r.input];
    if (where->line > 0) {
      phys["region"] = {{"startLine", where->line}};
      if (where->column > 0) phys["region"]["startColumn"] = where->column;
    }
    loc["physicalLocation"] = std::move(phys);
  }
  loc["logicalLocations"] = ojson::array(
      {{{"name", safe(r.name)}, {"fullyQualifiedName", safe(address)}, {"kind", "resource"}}});
  j["locations"] = ojson::array({loc});
  j["partialFingerprints"] = {{"csapcheck/rule-resource/v1", sha256_hex(rule.id + "\n" + address)}};

  if (const assess::Waiver* w = waiver) {
    std::string just = safe(w->reason);
    std::vector<std::string> extra;
    if (!w->approved_by.empty())
      extra.push_back(fmt::format("{} {}", tr(L::kApprovedBy, lang), safe(w->approved_by)));
    if (!w->expires.empty())
      extra.push_back(fmt::format("{} {}", tr(L::kExpires, lang), w->expires));
    if (!extra.empty()) just += fmt::format(" ({})", fmt::join(extra, ", "));
    ojson s = {{"kind", "external"}, {"status", "accepted"}, {"justification", just}};
    s["properties"] = {{"reason", safe(w->reason)},
                       {"approvedBy", safe(w->approved_by)},
                       {"expires", w->expires},
                       {"source", safe(w->source)}};
    j["suppressions"] = ojson::array({s});
  }

  ojson props;
  props["status"] = engine::status_name(f.status);
  props["severity"] = rules::severity_name(rule.severity);
  props["resourceType"] = std::string(r.type);
  props["controls"] = by_rule[f.rule];
  if (!f.why.path.empty()) props["attribute"] = safe(f.why.path);
  if (!f.why.expected.empty()) props["expected"] = safe(f.why.expected);
  if (f.status == Status::kFail && !f.why.actual.empty()) props["actual"] = safe(f.why.actual);
  if (f.status == Status::kUnknown) props["knownAfterApply"] = true;
  j["properties"] = std::move(props);
  return j;
}

ojson counts_json(const assess::Counts& c) {
  ojson o = ojson::object();
  for (std::size_t i = 0; i < assess::kVerdicts; ++i) {
    auto v = static_cast<assess::Verdict>(i);
    o[std::string(assess::verdict_name(v))] = c[v];
  }
  return o;
}

}  // namespace

std::string_view sarif_level(rules::Severity s) {
  switch (s) {
    case rules::Severity::kCritical:
    case rules::Severity::kHigh:
      return "error";
    case rules::Severity::kMedium:
      return "warning";
    case rules::Severity::kLow:
    case rules::Severity::kInfo:
      return "note";
  }
  return "warning";
}

std::string_view security_severity(rules::Severity s) {
  switch (s) {
    case rules::Severity::kCritical:
      return "9.5";
    case rules::Severity::kHigh:
      return "8.0";
    case rules::Severity::kMedium:
      return "5.5";
    case rules::Severity::kLow:
      return "3.0";
    case rules::Severity::kInfo:
      return "1.0";
  }
  return "5.5";
}

void write_sarif(std::ostream& os, const assess::Assessment& a, const ReportInfo& info) {
  const Lang lang = info.lang;
  const Deployment* d = a.deployment;
  auto by_rule = controls_by_rule(a);

  ojson driver;
  driver["name"] = info.tool_name;
  driver["version"] = info.tool_version;
  driver["language"] = lang == Lang::kKo ? "ko-KR" : "en-US";
  ojson rules = ojson::array();
  if (a.rules)
    for (std::size_t i = 0; i < a.rules->rules.size(); ++i)
      rules.push_back(rule_json(a, a.rules->rules[i], by_rule[i], lang));
  driver["rules"] = std::move(rules);

  ojson artifacts = ojson::array();
  std::vector<int> artifact_index;
  if (d)
    for (const auto& in : d->inputs) {
      if (in.path.empty()) {
        artifact_index.push_back(-1);
        continue;
      }
      artifact_index.push_back(static_cast<int>(artifacts.size()));
      ojson art;
      art["location"] = {{"uri", artifact_uri(in.path)}};
      art["roles"] = ojson::array({"analysisTarget"});
      if (!in.sha256.empty()) art["hashes"] = {{"sha-256", in.sha256}};
      art["properties"] = {{"kind", in.kind}};
      if (!in.format_version.empty()) art["properties"]["formatVersion"] = in.format_version;
      if (!in.tool_version.empty()) art["properties"]["terraformVersion"] = in.tool_version;
      art["length"] = in.bytes;
      artifacts.push_back(std::move(art));
    }

  ojson run;
  run["tool"] = {{"driver", std::move(driver)}};
  std::string stamp = timestamp(info.generated_at);
  run["invocations"] = ojson::array({{{"executionSuccessful", true}, {"endTimeUtc", stamp}}});
  std::string catalog_id = a.catalog ? a.catalog->id : "";
  std::string profile_id =
      a.profile.id.empty() ? a.profile.service + "-" + a.profile.tier : a.profile.id;
  run["automationDetails"] = {{"id", fmt::format("csapcheck/{}/{}/", catalog_id, profile_id)}};
  run["artifacts"] = std::move(artifacts);
  run["results"] = placeholder("results");

  ojson props;
  if (const catalog::Catalog* c = a.catalog)
    props["catalog"] = {{"id", c->id},
                        {"version", c->version},
                        {"status", c->status},
                        {"title", c->title.get(lang)}};
  else
    props["catalog"] = nullptr;
  props["profile"] = {{"id", a.profile.id},
                      {"service", a.profile.service},
                      {"tier", a.profile.tier},
                      {"title", profile_text(a, lang)}};
  ojson inputs = ojson::array();
  if (d)
    for (const auto& in : d->inputs)
      inputs.push_back({{"path", in.path}, {"sha256", in.sha256}, {"kind", in.kind}});
  props["inputs"] = std::move(inputs);
  props["generatedAt"] = stamp;
  props["lang"] = lang == Lang::kKo ? "ko" : "en";
  props["summary"] = {{"controls", counts_json(a.summary)},
                      {"readiness", round4(a.summary.readiness())},
                      {"automatedReadiness", round4(a.automated.readiness())}};
  ojson warnings = ojson::array();
  for (const auto& w : info.warnings) warnings.push_back(safe(w));
  props["warnings"] = std::move(warnings);
  run["properties"] = std::move(props);

  ojson doc;
  doc["$schema"] = kSchema;
  doc["version"] = "2.1.0";
  doc["runs"] = ojson::array({std::move(run)});

  write_streamed(os, doc,
                 {{"results", [&](const Emit& emit) {
                     if (!a.rules || !d) return;
                     auto waivers = finding_waivers(a);
                     for (std::size_t i = 0; i < a.findings.size(); ++i)
                       if (a.findings[i].status != Status::kPass)
                         emit(result_json(a, i, by_rule, artifact_index, waivers[i], lang));
                   }}});
}

}  // namespace csap::report
