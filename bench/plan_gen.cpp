// Synthetic Terraform plan generator (see plan_gen.h).
//
// Layout. The plan is made of "units": a few resources that belong together (a bucket with its
// encryption configuration, a security group with the instances that use it, an access control
// group with its rules and a server, ...). Units are grouped in blocks of kUnitsPerBlock; block b
// lives in the root module when b % 3 == 0, in module.svc_<b> when b % 3 == 1, and in the nested
// module.svc_<b-1>.module.data when b % 3 == 2. Each unit draws everything from its own random
// stream, seeded by (seed, unit number), so a unit can be rebuilt at will (the `before` and `after`
// of an update or a replacement are two builds of the same unit) and sections can be written in
// one pass: planned_values, resource_changes, prior_state and configuration each stream into a
// temporary file, and the four are joined at the end.
#include "plan_gen.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace csap::bench {
namespace {

// ---- random numbers --------------------------------------------------------------------------

struct Rng {
  std::uint64_t s;
  explicit Rng(std::uint64_t seed) : s(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::uint32_t below(std::uint32_t n) {
    return static_cast<std::uint32_t>(((next() >> 32) * static_cast<std::uint64_t>(n)) >> 32);
  }
  bool chance(unsigned percent) { return below(100) < percent; }
  template <std::size_t N>
  std::string_view pick(const std::array<std::string_view, N>& a) {
    return a[below(N)];
  }
};

// ---- a small JSON writer ---------------------------------------------------------------------

void append_escaped(std::string& s, std::string_view v) {
  s.push_back('"');
  std::size_t start = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(v[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    s.append(v.data() + start, i - start);
    start = i + 1;
    switch (c) {
      case '"':
        s.append("\\\"");
        break;
      case '\\':
        s.append("\\\\");
        break;
      case '\n':
        s.append("\\n");
        break;
      case '\t':
        s.append("\\t");
        break;
      default: {
        static const char* hex = "0123456789abcdef";
        s.append("\\u00");
        s.push_back(hex[c >> 4]);
        s.push_back(hex[c & 15]);
      }
    }
  }
  s.append(v.data() + start, v.size() - start);
  s.push_back('"');
}

void append_int(std::string& s, std::int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  s.append(buf, r.ptr);
}

class J {
 public:
  std::string s;

  J& obj() {
    open('{', '}');
    return *this;
  }
  J& arr() {
    open('[', ']');
    return *this;
  }
  J& end() {
    s.push_back(closer_[depth_]);
    --depth_;
    return *this;
  }
  J& key(std::string_view k) {
    sep();
    append_escaped(s, k);
    s.push_back(':');
    after_key_ = true;
    return *this;
  }
  J& str(std::string_view v) {
    sep();
    append_escaped(s, v);
    return *this;
  }
  J& num(std::int64_t v) {
    sep();
    append_int(s, v);
    return *this;
  }
  J& dbl(double v) {
    sep();
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    s.append(buf, r.ptr);
    return *this;
  }
  J& boolean(bool b) {
    sep();
    s.append(b ? "true" : "false");
    return *this;
  }
  J& null() {
    sep();
    s.append("null");
    return *this;
  }
  J& raw(std::string_view json) {
    sep();
    s.append(json);
    return *this;
  }

  J& kv(std::string_view k, std::string_view v) { return key(k).str(v); }
  J& kn(std::string_view k, std::int64_t v) { return key(k).num(v); }
  J& kb(std::string_view k, bool v) { return key(k).boolean(v); }
  J& knull(std::string_view k) { return key(k).null(); }
  J& kraw(std::string_view k, std::string_view json) { return key(k).raw(json); }

 private:
  void sep() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (depth_ > 0) {
      if (first_[depth_])
        first_[depth_] = false;
      else
        s.push_back(',');
    }
  }
  void open(char o, char c) {
    sep();
    s.push_back(o);
    ++depth_;
    first_[depth_] = true;
    closer_[depth_] = c;
  }
  int depth_ = 0;
  bool after_key_ = false;
  std::array<bool, 40> first_{};
  std::array<char, 40> closer_{};
};

std::string qjson(std::string_view v) {
  std::string s;
  append_escaped(s, v);
  return s;
}

std::string hex(std::uint64_t v, int digits) {
  static const char* h = "0123456789abcdef";
  std::string s(static_cast<std::size_t>(digits), '0');
  for (int i = digits - 1; i >= 0; --i) {
    s[static_cast<std::size_t>(i)] = h[v & 15];
    v >>= 4;
  }
  return s;
}

// ---- the parts of a unit ---------------------------------------------------------------------

enum Kind : std::uint8_t {
  kS3,
  kWeb,
  kRds,
  kEbs,
  kIam,
  kNcloud,
  kNcloudPg,
  kNhn,
  kGoogle,
  kAzure,
  kKinds
};
enum Action : std::uint8_t { kCreate, kNoop, kUpdate, kDelete, kReplace };

struct UnitPlan {
  Kind kind = kS3;
  Action action = kCreate;
  bool alias_us = false;  // aws.us (us-east-1), root module only
  int c1 = 0, c2 = 0;     // per-kind counts and switches
  int instances = 0;
  Rng rng{0};  // the stream after the plan's draws
};

constexpr std::uint64_t kUnitsPerBlock = 24;

UnitPlan plan_unit(std::uint64_t seed, std::uint64_t u, bool in_root) {
  UnitPlan p;
  Rng r(seed * 0x2545f4914f6cdd1dULL ^ (u + 1) * 0x9e3779b97f4a7c15ULL);
  r.next();
  const std::uint32_t k = r.below(100);
  // Mix of kinds (percent): s3 18, web 17, rds 6, ebs 10, iam 9, ncloud 12, ncloud pg 4,
  // nhn/openstack 10, google 7, azure 7.
  static constexpr std::array<std::uint32_t, kKinds> upto = {18, 35, 41, 51, 60,
                                                             72, 76, 86, 93, 100};
  for (int i = 0; i < kKinds; ++i) {
    if (k < upto[static_cast<std::size_t>(i)]) {
      p.kind = static_cast<Kind>(i);
      break;
    }
  }
  const std::uint32_t a = r.below(100);
  p.action = a < 75 ? kCreate : a < 93 ? kNoop : a < 97 ? kUpdate : a < 98 ? kDelete : kReplace;
  p.alias_us = in_root && r.chance(5);
  switch (p.kind) {
    case kS3:
      p.c1 = r.chance(80);  // separate encryption configuration
      p.c2 = r.chance(40);  // public access block
      p.instances = 1 + p.c1 + p.c2;
      break;
    case kWeb: {
      const std::uint32_t n = r.below(10);
      p.c1 = n < 5 ? 1 : n < 8 ? 2 : 3;  // instances (count)
      p.instances = 1 + p.c1;
      break;
    }
    case kNcloud:
      p.c1 = r.chance(70) ? 1 : 2;  // servers
      p.instances = 2 + p.c1;
      break;
    case kNhn:
      p.c1 = 1 + static_cast<int>(r.below(3));  // rules
      p.c2 = r.chance(30);                      // openstack provider instead of nhncloud
      p.instances = 1 + p.c1;
      break;
    default:
      p.instances = 1;
      break;
  }
  p.rng = r;
  return p;
}

struct Inst {
  std::string type, name, provider;  // provider: full provider address
  int index = -1;
  std::string values, unknown, sensitive;
};

struct ConfRes {
  std::string type, name, provider_key;  // provider_key local to the module: aws, aws.us, ncloud
  std::string expressions;               // a JSON object
  int count = 0;                         // count expression (0: none)
};

struct Unit {
  std::vector<Inst> insts;
  std::vector<ConfRes> conf;
};

constexpr std::string_view kAws = "registry.terraform.io/hashicorp/aws";
constexpr std::string_view kNcloudP = "registry.terraform.io/NaverCloudPlatform/ncloud";
constexpr std::string_view kNhnP = "registry.terraform.io/nhn-cloud/nhncloud";
constexpr std::string_view kOpenstackP =
    "registry.terraform.io/terraform-provider-openstack/openstack";
constexpr std::string_view kGoogleP = "registry.terraform.io/hashicorp/google";
constexpr std::string_view kAzureP = "registry.terraform.io/hashicorp/azurerm";

constexpr std::array<std::string_view, 5> kOwners = {
    "클라우드운영팀", "보안관제팀", "전자정부서비스팀", "데이터플랫폼팀", "platform-team"};
constexpr std::array<std::string_view, 5> kProjects = {"민원24", "국민비서", "정부24-통합",
                                                       "행정정보공동이용", "e-procurement"};
constexpr std::array<std::string_view, 3> kEnvs = {"prod", "stage", "dev"};

// One resource being built: known values, the after_unknown marks and after_sensitive marks.
class RB {
 public:
  RB(bool existing, Rng& r) : existing_(existing), r_(r) {
    v.obj();
    unk.obj();
    sens.obj();
  }
  J v, unk, sens;

