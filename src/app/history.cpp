#include "app/history.h"

#include <filesystem>

#include "engine/engine.h"
#include "rules/rule.h"

namespace csap::app {
namespace fs = std::filesystem;

std::string default_store(const ProjectConfig& cfg) {
  fs::path dir = cfg.file.empty() ? fs::path(".") : fs::absolute(cfg.file).parent_path();
  return (dir / ".csapcheck" / "history.db").lexically_normal().string();
}

store::RunRecord to_record(const assess::Assessment& a, const std::string& system,
                           const std::string& tool_version, const std::string& started_at) {
  store::RunRecord r;
  r.system = system;
  r.started_at = started_at;
  r.tool_version = tool_version;
  if (a.catalog) {
    r.catalog_id = a.catalog->id;
    r.catalog_version = a.catalog->version;
  }
  r.profile = a.profile.id;
  r.readiness = a.summary.readiness();
  if (a.deployment)
    for (const auto& in : a.deployment->inputs) r.inputs.push_back({in.path, in.kind, in.sha256});
  for (std::size_t i = 0; i < a.findings.size(); ++i) {
    const auto& f = a.findings[i];
    if (f.status == engine::Status::kPass || !a.rules || !a.deployment) continue;
    const auto& rule = a.rules->rules[f.rule];
    const auto& res = a.deployment->resources[f.resource];
    std::string kind =
        res.input < a.deployment->inputs.size() ? a.deployment->inputs[res.input].kind : "";
    std::string address(res.address);
    bool waived = i < a.finding_waiver.size() && a.finding_waiver[i] >= 0;
    r.findings.push_back({store::fingerprint(kind, address, rule.id), kind, address, rule.id,
                          std::string(rules::severity_name(rule.severity)),
                          std::string(engine::status_name(f.status)), waived});
  }
  // Control waivers accept a control's failing findings: mark those too.
  for (const auto& c : a.controls)
    for (std::size_t k = 0; k < c.findings.size() && k < c.waived.size(); ++k)
      if (c.waived[k] >= 0) {
        const auto& f = a.findings[c.findings[k]];
        std::string address(a.deployment->resources[f.resource].address);
        for (auto& rf : r.findings)
          if (rf.resource == address && rf.rule == a.rules->rules[f.rule].id) rf.waived = true;
      }
  for (const auto& c : a.controls)
    if (c.control)
      r.controls.push_back({c.control->id, std::string(assess::verdict_name(c.verdict))});
  for (const auto& at : a.attestations)
    r.evidence.push_back(
        {"attestation", at.file + ":" + std::to_string(at.line), at.control, "", at.valid});
  for (const auto& w : a.waivers)
    r.evidence.push_back({"waiver", w.source, w.control, w.rule, w.valid});
  return r;
}

}  // namespace csap::app
