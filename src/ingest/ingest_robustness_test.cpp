// Bad inputs give one clear line (exit code 3) within bounded memory; the shared corpus loads.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>

#include "core/files.h"
#include "ingest/terraform.h"
#include "test_support.h"

namespace csap::ingest {
namespace {
namespace fs = std::filesystem;
using csap::testing::TempDir;

std::string load_error(const fs::path& p) {
  Deployment d;
  auto r = load_terraform_file(p, d);
  if (r) return "(loaded)";
  EXPECT_EQ(r.error().code, Exit::kBadInput);
  std::string s = r.error().str();
  EXPECT_EQ(s.find('\n'), std::string::npos) << "not one line: " << s;
  EXPECT_NE(s.find(p.filename().string()), std::string::npos) << "does not name the file: " << s;
  return s;
}

bool contains(const std::string& s, std::string_view part) {
  return s.find(part) != std::string::npos;
}

const std::string kPlanHead = R"({"format_version":"1.2","terraform_version":"1.6.0",)";

TEST(IngestBadInput, EmptyFile) {
  TempDir t;
  auto e = load_error(t.write("plan.json", ""));
  EXPECT_TRUE(contains(e, "empty file")) << e;
  auto ws = load_error(t.write("ws.json", "  \n\t "));
  EXPECT_TRUE(contains(ws, "empty")) << ws;
}

TEST(IngestBadInput, TruncatedJson) {
  TempDir t;
  std::string full =
      kPlanHead +
      R"("resource_changes":[{"address":"aws_s3_bucket.b","type":"aws_s3_bucket","change":{"actions":["create"],"after":{"bucket":"b"}}}]})";
  for (std::size_t cut : {full.size() - 1, full.size() - 5, full.size() / 2, std::size_t{10}}) {
    auto e = load_error(t.write("plan.json", full.substr(0, cut)));
    EXPECT_TRUE(contains(e, "plan.json:1:")) << "cut " << cut << ": " << e;
  }
}

TEST(IngestBadInput, WrongShape) {
  // Shape errors carry line and column, like syntax errors, and the JSON pointer.
  TempDir t;
  auto e = load_error(t.write("plan.json", kPlanHead + R"("resource_changes":"oops"})"));
  EXPECT_TRUE(
      contains(e, "plan.json:1:72: expected an array, found a string (at /resource_changes)"))
      << e;
  auto e2 = load_error(
      t.write("plan2.json", kPlanHead + R"("resource_changes":[{"address":"a.b","change":[]}]})"));
  EXPECT_TRUE(contains(e2, "plan2.json:1:"));
  EXPECT_TRUE(contains(e2, "expected an object, found an array (at /resource_changes/0/change)"))
      << e2;
  auto e3 = load_error(t.write("state.json", R"({"version":4,"lineage":"x","resources":{"a":1}})"));
  EXPECT_TRUE(contains(e3, "state.json:1:40: expected an array, found an object (at /resources)"))
      << e3;
}

TEST(IngestBadInput, Utf16WithAndWithoutBom) {
  // With a byte-order mark (Windows PowerShell) UTF-16 is transcoded and loads; without one it is
  // refused with the reason.
  TempDir t;
  std::string text = kPlanHead + R"("resource_changes":[]})";
  std::string le;
  for (char c : text) {
    le += c;
    le += '\0';
  }
  Deployment d;
  auto r = load_terraform_file(t.write("bom.json", "\xFF\xFE" + le), d);
  ASSERT_TRUE(r) << r.error().str();
  EXPECT_EQ(d.inputs.at(0).kind, "terraform-plan");
  auto e1 = load_error(t.write("bom-lone.json", "\xFF\xFE" + le + std::string("\x00\xDC", 2)));
  EXPECT_TRUE(contains(e1, "UTF-16")) << e1;
  auto e2 = load_error(t.write("nobom.json", le));
  EXPECT_TRUE(contains(e2, "UTF-16")) << e2;
}

TEST(IngestBadInput, InvalidUtf8) {
  TempDir t;
  auto e = load_error(
      t.write("plan.json", kPlanHead + "\n\"resource_changes\":[{\"address\":\"a\xC3\x28\"}]}"));
  EXPECT_TRUE(contains(e, "invalid UTF-8")) << e;
  EXPECT_TRUE(contains(e, "plan.json:2:")) << e;
}

TEST(IngestBadInput, BinaryFile) {
  TempDir t;
  std::string bin =
      "\x7F"
      "ELF\x02\x01\x01";
  bin += std::string(64, '\0');
  for (int i = 0; i < 256; ++i) bin += static_cast<char>(i);
  auto e = load_error(t.write("plan.json", bin));
  EXPECT_TRUE(contains(e, "binary") || contains(e, "UTF")) << e;
}

TEST(IngestBadInput, DeepNesting) {
  TempDir t;
  const int n = 100000;
  // Inside a resource's values (built), and inside a part that is skipped.
  std::string built =
      kPlanHead +
      R"("resource_changes":[{"address":"a.b","type":"a","name":"b","change":{"actions":["create"],"after":{"x":)" +
      std::string(n, '[') + std::string(n, ']') + "}}}]}";
  auto e = load_error(t.write("deep.json", built));
  EXPECT_TRUE(contains(e, "deep")) << e;
  // Inside the configuration (read through the DOM, which has its own depth limit).
  std::string cfg =
      kPlanHead + R"("configuration":{"x":)" + std::string(n, '[') + std::string(n, ']') + "}}";
  auto e2 = load_error(t.write("deep2.json", cfg));
  EXPECT_TRUE(contains(e2, "deep") && contains(e2, "/configuration")) << e2;
  // A part no rule reads (prior_state) is not built, but its depth is checked all the same (no
  // stack, no memory): deep nesting anywhere is reported.
  std::string skipped =
      kPlanHead + R"("prior_state":{"x":)" + std::string(n, '[') + std::string(n, ']') + "}}";
  auto e4 = load_error(t.write("deep4.json", skipped));
  EXPECT_TRUE(contains(e4, "deep") && contains(e4, "/prior_state")) << e4;
  auto e3 = load_error(t.write("deep3.json", std::string(n, '[') + std::string(n, ']')));
  EXPECT_TRUE(contains(e3, "deep") || contains(e3, "not an object")) << e3;
}

TEST(IngestBadInput, NumberOutOfRange) {
  TempDir t;
  auto e = load_error(t.write(
      "plan.json",
      kPlanHead +
          R"("resource_changes":[{"address":"a.b","type":"a","name":"b","change":{"actions":["create"],"after":{"size":123456789012345678901234567890}}}]})"));
  EXPECT_TRUE(contains(e, "out of 64-bit range")) << e;
  EXPECT_TRUE(contains(e, "/resource_changes/0/change/after/size")) << e;
  auto e2 = load_error(t.write(
      "plan2.json",
      kPlanHead +
          R"("resource_changes":[{"address":"a.b","type":"a","name":"b","change":{"actions":["create"],"after":{"l":[1,1e400]}}}]})"));
  EXPECT_TRUE(contains(e2, "/resource_changes/0/change/after/l/1")) << e2;
}

TEST(IngestBadInput, NotAPlanOrState) {
  TempDir t;
  auto e =
      load_error(t.write("package.json", R"({"name":"x","version":"1.0.0","dependencies":{}})"));
  EXPECT_TRUE(contains(e, "not a Terraform plan or state")) << e;
  auto e2 = load_error(t.write("list.json", "[1,2,3]"));
  EXPECT_TRUE(contains(e2, "top level is an array")) << e2;
  auto e3 = load_error(t.write("trail.json", kPlanHead + R"("resource_changes":[]} {})"));
  EXPECT_TRUE(contains(e3, "after the JSON value")) << e3;
  auto e4 = load_error(t.write("future.json", R"({"format_version":"2.0","resource_changes":[]})"));
  EXPECT_TRUE(contains(e4, "format_version 2.0 is not supported")) << e4;
}

TEST(IngestBadInput, DirectorySkipsOtherJsonAndExplicitFileFails) {
  TempDir t;
  t.write("infra/package.json", R"({"name":"x","version":"1.0.0"})");
  t.write(
      "infra/plan.json",
      kPlanHead +
          R"("resource_changes":[{"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","provider_name":"registry.terraform.io/hashicorp/aws","change":{"actions":["create"],"after":{"bucket":"b"}}}]})");
  t.write("infra/README.md", "# not json");
  Deployment d;
  std::vector<std::string> notes;
  LoadOptions opts;
  opts.notes = &notes;
  auto r = load_inputs({t.path() / "infra"}, d, opts);
  ASSERT_TRUE(r) << r.error().str();
  EXPECT_EQ(d.resources.size(), 1u);
  EXPECT_EQ(d.inputs.size(), 1u);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_TRUE(contains(notes[0], "package.json: skipped")) << notes[0];
  Deployment d2;
  auto r2 = load_inputs({t.path() / "infra/package.json"}, d2);
  ASSERT_FALSE(r2);
  EXPECT_TRUE(contains(r2.error().str(), "not a Terraform plan or state")) << r2.error().str();
}

TEST(IngestBadInput, SymlinkLoop) {
  TempDir t;
  fs::create_directories(t.path() / "a/b");
  fs::create_directory_symlink(t.path() / "a", t.path() / "a/b/loop");
  Deployment d;
  auto r = load_inputs({t.path() / "a"}, d);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Exit::kBadInput);
  EXPECT_TRUE(contains(r.error().str(), "loop")) << r.error().str();
  fs::create_symlink(t.path() / "self.json", t.path() / "self.json");
  Deployment d2;
  auto r2 = load_inputs({t.path() / "self.json"}, d2);
  ASSERT_FALSE(r2);
  EXPECT_TRUE(contains(r2.error().str(), "loop")) << r2.error().str();
}

long max_rss_bytes() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss * 1024L;
}

