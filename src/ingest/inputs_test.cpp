// The input registry, failing closed on malformed plans, linear work on wide objects, UTF-16/32
// inputs, and inputs that are streams.
#include "ingest/inputs.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <thread>

#include "ingest/terraform.h"
#include "ingest/terraform_internal.h"
#include "test_support.h"

namespace csap::ingest {
namespace {
namespace fs = std::filesystem;
using csap::testing::TempDir;

bool contains(const std::string& s, std::string_view part) {
  return s.find(part) != std::string::npos;
}

const std::string kHead = R"({"format_version":"1.2","terraform_version":"1.6.0",)";

std::string plan_with_change(const std::string& change) {
  return kHead +
         R"("resource_changes":[{"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","provider_name":"registry.terraform.io/hashicorp/aws",)" +
         "\n\"change\":" + change + "}]}";
}

const std::string kPlan = plan_with_change(R"({"actions":["create"],"after":{"bucket":"b"}})");
const std::string kState =
    R"({"version":4,"terraform_version":"1.6.0","serial":1,"lineage":"x","resources":[{"mode":"managed","type":"aws_s3_bucket","name":"b","provider":"provider[\"registry.terraform.io/hashicorp/aws\"]","instances":[{"attributes":{"bucket":"b"}}]}]})";

std::string error_of(std::string_view bytes, const LoadOptions& opts = {}) {
  Deployment d;
  auto r = load_input_bytes(bytes, "in.json", d, opts);
  if (r) return "(loaded)";
  EXPECT_EQ(r.error().code, Exit::kBadInput) << r.error().str();
  return r.error().str();
}

// ---- the registry ----------------------------------------------------------------------------

TEST(InputRegistry, TerraformPlanAndStateAreTheFirstEntries) {
  auto loaders = input_loaders();
  ASSERT_GE(loaders.size(), 2u);
  EXPECT_EQ(loaders[0].kind, "terraform-plan");
  EXPECT_EQ(loaders[1].kind, "terraform-state");
  for (const auto& l : loaders) {
    EXPECT_NE(l.by_content, nullptr) << l.kind;
    EXPECT_NE(l.load, nullptr) << l.kind;
    EXPECT_FALSE(l.description.empty()) << l.kind;
    EXPECT_EQ(find_input_loader(l.kind), &l);
  }
  EXPECT_EQ(find_input_loader("terraform-source"), nullptr);
  EXPECT_EQ(input_kind_names(), "terraform-plan, terraform-state");
}

TEST(InputRegistry, DetectsByContentAndRecordsTheKind) {
  Deployment d;
  ASSERT_TRUE(load_input_bytes(kPlan, "a.json", d));
  ASSERT_TRUE(load_input_bytes(kState, "b.tfstate", d));
  ASSERT_EQ(d.inputs.size(), 2u);
  EXPECT_EQ(d.inputs[0].kind, "terraform-plan");
  EXPECT_EQ(d.inputs[1].kind, "terraform-state");
  EXPECT_EQ(d.inputs[1].format_version, "4");
  ASSERT_EQ(d.resources.size(), 2u);
  EXPECT_EQ(d.resources[0].input, 0u);
  EXPECT_EQ(d.resources[1].input, 1u);
}

TEST(InputRegistry, InputKindOverridesDetection) {
  LoadOptions as_state;
  as_state.kind = "terraform-state";
  // A plan read as a state has no state version: an input error, not an empty deployment.
  auto e = error_of(kPlan, as_state);
  EXPECT_TRUE(contains(e, "neither `version` nor `values`")) << e;
  // A plan without the keys detection needs is read when its kind is given.
  const std::string bare = R"({"configuration":{},"resource_changes_x":[]})";
  EXPECT_TRUE(contains(error_of(bare), "not a Terraform plan or state"));
  LoadOptions as_plan;
  as_plan.kind = "terraform-plan";
  Deployment d;
  ASSERT_TRUE(load_input_bytes(bare, "bare.json", d, as_plan));
  ASSERT_EQ(d.inputs.size(), 1u);
  EXPECT_EQ(d.inputs[0].kind, "terraform-plan");
  // An unknown kind is a usage error naming the known ones.
  LoadOptions bad;
  bad.kind = "terraform-banana";
  Deployment d2;
  auto r = load_inputs({"-"}, d2, bad);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Exit::kUsage);
  EXPECT_TRUE(contains(r.error().message, "terraform-plan, terraform-state")) << r.error().str();
}

