#include "ingest/terraform.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "core/embedded.h"
#include "ingest/providers.h"
#include "test_support.h"

namespace csap::ingest {
namespace {
namespace fs = std::filesystem;
using csap::testing::source_dir;

fs::path fixture(const std::string& name) {
  return source_dir() / "src/ingest/testdata" / name;
}

const Resource& res(const Deployment& d, std::string_view address) {
  long i = d.find(address);
  if (i < 0) {
    ADD_FAILURE() << "no resource " << address;
    static Resource none;
    return none;
  }
  return d.resources[static_cast<std::size_t>(i)];
}

std::string region(const Resource& r) {
  if (r.region.is_unknown()) return "(unknown)";
  if (r.region.is_null()) return "(none)";
  return std::string(r.region.str());
}
std::string show(const Value& v) {
  if (v.is_unknown()) return "(unknown)";
  if (v.is_null()) return "(none)";
  return std::string(v.str());
}

std::set<std::string> ref_set(const Deployment& d, const Resource& r) {
  std::set<std::string> out;
  for (const auto& ref : r.refs)
    out.insert(std::string(ref.attr) + "->" + std::string(d.resources[ref.target].address));
  return out;
}

class TerraformPlan : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = load_terraform_file(fixture("plan_modules.json"), d);
    ASSERT_TRUE(r) << r.error().str();
  }
  Deployment d;
};

TEST_F(TerraformPlan, RecordsTheInput) {
  ASSERT_EQ(d.inputs.size(), 1u);
  EXPECT_EQ(d.inputs[0].kind, "terraform-plan");
  EXPECT_EQ(d.inputs[0].format_version, "1.2");
  EXPECT_EQ(d.inputs[0].tool_version, "1.6.6");
  EXPECT_EQ(d.inputs[0].sha256.size(), 64u);
  EXPECT_EQ(d.inputs[0].bytes, fs::file_size(fixture("plan_modules.json")));
}

TEST_F(TerraformPlan, SkipsDeleteOnlyAndKeepsReplacementsAndData) {
  EXPECT_EQ(d.find("aws_s3_bucket.old"), -1);
  EXPECT_GE(d.find("aws_instance.web"), 0);  // delete + create
  const Resource& dr = res(d, "data.aws_region.current");
  EXPECT_EQ(dr.mode, "data");
  EXPECT_EQ(d.resources.size(), 18u);
}

TEST_F(TerraformPlan, ResourceFields) {
  const Resource& r = res(d, "module.app[1].aws_sqs_queue.q");
  EXPECT_EQ(r.type, "aws_sqs_queue");
  EXPECT_EQ(r.name, "q");
  EXPECT_EQ(r.module, "module.app[1]");
  EXPECT_EQ(r.provider, "aws");
  EXPECT_EQ(r.provider_source, "registry.terraform.io/hashicorp/aws");
  EXPECT_EQ(r.mode, "managed");
  EXPECT_GT(r.line, 1);
  EXPECT_GT(r.column, 0);
  EXPECT_EQ(res(d, "ncloud_vpc.main").provider, "ncloud");
}

TEST_F(TerraformPlan, UnknownOverlay) {
  const Resource& b = res(d, "aws_s3_bucket.logs");
  ASSERT_TRUE(b.values.is_object());
  EXPECT_EQ(b.values.get("bucket")->str(), "corp-logs");
  // Keys absent from `after` but true in after_unknown become unknown.
  ASSERT_NE(b.values.get("arn"), nullptr);
  EXPECT_TRUE(b.values.get("arn")->is_unknown());
  EXPECT_TRUE(b.values.get("versioning")->is_unknown());
  // Nested: grant[0].id added as unknown; grant[0].uri stays null; permissions stay known.
  const Value* g0 = &b.values.get("grant")->items()[0];
  EXPECT_TRUE(g0->get("id")->is_unknown());
  EXPECT_TRUE(g0->get("uri")->is_null());
  EXPECT_EQ(g0->get("permissions")->items()[0].str(), "READ");
  // Deep inside nested blocks.
  const Resource& e = res(d, "aws_s3_bucket_server_side_encryption_configuration.logs");
  const Value& by_default =
      e.values.get("rule")->items()[0].get("apply_server_side_encryption_by_default")->items()[0];
  EXPECT_EQ(by_default.get("sse_algorithm")->str(), "aws:kms");
  EXPECT_TRUE(by_default.get("kms_master_key_id")->is_unknown());
  EXPECT_TRUE(e.values.get("bucket")->is_unknown());
}

