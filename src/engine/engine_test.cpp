// The engine judges managed resources only: a data source produces no finding.
#include "engine/engine.h"

#include <gtest/gtest.h>

#include "ingest/inputs.h"
#include "rules/ruleset.h"

namespace csap::engine {
namespace {

// An EKS cluster without secrets encryption, once as a managed resource and once read as a data
// source (whose schema has no encryption_config at all).
const char* kPlan = R"({"format_version":"1.2","terraform_version":"1.6.0",
"resource_changes":[
 {"address":"aws_eks_cluster.main","mode":"managed","type":"aws_eks_cluster","name":"main",
  "provider_name":"registry.terraform.io/hashicorp/aws",
  "change":{"actions":["create"],"after":{"name":"main","region":"ap-northeast-2"}}},
 {"address":"data.aws_eks_cluster.existing","mode":"data","type":"aws_eks_cluster","name":"existing",
  "provider_name":"registry.terraform.io/hashicorp/aws",
  "change":{"actions":["read"],"after":{"name":"existing","region":"ap-northeast-2"}}}]})";

TEST(Engine, DataSourcesAreNotJudged) {
  Deployment d;
  auto loaded = ingest::load_input_bytes(kPlan, "plan.json", d);
  ASSERT_TRUE(loaded) << loaded.error().str();
  ASSERT_EQ(d.resources.size(), 2u);
  const long data = d.find("data.aws_eks_cluster.existing");
  const long managed = d.find("aws_eks_cluster.main");
  ASSERT_GE(data, 0);
  ASSERT_GE(managed, 0);
  EXPECT_EQ(d.resources[static_cast<std::size_t>(data)].mode, "data");  // kept in the model

  rules::LoadRulesOptions ro;
  auto rs = rules::load_rules(ro);
  ASSERT_TRUE(rs) << rs.error().str();
  ASSERT_NE(rs->find("AWS-EKS-SECRETS-001"), nullptr);
  auto findings = run(*rs, d);
  std::size_t on_managed = 0, secrets_fail = 0;
  for (const auto& f : findings) {
    EXPECT_NE(f.resource, static_cast<std::uint32_t>(data))
        << rs->rules[f.rule].id << " judged the data source";
    if (f.resource == static_cast<std::uint32_t>(managed)) ++on_managed;
    if (rs->rules[f.rule].id == "AWS-EKS-SECRETS-001" && f.status == Status::kFail) ++secrets_fail;
  }
  EXPECT_GT(on_managed, 0u);
  EXPECT_EQ(secrets_fail, 1u);  // the managed cluster only
}

}  // namespace
}  // namespace csap::engine