TEST(InputRegistry, DirectoryWalkUsesTheEntriesSuffixes) {
  TempDir t;
  t.write("infra/plan.json", kPlan);
  t.write("infra/terraform.tfstate", kState);
  t.write("infra/notes.txt", "not read");
  t.write("infra/package.json", R"({"name":"x"})");
  Deployment d;
  std::vector<std::string> notes;
  LoadOptions opts;
  opts.notes = &notes;
  ASSERT_TRUE(load_inputs({t.path() / "infra"}, d, opts));
  EXPECT_EQ(d.inputs.size(), 2u);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_TRUE(contains(notes[0], "package.json: skipped")) << notes[0];
}

// ---- failing closed --------------------------------------------------------------------------

TEST(IngestFailsClosed, WrongTypesInAChange) {
  for (const char* change :
       {R"({"actions":["create"],"after":"oops"})", R"({"actions":["create"],"after":[1,2]})",
        R"({"actions":["create"],"after":{},"after_unknown":[true]})",
        R"({"actions":["create"],"after":{},"after_unknown":"x"})",
        R"({"actions":["create"],"after":{},"after_sensitive":42})",
        R"({"actions":["create"],"after":{},"after_sensitive":["a"]})"}) {
    auto e = error_of(plan_with_change(change));
    EXPECT_TRUE(contains(e, "in.json:2:")) << change << " → " << e;
    EXPECT_TRUE(contains(e, "expected an object")) << change << " → " << e;
    EXPECT_TRUE(contains(e, "(at /resource_changes/0/change/after")) << change << " → " << e;
  }
  // null and booleans are what Terraform writes for "nothing" and "all of it".
  EXPECT_EQ(
      error_of(plan_with_change(
          R"({"actions":["create"],"after":{"a":1},"after_unknown":true,"after_sensitive":false})")),
      "(loaded)");
}

TEST(IngestFailsClosed, PlannedValuesRootModuleOfTheWrongType) {
  auto e = error_of(kHead + "\n\"planned_values\":{\"root_module\":[]}}");
  EXPECT_TRUE(contains(e, "in.json:2:")) << e;
  EXPECT_TRUE(contains(e, "expected an object, found an array (at /planned_values/root_module)"))
      << e;
  // Also when resource_changes is there (root_module is not read then, but checked).
  auto e2 = error_of(kHead + R"("resource_changes":[],"planned_values":{"root_module":"x"}})");
  EXPECT_TRUE(contains(e2, "/planned_values/root_module")) << e2;
  // Inside the module, read through the DOM: still with line and column.
  auto e3 = error_of(kHead +
                     "\"planned_values\":{\"root_module\":{\n\"resources\":[{\"address\":\"a.b\",\n"
                     "\"values\":\"nope\"}]}}}");
  EXPECT_TRUE(contains(e3, "in.json:3:")) << e3;
  EXPECT_TRUE(contains(e3, "(at /planned_values/root_module/resources/0/values)")) << e3;
  auto e4 = error_of(kHead + R"("planned_values":{"root_module":{"child_modules":{}}}})");
  EXPECT_TRUE(
      contains(e4, "child_modules): expected an array") ||
      contains(e4,
               "expected an array, found an object (at /planned_values/root_module/child_modules)"))
      << e4;
}