TEST_F(TerraformPlan, SensitiveOverlay) {
  const Resource& db = res(d, "aws_db_instance.main");
  EXPECT_TRUE(db.values.get("password")->sensitive());
  EXPECT_FALSE(db.values.get("username")->sensitive());
  EXPECT_TRUE(db.values.any_sensitive());
  EXPECT_FALSE(res(d, "aws_s3_bucket.logs").values.any_sensitive());
}

TEST_F(TerraformPlan, RegionFromProviderConfigThroughVariable) {
  // provider "aws" { region = var.region }, variables.region = us-east-1; the bucket's own
  // region attribute is computed (not set in configuration), so the provider decides.
  EXPECT_EQ(region(res(d, "aws_s3_bucket.logs")), "us-east-1");
}

TEST_F(TerraformPlan, RegionFromAliasedProvider) {
  EXPECT_EQ(region(res(d, "aws_db_instance.main")), "ap-northeast-2");
}

TEST_F(TerraformPlan, RegionFromOwnAttribute) {
  const Resource& web = res(d, "aws_instance.web");
  EXPECT_EQ(region(web), "ap-northeast-2");  // from availability_zone, not the provider's us-east-1
  EXPECT_EQ(show(web.zone), "ap-northeast-2c");
  EXPECT_EQ(region(res(d, "azurerm_resource_group.rg")), "koreacentral");
}

TEST_F(TerraformPlan, RegionInheritedIntoModules) {
  // module.storage has a provider entry without configuration: inherits the root aws provider,
  // both with the old "storage:aws" and the newer "module.storage:aws" key forms.
  EXPECT_EQ(region(res(d, "module.storage.aws_kms_key.this")), "us-east-1");
  EXPECT_EQ(region(res(d, "module.storage.aws_s3_bucket.this")), "us-east-1");
  // No provider entry at all for module.app: the root provider.
  EXPECT_EQ(region(res(d, "module.app[0].aws_sqs_queue.q")), "us-east-1");
}

TEST_F(TerraformPlan, RegionFromModuleVariable) {
  // module.net:google region = var.gcp_region; the module call passes "asia-northeast3".
  EXPECT_EQ(region(res(d, "module.net.google_compute_subnetwork.sub")), "asia-northeast3");
}

TEST_F(TerraformPlan, RegionUnknownWhenConfiguredButComputed) {
  // region = var.bucket_region, which the call sets from a data source read at apply.
  EXPECT_TRUE(res(d, "module.storage.aws_s3_bucket.regional").region.is_unknown());
}

TEST_F(TerraformPlan, GlobalAndLocationlessResources) {
  EXPECT_TRUE(res(d, "aws_iam_role.app").region.is_null());
  EXPECT_TRUE(res(d, "module.net.google_compute_network.vpc").region.is_null());
  const Resource& rnd = res(d, "random_id.suffix");
  EXPECT_TRUE(rnd.region.is_null());
  EXPECT_TRUE(rnd.zone.is_null());
  EXPECT_TRUE(rnd.site.is_null());
  EXPECT_TRUE(res(d, "aws_s3_bucket.logs").site.is_null());  // only ncloud has a site
}

TEST_F(TerraformPlan, NcloudRegionZoneAndSite) {
  const Resource& vpc = res(d, "ncloud_vpc.main");
  EXPECT_EQ(region(vpc), "KR");
  EXPECT_EQ(show(vpc.site), "gov");
  const Resource& srv = res(d, "ncloud_server.app");
  EXPECT_EQ(show(srv.zone), "KR-2");
  EXPECT_EQ(region(srv), "KR");
  EXPECT_EQ(show(srv.site), "gov");
}

TEST_F(TerraformPlan, ReferencesFromConfiguration) {
  const Resource& enc = res(d, "aws_s3_bucket_server_side_encryption_configuration.logs");
  auto refs = ref_set(d, enc);
  EXPECT_TRUE(refs.contains("bucket->aws_s3_bucket.logs"));
  // Through a nested block and a module output.
  EXPECT_TRUE(refs.contains("rule->module.storage.aws_kms_key.this"));
  EXPECT_EQ(refs.size(), 2u) << ::testing::PrintToString(refs);
}

TEST_F(TerraformPlan, ReferencesThroughModuleVariable) {
  // module.storage: bucket = var.bucket_name; the call passes random_id.suffix.hex.
  auto refs = ref_set(d, res(d, "module.storage.aws_s3_bucket.this"));
  EXPECT_EQ(refs, (std::set<std::string>{"bucket->random_id.suffix"}));
}

