// The JSON report, schema csapcheck/report/v1 (docs/report-json.md, docs/report.schema.json).
#include "report/json.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/redact.h"
#include "report/common.h"
#include "rules/rule.h"

namespace csap::report {
namespace {

using json = nlohmann::ordered_json;
using assess::Verdict;
using engine::Status;

json text_json(const Text& t) {
  return json{{"ko", t.ko}, {"en", t.en}};
}

json verdict_counts(const assess::Counts& c) {
  json o = json::object();
  for (std::size_t i = 0; i < assess::kVerdicts; ++i) {
    auto v = static_cast<Verdict>(i);
    o[std::string(assess::verdict_name(v))] = c[v];
  }
  return o;
}

json status_counts(const std::array<std::size_t, 4>& fc) {
  json o = json::object();
  for (std::size_t i = 0; i < 4; ++i)
    o[std::string(engine::status_name(static_cast<Status>(i)))] = fc[i];
  return o;
}

json nullable(const std::string& s) {
  return s.empty() ? json(nullptr) : json(s);
}

// dump(2) of a value nested `depth` levels deep: continuation lines indented to match, so that
// writing members one by one gives the same bytes as dumping the whole document at once.
std::string nested(const json& v, int depth) {
  return indent_following_lines(v.dump(2, ' ', false, json::error_handler_t::replace),
                                static_cast<std::size_t>(depth) * 2);
}

// Writes the top-level members of `head`, then "findings" one finding at a time (a large
// deployment has hundreds of thousands: they are never all held as JSON), then `tail`.
class Writer {
 public:
  explicit Writer(std::ostream& os) : os_(os) {}
  void member(const std::string& key, const json& v) {
    os_ << (first_ ? "{\n" : ",\n") << "  " << json(key).dump() << ": " << nested(v, 1);
    first_ = false;
  }
  void begin_array(const std::string& key) {
    os_ << (first_ ? "{\n" : ",\n") << "  " << json(key).dump() << ": [";
    first_ = false;
    first_item_ = true;
  }
  void item(const json& v) {
    os_ << (first_item_ ? "\n" : ",\n") << "    " << nested(v, 2);
    first_item_ = false;
  }
  void end_array() { os_ << (first_item_ ? "]" : "\n  ]"); }
  void end() { os_ << (first_ ? "{}" : "\n}") << '\n'; }

