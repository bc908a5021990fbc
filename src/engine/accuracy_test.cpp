// Accuracy against independent judges: each rule paired in tests/accuracy/counterparts.yaml runs on
// the inputs whose expected results other projects wrote (../shared/corpus), and the answers are
// compared per resource. Writes docs/accuracy.md with CSAP_UPDATE_DOCS=1; otherwise fails when the
// committed page differs from what this run would write.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/files.h"
#include "core/yaml.h"
#include "ingest/terraform.h"
#include "rules/ruleset.h"
#include "test_support.h"

namespace fs = std::filesystem;
using namespace csap;

namespace {

struct Expect {
  std::string file;  // relative to the corpus
  std::string address;
  std::string want;  // pass | fail
};

struct Row {
  std::string rule, judge, check, semantics, note, source;
  std::vector<Expect> expects;
  std::optional<std::pair<long, long>> counts;  // checkov: pass, fail
  std::string counts_file;
  std::map<std::string, std::string> keep;  // address -> reason
};

struct Disagreement {
  std::string file, address, want, got, reason;
};

struct RowResult {
  Row row;
  std::size_t compared = 0, agreed = 0;
  std::vector<Disagreement> disagreements;
  std::string problem;  // the row could not be run
};

std::string scalar(const yaml::Node& n, std::string_view key) {
  const yaml::Node* v = n.get(key);
  return v && v->is_scalar() ? v->scalar : std::string{};
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Addresses of a plan/state that the rule applies to (by type).
std::vector<std::string> addresses_of(const fs::path& file, const rules::Rule& rule,
                                      std::string* err) {
  Deployment d;
  auto r = ingest::load_terraform_file(file, d);
  if (!r) {
    *err = r.error().str();
    return {};
  }
  std::vector<std::string> out;
  for (const auto& res : d.resources)
    if (res.mode != "data" && rule.applies_to(res.type)) out.emplace_back(res.address);
  return out;
}

bool names_address(const std::string& text, const std::string& addr) {
  auto boundary_ok = [&](std::size_t end) {
    if (end >= text.size()) return true;
    char c = text[end];
    return !(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-');
  };
  std::string escaped;
  for (char c : addr) {
    if (c == '.' || c == '[' || c == ']') escaped += '\\';
    escaped += c;
  }
  for (const std::string& needle : {escaped, addr}) {
    for (std::size_t p = text.find(needle); p != std::string::npos; p = text.find(needle, p + 1))
      if (boundary_ok(p + needle.size())) return true;
  }
  return false;
}

// Builds the rows' expectations from the corpus. Returns a problem text on failure.
std::string resolve(Row& row, const yaml::Node& n, const rules::Rule& rule, const fs::path& corpus,
                    const nlohmann::json& regula) {
  std::set<std::string> exclude;
  if (const yaml::Node* ex = n.get("exclude"); ex && ex->is_seq())
    for (const auto& x : ex->items) exclude.insert(x.scalar);
  if (const yaml::Node* e = n.get("expected"); e && e->is_map()) {
    row.source = scalar(n, "file");
    for (const auto& [k, v] : e->pairs)
      row.expects.push_back({row.source, k.scalar, lower(v.scalar)});
    return {};
  }
  if (row.judge == "regula") {
    std::string pkg = scalar(n, "package");
    for (const auto& e : regula["entries"]) {
      if (e.value("rule_package", "") != pkg || e["expectations"].empty()) continue;
      row.source = e.value("plan_file_in_corpus", "");
      for (const auto& x : e["expectations"]) {
        std::string addr = x.value("resource", "");
        auto dot = addr.find('.');
        // Only the resources of the types our rule checks (regula rules may span several types).
        if (dot == std::string::npos || !rule.applies_to(addr.substr(0, dot)) ||
            exclude.count(addr))
          continue;
        row.expects.push_back({row.source, addr, lower(x.value("expected", ""))});
      }
      return row.expects.empty() ? "no expectation for the rule's resource types" : "";
    }
    return "no entry for package " + pkg + " in EXPECTED.regula-rule-tests.json";
  }
  if (row.judge == "terraform-compliance") {
    fs::path dir = corpus / "terraform-compliance__cli/tests/functional" / scalar(n, "dir");
    row.source = fs::relative(dir / "plan.out.json", corpus).string();
    std::string err;
    auto addrs = addresses_of(dir / "plan.out.json", rule, &err);
    if (!err.empty()) return err;
    bool failure = fs::exists(dir / ".failure");
    std::string expected = fs::exists(dir / ".expected") ? read(dir / ".expected") : "";
    for (const auto& a : addrs) {
      if (exclude.count(a)) continue;
      if (!failure)
        row.expects.push_back({row.source, a, "pass"});
      else if (names_address(expected, a))
        row.expects.push_back({row.source, a, "fail"});
    }
    return row.expects.empty() ? "no resource of the rule's types to compare" : "";
  }
  if (row.judge == "checkov") {
    const yaml::Node* c = n.get("counts");
    if (!c || !c->get("pass") || !c->get("fail"))
      return "checkov rows need counts: {pass: N, fail: M}";
    row.counts_file = scalar(n, "file");
    row.source = row.counts_file;
    row.counts = {c->get("pass")->as_int().value_or(0), c->get("fail")->as_int().value_or(0)};
    return {};
  }
  return "unknown judge " + row.judge;
}

std::string status_name(const std::optional<rules::Tri>& t) {
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

// Our answer agrees when it is the judge's; a resource the rule skips (`where` false) agrees with
// a pass: nothing is reported against it.
bool agrees(const std::string& want, const std::string& got) {
  return want == got || (want == "pass" && got == "none");
}

RowResult run_row(Row row, const rules::RuleSet& rs, const fs::path& corpus) {
  RowResult out;
  const rules::Rule* rule = rs.find(row.rule);
  std::map<std::string, std::unique_ptr<Deployment>> loaded;
  auto deployment = [&](const std::string& file, std::string* err) -> const Deployment* {
    auto& slot = loaded[file];
    if (!slot) {
      slot = std::make_unique<Deployment>();
      auto r = ingest::load_terraform_file(corpus / file, *slot);
      if (!r) {
        *err = r.error().str();
        return nullptr;
      }
    }
    return slot.get();
  };
  if (row.counts) {
    std::string err;
    const Deployment* d = deployment(row.counts_file, &err);
    if (!d) {
      out.problem = err;
      out.row = std::move(row);
      return out;
    }
    rules::Context ctx(*d);
    long pass = 0, fail = 0, unknown = 0;
    for (std::uint32_t i = 0; i < d->resources.size(); ++i) {
      if (d->resources[i].mode == "data" || !rule->applies_to(d->resources[i].type)) continue;
      auto ev = rules::evaluate(*rule, ctx, i);
      std::string s = status_name(ev.result);
      if (s == "pass")
        ++pass;
      else if (s == "fail")
        ++fail;
      else if (s == "unknown")
        ++unknown;
    }
    auto [wp, wf] = *row.counts;
    out.compared = static_cast<std::size_t>(wp + wf);
    long off = std::max(std::labs(pass - wp), std::labs(fail - wf));
    out.agreed = static_cast<std::size_t>(std::max(0L, wp + wf - off));
    if (off > 0) {
      std::string got = fmt::format("{} pass, {} fail, {} unknown", pass, fail, unknown);
      std::string reason = row.keep.count("*") ? row.keep.at("*") : "";
      out.disagreements.push_back(
          {row.counts_file, "(totals)", fmt::format("{} pass, {} fail", wp, wf), got, reason});
    }
    out.row = std::move(row);
    return out;
  }
  for (const auto& e : row.expects) {
    std::string err;
    const Deployment* d = deployment(e.file, &err);
    ++out.compared;
    std::string got;
    if (!d) {
      got = "input not loaded: " + err;
    } else {
      long i = d->find(e.address);
      if (i < 0) {
        got = "resource not found";
      } else {
        rules::Context ctx(*d);
        got = status_name(rules::evaluate(*rule, ctx, static_cast<std::uint32_t>(i)).result);
      }
    }
    if (agrees(e.want, got)) {
      ++out.agreed;
    } else {
      std::string reason = row.keep.count(e.address) ? row.keep.at(e.address) : "";
      out.disagreements.push_back({e.file, e.address, e.want, got, reason});
    }
  }
  out.row = std::move(row);
  return out;
}

std::string pct(std::size_t a, std::size_t b) {
  if (b == 0) return "-";
  return fmt::format("{:.1f}%", 100.0 * static_cast<double>(a) / static_cast<double>(b));
}

std::string cell(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n')
      out += ' ';
    else
      out += c;
  }
  return out;
}

struct Summary {
  std::size_t compared = 0, agreed = 0;
  std::set<std::string> rules;
};

Summary matched_summary(const std::vector<RowResult>& results) {
  Summary s;
  for (const auto& r : results) {
    if (r.row.semantics != "match" || !r.problem.empty()) continue;
    s.compared += r.compared;
    s.agreed += r.agreed;
    s.rules.insert(r.row.rule);
  }
  return s;
}

std::string render(const std::vector<RowResult>& results, const yaml::Node& root) {
  Summary s = matched_summary(results);
  std::string out = "# Accuracy against independent judges\n\n";
  out +=
      "<!-- Generated by the accuracy test (src/engine/accuracy_test.cpp) from "
      "tests/accuracy/counterparts.yaml "
      "and the expected results in ../shared/corpus. Regenerate with: CSAP_UPDATE_DOCS=1 "
      "build/csapcheck_tests --gtest_filter='Accuracy.*'. Do not edit. -->\n\n";
  out +=
      "Other projects ship test inputs with the answers their checks must give. For each of our "
      "rules with a "
      "counterpart among them, the accuracy test runs our rule on those inputs and compares the "
      "result per "
      "resource (a resource our rule skips counts as a pass). Where both check the same property "
      "(semantics *match*) the agreement must be at least 95%; where they differ, the figures are "
      "shown for "
      "information and the difference is explained.\n\n";
  out += fmt::format(
      "**Agreement where the semantics match: {}/{} resources ({}), over {} rule(s) and {} "
      "comparison(s).**\n\n",
      s.agreed, s.compared, pct(s.agreed, s.compared), s.rules.size(),
      std::count_if(results.begin(), results.end(),
                    [](const RowResult& r) { return r.row.semantics == "match"; }));
  out +=
      "| rule | judge | counterpart | semantics | input | agree / compared | agreement "
      "|\n|---|---|---|---|---|---|---|\n";
  for (const auto& r : results) {
    out += fmt::format("| {} | {} | {} | {} | `{}` | {} | {} |\n", r.row.rule, r.row.judge,
                       cell(r.row.check), r.row.semantics, cell(r.row.source),
                       r.problem.empty() ? fmt::format("{} / {}", r.agreed, r.compared) : "not run",
                       r.problem.empty() ? pct(r.agreed, r.compared) : cell(r.problem));
  }
  out += "\n## Notes on each comparison\n\n";
  for (const auto& r : results)
    out += fmt::format("- **{}** vs {} {}: {}\n", r.row.rule, r.row.judge, cell(r.row.check),
                       r.row.note);
  out += "\n## Disagreements we keep\n\n";
  bool any = false;
  for (const auto& r : results)
    for (const auto& d : r.disagreements) {
      any = true;
      out += fmt::format(
          "- **{}** vs {} ({}), `{}` in `{}`: the judge says {}, csapcheck says {}. {}\n",
          r.row.rule, r.row.judge,
          r.row.semantics == "match" ? "same semantics" : "different semantics", d.address, d.file,
          d.want, d.got, d.reason.empty() ? "(no reason recorded)" : d.reason);
    }
  if (!any) out += "None.\n";
  if (const yaml::Node* un = root.get("unusable"); un && un->is_seq() && !un->items.empty()) {
    out += "\n## Expected results we cannot use\n\n";
    for (const auto& u : un->items)
      out += fmt::format("- **{}**: {}\n", scalar(u, "judge"), scalar(u, "why"));
  }
  return out;
}

}  // namespace

TEST(Accuracy, AgainstIndependentJudges) {
  CSAP_REQUIRE_SHARED();
  fs::path corpus = csap::testing::shared_dir() / "corpus";
  auto text = read_text_file(csap::testing::source_dir() / "tests/accuracy/counterparts.yaml");
  ASSERT_TRUE(text) << text.error().str();
  auto root = yaml::parse_one(*text, "tests/accuracy/counterparts.yaml");
  ASSERT_TRUE(root) << root.error().str();
  auto rs = rules::load_rules({});
  ASSERT_TRUE(rs) << rs.error().str();
  nlohmann::json regula =
      nlohmann::json::parse(read(corpus / "fugue__regula/EXPECTED.regula-rule-tests.json"));

  const yaml::Node* list = root->get("counterparts");
  ASSERT_TRUE(list && list->is_seq()) << "counterparts.yaml needs a 'counterparts' list";
  std::vector<RowResult> results;
  for (const auto& n : list->items) {
    Row row;
    row.rule = scalar(n, "rule");
    row.judge = scalar(n, "judge");
    row.check = scalar(n, "check");
    row.semantics = scalar(n, "semantics");
    row.note = scalar(n, "note");
    if (const yaml::Node* k = n.get("keep"); k && k->is_map())
      for (const auto& [a, why] : k->pairs) row.keep[a.scalar] = why.scalar;
    EXPECT_TRUE(row.semantics == "match" || row.semantics == "differ")
        << row.rule << ": semantics must be match or differ (line " << n.line << ")";
    const rules::Rule* rule = rs->find(row.rule);
    if (!rule) {
      ADD_FAILURE() << "counterparts.yaml:" << n.line << ": no rule " << row.rule
                    << " in the bundled pack";
      continue;
    }
    std::string problem = resolve(row, n, *rule, corpus, regula);
    if (!problem.empty()) {
      ADD_FAILURE() << "counterparts.yaml:" << n.line << ": " << row.rule << " vs " << row.judge
                    << ": " << problem;
      RowResult rr;
      rr.row = std::move(row);
      rr.problem = problem;
      results.push_back(std::move(rr));
      continue;
    }
    results.push_back(run_row(std::move(row), *rs, corpus));
  }

  // Per-rule figures, and every disagreement, on the test's output.
  for (const auto& r : results) {
    std::printf("%-26s %-22s %-7s %3zu/%-3zu %s\n", r.row.rule.c_str(), r.row.judge.c_str(),
                r.row.semantics.c_str(), r.agreed, r.compared, pct(r.agreed, r.compared).c_str());
    for (const auto& d : r.disagreements) {
      std::printf("    %s (%s): judge %s, csapcheck %s%s%s\n", d.address.c_str(), d.file.c_str(),
                  d.want.c_str(), d.got.c_str(),
                  d.reason.empty() ? "" : " -- kept: ", d.reason.c_str());
      EXPECT_FALSE(d.reason.empty()) << r.row.rule << " vs " << r.row.judge << ": " << d.address
                                     << " disagrees (judge " << d.want << ", csapcheck " << d.got
                                     << ") and counterparts.yaml gives no reason under 'keep'";
    }
  }
  Summary s = matched_summary(results);
  std::printf("overall (semantics match): %zu/%zu %s over %zu rule(s)\n", s.agreed, s.compared,
              pct(s.agreed, s.compared).c_str(), s.rules.size());
  ASSERT_GT(s.compared, 0u);
  EXPECT_GE(static_cast<double>(s.agreed), 0.95 * static_cast<double>(s.compared))
      << "agreement below 95% where the semantics match";

  std::string page = render(results, *root);
  fs::path doc = csap::testing::source_dir() / "docs/accuracy.md";
  const char* update = std::getenv("CSAP_UPDATE_DOCS");
  if (update && std::string(update) == "1") {
    std::ofstream(doc, std::ios::binary) << page;
  } else {
    auto have = read_text_file(doc);
    EXPECT_TRUE(have && *have == page) << "docs/accuracy.md is stale: run CSAP_UPDATE_DOCS=1 "
                                          "build/csapcheck_tests --gtest_filter='Accuracy.*'";
  }
}