  bool existing() const { return existing_; }
  // A value the provider computes: known in prior state, unknown in a plan that creates it.
  void comp(std::string_view k, std::string_view json) {
    if (existing_)
      v.kraw(k, json);
    else
      unk.kb(k, true);
  }
  void comp_str(std::string_view k, std::string_view s) {
    if (existing_)
      v.kv(k, s);
    else
      unk.kb(k, true);
  }
  // tags, and tags_all: what the provider computes from tags and default_tags (known in state,
  // unknown in a plan that creates the resource).
  void tags(std::string_view name, int revision, bool with_all = true) {
    const std::string_view env = kEnvs[r_.below(3)];
    const std::string_view owner = r_.pick(kOwners);
    const std::string_view project = r_.pick(kProjects);
    for (int pass = 0; pass < (with_all ? 2 : 1); ++pass) {
      if (pass == 1 && !existing_) {
        unk.kb("tags_all", true);
        break;
      }
      v.key(pass == 0 ? "tags" : "tags_all").obj();
      v.kv("Name", name).kv("Environment", env).kv("Owner", owner).kv("Project", project);
      v.kv("Rev", revision == 1 ? "1" : "2");
      v.end();
      sens.key(pass == 0 ? "tags" : "tags_all").obj().end();
    }
  }
  Inst finish(std::string_view type, std::string name, std::string_view provider, int index = -1) {
    v.end();
    unk.end();
    sens.end();
    Inst in;
    in.type = type;
    in.name = std::move(name);
    in.provider = provider;
    in.index = index;
    in.values = std::move(v.s);
    in.unknown = existing_ ? std::string("{}") : std::move(unk.s);
    in.sensitive = std::move(sens.s);
    return in;
  }