TEST(IngestBadInput, HugeSingleString) {
  // 500 MB holding one JSON string: rejected (the top level is not an object) without copying it
  // again; peak memory stays within 2.5x the file.
  TempDir t;
  const std::size_t size = 500u << 20;
  fs::path p = t.path() / "huge.json";
  {
    std::FILE* f = std::fopen(p.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::string chunk(1 << 20, 'a');
    std::fputc('"', f);
    for (std::size_t w = 1; w + chunk.size() < size; w += chunk.size())
      std::fwrite(chunk.data(), 1, chunk.size(), f);
    std::fputc('"', f);
    std::fclose(f);
  }
  const auto bytes = fs::file_size(p);
  const long before = max_rss_bytes();
  auto start = std::chrono::steady_clock::now();
  auto e = load_error(p);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const long delta = max_rss_bytes() - before;
  EXPECT_TRUE(contains(e, "top level is a string")) << e;
  EXPECT_LT(static_cast<double>(delta), 2.5 * static_cast<double>(bytes))
      << "peak grew by " << delta;
  std::printf("500 MB string: rejected in %.2f s, peak RSS grew by %.0f MB\n", secs,
              delta / 1048576.0);
}

TEST(IngestBadInput, TooLargeIsRejectedBeforeReading) {
  TempDir t;
  fs::path p = t.path() / "big.json";
  { std::ofstream(p) << "{}"; }
  fs::resize_file(p, kMaxInputBytes + 1);  // sparse: nothing is written
  const long before = max_rss_bytes();
  auto e = load_error(p);
  EXPECT_TRUE(contains(e, "too large")) << e;
  EXPECT_LT(max_rss_bytes() - before, 64L << 20);
}

// ---- the shared corpus -----------------------------------------------------------------------

bool looks_terraform(const fs::path& p) {
  // Cheap content sniff for collecting the corpus set: the loader decides for real.
  std::ifstream in(p, std::ios::binary);
  std::string head(4096, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  std::string ascii;
  for (char c : head)
    if (c != '\0') ascii += c;  // UTF-16 files too
  return contains(ascii, "\"format_version\"") || contains(ascii, "\"terraform_version\"") ||
         contains(ascii, "\"resource_changes\"") || contains(ascii, "\"lineage\"");
}

TEST(IngestCorpus, PlansAndStatesLoadOrFailClearly) {
  CSAP_REQUIRE_SHARED();
  const fs::path corpus = csap::testing::shared_dir() / "corpus";
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(corpus); it != fs::recursive_directory_iterator();
       ++it) {
    if (!it->is_regular_file()) continue;
    const std::string name = it->path().filename().string();
    const bool candidate =
        name.ends_with(".json") || name.ends_with(".tfstate") || name.ends_with(".tfstate.backup");
    if (candidate && looks_terraform(it->path())) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_GT(files.size(), 200u);
  std::size_t loaded = 0, resources = 0, not_tf = 0;
  std::vector<std::string> rejected;
  for (const auto& f : files) {
    Deployment d;
    auto r = load_terraform_file(f, d);
    if (r) {
      ++loaded;
      resources += d.resources.size();
      continue;
    }
    std::string s = r.error().str();
    EXPECT_EQ(s.find('\n'), std::string::npos) << s;
    EXPECT_FALSE(r.error().message.empty());
    if (contains(s, "not a Terraform plan or state")) ++not_tf;
    const auto& w = r.error().where;
    std::string at = w.line ? ":" + std::to_string(w.line) + ":" + std::to_string(w.column)
                            : (w.pointer.empty() ? std::string() : " (at " + w.pointer + ")");
    rejected.push_back(fs::relative(f, corpus).string() + at + ": " + r.error().message);
  }
  std::printf("corpus: %zu plan/state files, %zu loaded (%zu resources), %zu rejected:\n",
              files.size(), loaded, resources, rejected.size());
  for (const auto& s : rejected) std::printf("  %s\n", s.c_str());
  const std::size_t tf_files = files.size() - not_tf;
  EXPECT_GE(loaded * 10, tf_files * 9) << loaded << " of " << tf_files;
}

TEST(IngestCorpus, NcloudStatesHaveProviderRegionAndSite) {
  CSAP_REQUIRE_SHARED();
  const fs::path dir =
      csap::testing::shared_dir() / "corpus/NaverCloudPlatform__terraform-workshop-220828/infra";
  for (const char* name : {"terraform.tfstate", "terraform.tfstate.backup"}) {
    Deployment d;
    auto r = load_terraform_file(dir / name, d);
    ASSERT_TRUE(r) << r.error().str();
    std::size_t ncloud = 0;
    for (const auto& res : d.resources) {
      if (!res.type.starts_with("ncloud_")) continue;
      ++ncloud;
      EXPECT_EQ(res.provider, "ncloud") << res.address;
      EXPECT_EQ(res.provider_source, "registry.terraform.io/navercloudplatform/ncloud")
          << res.address;
      EXPECT_EQ(res.region.str(), "KR") << res.address;
      EXPECT_EQ(res.site.str(), "public") << res.address;
      if (res.type == "ncloud_server") {
        EXPECT_EQ(res.zone.str(), "KR-1") << res.address;
      }
    }
    EXPECT_GT(ncloud, 20u);
    // local_file has no location; its dependency on the login key is kept.
    long lf = d.find("local_file.private_key");
    ASSERT_GE(lf, 0);
    const Resource& f = d.resources[static_cast<std::size_t>(lf)];
    EXPECT_TRUE(f.region.is_null());
    EXPECT_TRUE(f.values.get("content")->sensitive());
    ASSERT_EQ(f.refs.size(), 1u);
    EXPECT_EQ(d.resources[f.refs[0].target].address, "ncloud_login_key.loginkey");
  }
}

}  // namespace
}  // namespace csap::ingest