TEST_F(TerraformPlan, ReferencesToEveryModuleInstance) {
  auto refs = ref_set(d, res(d, "aws_sqs_queue_policy.p"));
  EXPECT_TRUE(refs.contains("queue_url->module.app[0].aws_sqs_queue.q"));
  EXPECT_TRUE(refs.contains("queue_url->module.app[1].aws_sqs_queue.q"));
  EXPECT_TRUE(refs.contains("policy->data.aws_region.current"));
  auto inner = ref_set(d, res(d, "module.net.google_compute_subnetwork.sub"));
  EXPECT_EQ(inner, (std::set<std::string>{"network->module.net.google_compute_network.vpc"}));
}

TEST(TerraformPlanFallback, PlannedValuesWhenNoResourceChanges) {
  Deployment d;
  auto r = load_terraform_file(fixture("plan_planned_values_only.json"), d);
  ASSERT_TRUE(r) << r.error().str();
  ASSERT_EQ(d.resources.size(), 2u);
  const Resource& vol = res(d, "aws_ebs_volume.data");
  EXPECT_EQ(vol.provider, "aws");
  EXPECT_EQ(region(vol), "ap-northeast-2");
  const Resource& db = res(d, "module.db.aws_db_instance.this");
  EXPECT_EQ(db.module, "module.db");
  EXPECT_TRUE(db.values.get("password")->sensitive());
  // Old key form "db:aws", no module provider entry: the root provider through var.region.
  EXPECT_EQ(region(db), "ap-northeast-2");
}

// ---- state -----------------------------------------------------------------------------------

class TerraformState : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = load_terraform_file(fixture("state_v4.json"), d);
    ASSERT_TRUE(r) << r.error().str();
  }
  Deployment d;
};

TEST_F(TerraformState, InstancesAndAddresses) {
  EXPECT_EQ(d.inputs.at(0).kind, "terraform-state");
  EXPECT_EQ(d.inputs.at(0).format_version, "4");
  EXPECT_EQ(d.inputs.at(0).tool_version, "1.5.7");
  EXPECT_GE(d.find("data.aws_iam_policy_document.assume"), 0);
  EXPECT_GE(d.find("aws_db_instance.main[0]"), 0);
  EXPECT_GE(d.find("module.net.aws_subnet.private[\"a\"]"), 0);
  EXPECT_GE(d.find("module.net.aws_subnet.private[\"c\"]"), 0);
  EXPECT_GE(d.find("module.servers[\"web\"].ncloud_server.server"), 0);
  EXPECT_EQ(d.resources.size(), 8u);  // the deposed instance is left out
  const Resource& db = res(d, "aws_db_instance.main[0]");
  EXPECT_EQ(db.provider, "aws");
  EXPECT_EQ(db.provider_source, "registry.terraform.io/hashicorp/aws");
  EXPECT_GT(db.line, 1);
}

TEST_F(TerraformState, SensitiveAttributes) {
  EXPECT_TRUE(res(d, "aws_db_instance.main[0]").values.get("password")->sensitive());
  EXPECT_FALSE(res(d, "aws_db_instance.main[0]").values.get("username")->sensitive());
  const Resource& b = res(d, "aws_instance.bastion");
  EXPECT_TRUE(b.values.get("user_data")->sensitive());
  EXPECT_TRUE(b.values.get("tags")->get("Secret")->sensitive());
  EXPECT_FALSE(b.values.get("tags")->get("Name")->sensitive());
  const Value& ebs = b.values.get("ebs_block_device")->items()[0];
  EXPECT_TRUE(ebs.get("kms_key_id")->sensitive());
  EXPECT_FALSE(ebs.get("encrypted")->sensitive());
}

TEST_F(TerraformState, DependenciesAsReferences) {
  auto refs = ref_set(d, res(d, "aws_db_instance.main[0]"));
  EXPECT_EQ(refs, (std::set<std::string>{"->aws_db_subnet_group.main",
                                         "->module.net.aws_subnet.private[\"a\"]",
                                         "->module.net.aws_subnet.private[\"c\"]"}));
  auto srv = ref_set(d, res(d, "module.servers[\"web\"].ncloud_server.server"));
  EXPECT_TRUE(srv.contains("->ncloud_login_key.key"));
}