TEST(IngestFailsClosed, FormatVersionMustBeAVersion) {
  for (const char* fv : {"0.0", "", "1.banana", "1", "x.1", "1.2.3"}) {
    auto e = error_of(std::string(R"({"format_version":")") + fv + R"(","resource_changes":[]})");
    EXPECT_TRUE(contains(e, "format_version")) << fv << " → " << e;
    EXPECT_TRUE(contains(e, "in.json:1:19")) << fv << " → " << e;
  }
  EXPECT_EQ(error_of(R"({"format_version":"0.1","resource_changes":[]})"), "(loaded)");
  EXPECT_EQ(error_of(R"({"format_version":"1.2","resource_changes":[]})"), "(loaded)");
  auto e = error_of(R"({"format_version":1.2,"resource_changes":[]})");
  EXPECT_TRUE(contains(e, "expected a string, found a number")) << e;
  auto s = error_of(R"({"format_version":"0.0","values":{"root_module":{}}})");
  EXPECT_TRUE(contains(s, "state format_version")) << s;
}

// ---- no quadratic path -----------------------------------------------------------------------

// Key comparisons made while loading `json`.
std::uint64_t steps_to_load(const std::string& json) {
  Deployment d;
  detail::key_steps() = 0;
  auto r = load_input_bytes(json, "wide.json", d);
  EXPECT_TRUE(r) << r.error().str();
  return detail::key_steps();
}

// Keys in an order that is not sorted (so no lookup can rely on it).
std::string key(std::size_t i) {
  return "k" + std::to_string((i * 7919) % 1000003);
}

void expect_linearithmic(const std::function<std::string(std::size_t)>& make, const char* what) {
  const std::size_t n = 100000;
  const std::uint64_t at_n = steps_to_load(make(n));
  const std::uint64_t at_2n = steps_to_load(make(2 * n));
  // n·log n doubles plus a little; n² would quadruple. And the total stays within n·log2(n)·4.
  EXPECT_LT(static_cast<double>(at_2n), 2.4 * static_cast<double>(at_n)) << what;
  EXPECT_LT(at_2n, 2 * n * 18 * 4) << what;
  EXPECT_GT(at_n, n) << what << ": the counter counts nothing";
}

std::string members(std::size_t n, const char* value) {
  std::string out = "{";
  for (std::size_t i = 0; i < n; ++i) {
    if (i) out += ',';
    out += '"' + key(i) + "\":" + value;
  }
  return out + "}";
}

TEST(IngestLinear, AfterAndAfterUnknownWithManyKeys) {
  expect_linearithmic(
      [](std::size_t n) {
        return plan_with_change(R"({"actions":["create"],"after":)" + members(n, "1") +
                                R"(,"after_unknown":)" + members(n, "false") + "}");
      },
      "after + after_unknown");
}

TEST(IngestLinear, TagsMapWithManyKeys) {
  expect_linearithmic(
      [](std::size_t n) {
        return plan_with_change(R"({"actions":["create"],"after":{"tags":)" + members(n, "\"v\"") +
                                R"(},"after_unknown":{"tags":)" + members(n, "false") +
                                R"(},"after_sensitive":{"tags":)" + members(n, "false") + "}}");
      },
      "tags");
}

TEST(IngestLinear, AfterSensitiveWithManyPaths) {
  expect_linearithmic(
      [](std::size_t n) {
        return plan_with_change(R"({"actions":["create"],"after":)" + members(n, "\"s\"") +
                                R"(,"after_sensitive":)" + members(n, "true") + "}");
      },
      "after_sensitive");
}

TEST(IngestLinear, StateSensitiveAttributesWithManyPaths) {
  expect_linearithmic(
      [](std::size_t n) {
        std::string paths = "[";
        for (std::size_t i = 0; i < n; ++i) {
          if (i) paths += ',';
          paths += R"([{"type":"get_attr","value":")" + key(i) + "\"}]";
        }
        paths += "]";
        return R"({"version":4,"lineage":"x","resources":[{"mode":"managed","type":"t","name":"n","provider":"provider[\"registry.terraform.io/hashicorp/aws\"]","instances":[{"attributes":)" +
               members(n, "\"s\"") + R"(,"sensitive_attributes":)" + paths + "}]}]}";
      },
      "sensitive_attributes");
  // And the marks land where they should.
  Deployment d;
  ASSERT_TRUE(load_input_bytes(
      R"({"version":4,"lineage":"x","resources":[{"mode":"managed","type":"t","name":"n","instances":[{"attributes":{"a":"1","b":"2"},"sensitive_attributes":[[{"type":"get_attr","value":"b"}]]}]}]})",
      "s.json", d));
  EXPECT_FALSE(d.resources[0].values.get("a")->sensitive());
  EXPECT_TRUE(d.resources[0].values.get("b")->sensitive());
}

// ---- UTF-16 and UTF-32 -----------------------------------------------------------------------

std::string encode(std::string_view ascii_or_utf8, int unit, bool big) {
  // The test texts hold ASCII and one 3-byte character (U+D55C) and one 4-byte one (U+1F600).
  std::u32string cps;
  for (std::size_t i = 0; i < ascii_or_utf8.size();) {
    unsigned char c = static_cast<unsigned char>(ascii_or_utf8[i]);
    char32_t cp;
    std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (ascii_or_utf8[i + k] & 0x3F);
    cps += cp;
    i += len;
  }
  std::string out;
  auto put = [&](std::uint32_t v) {
    for (int k = 0; k < unit; ++k) {
      int shift = big ? 8 * (unit - 1 - k) : 8 * k;
      out += static_cast<char>((v >> shift) & 0xFF);
    }
  };
  put(0xFEFF);
  for (char32_t cp : cps) {
    if (unit == 2 && cp >= 0x10000) {
      put(0xD800 + ((cp - 0x10000) >> 10));
      put(0xDC00 + ((cp - 0x10000) & 0x3FF));
    } else {
      put(cp);
    }
  }
  return out;
}

TEST(IngestEncodings, Utf16AndUtf32WithAByteOrderMarkLoad) {
  const std::string plan = plan_with_change(
      "{\"actions\":[\"create\"],\"after\":{\"bucket\":\"\xED\x95\x9C-\xF0\x9F\x98\x80\"}}");
  for (int unit : {2, 4})
    for (bool big : {false, true}) {
      Deployment d;
      const std::string bytes = encode(plan, unit, big);
      auto r = load_input_bytes(bytes, "win.json", d);
      ASSERT_TRUE(r) << unit << big << ": " << r.error().str();
      ASSERT_EQ(d.resources.size(), 1u);
      EXPECT_EQ(d.resources[0].values.get("bucket")->str(), "\xED\x95\x9C-\xF0\x9F\x98\x80");
      EXPECT_EQ(d.inputs[0].bytes, bytes.size());  // the file as read
    }
}

TEST(IngestEncodings, InvalidUtf16AndOtherEncodingsAreRefused) {
  std::string lone = encode(kHead, 2, false);
  lone += std::string("\x00\xD8", 2);  // a high surrogate, then a plain character
  lone += std::string("\"\0", 2);
  auto e = error_of(lone);
  EXPECT_TRUE(contains(e, "invalid UTF-16LE text")) << e;
  EXPECT_TRUE(contains(e, "surrogate")) << e;
  EXPECT_TRUE(contains(e, "in.json:1:")) << e;
  std::string low = encode("{}", 2, true) + std::string("\xDC\x00", 2);
  EXPECT_TRUE(contains(error_of(low), "lone surrogate"));
  std::string odd = encode("{}", 2, false) + "x";
  EXPECT_TRUE(contains(error_of(odd), "ends inside a character"));
  std::string big32 = encode("{}", 4, false) + std::string("\x00\x00\x11\x00", 4);
  EXPECT_TRUE(contains(error_of(big32), "past U+10FFFF"));
  // UTF-16 without a byte-order mark, and Latin-1: refused with a reason.
  std::string nobom;
  for (char c : kPlan) {
    nobom += c;
    nobom += '\0';
  }
  EXPECT_TRUE(contains(error_of(nobom), "UTF-16"));
  EXPECT_TRUE(contains(error_of(kHead + "\"x\":\"caf\xE9\"}"), "invalid UTF-8"));
}

// ---- streams, signals and depth --------------------------------------------------------------

TEST(IngestStreams, FifoIsReadAsAStream) {
  TempDir t;
  const fs::path fifo = t.path() / "plan.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::thread writer([&] {
    std::ofstream out(fifo, std::ios::binary);  // blocks until the reader opens
    out << kPlan;
  });
  Deployment d;
  auto r = load_inputs({fifo}, d);
  writer.join();
  ASSERT_TRUE(r) << r.error().str();
  EXPECT_EQ(d.resources.size(), 1u);
}