 private:
  bool existing_;
  Rng& r_;
};

// Expressions of a configuration block.
class Expr {
 public:
  Expr() { j.obj(); }
  J j;
  Expr& constant(std::string_view k, std::string_view json) {
    j.key(k).obj().kraw("constant_value", json).end();
    return *this;
  }
  Expr& refs(std::string_view k, std::initializer_list<std::string_view> rs) {
    j.key(k).obj().key("references").arr();
    for (auto r : rs) j.str(r);
    j.end().end();
    return *this;
  }
  std::string done() {
    j.end();
    return std::move(j.s);
  }
};

std::string uuid(Rng& r) {
  return hex(r.next(), 8) + "-" + hex(r.next(), 4) + "-4" + hex(r.next(), 3) + "-a" +
         hex(r.next(), 3) + "-" + hex(r.next(), 12);
}

std::string policy_json(Rng& r, std::string_view bucket, bool broad) {
  J p;
  p.obj().kv("Version", "2012-10-17").key("Statement").arr();
  if (broad) {
    p.obj().kv("Sid", "AdminAll").kv("Effect", "Allow").kv("Action", "*").kv("Resource", "*").end();
  } else {
    p.obj()
        .kv("Sid", "ReadBucket")
        .kv("Effect", "Allow")
        .key("Action")
        .arr()
        .str("s3:GetObject")
        .str("s3:ListBucket")
        .end();
    p.key("Resource")
        .arr()
        .str("arn:aws:s3:::" + std::string(bucket))
        .str("arn:aws:s3:::" + std::string(bucket) + "/*")
        .end()
        .end();
    p.obj()
        .kv("Sid", "UseKey")
        .kv("Effect", "Allow")
        .key("Action")
        .arr()
        .str("kms:Decrypt")
        .str("kms:GenerateDataKey")
        .end();
    p.kv("Resource", "arn:aws:kms:ap-northeast-2:123456789012:key/" + uuid(r)).end();
  }
  p.end().end();
  return std::move(p.s);
}

// Builds a unit. `existing`: values as in state (computed attributes known); otherwise as planned
// for creation (computed attributes unknown). `revision` changes one tag (updates).
Unit build_unit(const UnitPlan& plan, std::uint64_t u, bool existing, int revision) {
  Rng r = plan.rng;  // every build of the unit draws the same numbers
  Unit unit;
  const std::string id = std::to_string(u);
  const std::string aws_key = plan.alias_us ? "aws.us" : "aws";
  const std::string_view aws_region = plan.alias_us ? "us-east-1" : "ap-northeast-2";
  const std::string account = "123456789012";

  switch (plan.kind) {
    case kS3: {
      const std::string name = "data_" + id;
      static constexpr std::array<std::string_view, 5> sfx = {"logs", "assets", "backup", "archive",
                                                              "upload"};
      const std::string bucket = "csap-" + std::string(kEnvs[r.below(3)]) + "-" + hex(u, 6) + "-" +
                                 std::string(r.pick(sfx));
      const bool inline_sse = r.chance(30);
      {
        RB b(existing, r);
        b.v.kv("bucket", bucket)
            .knull("bucket_prefix")
            .kb("force_destroy", false)
            .kb("object_lock_enabled", false);
        b.tags(bucket, revision);
        b.v.knull("timeouts");
        b.comp_str("arn", "arn:aws:s3:::" + bucket);
        b.comp_str("bucket_domain_name", bucket + ".s3.amazonaws.com");
        b.comp_str("bucket_regional_domain_name",
                   bucket + ".s3." + std::string(aws_region) + ".amazonaws.com");
        b.comp("cors_rule", "[]");
        b.comp_str("hosted_zone_id", "Z3W03O7B5YMIYP");
        b.comp_str("id", bucket);
        b.comp_str("region", aws_region);
        b.comp_str("request_payer", "BucketOwner");
        b.comp("server_side_encryption_configuration",
               inline_sse
                   ? "[{\"rule\":[{\"apply_server_side_encryption_by_default\":[{\"kms_master_key_"
                     "id\":\"\",\"sse_algorithm\":\"AES256\"}],\"bucket_key_enabled\":false}]}]"
                   : "[]");
        b.comp("versioning", "[{\"enabled\":false,\"mfa_delete\":false}]");
        for (auto k : {"cors_rule", "server_side_encryption_configuration", "versioning"})
          b.sens.key(k).arr().end();
        unit.insts.push_back(b.finish("aws_s3_bucket", name, kAws));
        unit.conf.push_back(
            {"aws_s3_bucket", name, aws_key,
             Expr().constant("bucket", qjson(bucket)).constant("force_destroy", "false").done(),
             0});
      }
      if (plan.c1) {
        RB s(existing, r);
        const std::uint32_t x = r.below(100);
        const std::string_view alg = x < 60 ? "aws:kms" : x < 95 ? "AES256" : "aws:kms:unsupported";
        s.comp_str("bucket", bucket);
        s.v.knull("expected_bucket_owner");
        s.comp_str("id", bucket);
        s.v.key("rule").arr().obj().key("apply_server_side_encryption_by_default").arr().obj();
        const std::string key_arn =
            "arn:aws:kms:" + std::string(aws_region) + ":" + account + ":key/" + uuid(r);
        if (alg == "aws:kms" && existing)
          s.v.kv("kms_master_key_id", key_arn);
        else if (alg != "aws:kms")
          s.v.kv("kms_master_key_id", "");
        s.v.kv("sse_algorithm", alg).end().end().kb("bucket_key_enabled", true).end().end();
        if (!existing && alg == "aws:kms")
          s.unk.key("rule")
              .arr()
              .obj()
              .key("apply_server_side_encryption_by_default")
              .arr()
              .obj()
              .kb("kms_master_key_id", true)
              .end()
              .end()
              .end()
              .end();
        s.sens.key("rule")
            .arr()
            .obj()
            .key("apply_server_side_encryption_by_default")
            .arr()
            .obj()
            .end()
            .end()
            .end()
            .end();
        unit.insts.push_back(
            s.finish("aws_s3_bucket_server_side_encryption_configuration", name, kAws));
        unit.conf.push_back(
            {"aws_s3_bucket_server_side_encryption_configuration", name, aws_key,
             Expr()
                 .refs("bucket", {"aws_s3_bucket." + name + ".id", "aws_s3_bucket." + name})
                 .refs("rule", {"var.kms_key_arn"})
                 .done(),
             0});
      }
      if (plan.c2) {
        RB p(existing, r);
        const bool all = r.chance(85);
        p.v.kb("block_public_acls", true)
            .kb("block_public_policy", all)
            .kb("ignore_public_acls", true)
            .kb("restrict_public_buckets", all);
        p.comp_str("bucket", bucket);
        p.comp_str("id", bucket);
        unit.insts.push_back(p.finish("aws_s3_bucket_public_access_block", name, kAws));
        unit.conf.push_back(
            {"aws_s3_bucket_public_access_block", name, aws_key,
             Expr()
                 .constant("block_public_acls", "true")
                 .constant("block_public_policy", all ? "true" : "false")
                 .refs("bucket", {"aws_s3_bucket." + name + ".id", "aws_s3_bucket." + name})
                 .done(),
             0});
      }
      break;
    }
    case kWeb: {
      const std::string name = "web_" + id;
      const std::string sg_id = "sg-0" + hex(r.next(), 16);
      {
        RB g(existing, r);
        g.v.kv("description", "웹 서버 보안 그룹 (Managed by Terraform)");
        g.v.key("egress")
            .arr()
            .obj()
            .key("cidr_blocks")
            .arr()
            .str("0.0.0.0/0")
            .end()
            .kv("description", "")
            .kn("from_port", 0)
            .key("ipv6_cidr_blocks")
            .arr()
            .end()
            .key("prefix_list_ids")
            .arr()
            .end()
            .kv("protocol", "-1")
            .key("security_groups")
            .arr()
            .end()
            .kb("self", false)
            .kn("to_port", 0)
            .end()
            .end();
        g.v.key("ingress").arr();
        auto rule = [&](int port, std::string_view cidr, std::string_view desc) {
          g.v.obj()
              .key("cidr_blocks")
              .arr()
              .str(cidr)
              .end()
              .kv("description", desc)
              .kn("from_port", port)
              .key("ipv6_cidr_blocks")
              .arr()
              .end()
              .key("prefix_list_ids")
              .arr()
              .end()
              .kv("protocol", "tcp")
              .key("security_groups")
              .arr()
              .end()
              .kb("self", false)
              .kn("to_port", port)
              .end();
        };
        rule(443, "0.0.0.0/0", "HTTPS 서비스");
        if (r.chance(50)) rule(80, "0.0.0.0/0", "HTTP → HTTPS 리다이렉트");
        if (r.chance(70)) rule(22, r.chance(20) ? "0.0.0.0/0" : "10.0.0.0/8", "SSH 관리 접속");
        if (r.chance(5)) rule(3389, "0.0.0.0/0", "RDP");
        g.v.end();
        g.v.kv("name", "web-" + id + "-sg")
            .kb("revoke_rules_on_delete", false)
            .knull("timeouts")
            .kv("vpc_id", "vpc-0a1b2c3d4e5f60718");
        g.tags("web-" + id + "-sg", revision);
        g.comp_str("arn", "arn:aws:ec2:" + std::string(aws_region) + ":" + account +
                              ":security-group/" + sg_id);
        g.comp_str("id", sg_id);
        g.comp_str("name_prefix", "");
        g.comp_str("owner_id", account);
        g.sens.key("egress").arr().obj().key("cidr_blocks").arr().end().end().end();
        g.sens.key("ingress").arr().end();
        unit.insts.push_back(g.finish("aws_security_group", name, kAws));
        unit.conf.push_back(
            {"aws_security_group", name, aws_key,
             Expr()
                 .constant("description", qjson("웹 서버 보안 그룹 (Managed by Terraform)"))
                 .constant("name", qjson("web-" + id + "-sg"))
                 .refs("vpc_id", {"var.vpc_id"})
                 .done(),
             0});
      }
      const bool imdsv2 = r.chance(75);
      const bool root_enc = r.chance(80);
      const bool public_ip = r.chance(15);
      static constexpr std::array<std::string_view, 4> itypes = {"t3.medium", "m6i.large",
                                                                 "c6i.xlarge", "r6i.large"};
      const std::string_view itype = r.pick(itypes);
      for (int i = 0; i < plan.c1; ++i) {
        RB e(existing, r);
        const std::string iid = "i-0" + hex(r.next(), 16);
        e.v.kv("ami", "ami-0c9c942bd7bf113a2")
            .kb("associate_public_ip_address", public_ip)
            .kb("ebs_optimized", true)
            .kv("instance_type", itype)
            .kv("key_name", "ops-key")
            .kb("monitoring", true)
            .kv("subnet_id", "subnet-0123456789abcdef0")
            .knull("timeouts")
            .kv("user_data", hex(r.next(), 16) + hex(r.next(), 16) + hex(r.next(), 8));
        e.v.key("metadata_options")
            .arr()
            .obj()
            .kv("http_endpoint", "enabled")
            .kn("http_put_response_hop_limit", 1)
            .kv("http_tokens", imdsv2 ? "required" : "optional")
            .kv("instance_metadata_tags", "disabled")
            .end()
            .end();
        e.v.key("root_block_device")
            .arr()
            .obj()
            .kb("delete_on_termination", true)
            .kb("encrypted", root_enc)
            .knull("tags")
            .kn("volume_size", 50)
            .kv("volume_type", "gp3");
        const std::string vol_key =
            root_enc ? "arn:aws:kms:ap-northeast-2:" + account + ":key/" + uuid(r) : "";
        const std::string vol_id = "vol-0" + hex(r.next(), 16);
        if (existing)
          e.v.kv("device_name", "/dev/xvda")
              .kn("iops", 3000)
              .kv("kms_key_id", vol_key)
              .kn("throughput", 125)
              .kv("volume_id", vol_id);
        e.v.end().end();
        if (!existing)
          e.unk.key("root_block_device")
              .arr()
              .obj()
              .kb("device_name", true)
              .kb("iops", true)
              .kb("kms_key_id", true)
              .kb("throughput", true)
              .kb("volume_id", true)
              .end()
              .end();
        e.tags("web-" + id + "-" + std::to_string(i), revision);
        e.comp_str("arn",
                   "arn:aws:ec2:" + std::string(aws_region) + ":" + account + ":instance/" + iid);
        e.comp_str("availability_zone", std::string(aws_region) + (i % 2 ? "c" : "a"));
        e.comp_str("id", iid);
        e.comp_str("instance_state", "running");
        e.comp_str("private_ip",
                   "10.0." + std::to_string(r.below(250)) + "." + std::to_string(r.below(250)));
        e.comp(public_ip ? "public_ip" : "public_dns", public_ip ? "\"3.35.0.1\"" : "\"\"");
        e.comp("vpc_security_group_ids", "[" + qjson(sg_id) + "]");
        e.sens.key("metadata_options")
            .arr()
            .obj()
            .end()
            .end()
            .key("root_block_device")
            .arr()
            .obj()
            .end()
            .end();
        unit.insts.push_back(e.finish("aws_instance", name, kAws, plan.c1 > 1 ? i : -1));
      }
      {
        Expr x;
        x.refs("ami", {"var.ami_id"})
            .constant("instance_type", qjson(itype))
            .refs("subnet_id", {"var.subnet_id"})
            .refs("vpc_security_group_ids",
                  {"aws_security_group." + name + ".id", "aws_security_group." + name});
        x.j.key("metadata_options")
            .arr()
            .obj()
            .key("http_tokens")
            .obj()
            .kraw("constant_value", imdsv2 ? "\"required\"" : "\"optional\"")
            .end()
            .end()
            .end();
        x.j.key("root_block_device")
            .arr()
            .obj()
            .key("encrypted")
            .obj()
            .kraw("constant_value", root_enc ? "true" : "false")
            .end()
            .key("volume_size")
            .obj()
            .kraw("constant_value", "50")
            .end()
            .end()
            .end();
        unit.conf.push_back({"aws_instance", name, aws_key, x.done(), plan.c1 > 1 ? plan.c1 : 0});
      }
      break;
    }
    case kRds: {
      const std::string name = "db_" + id;
      RB d(existing, r);
      const bool enc = r.chance(85);
      std::string pw;
      for (int i = 0; i < 20; ++i)
        pw.push_back("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!#%"[r.below(60)]);
      d.v.kn("allocated_storage", 100 + 50 * r.below(10))
          .kb("auto_minor_version_upgrade", true)
          .kn("backup_retention_period", r.chance(90) ? 7 : 0)
          .kb("copy_tags_to_snapshot", true)
          .kv("db_name", "minwon")
          .kb("deletion_protection", r.chance(70))
          .kv("engine", "postgres")
          .kv("engine_version", "15.4")
          .kb("iam_database_authentication_enabled", r.chance(50))
          .kv("identifier", "db-" + id)
          .kv("instance_class", "db.r6g.large")
          .kb("multi_az", r.chance(60))
          .kv("password", pw)
          .kn("port", 5432)
          .kb("publicly_accessible", r.chance(5))
          .kb("skip_final_snapshot", false)
          .kb("storage_encrypted", enc)
          .kv("storage_type", "gp3")
          .kv("username", "dbadmin")
          .knull("timeouts");
      d.tags("db-" + id, revision);
      d.comp_str("address", "db-" + id + ".c9akciq32.ap-northeast-2.rds.amazonaws.com");
      d.comp_str("arn", "arn:aws:rds:" + std::string(aws_region) + ":" + account + ":db:db-" + id);
      d.comp_str("availability_zone", std::string(aws_region) + "a");
      d.comp_str("endpoint", "db-" + id + ".c9akciq32.ap-northeast-2.rds.amazonaws.com:5432");
      d.comp_str("id", "db-" + hex(r.next(), 26));
      d.comp_str("kms_key_id",
                 enc ? "arn:aws:kms:ap-northeast-2:" + account + ":key/" + uuid(r) : "");
      d.comp("vpc_security_group_ids", "[\"sg-0a1b2c3d4e5f60718\"]");
      d.sens.kb("password", true);
      unit.insts.push_back(d.finish("aws_db_instance", name, kAws));
      unit.conf.push_back({"aws_db_instance", name, aws_key,
                           Expr()
                               .constant("engine", "\"postgres\"")
                               .constant("identifier", qjson("db-" + id))
                               .refs("kms_key_id", {"var.kms_key_arn"})
                               .refs("password", {"var.db_password"})
                               .constant("storage_encrypted", enc ? "true" : "false")
                               .constant("username", "\"dbadmin\"")
                               .done(),
                           0});
      break;
    }
    case kEbs: {
      const std::string name = "vol_" + id;
      RB e(existing, r);
      const bool enc = r.chance(80);
      const std::string az = std::string(aws_region) + (r.chance(50) ? "a" : "c");
      e.v.kv("availability_zone", az)
          .kb("encrypted", enc)
          .kb("final_snapshot", false)
          .kn("iops", 3000)
          .kb("multi_attach_enabled", false)
          .knull("outpost_arn")
          .kn("size", 100 * (1 + r.below(10)))
          .kn("throughput", 125)
          .knull("timeouts")
          .kv("type", "gp3");
      e.tags("vol-" + id, revision);
      e.comp_str("arn", "arn:aws:ec2:" + std::string(aws_region) + ":" + account + ":volume/vol-0" +
                            hex(u, 16));
      e.comp_str("id", "vol-0" + hex(u, 16));
      e.comp_str("kms_key_id",
                 enc ? "arn:aws:kms:ap-northeast-2:" + account + ":key/" + uuid(r) : "");
      e.comp_str("snapshot_id", "");
      unit.insts.push_back(e.finish("aws_ebs_volume", name, kAws));
      unit.conf.push_back({"aws_ebs_volume", name, aws_key,
                           Expr()
                               .constant("availability_zone", qjson(az))
                               .constant("encrypted", enc ? "true" : "false")
                               .constant("type", "\"gp3\"")
                               .done(),
                           0});
      break;
    }
    case kIam: {
      const std::string name = "role_" + id;
      RB g(existing, r);
      J assume;
      assume.obj()
          .kv("Version", "2012-10-17")
          .key("Statement")
          .arr()
          .obj()
          .kv("Action", "sts:AssumeRole")
          .kv("Effect", "Allow")
          .key("Principal")
          .obj()
          .kv("Service", "ec2.amazonaws.com")
          .end()
          .kv("Sid", "")
          .end()
          .end()
          .end();
      g.v.kv("assume_role_policy", assume.s)
          .kv("description", "애플리케이션 서버 역할 " + id)
          .kb("force_detach_policies", false);
      g.v.key("inline_policy")
          .arr()
          .obj()
          .kv("name", "app-" + id)
          .kv("policy", policy_json(r, "csap-prod-" + hex(u, 6), r.chance(4)))
          .end()
          .end();
      g.v.kn("max_session_duration", 3600)
          .kv("name", "app-role-" + id)
          .kv("path", "/")
          .knull("permissions_boundary");
      g.tags("app-role-" + id, revision);
      g.comp_str("arn", "arn:aws:iam::" + account + ":role/app-role-" + id);
      g.comp_str("create_date", "2024-03-1" + std::to_string(r.below(10)) + "T09:00:00Z");
      g.comp_str("id", "app-role-" + id);
      g.comp("managed_policy_arns", "[\"arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore\"]");
      g.comp_str("unique_id", "AROA" + hex(r.next(), 16));
      g.sens.key("inline_policy").arr().obj().end().end().key("managed_policy_arns").arr().end();
      unit.insts.push_back(g.finish("aws_iam_role", name, kAws));
      unit.conf.push_back(
          {"aws_iam_role", name, aws_key,
           Expr()
               .refs("assume_role_policy", {"data.aws_iam_policy_document.assume.json",
                                            "data.aws_iam_policy_document.assume"})
               .constant("name", qjson("app-role-" + id))
               .done(),
           0});
      break;
    }
    case kNcloud: {
      const std::string name = "app_" + id;
      const std::string acg_no = std::to_string(100000 + u);
      {
        RB a(existing, r);
        a.v.kv("description", "업무 서버 ACG " + id).kv("name", "acg-" + id).kv("vpc_no", "12345");
        a.comp_str("access_control_group_no", acg_no);
        a.comp_str("id", acg_no);
        a.comp("is_default", "false");
        unit.insts.push_back(a.finish("ncloud_access_control_group", name, kNcloudP));
        unit.conf.push_back(
            {"ncloud_access_control_group", name, "ncloud",
             Expr().constant("name", qjson("acg-" + id)).refs("vpc_no", {"var.vpc_no"}).done(), 0});
      }
      {
        RB a(existing, r);
        a.comp_str("access_control_group_no", acg_no);
        a.comp_str("id", acg_no);
        a.v.key("inbound").arr();
        auto in = [&](std::string_view port, std::string_view ip, std::string_view desc) {
          a.v.obj()
              .kv("description", desc)
              .kv("ip_block", ip)
              .kv("port_range", port)
              .kv("protocol", "TCP")
              .kv("source_access_control_group_no", "")
              .end();
        };
        in("443", "0.0.0.0/0", "HTTPS 서비스 허용");
        if (r.chance(70)) in("22", r.chance(25) ? "0.0.0.0/0" : "10.0.0.0/16", "SSH 관리 접속");
        if (r.chance(30)) in("8080-8090", "10.0.0.0/16", "내부 API");
        a.v.end();
        a.v.key("outbound")
            .arr()
            .obj()
            .kv("description", "전체 허용")
            .kv("ip_block", "0.0.0.0/0")
            .kv("port_range", "1-65535")
            .kv("protocol", "TCP")
            .kv("source_access_control_group_no", "")
            .end()
            .end();
        a.sens.key("inbound").arr().end().key("outbound").arr().end();
        unit.insts.push_back(a.finish("ncloud_access_control_group_rule", name, kNcloudP));
        Expr x;
        x.refs("access_control_group_no", {"ncloud_access_control_group." + name + ".id",
                                           "ncloud_access_control_group." + name});
        x.j.key("inbound")
            .arr()
            .obj()
            .key("ip_block")
            .obj()
            .kraw("constant_value", "\"0.0.0.0/0\"")
            .end()
            .key("port_range")
            .obj()
            .kraw("constant_value", "\"443\"")
            .end()
            .key("protocol")
            .obj()
            .kraw("constant_value", "\"TCP\"")
            .end()
            .end()
            .end();
        unit.conf.push_back({"ncloud_access_control_group_rule", name, "ncloud", x.done(), 0});
      }
      const bool protect = r.chance(60);
      for (int i = 0; i < plan.c1; ++i) {
        RB s(existing, r);
        s.v.kv("description", "민원 처리 서버 " + id + "-" + std::to_string(i))
            .knull("init_script_no")
            .kb("is_protect_server_termination", protect)
            .kv("login_key_name", "ops-key")
            .kv("name", "svr-" + id + "-" + std::to_string(i))
            .kv("server_image_product_code", "SW.VSVR.OS.LNX64.ROCKY.0806.B050")
            .kv("server_product_code", "SVR.VSVR.STAND.C002.M008.NET.SSD.B050.G002")
            .kv("subnet_no", "23456")
            .kv("fee_system_type_code", "MTRAT");
        s.v.key("network_interface").arr().obj().kn("order", 0);
        const std::string pip = "10.0.1." + std::to_string(r.below(250));
        if (existing)
          s.v.kv("network_interface_no", std::to_string(700000 + u)).kv("private_ip", pip);
        s.v.end().end();
        if (!existing)
          s.unk.key("network_interface")
              .arr()
              .obj()
              .kb("network_interface_no", true)
              .kb("private_ip", true)
              .end()
              .end();
        s.comp("base_block_storage_size", "53687091200");
        s.comp("cpu_count", "2");
        s.comp_str("id", std::to_string(900000 + u * 3 + static_cast<std::uint64_t>(i)));
        s.comp_str("instance_no", std::to_string(900000 + u * 3 + static_cast<std::uint64_t>(i)));
        s.comp("memory_size", "8589934592");
        s.comp("public_ip", "\"\"");
        s.comp_str("vpc_no", "12345");
        s.comp_str("zone", "KR-2");
        s.sens.key("network_interface").arr().obj().end().end();
        unit.insts.push_back(
            s.finish("ncloud_server", "svr_" + id, kNcloudP, plan.c1 > 1 ? i : -1));
      }
      unit.conf.push_back(
          {"ncloud_server", "svr_" + id, "ncloud",
           Expr()
               .constant("is_protect_server_termination", protect ? "true" : "false")
               .refs("subnet_no", {"var.subnet_no"})
               .constant("server_image_product_code", "\"SW.VSVR.OS.LNX64.ROCKY.0806.B050\"")
               .done(),
           plan.c1 > 1 ? plan.c1 : 0});
      break;
    }
    case kNcloudPg: {
      const std::string name = "pg_" + id;
      RB p(existing, r);
      const bool enc = r.chance(70);
      p.v.kn("backup_file_retention_period", 7)
          .kv("backup_time", "02:00")
          .kv("client_cidr", "10.0.0.0/16")
          .kv("database_name", "minwon")
          .kv("image_product_code", "SW.VPGS.OS.LNX64.CNTOS.0708.PGSQL.133.B050")
          .kb("is_backup", true)
          .kb("is_ha", true)
          .kb("is_multi_zone", false)
          .kb("is_storage_encryption", enc)
          .kn("port", 5432)
          .kv("server_name_prefix", "pg" + id)
          .kv("service_name", "pg-" + id)
          .kv("subnet_no", "23456")
          .kv("user_name", "pgadmin")
          .kv("user_password", "Pg!" + hex(r.next(), 12))
          .kv("vpc_no", "12345");
      p.comp_str("id", std::to_string(500000 + u));
      p.comp_str("region_code", "KR");
      p.comp("server_instance_list", "[]");
      p.sens.kb("user_password", true);
      unit.insts.push_back(p.finish("ncloud_postgresql", name, kNcloudP));
      unit.conf.push_back({"ncloud_postgresql", name, "ncloud",
                           Expr()
                               .constant("is_storage_encryption", enc ? "true" : "false")
                               .constant("service_name", qjson("pg-" + id))
                               .refs("subnet_no", {"var.subnet_no"})
                               .refs("user_password", {"var.db_password"})
                               .refs("vpc_no", {"var.vpc_no"})
                               .done(),
                           0});
      break;
    }
    case kNhn: {
      const bool os = plan.c2 != 0;
      const std::string_view prov = os ? kOpenstackP : kNhnP;
      const std::string pfx = os ? "openstack" : "nhncloud";
      const std::string pkey = os ? "openstack" : "nhncloud";
      const std::string_view region = os ? "KR2" : "KR1";
      const std::string name = "sg_" + id;
      const std::string sgid = uuid(r);
      {
        RB g(existing, r);
        g.v.kv("description", "NHN Cloud 보안 그룹 " + id).kv("name", "sg-" + id).knull("timeouts");
        g.comp("all_tags", "[]");
        g.comp("delete_default_rules", "null");
        g.comp_str("id", sgid);
        g.comp_str("region", region);
        g.comp_str("tenant_id", hex(r.next(), 16) + hex(r.next(), 16));
        unit.insts.push_back(g.finish(pfx + "_networking_secgroup_v2", name, prov));
        unit.conf.push_back({pfx + "_networking_secgroup_v2", name, pkey,
                             Expr().constant("name", qjson("sg-" + id)).done(), 0});
      }
      for (int i = 0; i < plan.c1; ++i) {
        RB g(existing, r);
        static constexpr std::array<int, 4> ports = {22, 443, 3306, 8080};
        const int port = ports[r.below(4)];
        g.v.kv("description", port == 22 ? "SSH 허용" : "서비스 포트")
            .kv("direction", "ingress")
            .kv("ethertype", "IPv4")
            .kn("port_range_max", port)
            .kn("port_range_min", port)
            .kv("protocol", "tcp")
            .kv("remote_ip_prefix", r.chance(20) ? "0.0.0.0/0" : "192.168.0.0/24")
            .knull("timeouts");
        g.comp_str("id", uuid(r));
        g.comp_str("region", region);
        g.comp_str("remote_group_id", "");
        g.comp_str("security_group_id", sgid);
        g.comp_str("tenant_id", hex(u, 32));
        unit.insts.push_back(g.finish(pfx + "_networking_secgroup_rule_v2", name, prov, i));
      }
      unit.conf.push_back(
          {pfx + "_networking_secgroup_rule_v2", name, pkey,
           Expr()
               .constant("direction", "\"ingress\"")
               .constant("protocol", "\"tcp\"")
               .refs("security_group_id", {pfx + "_networking_secgroup_v2." + name + ".id",
                                           pfx + "_networking_secgroup_v2." + name})
               .done(),
           plan.c1});
      break;
    }
    case kGoogle: {
      const std::string name = "vm_" + id;
      RB g(existing, r);
      static constexpr std::array<std::string_view, 3> zones = {
          "asia-northeast3-a", "asia-northeast3-b", "asia-northeast3-c"};
      const std::string_view zone =
          r.chance(90) ? r.pick(zones) : std::string_view("us-central1-a");
      const bool public_ip = r.chance(20);
      g.v.key("boot_disk")
          .arr()
          .obj()
          .kb("auto_delete", true)
          .knull("disk_encryption_key_raw")
          .key("initialize_params")
          .arr()
          .obj()
          .kv("image", "debian-cloud/debian-12")
          .kn("size", 50)
          .kv("type", "pd-balanced")
          .end()
          .end()
          .knull("kms_key_self_link")
          .kv("mode", "READ_WRITE")
          .end()
          .end();
      g.v.kb("can_ip_forward", false)
          .kb("deletion_protection", r.chance(50))
          .knull("description")
          .key("labels")
          .obj()
          .kv("env", kEnvs[r.below(3)])
          .kv("team", "platform")
          .end()
          .kv("machine_type", "e2-standard-2")
          .key("metadata")
          .obj()
          .kv("block-project-ssh-keys", "TRUE")
          .kv("enable-oslogin", "TRUE")
          .end()
          .kv("name", "vm-" + id)
          .kv("zone", zone);
      g.v.key("network_interface").arr().obj().key("access_config").arr();
      if (public_ip) g.v.obj().kv("network_tier", "PREMIUM").knull("public_ptr_domain_name").end();
      g.v.end()
          .kv("network", "default")
          .kv("subnetwork", "projects/csap-prod/regions/asia-northeast3/subnetworks/app")
          .end()
          .end();
      g.v.key("service_account")
          .arr()
          .obj()
          .kv("email", "vm-" + id + "@csap-prod.iam.gserviceaccount.com")
          .key("scopes")
          .arr()
          .str("https://www.googleapis.com/auth/cloud-platform")
          .end()
          .end()
          .end();
      g.v.key("shielded_instance_config")
          .arr()
          .obj()
          .kb("enable_integrity_monitoring", true)
          .kb("enable_secure_boot", r.chance(60))
          .kb("enable_vtpm", true)
          .end()
          .end();
      g.comp_str("cpu_platform", "Intel Broadwell");
      g.comp_str("current_status", "RUNNING");
      g.comp_str("id", "projects/csap-prod/zones/" + std::string(zone) + "/instances/vm-" + id);
      g.comp_str("instance_id", std::to_string(r.next() >> 1));
      g.comp_str("label_fingerprint", hex(r.next(), 11));
      g.comp_str("self_link", "https://www.googleapis.com/compute/v1/projects/csap-prod/zones/" +
                                  std::string(zone) + "/instances/vm-" + id);
      g.sens.key("boot_disk")
          .arr()
          .obj()
          .kb("disk_encryption_key_raw", true)
          .key("initialize_params")
          .arr()
          .obj()
          .end()
          .end()
          .end()
          .end();
      unit.insts.push_back(g.finish("google_compute_instance", name, kGoogleP));
      unit.conf.push_back({"google_compute_instance", name, "google",
                           Expr()
                               .constant("machine_type", "\"e2-standard-2\"")
                               .constant("name", qjson("vm-" + id))
                               .constant("zone", qjson(zone))
                               .done(),
                           0});
      break;
    }
    case kAzure:
    default: {
      const std::string name = "sa_" + id;
      RB a(existing, r);
      const std::uint32_t x = r.below(100);
      const std::string_view loc = x < 85 ? "koreacentral" : x < 95 ? "Korea South" : "eastus";
      const std::string sa = "csapsa" + hex(u, 10);
      a.v.kv("access_tier", "Hot")
          .kv("account_kind", "StorageV2")
          .kv("account_replication_type", r.chance(70) ? "GRS" : "LRS")
          .kv("account_tier", "Standard")
          .kb("allow_nested_items_to_be_public", r.chance(10))
          .kb("enable_https_traffic_only", true)
          .kb("infrastructure_encryption_enabled", r.chance(40))
          .kv("location", loc)
          .kv("min_tls_version", r.chance(90) ? "TLS1_2" : "TLS1_0")
          .kv("name", sa)
          .kb("public_network_access_enabled", r.chance(30))
          .kv("resource_group_name", "rg-csap-prod")
          .kb("shared_access_key_enabled", true)
          .knull("timeouts");
      a.tags(sa, revision, false);
      a.comp_str("id",
                 "/subscriptions/" + uuid(r) +
                     "/resourceGroups/rg-csap-prod/providers/Microsoft.Storage/storageAccounts/" +
                     sa);
      a.comp_str("primary_access_key",
                 hex(r.next(), 16) + hex(r.next(), 16) + hex(r.next(), 16) + "==");
      a.comp_str("primary_blob_endpoint", "https://" + sa + ".blob.core.windows.net/");
      a.comp_str("primary_connection_string", "DefaultEndpointsProtocol=https;AccountName=" + sa +
                                                  ";AccountKey=" + hex(r.next(), 16));
      a.comp_str("primary_location", loc);
      a.comp_str("secondary_access_key", hex(r.next(), 16) + hex(r.next(), 16) + "==");
      a.sens.kb("primary_access_key", true)
          .kb("primary_connection_string", true)
          .kb("secondary_access_key", true);
      unit.insts.push_back(a.finish("azurerm_storage_account", name, kAzureP));
      unit.conf.push_back({"azurerm_storage_account", name, "azurerm",
                           Expr()
                               .constant("account_tier", "\"Standard\"")
                               .refs("location", {"var.location"})
                               .constant("name", qjson(sa))
                               .constant("resource_group_name", "\"rg-csap-prod\"")
                               .done(),
                           0});
      break;
    }
  }
  return unit;
}

// ---- output ----------------------------------------------------------------------------------

class Sink {
 public:
  Sink() = default;
  Sink(const Sink&) = delete;
  Sink& operator=(const Sink&) = delete;
  ~Sink() { close(); }
  bool open(const std::filesystem::path& p) {
    path_ = p;
    f_ = std::fopen(p.c_str(), "wb");
    buf_.reserve(kChunk + (1 << 16));
    return f_ != nullptr;
  }
  void put(std::string_view s) {
    buf_.append(s);
    if (buf_.size() >= kChunk) flush();
  }
  void put(char c) { buf_.push_back(c); }
  void flush() {
    if (f_ && !buf_.empty() && std::fwrite(buf_.data(), 1, buf_.size(), f_) != buf_.size())
      ok_ = false;
    bytes_ += buf_.size();
    buf_.clear();
  }
  bool close() {
    if (!f_) return ok_;
    flush();
    if (std::fclose(f_) != 0) ok_ = false;
    f_ = nullptr;
    return ok_;
  }
  std::uint64_t bytes() const { return bytes_ + buf_.size(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  static constexpr std::size_t kChunk = 4u << 20;
  std::FILE* f_ = nullptr;
  std::string buf_;
  std::filesystem::path path_;
  std::uint64_t bytes_ = 0;
  bool ok_ = true;
};

// A module tree section (planned_values / prior_state): resources, then child modules.
class ModuleTree {
 public:
  explicit ModuleTree(Sink& s) : s_(s) { s_.put("\"resources\":["); }
  void resource(std::string_view json) {
    if (!first_) s_.put(',');
    first_ = false;
    s_.put(json);
  }
  void begin_modules() {
    s_.put("],\"child_modules\":[");
    modules_ = true;
    first_mod_ = true;
  }
  void begin_module(std::string_view addr) {
    if (!first_mod_) s_.put(',');
    first_mod_ = false;
    s_.put("{\"address\":");
    s_.put(qjson(addr));
    s_.put(",\"resources\":[");
    first_ = true;
    nested_ = false;
  }
  void begin_nested(std::string_view addr) {
    s_.put("],\"child_modules\":[{\"address\":");
    s_.put(qjson(addr));
    s_.put(",\"resources\":[");
    first_ = true;
    nested_ = true;
  }
  void end_module() { s_.put(nested_ ? "]}]}" : "]}"); }
  void finish() { s_.put(']'); }

 private:
  Sink& s_;
  bool first_ = true, first_mod_ = true, modules_ = false, nested_ = false;
};

// The configuration's module tree: resources, then module_calls with nested modules.
class ConfigTree {
 public:
  explicit ConfigTree(Sink& s) : s_(s) { s_.put("\"resources\":["); }
  void resource(std::string_view json) {
    if (!first_) s_.put(',');
    first_ = false;
    s_.put(json);
  }
  void begin_modules() {
    s_.put("],\"module_calls\":{");
    modules_ = true;
    first_mod_ = true;
  }
  void begin_module(std::string_view call) {
    if (!first_mod_) s_.put(',');
    first_mod_ = false;
    s_.put(qjson(call));
    s_.put(
        ":{\"source\":\"./modules/svc\",\"expressions\":{\"env\":{\"constant_value\":\"prod\"},"
        "\"subnet_id\":{\"references\":[\"var.subnet_id\"]},\"vpc_id\":{\"references\":[\"var.vpc_"
        "id\"]}},"
        "\"module\":{\"resources\":[");
    first_ = true;
    nested_ = false;
  }
  void begin_nested() {
    s_.put(
        "],\"module_calls\":{\"data\":{\"source\":\"./modules/"
        "data\",\"expressions\":{\"kms_key_arn\":"
        "{\"references\":[\"var.kms_key_arn\"]}},\"module\":{\"resources\":[");
    first_ = true;
    nested_ = true;
  }
  void end_module() { s_.put(nested_ ? "]}}}}}" : "]}}"); }
  void finish() { s_.put(modules_ ? "}" : "]"); }

 private:
  Sink& s_;
  bool first_ = true, first_mod_ = true, modules_ = false, nested_ = false;
};

std::string_view actions_json(Action a) {
  switch (a) {
    case kCreate:
      return "[\"create\"]";
    case kNoop:
      return "[\"no-op\"]";
    case kUpdate:
      return "[\"update\"]";
    case kDelete:
      return "[\"delete\"]";
    case kReplace:
      return "[\"delete\",\"create\"]";
  }
  return "[]";
}

struct Writer {
  Sink pv, rc, ps, cfg;
  std::unique_ptr<ModuleTree> pv_tree, ps_tree;
  std::unique_ptr<ConfigTree> cfg_tree;
  bool first_rc = true;
  std::uint64_t resources = 0, config_resources = 0;
  std::string tmp;

  static std::string address(std::string_view module, const Inst& in) {
    std::string a;
    if (!module.empty()) {
      a.append(module);
      a.push_back('.');
    }
    a.append(in.type).append(".").append(in.name);
    if (in.index >= 0) {
      a.push_back('[');
      append_int(a, in.index);
      a.push_back(']');
    }
    return a;
  }

  void state_entry(ModuleTree& t, std::string_view module, const Inst& in) {
    tmp.clear();
    tmp.append("{\"address\":");
    append_escaped(tmp, address(module, in));
    tmp.append(",\"mode\":\"managed\",\"type\":");
    append_escaped(tmp, in.type);
    tmp.append(",\"name\":");
    append_escaped(tmp, in.name);
    if (in.index >= 0) {
      tmp.append(",\"index\":");
      append_int(tmp, in.index);
    }
    tmp.append(",\"provider_name\":");
    append_escaped(tmp, in.provider);
    tmp.append(",\"schema_version\":0,\"values\":").append(in.values);
    tmp.append(",\"sensitive_values\":").append(in.sensitive).append("}");
    t.resource(tmp);
  }

  void unit(std::string_view module, std::string_view key_prefix, const UnitPlan& plan,
            std::uint64_t u) {
    std::vector<Inst> before, after;
    Unit built;
    switch (plan.action) {
      case kCreate:
        built = build_unit(plan, u, false, 2);
        after = std::move(built.insts);
        break;
      case kNoop:
        built = build_unit(plan, u, true, 2);
        after = built.insts;
        before = std::move(built.insts);
        break;
      case kUpdate:
        built = build_unit(plan, u, true, 2);
        after = std::move(built.insts);
        before = build_unit(plan, u, true, 1).insts;
        break;
      case kDelete:
        built = build_unit(plan, u, true, 2);
        before = std::move(built.insts);
        break;
      case kReplace:
        built = build_unit(plan, u, false, 2);
        after = std::move(built.insts);
        before = build_unit(plan, u, true, 2).insts;
        break;
    }
    const std::vector<Inst>& any = after.empty() ? before : after;
    for (const Inst& in : after) state_entry(*pv_tree, module, in);
    for (const Inst& in : before) state_entry(*ps_tree, module, in);
    for (std::size_t i = 0; i < any.size(); ++i) {
      const Inst& in = any[i];
      tmp.clear();
      if (!first_rc) tmp.push_back(',');
      first_rc = false;
      tmp.append("{\"address\":");
      append_escaped(tmp, address(module, in));
      if (!module.empty()) {
        tmp.append(",\"module_address\":");
        append_escaped(tmp, module);
      }
      tmp.append(",\"mode\":\"managed\",\"type\":");
      append_escaped(tmp, in.type);
      tmp.append(",\"name\":");
      append_escaped(tmp, in.name);
      if (in.index >= 0) {
        tmp.append(",\"index\":");
        append_int(tmp, in.index);
      }
      tmp.append(",\"provider_name\":");
      append_escaped(tmp, in.provider);
      tmp.append(",\"change\":{\"actions\":").append(actions_json(plan.action));
      tmp.append(",\"before\":")
          .append(before.empty() ? std::string_view("null") : std::string_view(before[i].values));
      tmp.append(",\"after\":")
          .append(after.empty() ? std::string_view("null") : std::string_view(after[i].values));
      tmp.append(",\"after_unknown\":")
          .append(after.empty() ? std::string_view("{}") : std::string_view(after[i].unknown));
      tmp.append(",\"before_sensitive\":")
          .append(before.empty() ? std::string_view("false")
                                 : std::string_view(before[i].sensitive));
      tmp.append(",\"after_sensitive\":")
          .append(after.empty() ? std::string_view("false") : std::string_view(after[i].sensitive));
      tmp.append("}");
      if (plan.action == kReplace)
        tmp.append(",\"action_reason\":\"replace_because_cannot_update\"");
      tmp.append("}");
      rc.put(tmp);
      ++resources;
    }
    for (const ConfRes& c : built.conf) {
      tmp.clear();
      tmp.append("{\"address\":");
      append_escaped(tmp, c.type + "." + c.name);
      tmp.append(",\"mode\":\"managed\",\"type\":");
      append_escaped(tmp, c.type);
      tmp.append(",\"name\":");
      append_escaped(tmp, c.name);
      tmp.append(",\"provider_config_key\":");
      append_escaped(tmp, std::string(key_prefix) + c.provider_key);
      tmp.append(",\"expressions\":").append(c.expressions);
      tmp.append(",\"schema_version\":0");
      if (c.count > 0) {
        tmp.append(",\"count_expression\":{\"constant_value\":");
        append_int(tmp, c.count);
        tmp.append("}");
      }
      tmp.append("}");
      cfg_tree->resource(tmp);
      ++config_resources;
    }
  }
};

constexpr std::array<std::string_view, 6> kProviderLocal = {"aws",       "ncloud", "nhncloud",
                                                            "openstack", "google", "azurerm"};
constexpr std::array<std::string_view, 6> kProviderFull = {kAws,        kNcloudP, kNhnP,
                                                           kOpenstackP, kGoogleP, kAzureP};

std::string header_json() {
  return "{\"format_version\":\"1.2\",\"terraform_version\":\"1.7.5\",\"variables\":{"
         "\"ami_id\":{\"value\":\"ami-0c9c942bd7bf113a2\"},\"db_password\":{\"value\":\"Sup3r-"
         "Secret-pw!\"},"
         "\"env\":{\"value\":\"prod\"},\"kms_key_arn\":{\"value\":\"arn:aws:kms:ap-northeast-2:"
         "123456789012:key/"
         "1234abcd-12ab-34cd-56ef-1234567890ab\"},\"location\":{\"value\":\"koreacentral\"},"
         "\"subnet_id\":{\"value\":\"subnet-0123456789abcdef0\"},\"subnet_no\":{\"value\":"
         "\"23456\"},"
         "\"tenant_id\":{\"value\":\"0f3c5e1a9b7d4e2f8a6c1b3d5e7f9a0b\"},"
         "\"vpc_id\":{\"value\":\"vpc-0a1b2c3d4e5f60718\"},\"vpc_no\":{\"value\":\"12345\"}},"
         "\"planned_values\":{\"root_module\":{";
}

std::string provider_config_json(const std::vector<std::string>& modules) {
  J j;
  j.obj();
  j.key("aws")
      .obj()
      .kv("name", "aws")
      .kv("full_name", kAws)
      .kv("version_constraint", "~> 5.40")
      .key("expressions")
      .obj()
      .key("region")
      .obj()
      .kv("constant_value", "ap-northeast-2")
      .end()
      .end()
      .end();
  j.key("aws.us")
      .obj()
      .kv("name", "aws")
      .kv("full_name", kAws)
      .kv("alias", "us")
      .key("expressions")
      .obj()
      .key("region")
      .obj()
      .kv("constant_value", "us-east-1")
      .end()
      .end()
      .end();
  j.key("ncloud")
      .obj()
      .kv("name", "ncloud")
      .kv("full_name", kNcloudP)
      .kv("version_constraint", ">= 3.0.0")
      .key("expressions")
      .obj()
      .key("region")
      .obj()
      .kv("constant_value", "KR")
      .end()
      .key("site")
      .obj()
      .kv("constant_value", "gov")
      .end()
      .key("support_vpc")
      .obj()
      .kb("constant_value", true)
      .end()
      .end()
      .end();
  j.key("nhncloud")
      .obj()
      .kv("name", "nhncloud")
      .kv("full_name", kNhnP)
      .key("expressions")
      .obj()
      .key("region")
      .obj()
      .kv("constant_value", "KR1")
      .end()
      .key("tenant_id")
      .obj()
      .key("references")
      .arr()
      .str("var.tenant_id")
      .end()
      .end()
      .end()
      .end();
  j.key("openstack")
      .obj()
      .kv("name", "openstack")
      .kv("full_name", kOpenstackP)
      .key("expressions")
      .obj()
      .key("region")
      .obj()
      .kv("constant_value", "KR2")
      .end()
      .key("auth_url")
      .obj()
      .kv("constant_value", "https://api-identity-infrastructure.nhncloudservice.com/v2.0")
      .end()
      .end()
      .end();
  j.key("google")
      .obj()
      .kv("name", "google")
      .kv("full_name", kGoogleP)
      .key("expressions")
      .obj()
      .key("project")
      .obj()
      .kv("constant_value", "csap-prod")
      .end()
      .key("region")
      .obj()
      .kv("constant_value", "asia-northeast3")
      .end()
      .end()
      .end();
  j.key("azurerm")
      .obj()
      .kv("name", "azurerm")
      .kv("full_name", kAzureP)
      .key("expressions")
      .obj()
      .key("features")
      .arr()
      .obj()
      .end()
      .end()
      .end()
      .end();
  for (const std::string& m : modules) {
    for (std::size_t p = 0; p < kProviderLocal.size(); ++p) {
      j.key(m + ":" + std::string(kProviderLocal[p]))
          .obj()
          .kv("name", kProviderLocal[p])
          .kv("full_name", kProviderFull[p])
          .kv("module_address", m)
          .end();
    }
  }
  j.end();
  return std::move(j.s);
}

bool append_file(int out, const std::filesystem::path& in, std::string* error) {
  const int fd = ::open(in.c_str(), O_RDONLY);
  if (fd < 0) {
    *error = "cannot open " + in.string() + ": " + std::strerror(errno);
    return false;
  }
  std::vector<char> buf(8u << 20);
  for (;;) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0) {
      *error = std::string("read: ") + std::strerror(errno);
      ::close(fd);
      return false;
    }
    if (n == 0) break;
    ssize_t off = 0;
    while (off < n) {
      const ssize_t w = ::write(out, buf.data() + off, static_cast<std::size_t>(n - off));
      if (w < 0) {
        *error = std::string("write: ") + std::strerror(errno);
        ::close(fd);
        return false;
      }
      off += w;
    }
  }
  ::close(fd);
  return true;
}

bool write_all(int fd, std::string_view s, std::string* error) {
  while (!s.empty()) {
    const ssize_t w = ::write(fd, s.data(), s.size());
    if (w < 0) {
      *error = std::string("write: ") + std::strerror(errno);
      return false;
    }
    s.remove_prefix(static_cast<std::size_t>(w));
  }
  return true;
}

}  // namespace

bool generate_plan(const std::filesystem::path& path, const GenOptions& opts, GenStats* stats,
                   std::string* error) {
  const auto t0 = std::chrono::steady_clock::now();
  // How many units reach the requested resource count.
  std::uint64_t units = 0, total = 0;
  while (total < opts.resources) {
    const std::uint64_t b = units / kUnitsPerBlock;
    total += static_cast<std::uint64_t>(plan_unit(opts.seed, units, b % 3 == 0).instances);
    ++units;
  }
  const std::uint64_t blocks = (units + kUnitsPerBlock - 1) / kUnitsPerBlock;

  Writer w;
  const std::string base = path.string();
  if (!w.pv.open(base + ".pv.tmp") || !w.rc.open(base + ".rc.tmp") ||
      !w.ps.open(base + ".ps.tmp") || !w.cfg.open(base + ".cfg.tmp")) {
    *error = "cannot create temporary files next to " + base + ": " + std::strerror(errno);
    return false;
  }
  w.pv_tree = std::make_unique<ModuleTree>(w.pv);
  w.ps_tree = std::make_unique<ModuleTree>(w.ps);
  w.cfg_tree = std::make_unique<ConfigTree>(w.cfg);

  auto block_units = [&](std::uint64_t b, std::string_view module, std::string_view key_prefix) {
    const bool root = b % 3 == 0;
    for (std::uint64_t u = b * kUnitsPerBlock; u < std::min(units, (b + 1) * kUnitsPerBlock); ++u)
      w.unit(module, key_prefix, plan_unit(opts.seed, u, root), u);
  };
  for (std::uint64_t b = 0; b < blocks; b += 3) block_units(b, "", "");
  std::vector<std::string> module_addrs;
  bool any_module = false;
  for (std::uint64_t b = 1; b < blocks; b += 3) {
    if (!any_module) {
      w.pv_tree->begin_modules();
      w.ps_tree->begin_modules();
      w.cfg_tree->begin_modules();
      any_module = true;
    }
    const std::string call = "svc_" + std::to_string(b);
    const std::string addr = "module." + call;
    module_addrs.push_back(addr);
    w.pv_tree->begin_module(addr);
    w.ps_tree->begin_module(addr);
    w.cfg_tree->begin_module(call);
    block_units(b, addr, addr + ":");
    if (b + 1 < blocks) {
      const std::string nested = addr + ".module.data";
      module_addrs.push_back(nested);
      w.pv_tree->begin_nested(nested);
      w.ps_tree->begin_nested(nested);
      w.cfg_tree->begin_nested();
      block_units(b + 1, nested, nested + ":");
    }
    w.pv_tree->end_module();
    w.ps_tree->end_module();
    w.cfg_tree->end_module();
  }
  w.pv_tree->finish();
  w.ps_tree->finish();
  w.cfg_tree->finish();
  const bool ok = w.pv.close() & w.rc.close() & w.ps.close() & w.cfg.close();
  auto cleanup = [&] {
    for (const char* s : {".pv.tmp", ".rc.tmp", ".ps.tmp", ".cfg.tmp"})
      std::filesystem::remove(base + s);
  };
  if (!ok) {
    *error = "write failed (disk full?) under " + path.parent_path().string();
    cleanup();
    return false;
  }

  const int out = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (out < 0) {
    *error = "cannot create " + base + ": " + std::strerror(errno);
    cleanup();
    return false;
  }
  bool good =
      write_all(out, header_json(), error) && append_file(out, base + ".pv.tmp", error) &&
      write_all(out, "}},\"resource_changes\":[", error) &&
      append_file(out, base + ".rc.tmp", error) &&
      write_all(out,
                "],\"output_changes\":{},\"prior_state\":{\"format_version\":\"1.0\",\"terraform_"
                "version\":"
                "\"1.7.5\",\"values\":{\"root_module\":{",
                error) &&
      append_file(out, base + ".ps.tmp", error) &&
      write_all(out,
                "}}},\"configuration\":{\"provider_config\":" + provider_config_json(module_addrs) +
                    ",\"root_module\":{",
                error) &&
      append_file(out, base + ".cfg.tmp", error) &&
      write_all(out,
                "}},\"relevant_attributes\":[],\"timestamp\":\"2024-05-01T00:00:00Z\","
                "\"applyable\":true,\"complete\":true,\"errored\":false}\n",
                error);
  if (::close(out) != 0 && good) {
    *error = std::string("close: ") + std::strerror(errno);
    good = false;
  }
  cleanup();
  if (!good) {
    std::filesystem::remove(path);
    return false;
  }
  if (stats) {
    stats->resources = w.resources;
    stats->config_resources = w.config_resources;
    stats->modules = module_addrs.size();
    stats->bytes = std::filesystem::file_size(path);
    stats->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  return true;
}

}  // namespace csap::bench
