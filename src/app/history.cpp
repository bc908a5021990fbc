#include "app/history.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <system_error>

#include "core/files.h"
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

namespace {

bool is_failure(const store::FindingRecord& f) {
  return f.status == "fail" && !f.waived;
}

std::string str_at(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

Result<store::RunRecord> read_report(const std::string& path) {
  auto text = read_text_file(path);
  if (!text) return forward(text);
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(*text);
  } catch (const nlohmann::json::parse_error& e) {
    // The byte offset to line and column.
    std::size_t at = std::min<std::size_t>(e.byte ? e.byte - 1 : 0, text->size());
    int line = 1, col = 1;
    for (std::size_t i = 0; i < at; ++i) {
      if ((*text)[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    return fail("not a JSON report: the JSON does not parse", {path, line, col});
  }
  if (!j.is_object() || str_at(j, "schema").rfind("csapcheck/report/", 0) != 0)
    return fail("not a csapcheck JSON report (no \"schema\": \"csapcheck/report/...\")", {path});
  store::RunRecord r;
  r.system = "report " + path;
  r.started_at = str_at(j, "generated_at");
  if (auto t = j.find("tool"); t != j.end() && t->is_object())
    r.tool_version = str_at(*t, "version");
  if (auto c = j.find("catalog"); c != j.end() && c->is_object()) {
    r.catalog_id = str_at(*c, "id");
    r.catalog_version = str_at(*c, "version");
  }
  if (auto p = j.find("profile"); p != j.end() && p->is_object()) r.profile = str_at(*p, "id");
  std::map<std::string, std::string> kind_of;  // input path → kind
  if (auto in = j.find("inputs"); in != j.end() && in->is_array())
    for (const auto& i : *in)
      if (i.is_object()) {
        r.inputs.push_back({str_at(i, "path"), str_at(i, "kind"), str_at(i, "sha256")});
        kind_of[str_at(i, "path")] = str_at(i, "kind");
      }
  if (auto fs_ = j.find("findings"); fs_ != j.end() && fs_->is_array())
    for (const auto& f : *fs_) {
      if (!f.is_object()) continue;
      std::string status = str_at(f, "status");
      if (status.empty() || status == "pass") continue;
      std::string file;
      if (auto l = f.find("location"); l != f.end() && l->is_object()) file = str_at(*l, "file");
      std::string kind = kind_of.count(file) ? kind_of[file] : "";
      if (kind.empty() && r.inputs.size() == 1) kind = r.inputs[0].kind;
      std::string resource = str_at(f, "resource"), rule = str_at(f, "rule");
      auto w = f.find("waiver");
      r.findings.push_back({store::fingerprint(kind, resource, rule), kind, resource, rule,
                            str_at(f, "severity"), status, w != f.end() && !w->is_null()});
    }
  if (auto cs = j.find("controls"); cs != j.end() && cs->is_array())
    for (const auto& c : *cs)
      if (c.is_object()) r.controls.push_back({str_at(c, "id"), str_at(c, "verdict")});
  return r;
}

Result<store::RunRecord> resolve_run(const std::string& which, const std::string& db,
                                     const std::string& system) {
  std::error_code ec;
  if (fs::is_regular_file(which, ec)) return read_report(which);
  return store::load_run(db, which, system);
}

RunDiff diff(const store::RunRecord& a, const store::RunRecord& b) {
  RunDiff d;
  std::set<std::string> in_a, in_b;
  for (const auto& f : a.findings)
    if (is_failure(f)) in_a.insert(f.fingerprint);
  for (const auto& f : b.findings)
    if (is_failure(f)) in_b.insert(f.fingerprint);
  std::set<std::string> seen;
  for (const auto& f : b.findings)
    if (is_failure(f) && seen.insert(f.fingerprint).second)
      (in_a.count(f.fingerprint) ? d.unchanged : d.added).push_back(f);
  seen.clear();
  for (const auto& f : a.findings)
    if (is_failure(f) && !in_b.count(f.fingerprint) && seen.insert(f.fingerprint).second)
      d.fixed.push_back(f);
  std::map<std::string, std::string> before;
  for (const auto& c : a.controls) before[c.control] = c.verdict;
  std::set<std::string> in_b_controls;
  for (const auto& c : b.controls) {
    in_b_controls.insert(c.control);
    auto it = before.find(c.control);
    std::string was = it == before.end() ? "" : it->second;
    if (was != c.verdict) d.controls.push_back({c.control, was, c.verdict});
  }
  for (const auto& c : a.controls)
    if (!in_b_controls.count(c.control)) d.controls.push_back({c.control, c.verdict, ""});
  return d;
}

std::string run_label(const store::RunRecord& r) {
  if (r.id == 0) return r.system;
  return fmt::format("run {} of {} ({})", r.id, r.system, r.started_at);
}

void write_diff_text(std::ostream& os, const RunDiff& d, const store::RunRecord& a,
                     const store::RunRecord& b) {
  os << "from " << run_label(a) << '\n' << "to   " << run_label(b) << "\n\n";
  os << fmt::format("{} new, {} fixed, {} unchanged failure(s); {} control verdict(s) changed\n",
                    d.added.size(), d.fixed.size(), d.unchanged.size(), d.controls.size());
  auto list = [&](const char* title, const std::vector<store::FindingRecord>& fs) {
    if (fs.empty()) return;
    os << '\n' << title << '\n';
    for (const auto& f : fs)
      os << fmt::format("  {:<8} {:<24} {}\n", f.severity, f.rule, f.resource);
  };
  list("New failures", d.added);
  list("Fixed", d.fixed);
  list("Unchanged failures", d.unchanged);
  if (!d.controls.empty()) {
    os << "\nControls whose verdict changed\n";
    for (const auto& c : d.controls)
      os << fmt::format("  {:<12} {} → {}\n", c.control, c.before.empty() ? "(absent)" : c.before,
                        c.after.empty() ? "(absent)" : c.after);
  }
}

void write_diff_json(std::ostream& os, const RunDiff& d, const store::RunRecord& a,
                     const store::RunRecord& b) {
  auto run = [](const store::RunRecord& r) {
    nlohmann::json j = {{"label", run_label(r)},
                        {"system", r.system},
                        {"started_at", r.started_at},
                        {"catalog", r.catalog_id},
                        {"profile", r.profile}};
    j["id"] = r.id ? nlohmann::json(r.id) : nlohmann::json(nullptr);
    return j;
  };
  auto findings = [](const std::vector<store::FindingRecord>& fs) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& f : fs)
      arr.push_back({{"fingerprint", f.fingerprint},
                     {"input_kind", f.input_kind},
                     {"resource", f.resource},
                     {"rule", f.rule},
                     {"severity", f.severity}});
    return arr;
  };
  nlohmann::json controls = nlohmann::json::array();
  for (const auto& c : d.controls)
    controls.push_back(
        {{"control", c.control},
         {"before", c.before.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.before)},
         {"after", c.after.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.after)}});
  nlohmann::json j = {{"schema", "csapcheck/diff/v1"},
                      {"from", run(a)},
                      {"to", run(b)},
                      {"new", findings(d.added)},
                      {"fixed", findings(d.fixed)},
                      {"unchanged", findings(d.unchanged)},
                      {"controls", controls}};
  os << j.dump(2) << '\n';
}

}  // namespace csap::app