TEST(IngestStreams, FifoWithoutAWriterDoesNotBlock) {
  TempDir t;
  const fs::path fifo = t.path() / "idle.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  Deployment d;
  LoadOptions opts;
  opts.fifo_wait_ms = 300;
  auto r = load_inputs({fifo}, d, opts);  // returns (the test would hang otherwise)
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Exit::kBadInput);
  EXPECT_TRUE(contains(r.error().str(), "nothing writes to this FIFO")) << r.error().str();
}

TEST(IngestStreams, DevicesAreRefusedFromTheirFirstBytes) {
  Deployment d;
  auto r = load_inputs({"/dev/zero"}, d);  // never read to the 4 GB limit
  ASSERT_FALSE(r);
  EXPECT_TRUE(contains(r.error().str(), "binary")) << r.error().str();
}

TEST(IngestStreams, AFileTruncatedAfterItWasOpenedIsAnInputError) {
  // Files are read, never mapped: what changes under the reader gives bytes that fail to parse,
  // not SIGBUS. Here the file is cut before loading: the loader sees a truncated document.
  TempDir t;
  const fs::path p = t.write("plan.json", kPlan);
  fs::resize_file(p, kPlan.size() / 2);
  Deployment d;
  auto r = load_input_file(p, d);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Exit::kBadInput);
  EXPECT_TRUE(contains(r.error().str(), "truncated")) << r.error().str();
}

TEST(IngestStreams, DeepNestingInSectionsNoRuleReads) {
  const int n = 100000;
  const std::string deep = std::string(n, '[') + std::string(n, ']');
  for (const char* section : {"prior_state", "output_changes", "relevant_attributes"}) {
    auto e = error_of(kHead + "\"" + section + "\":{\"x\":" + deep + "}}");
    EXPECT_TRUE(contains(e, "nested more than 256 levels deep")) << section << ": " << e;
    EXPECT_TRUE(contains(e, std::string("(at /") + section)) << section << ": " << e;
  }
  auto e = error_of(plan_with_change(R"({"actions":["create"],"after":{},"before":)" + deep + "}"));
  EXPECT_TRUE(contains(e, "deep")) << e;
  // Strings holding brackets are not nesting.
  EXPECT_EQ(error_of(kHead + R"("prior_state":{"x":")" + std::string(1000, '[') + "\"}}"),
            "(loaded)");
}

}  // namespace
}  // namespace csap::ingest
