// The report contract (DESIGN.md §6), checked for every format in the registry and both
// languages: each output names the tool and its version, the catalog with its version and
// status, the profile, and every input file with its SHA-256; none carries a secret, wherever an
// input put it; none carries a raw C0 control sequence (ESC, BEL, CR, DEL). The console, made for
// terminals, escapes C1 controls as well (console_test.cpp).
#include <gtest/gtest.h>
#include <minizip/unzip.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "report/common.h"
#include "report/labels.h"
#include "report/registry.h"
#include "report_fixture.h"
#include "test_support.h"

namespace csap::report {
namespace {

using namespace fixture;
namespace fs = std::filesystem;

// Every XML part of an Office Open XML file, one after the other.
std::string zip_xml(const fs::path& file) {
  std::string out;
  unzFile z = unzOpen(file.string().c_str());
  EXPECT_NE(z, nullptr) << file;
  if (!z) return out;
  for (int rc = unzGoToFirstFile(z); rc == UNZ_OK; rc = unzGoToNextFile(z)) {
    char name[512];
    unz_file_info fi{};
    if (unzGetCurrentFileInfo(z, &fi, name, sizeof name, nullptr, 0, nullptr, 0) != UNZ_OK) break;
    std::string n = name;
    if (!n.ends_with(".xml") && !n.ends_with(".rels")) continue;
    if (unzOpenCurrentFile(z) != UNZ_OK) break;
    char buf[8192];
    int got;
    while ((got = unzReadCurrentFile(z, buf, sizeof buf)) > 0) out.append(buf, got);
    unzCloseCurrentFile(z);
  }
  unzClose(z);
  return out;
}

struct Output {
  std::string format;
  Lang lang;
  std::string text;  // the file, or for XLSX its XML parts
};

std::vector<Output> every_output(const Fixture& fx, Extras extras) {
  std::vector<Output> out;
  testing::TempDir tmp;
  for (const Format& f : registry())
    for (Lang lang : {Lang::kKo, Lang::kEn}) {
      fs::path file = tmp.path() / ("report-" + lang_name(lang) + "." + std::string(f.extension));
      auto r = f.write(Sink(file.string()), fx.a, info(lang, extras));
      EXPECT_TRUE(r) << f.name << ": " << (r ? "" : r.error().str());
      out.push_back(
          {std::string(f.name), lang, f.name == "xlsx" ? zip_xml(file) : read_file(file)});
      EXPECT_FALSE(out.back().text.empty()) << f.name;
    }
  return out;
}

bool has(const std::string& text, std::string_view what) {
  return text.find(what) != std::string::npos;
}

TEST(ReportContract, EveryFormatIsRegisteredOnce) {
  std::set<std::string_view> names, extensions;
  for (const Format& f : registry()) {
    EXPECT_TRUE(names.insert(f.name).second) << f.name;
    EXPECT_TRUE(extensions.insert(f.extension).second) << f.extension;
    EXPECT_NE(f.write, nullptr) << f.name;
  }
  EXPECT_EQ(formats().size(), registry().size());
  EXPECT_EQ(names.size(), 9u);  // console json sarif junit oscal csv csv-findings xlsx html
}

TEST(ReportContract, EveryFormatCarriesToolCatalogProfileAndInputs) {
  auto fx = make_fixture();
  fx->d.inputs.push_back({"state.json", std::string(64, 'e'), "terraform-state", "4", "1.8.0", 10});
  for (const auto& o : every_output(*fx, Extras::kNone)) {
    SCOPED_TRACE(o.format + " " + lang_name(o.lang));
    EXPECT_TRUE(has(o.text, "csapcheck"));
    EXPECT_TRUE(has(o.text, "9.9.9"));
    EXPECT_TRUE(has(o.text, "testcat"));
    EXPECT_TRUE(has(o.text, "2024-01"));
    EXPECT_TRUE(has(o.text, "structure") || has(o.text, catalog_status_word("structure", o.lang)));
    EXPECT_TRUE(has(o.text, "saas-moderate") || has(o.text, profile_text(fx->a, o.lang)));
    for (const auto& in : fx->d.inputs) {
      EXPECT_TRUE(has(o.text, in.path)) << in.path;
      EXPECT_TRUE(has(o.text, in.sha256)) << in.sha256;
    }
  }
}

TEST(ReportContract, NoFormatCarriesASecret) {
  auto fx = make_fixture(Extras::kCanaries);
  for (const auto& o : every_output(*fx, Extras::kCanaries)) {
    SCOPED_TRACE(o.format + " " + lang_name(o.lang));
    for (const char* canary : {kCanarySensitive, kCanaryNamed, kCanaryNested, kCanaryKey,
                               kSecretKey, kSensitivePw, "AKIA"})
      EXPECT_FALSE(has(o.text, canary)) << canary;
  }
}

TEST(ReportContract, NoFormatCarriesARawControlSequence) {
  auto fx = make_fixture(Extras::kCanaries);
  for (const auto& o : every_output(*fx, Extras::kCanaries)) {
    SCOPED_TRACE(o.format + " " + lang_name(o.lang));
    EXPECT_FALSE(has(o.text, "\x1b")) << "ESC";
    EXPECT_FALSE(has(o.text, "\x07")) << "BEL";
    EXPECT_FALSE(has(o.text, "\x7f")) << "DEL";
    EXPECT_FALSE(has(o.text, "\rOK")) << "CR";
  }
}

}  // namespace
}  // namespace csap::report
