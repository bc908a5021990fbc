#include "app/rule_tests.h"

#include <fmt/format.h>

#include "ingest/terraform.h"
#include "rules/testres.h"

namespace csap::app {

namespace {

std::string status_of(const std::optional<rules::Tri>& t) {
  if (!t) return "none";
  switch (*t) {
    case rules::Tri::kTrue:
      return "pass";
    case rules::Tri::kFalse:
      return "fail";
    case rules::Tri::kUnknown:
      return "unknown";
  }
  return "?";
}

bool valid_status(const std::string& s) {
  return s == "pass" || s == "fail" || s == "unknown" || s == "none";
}

CaseOutcome run_case(const rules::Rule& base, const rules::TestCase& tc, bool& saw_pass,
                     bool& saw_fail) {
  CaseOutcome out{base.id, base.file, tc.line, false, {}};
  const yaml::Node& n = *tc.node;
  auto bad = [&](std::string m) {
    out.message = std::move(m);
    return out;
  };
  if (!n.is_map()) return bad("a test case must be a mapping");
  const yaml::Node* expect = n.get("expect");
  if (!expect) return bad("a test case needs 'expect'");
  // Recompile with the case's parameter overrides.
  const rules::Rule* rule = &base;
  std::optional<rules::Rule> local;
  if (const yaml::Node* params = n.get("params")) {
    rules::ParamOverrides ov;
    for (const auto& [k, v] : params->pairs) ov[base.id + "." + k.scalar] = v;
    auto r = rules::compile_rule(base.source, base.file, ov);
    if (!r) return bad(r.error().str());
    local = std::move(*r);
    rule = &*local;
  }
  Deployment d;
  if (const yaml::Node* res = n.get("resource")) {
    if (auto r = rules::add_test_resources(*res, d, base.file); !r) return bad(r.error().str());
  } else if (const yaml::Node* list = n.get("resources")) {
    if (auto r = rules::add_test_resources(*list, d, base.file); !r) return bad(r.error().str());
  } else if (const yaml::Node* input = n.get("input")) {
    std::filesystem::path p = input->scalar;
    if (p.is_relative() && !base.file.starts_with("bundled:"))
      p = std::filesystem::path(base.file).parent_path() / p;
    if (auto r = ingest::load_terraform_file(p, d); !r) return bad(r.error().str());
  } else {
    return bad("a test case needs 'resource', 'resources' or 'input'");
  }
  rules::Context ctx(d);
  std::vector<std::pair<std::string, std::string>> wants;  // address → status ("" = every finding)
  if (expect->is_scalar()) {
    if (!valid_status(expect->scalar))
      return bad(fmt::format("unknown expected status '{}'", expect->scalar));
    if (d.resources.empty()) return bad("no resources to test");
    // One resource: that one. An input file: every resource the rule applies to.
    if (n.get("resource"))
      wants.emplace_back(std::string(d.resources[0].address), expect->scalar);
    else
      wants.emplace_back("", expect->scalar);
  } else if (expect->is_map()) {
    for (const auto& [k, v] : expect->pairs) {
      if (!valid_status(v.scalar))
        return bad(fmt::format("unknown expected status '{}'", v.scalar));
      wants.emplace_back(k.scalar, v.scalar);
    }
  } else {
    return bad("'expect' is a status or a mapping of address to status");
  }
  std::string diffs;
  for (const auto& [addr, want] : wants) {
    std::vector<std::uint32_t> targets;
    if (addr.empty()) {
      for (std::uint32_t i = 0; i < d.resources.size(); ++i)
        if (rule->applies_to(d.resources[i].type)) targets.push_back(i);
      if (targets.empty()) return bad("the input holds no resource this rule applies to");
    } else {
      long idx = d.find(addr);
      if (idx < 0) return bad(fmt::format("no resource '{}' in the case", addr));
      targets.push_back(static_cast<std::uint32_t>(idx));
    }
    for (std::uint32_t t : targets) {
      auto ev = rules::evaluate(*rule, ctx, t);
      std::string got = status_of(ev.result);
      if (want == "pass") saw_pass = true;
      if (want == "fail") saw_fail = true;
      if (got != want) {
        diffs += fmt::format("{}{}: expected {}, got {}", diffs.empty() ? "" : "; ",
                             d.resources[t].address, want, got);
        if (!ev.why.path.empty())
          diffs += fmt::format(" ({} {}; actual {})", ev.why.path, ev.why.expected, ev.why.actual);
      }
    }
  }
  if (!diffs.empty()) return bad(diffs);
  out.ok = true;
  return out;
}

}  // namespace

SelfTestReport run_rule_tests(const rules::RuleSet& rs, const std::string& only) {
  SelfTestReport rep;
  for (const auto& rule : rs.rules) {
    if (!only.empty() && rule.id != only) continue;
    ++rep.rules;
    bool saw_pass = false, saw_fail = false;
    for (const auto& tc : rule.tests) {
      ++rep.cases;
      auto o = run_case(rule, tc, saw_pass, saw_fail);
      if (!o.ok) ++rep.failed;
      rep.outcomes.push_back(std::move(o));
    }
    if (!saw_pass || !saw_fail) {
      ++rep.failed;
      rep.outcomes.push_back({rule.id, rule.file, rule.line, false,
                              fmt::format("the rule needs at least one passing and one failing "
                                          "test case (has {} pass, {} fail)",
                                          saw_pass ? "a" : "no", saw_fail ? "a" : "no")});
    }
  }
  return rep;
}

Result<SelfTestReport> test_rules(const RuleTestOptions& opts) {
  rules::LoadRulesOptions ro;
  ro.bundled = opts.dir.empty() && !opts.no_bundled_rules;
  if (!opts.dir.empty()) ro.dirs.emplace_back(opts.dir);
  for (const auto& d : opts.rule_dirs) ro.dirs.emplace_back(d);
  auto rs = rules::load_rules(ro);
  if (!rs) return forward(rs);
  return run_rule_tests(*rs, opts.only);
}

}  // namespace csap::app