 private:
  std::ostream& os_;
  bool first_ = true;
  bool first_item_ = true;
};

json finding_json(const assess::Assessment& a, const engine::Finding& f,
                  const std::vector<std::vector<std::string>>& by_rule, Lang lang) {
  const rules::Rule& rule = a.rules->rules[f.rule];
  const Resource& r = a.deployment->resources[f.resource];
  bool detail = f.status == Status::kFail || f.status == Status::kUnknown;
  json fj;
  fj["rule"] = rule.id;
  fj["resource"] = std::string(r.address);
  fj["type"] = std::string(r.type);
  fj["status"] = std::string(engine::status_name(f.status));
  fj["controls"] = by_rule[f.rule];
  fj["severity"] = std::string(rules::severity_name(rule.severity));
  fj["message"] = finding_message(a, f, lang);
  fj["attribute"] = detail && !f.why.path.empty() ? json(safe(f.why.path)) : json(nullptr);
  fj["expected"] = detail && !f.why.expected.empty() ? json(safe(f.why.expected)) : json(nullptr);
  fj["actual"] =
      f.status == Status::kFail && !f.why.actual.empty() ? json(safe(f.why.actual)) : json(nullptr);
  fj["error"] = f.status == Status::kError ? json(safe(f.error)) : json(nullptr);
  fj["remediation"] = f.status != Status::kPass && !rule.remediation.empty()
                          ? text_json(rule.remediation)
                          : json(nullptr);
  fj["waiver"] =
      a.finding_waiver.size() == a.findings.size() && a.finding_waiver[&f - a.findings.data()] >= 0
          ? json(a.finding_waiver[&f - a.findings.data()])
          : json(nullptr);
  if (auto loc = finding_location(a, f)) {
    json l{{"file", loc->file}};
    if (loc->line > 0) l["line"] = loc->line;
    if (loc->column > 0) l["column"] = loc->column;
    fj["location"] = std::move(l);
  } else {
    fj["location"] = nullptr;
  }
  return fj;
}

}  // namespace

void write_json(std::ostream& os, const assess::Assessment& a, const ReportInfo& info) {
  Writer w(os);
  w.member("schema", std::string(kJsonSchemaId));
  w.member("tool", {{"name", info.tool_name}, {"version", info.tool_version}});
  w.member("generated_at", info.generated_at);
  w.member("lang", info.lang == Lang::kKo ? "ko" : "en");

  if (const catalog::Catalog* c = a.catalog) {
    w.member("catalog", {{"id", c->id},
                         {"version", c->version},
                         {"status", c->status},
                         {"title", text_json(c->title)},
                         {"notice", c->notice.empty() ? json(nullptr) : text_json(c->notice)}});
  } else {
    w.member("catalog", nullptr);
  }
  w.member(
      "profile",
      {{"id", nullable(a.profile.id)}, {"service", a.profile.service}, {"tier", a.profile.tier}});

  json inputs = json::array();
  const Deployment* d = a.deployment;
  if (d)
    for (const auto& in : d->inputs)
      inputs.push_back({{"path", in.path},
                        {"sha256", in.sha256},
                        {"kind", in.kind},
                        {"format_version", nullable(in.format_version)},
                        {"terraform_version", nullable(in.tool_version)},
                        {"bytes", in.bytes}});
  w.member("inputs", inputs);
  w.member("resources", d ? d->resources.size() : 0);

  auto by_rule = controls_by_rule(a);
  w.begin_array("findings");
  for (const auto& f : a.findings) w.item(finding_json(a, f, by_rule, info.lang));
  w.end_array();

  json controls = json::array();
  for (const auto& cr : a.controls) {
    const catalog::Control* area = a.catalog ? a.catalog->area_of(cr.control->id) : nullptr;
    json cj;
    cj["id"] = cr.control->id;
    cj["title"] = text_json(cr.control->title);
    cj["area"] = area ? json(area->id) : json(nullptr);
    cj["kind"] = nullable(cr.control->kind);
    cj["verdict"] = std::string(assess::verdict_name(cr.verdict));
    cj["rules"] = cr.rules;
    cj["findings"] = status_counts(cr.finding_counts);
    cj["evidence_expected"] = cr.evidence;
    cj["automated"] = cr.automated;
    cj["needs_attestation"] = cr.needs_attestation;
    cj["conditional"] = cr.conditional;
    cj["reason"] = text_json(cr.reason);
    cj["attestation"] = cr.attestation >= 0 ? json(cr.attestation) : json(nullptr);
    json waivers = json::array();
    for (int wi : cr.waived)
      if (wi >= 0 && std::find(waivers.begin(), waivers.end(), json(wi)) == waivers.end())
        waivers.push_back(wi);
    cj["waivers"] = waivers;
    cj["waived_findings"] = cr.waived_count;
    controls.push_back(std::move(cj));
  }
  w.member("controls", controls);

  json areas = json::array();
  for (const auto& ar : a.areas)
    areas.push_back({{"id", ar.area->id},
                     {"title", text_json(ar.area->title)},
                     {"verdict", std::string(assess::verdict_name(ar.verdict))},
                     {"counts", verdict_counts(ar.counts)},
                     {"readiness", round4(ar.counts.readiness())},
                     {"automated_readiness", round4(ar.automated.readiness())},
                     {"attested_readiness", round4(ar.attested.readiness())}});
  w.member("areas", areas);

  w.member("summary", {{"controls", verdict_counts(a.summary)},
                       {"automated_controls", verdict_counts(a.automated)},
                       {"findings", status_counts(a.finding_counts)},
                       {"attested_controls", verdict_counts(a.attested)},
                       {"readiness", round4(a.summary.readiness())},
                       {"automated_readiness", round4(a.automated.readiness())},
                       {"attested_readiness", round4(a.attested.readiness())}});

  json attestations = json::array();
  for (const auto& at : a.attestations) {
    json files = json::array();
    for (const auto& f : at.evidence)
      files.push_back({{"path", f.path},
                       {"sha256", nullable(f.sha256)},
                       {"locked_sha256", nullable(f.locked_sha256)},
                       {"exists", f.exists},
                       {"changed", f.changed}});
    attestations.push_back({{"control", at.control},
                            {"status", at.status},
                            {"statement", nullable(redact_text(at.statement))},
                            {"reason", nullable(redact_text(at.reason))},
                            {"owner", nullable(redact_text(at.owner))},
                            {"reviewed", nullable(at.reviewed)},
                            {"expires", nullable(at.expires)},
                            {"evidence", files},
                            {"source", fmt::format("{}:{}", at.file, at.line)},
                            {"valid", at.valid},
                            {"problem", at.problem.empty() ? json(nullptr) : text_json(at.problem)},
                            {"expiring_soon", at.expiring_soon}});
  }
  w.member("today", nullable(a.today));
  w.member("attestations", attestations);
  json waivers = json::array();
  for (const auto& wv : a.waivers)
    waivers.push_back({{"rule", nullable(wv.rule)},
                       {"control", nullable(wv.control)},
                       {"resource", wv.resource},
                       {"reason", nullable(redact_text(wv.reason))},
                       {"approved_by", nullable(redact_text(wv.approved_by))},
                       {"expires", nullable(wv.expires)},
                       {"source", wv.source},
                       {"valid", wv.valid},
                       {"problem", wv.problem.empty() ? json(nullptr) : text_json(wv.problem)},
                       {"expiring_soon", wv.expiring_soon},
                       {"matched", wv.matched},
                       {"stale", wv.valid && wv.matched == 0}});
  w.member("waivers", waivers);
  json notes = json::array();
  for (const auto& n : a.notes) notes.push_back(safe(n));
  w.member("notes", notes);
  json warnings = json::array();
  for (const auto& x : info.warnings) warnings.push_back(safe(x));
  w.member("warnings", warnings);
  w.end();
}

}  // namespace csap::report
