// rules list|show|new|test|validate|coverage|docs.
#include <fmt/format.h>

#include <iostream>

#include "app/rule_info.h"
#include "app/rule_scaffold.h"
#include "app/rule_tests.h"
#include "catalog/rule_controls.h"
#include "cli/command.h"
#include "core/text.h"
#include "rules/ruleset.h"

namespace csap::cli {
namespace {

struct ListOpts {
  CommonOpts common;
  std::string format = "text";
};

Result<int> rules_list(const ListOpts& o) {
  if (o.format == "json") {
    app::RuleInfoOptions a;
    a.mappings = o.common.sources.mappings;
    a.rule_dirs = o.common.sources.rule_dirs;
    a.no_bundled_rules = o.common.sources.no_bundled_rules;
    auto json = app::rules_list_json(a);
    if (!json) return forward(json);
    std::cout << *json;
    return 0;
  }
  auto rs = app::load_rules(o.common.sources);
  if (!rs) return forward(rs);
  // Controls each rule serves, per catalog, from every bundled mapping.
  auto controls = catalog::rule_controls();
  if (!controls) return forward(controls);
  Lang lang = detect_lang(o.common.lang);
  for (const auto& r : rs->rules) {
    std::string types, ctls;
    for (const auto& t : r.resource_types) types += (types.empty() ? "" : ",") + t;
    for (const auto& [cat, ids] : (*controls)[r.id])
      for (const auto& c : ids) ctls += fmt::format("{}{}:{}", ctls.empty() ? "" : " ", cat, c);
    fmt::print("{:<22} {:<9} {}\n    {}\n    controls: {}\n", r.id, severity_name(r.severity),
               r.title.get(lang), types, ctls.empty() ? "-" : ctls);
  }
  fmt::print("{} rules\n", rs->rules.size());
  return 0;
}

struct ShowOpts {
  CommonOpts common;
  std::string id;
};

Result<int> rules_show(const ShowOpts& o) {
  auto rs = app::load_rules(o.common.sources);
  if (!rs) return forward(rs);
  const rules::Rule* r = rs->find(o.id);
  if (!r) return fail(fmt::format("no rule '{}'", o.id));
  Lang lang = detect_lang(o.common.lang);
  fmt::print("{}  [{}]\n{}\n", r->id, severity_name(r->severity), r->title.get(lang));
  std::string types;
  for (const auto& t : r->resource_types) types += (types.empty() ? "" : ", ") + t;
  fmt::print("resources: {}\n", types);
  if (!r->rationale.empty()) fmt::print("\n{}\n", r->rationale.get(lang));
  if (!r->remediation.empty()) fmt::print("\n{}\n", r->remediation.get(lang));
  fmt::print("\nsource: {}:{}  tests: {}\n", r->file, r->line, r->tests.size());
  return 0;
}

Result<int> rules_new(const app::NewRuleOptions& o) {
  auto r = app::new_rule(o);
  if (!r) return forward(r);
  fmt::print(stderr,
             "csapcheck: wrote {}; fill in its TODOs, then `csapcheck rules validate` and `rules "
             "test` its directory\n",
             r->file);
  return 0;
}

struct TestOpts {
  CommonOpts common;
  std::string dir, only;
  bool quiet = false;
};

Result<int> rules_test(const TestOpts& o) {
  app::RuleTestOptions to;
  to.dir = o.dir;
  to.rule_dirs = o.common.sources.rule_dirs;
  to.no_bundled_rules = o.common.sources.no_bundled_rules;
  to.only = o.only;
  auto rep = app::test_rules(to);
  if (!rep) return forward(rep);
  for (const auto& oc : rep->outcomes) {
    if (oc.ok && o.quiet) continue;
    if (oc.ok)
      fmt::print("ok    {} ({}:{})\n", oc.rule, oc.file, oc.line);
    else
      fmt::print("FAIL  {} ({}:{}): {}\n", oc.rule, oc.file, oc.line, oc.message);
  }
  std::size_t passed = rep->cases - std::min(rep->failed, rep->cases);
  fmt::print("{} rules, {} cases\n{} passed, {} failed\n", rep->rules, rep->cases, passed,
             rep->failed);
  if (rep->rules == 0) return fail("no rules to test");
  return rep->failed ? static_cast<int>(Exit::kFindings) : 0;
}

struct ValidateOpts {
  CommonOpts common;
  std::string dir;
};

Result<int> rules_validate(const ValidateOpts& o) {
  auto n = app::validate_rules(o.dir, o.common.sources.mappings);
  if (!n) return forward(n);
  fmt::print("{} rules valid\n", *n);
  return 0;
}

struct ExtraOpts {
  app::RuleInfoOptions args;
  std::string dir;
};

Result<int> coverage_cmd(const ExtraOpts& o) {
  auto text = app::rules_coverage(o.args);
  if (!text) return forward(text);
  std::cout << *text;
  return 0;
}

Result<int> docs_cmd(const ExtraOpts& o) {
  auto n = app::rules_docs(o.args, o.dir);
  if (!n) return forward(n);
  fmt::print(stderr, "csapcheck: wrote {} pages to {}\n", *n, o.dir);
  return 0;
}

}  // namespace

std::vector<Command> rules_commands() {
  std::vector<Command> out;
  out.push_back(command<ListOpts>(
      {"rules", "list"}, "List the rules with severity, resource types and controls",
      [](CLI::App& a, ListOpts& o) {
        a.add_option("--format", o.format, "text or json")->check(CLI::IsMember({"text", "json"}));
        add_common(a, o.common, false);
      },
      rules_list));
  out.push_back(command<ShowOpts>(
      {"rules", "show"}, "Show one rule",
      [](CLI::App& a, ShowOpts& o) {
        a.add_option("id", o.id)->required();
        add_common(a, o.common, false);
      },
      rules_show));
  out.push_back(command<app::NewRuleOptions>(
      {"rules", "new"}, "Start a new rule file from an existing rule",
      [](CLI::App& a, app::NewRuleOptions& o) {
        a.add_option("id", o.id, "The new rule's id (its file is DIR/ID.yaml)")->required();
        a.add_option("--like", o.like, "The rule to start from")->required();
        a.add_option("-o,--output", o.dir,
                     "Directory (default: that of a user rule given with --like, else "
                     "data/rules/<cloud>/ in the source tree, else the current directory)");
        a.add_option("--rules", o.rule_dirs, "A directory of extra rules (where --like may be)");
        a.add_flag("--no-bundled-rules", o.no_bundled_rules,
                   "Use only the rules given with --rules");
      },
      rules_new));
  out.push_back(command<TestOpts>(
      {"rules", "test"}, "Run every rule's own test cases",
      [](CLI::App& a, TestOpts& o) {
        a.add_option("dir", o.dir, "A rule directory (default: the bundled rules)");
        a.add_option("--rule", o.only, "Only this rule");
        a.add_flag("-q,--quiet", o.quiet, "Print failures only");
        add_common(a, o.common, false);
      },
      rules_test));
  out.push_back(command<ValidateOpts>(
      {"rules", "validate"}, "Check rule files (and the bundled mappings)",
      [](CLI::App& a, ValidateOpts& o) {
        a.add_option("dir", o.dir, "A rule directory (default: the bundled rules)");
        add_common(a, o.common, false);
      },
      rules_validate));
  out.push_back(command<ExtraOpts>(
      {"rules", "coverage"}, "How many controls the rules automate, per catalog, profile and area",
      [](CLI::App& a, ExtraOpts& o) {
        a.add_option(
            "--catalog", o.args.catalogs,
            "Catalog (repeatable): csap, isms-p, n2sf or a file (default: every bundled one)");
        a.add_option("--profile", o.args.profile, "Only this profile, e.g. iaas-high");
        a.add_option("--format", o.args.format, "text or json")
            ->check(CLI::IsMember({"text", "json"}));
        a.add_option("--mapping", o.args.mappings, "An extra mapping file");
        a.add_option("--rules", o.args.rule_dirs, "A directory of extra rules");
        a.add_flag("--no-bundled-rules", o.args.no_bundled_rules,
                   "Use only the rules given with --rules");
        a.add_option("--lang", o.args.lang, "ko or en")->check(CLI::IsMember({"ko", "en"}));
      },
      coverage_cmd));
  out.push_back(command<ExtraOpts>(
      {"rules", "docs"}, "Write one Markdown page per rule and an index",
      [](CLI::App& a, ExtraOpts& o) {
        a.add_option("-o,--output", o.dir, "Directory, e.g. docs/rules")->required();
        a.add_option("--rules", o.args.rule_dirs, "A directory of extra rules");
        a.add_flag("--no-bundled-rules", o.args.no_bundled_rules,
                   "Use only the rules given with --rules");
      },
      docs_cmd));
  return out;
}

}  // namespace csap::cli
