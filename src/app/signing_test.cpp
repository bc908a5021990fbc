#include "app/signing.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "test_support.h"

using namespace csap;

namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(CanonicalJson, SortsMembersDropsWhitespaceAndKeepsStrings) {
  auto c = app::canonical_json(
      "{ \"b\" : [1, 2.5, \"x y\"],\n  \"a\": {\"z\": null, \"k\": true} }", "t.json");
  ASSERT_TRUE(c) << c.error().str();
  EXPECT_EQ(*c, R"({"a":{"k":true,"z":null},"b":[1,2.5,"x y"]})");
  auto escaped = app::canonical_json(R"({"k": "\ud55c\u0041\n"})", "t.json");
  ASSERT_TRUE(escaped);
  EXPECT_EQ(*escaped, "{\"k\":\"한A\\n\"}");
}

TEST(CanonicalJson, DuplicateMembersAndBadJsonAreErrors) {
  auto dup = app::canonical_json(R"({"a": {"r": 1, "r": 2}})", "t.json");
  ASSERT_FALSE(dup);
  EXPECT_NE(dup.error().message.find("twice"), std::string::npos);
  auto bad = app::canonical_json("{\n  \"a\": }", "t.json");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().where.line, 2);
}

TEST(SignedReport, KeygenSignVerifyAndTamper) {
  csap::testing::TempDir t;
  std::string key = (t.path() / "key").string();
  auto k = app::keygen(key);
  ASSERT_TRUE(k) << k.error().str();
  struct stat st {};
  ASSERT_EQ(::stat(key.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(k->key_id.size(), 16u);
  auto again = app::keygen(key);
  ASSERT_FALSE(again);  // never overwrites a key
  EXPECT_EQ(again.error().code, Exit::kUsage);
  auto id_pub = app::key_id_of(k->public_key);
  ASSERT_TRUE(id_pub);
  EXPECT_EQ(*id_pub, k->key_id);
  EXPECT_EQ(slurp(k->public_key).find("PRIVATE"), std::string::npos);

  auto report = t.write("r.json", R"({"schema": "csapcheck/report/v1", "summary": {"fail": 3}})");
  auto sig = app::sign_report(report.string(), key);
  ASSERT_TRUE(sig) << sig.error().str();
  EXPECT_EQ(slurp(*sig).find(slurp(key)), std::string::npos);
  auto ok = app::verify_report(report.string(), k->public_key);
  ASSERT_TRUE(ok) << ok.error().str();
  EXPECT_TRUE(ok->valid) << ok->message;

  // Whitespace and member order are not meaning: still valid.
  t.write("r.json",
          "{\n  \"summary\" : { \"fail\" : 3 },\n  \"schema\" : \"csapcheck/report/v1\"\n}\n");
  auto ws = app::verify_report(report.string(), k->public_key, *sig);
  ASSERT_TRUE(ws);
  EXPECT_TRUE(ws->valid) << ws->message;
  // A value is: detected.
  t.write("r.json", R"({"schema": "csapcheck/report/v1", "summary": {"fail": 2}})");
  auto flipped = app::verify_report(report.string(), k->public_key, *sig);
  ASSERT_TRUE(flipped);
  EXPECT_FALSE(flipped->valid);
  // So is a duplicated member that a reader taking the first one would believe.
  t.write("r.json", R"({"schema": "csapcheck/report/v1", "summary": {"fail": 0, "fail": 3}})");
  auto dup = app::verify_report(report.string(), k->public_key, *sig);
  ASSERT_TRUE(dup);
  EXPECT_FALSE(dup->valid);

  // Another key: refused, naming both key ids.
  auto other = app::keygen((t.path() / "other").string());
  ASSERT_TRUE(other);
  t.write("r.json", R"({"schema": "csapcheck/report/v1", "summary": {"fail": 3}})");
  auto wrong = app::verify_report(report.string(), other->public_key, *sig);
  ASSERT_TRUE(wrong);
  EXPECT_FALSE(wrong->valid);
  EXPECT_NE(wrong->message.find(k->key_id), std::string::npos);
}

TEST(SignedReport, NotAKeyIsAClearError) {
  csap::testing::TempDir t;
  auto junk = t.write("junk.pem", "hello\n");
  auto r = t.write("r.json", "{}");
  auto s = app::sign_report(r.string(), junk.string());
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("not a PEM private key"), std::string::npos);
}

}  // namespace
