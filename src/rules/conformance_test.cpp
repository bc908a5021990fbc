// Runs every case of ../shared/conformance/rule-semantics.yaml: the executable statement of the
// rule language's semantics.
#include <gtest/gtest.h>

#include "core/yaml.h"
#include "rules/rule.h"
#include "rules/testres.h"
#include "test_support.h"

namespace csap::rules {
namespace {

std::string status_name(const std::optional<Tri>& t) {
  if (!t) return "none";
  switch (*t) {
    case Tri::kTrue:
      return "pass";
    case Tri::kFalse:
      return "fail";
    case Tri::kUnknown:
      return "unknown";
  }
  return "?";
}

TEST(RulesConformance, EveryCaseOfTheSharedSemanticsFile) {
  CSAP_REQUIRE_SHARED();
  auto path = (testing::shared_dir() / "conformance" / "rule-semantics.yaml").string();
  auto doc = yaml::parse_file(path);
  ASSERT_TRUE(doc) << doc.error().str();
  const yaml::Node* cases = (*doc)[0].root.get("cases");
  ASSERT_TRUE(cases && cases->is_seq());
  ASSERT_GE(cases->items.size(), 20u);
  int checked = 0;
  for (const auto& c : cases->items) {
    const std::string name = c.get("name") ? c.get("name")->scalar : "?";
    SCOPED_TRACE(name);
    auto rule = compile_rule(*c.get("rule"), path);
    ASSERT_TRUE(rule) << rule.error().str();
    Deployment d;
    auto added = add_test_resources(*c.get("resources"), d, path);
    ASSERT_TRUE(added) << added.error().str();
    Context ctx(d);
    for (const auto& [addr, want] : c.get("expect")->pairs) {
      long idx = d.find(addr.scalar);
      ASSERT_GE(idx, 0) << addr.scalar;
      auto got = evaluate(*rule, ctx, static_cast<std::uint32_t>(idx));
      EXPECT_EQ(status_name(got.result), want.scalar) << name << ": " << addr.scalar;
      ++checked;
    }
  }
  EXPECT_GE(checked, 60);
}

}  // namespace
}  // namespace csap::rules