TEST_F(TerraformState, Regions) {
  EXPECT_EQ(region(res(d, "aws_db_instance.main[0]")), "ap-northeast-2");  // from the ARN
  EXPECT_EQ(region(res(d, "aws_instance.bastion")), "ap-northeast-2");     // from the zone
  EXPECT_EQ(region(res(d, "module.net.aws_subnet.private[\"c\"]")), "ap-northeast-2");
  EXPECT_TRUE(res(d, "data.aws_iam_policy_document.assume").region.is_null());  // global
  const Resource& srv = res(d, "module.servers[\"web\"].ncloud_server.server");
  EXPECT_EQ(srv.provider, "ncloud");
  EXPECT_EQ(region(srv), "KR");
  EXPECT_EQ(show(srv.zone), "KR-1");
  EXPECT_EQ(show(srv.site), "public");  // the provider's default
  EXPECT_EQ(region(res(d, "ncloud_login_key.key")), "KR");
}

TEST(TerraformStateOld, Version3IsRejectedWithAReason) {
  Deployment d;
  auto r = load_terraform_file(fixture("state_v3.json"), d);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Exit::kBadInput);
  EXPECT_NE(r.error().str().find("state version 3 is not supported"), std::string::npos)
      << r.error().str();
  EXPECT_TRUE(d.resources.empty());
}

TEST(TerraformProviders, ShortNames) {
  EXPECT_EQ(provider_short_name("registry.terraform.io/hashicorp/aws"), "aws");
  EXPECT_EQ(provider_short_name("registry.terraform.io/NaverCloudPlatform/ncloud"), "ncloud");
  EXPECT_EQ(provider_short_name("terraform.local/local/nhncloud"), "nhncloud");
  EXPECT_EQ(provider_short_name("provider[\"registry.terraform.io/hashicorp/aws\"].seoul"), "aws");
  EXPECT_EQ(provider_short_name("module.m.provider[\"registry.terraform.io/nhn-cloud/nhncloud\"]"),
            "nhncloud");
  EXPECT_EQ(provider_short_name("provider.aws.west"), "aws");
  EXPECT_EQ(provider_short_name("aws"), "aws");
}

TEST(TerraformProviders, BundledTableParses) {
  bool found = false;
  for (const auto& f : embedded_files()) {
    if (f.path != "providers.yaml") continue;
    found = true;
    auto t = ProviderTable::parse(f.bytes, "data/providers.yaml");
    ASSERT_TRUE(t) << t.error().str();
    const ProviderLocation* aws = t->find("aws");
    ASSERT_NE(aws, nullptr);
    EXPECT_TRUE(t->is_global(*aws, "aws_iam_role"));
    EXPECT_TRUE(t->is_global(*aws, "aws_route53_zone"));
    EXPECT_FALSE(t->is_global(*aws, "aws_route53_resolver_endpoint"));
    EXPECT_FALSE(t->is_global(*aws, "aws_s3_bucket"));
    EXPECT_EQ(t->region_of_zone(*aws, "ap-northeast-2a"), "ap-northeast-2");
    EXPECT_EQ(t->region_of_zone(*aws, "us-gov-west-1b"), "us-gov-west-1");
    EXPECT_EQ(t->region_of_zone(*t->find("google"), "asia-northeast3-a"), "asia-northeast3");
    EXPECT_EQ(t->region_of_zone(*t->find("ncloud"), "FKR-1"), "FKR");
    EXPECT_EQ(t->normalize_region(*t->find("azurerm"), "Korea Central"), "koreacentral");
    EXPECT_TRUE(t->no_location("random"));
    EXPECT_TRUE(t->no_location("null"));
    EXPECT_EQ(t->find("ncloud")->default_site.value_or(""), "public");
    EXPECT_EQ(t->find("ncloud")->default_region.value_or(""), "KR");
    EXPECT_FALSE(t->find("nhncloud")->default_region.has_value());
  }
  EXPECT_TRUE(found) << "data/providers.yaml is not embedded";
}

TEST(TerraformProviders, Glob) {
  EXPECT_TRUE(glob_match("aws_iam_*", "aws_iam_role"));
  EXPECT_TRUE(glob_match("*", ""));
  EXPECT_TRUE(glob_match("a*b*c", "aXXbYYc"));
  EXPECT_FALSE(glob_match("a*b*c", "aXXbYY"));
  EXPECT_TRUE(glob_match("google_folder*", "google_folder"));
}

}  // namespace
}  // namespace csap::ingest
