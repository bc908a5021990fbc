#include "core/yaml.h"

#include <gtest/gtest.h>

#include <string>

#include "core/workcount.h"

namespace csap::yaml {
namespace {

TEST(Yaml, ParsesMapsListsAndScalarsWithPositions) {
  auto doc = parse_one("a: 1\nb:\n  - x\n  - \"2\"\nc: ~\n", "t.yaml");
  ASSERT_TRUE(doc) << doc.error().str();
  ASSERT_TRUE(doc->is_map());
  const Node* a = doc->get("a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->as_int(), 1);
  const Node* b = doc->get("b");
  ASSERT_TRUE(b && b->is_seq());
  ASSERT_EQ(b->items.size(), 2u);
  EXPECT_EQ(b->items[0].scalar, "x");
  EXPECT_EQ(b->items[0].line, 3);
  EXPECT_EQ(b->items[0].column, 5);
  EXPECT_TRUE(b->items[1].quoted);
  EXPECT_FALSE(b->items[1].as_int());
  EXPECT_TRUE(doc->get("c")->is_plain_null());
}

TEST(Yaml, ReportsSyntaxErrorsWithLineAndColumn) {
  auto doc = parse_one("a: [1, 2\nb: 3\n", "bad.yaml");
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().where.file, "bad.yaml");
  EXPECT_GT(doc.error().where.line, 0);
  EXPECT_EQ(doc.error().code, Exit::kBadInput);
}

TEST(Yaml, RejectsDuplicateKeys) {
  auto doc = parse_one("a: 1\nb: 2\na: 3\n", "dup.yaml");
  ASSERT_FALSE(doc);
  EXPECT_NE(doc.error().message.find("duplicate key"), std::string::npos);
  EXPECT_EQ(doc.error().where.line, 3);
}

TEST(Yaml, BoundsAliasExpansion) {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'k'; ++c) {
    bomb += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) bomb += std::string(i ? ", *" : "*") + prev;
    bomb += "]\n";
    prev = c;
  }
  auto doc = parse_one(bomb, "bomb.yaml");
  ASSERT_FALSE(doc);
  EXPECT_NE(doc.error().message.find("nodes"), std::string::npos);
}

TEST(Yaml, RejectsDeepNesting) {
  std::string deep(100000, '[');
  auto doc = parse_one(deep, "deep.yaml");
  ASSERT_FALSE(doc);
}

TEST(Yaml, ParsesMultipleDocumentsAndTags) {
  auto docs = parse("x: !Ref Env\n---\ny: 2\n", "m.yaml");
  ASSERT_TRUE(docs) << docs.error().str();
  ASSERT_EQ(docs->size(), 2u);
  EXPECT_EQ((*docs)[0].root.get("x")->tag, "!Ref");
  EXPECT_EQ((*docs)[1].line, 2);
}

TEST(Yaml, RejectsInvalidUtf8) {
  auto doc = parse_one("a: \xff\xfe\n", "u.yaml");
  ASSERT_FALSE(doc);
}

// A mapping of n distinct keys, one per line.
std::string wide_map(std::size_t n) {
  std::string s;
  s.reserve(n * 12);
  for (std::size_t i = 0; i < n; ++i) s += "k" + std::to_string(i) + ": " + "v\n";
  return s;
}

std::uint64_t parse_steps(const std::string& text) {
  std::uint64_t before = work::steps;
  auto doc = parse_one(text, "wide.yaml");
  EXPECT_TRUE(doc) << (doc ? "" : doc.error().str());
  if (doc) {
    EXPECT_TRUE(doc->is_map());
  }
  return work::steps - before;
}

TEST(Yaml, DuplicateKeyCheckIsLinearInTheKeys) {
  // 100 000 keys: twice the keys cost at most a little more than twice the steps.
  std::uint64_t half = parse_steps(wide_map(50'000));
  std::uint64_t full = parse_steps(wide_map(100'000));
  EXPECT_GE(half, 50'000u);
  EXPECT_LE(full, half * 5 / 2);
  // The check still finds a duplicate that comes last.
  auto dup = parse_one(wide_map(100'000) + "k7: again\n", "dup.yaml");
  ASSERT_FALSE(dup);
  EXPECT_NE(dup.error().message.find("duplicate key 'k7'"), std::string::npos);
  EXPECT_EQ(dup.error().where.line, 100'001);
}

TEST(Yaml, BoundsAliasExpansionInBytes) {
  // Few nodes, long text: 2 000 aliases of a 64 KiB scalar would hold 128 MiB.
  std::string text = "a: &a " + std::string(64 * 1024, 'x') + "\nb: [";
  for (int i = 0; i < 2000; ++i) text += i ? ", *a" : "*a";
  text += "]\n";
  auto doc = parse_one(text, "long.yaml");
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().where.file, "long.yaml");
  EXPECT_EQ(doc.error().code, Exit::kBadInput);
  EXPECT_NE(doc.error().message.find("MiB"), std::string::npos) << doc.error().message;
  // A smaller budget stops it sooner; the same file with a few aliases loads.
  ParseOptions small;
  small.max_alias_bytes = 1 << 20;
  EXPECT_FALSE(parse_one(text, "long.yaml", small));
  std::string few = "a: &a " + std::string(64 * 1024, 'x') + "\nb: [*a, *a, *a]\n";
  auto ok = parse_one(few, "few.yaml");
  ASSERT_TRUE(ok) << ok.error().str();
  EXPECT_EQ(ok->get("b")->items.size(), 3u);
  EXPECT_EQ(ok->get("b")->items[2].scalar.size(), 64u * 1024);
}

TEST(Yaml, BoundsNestedAnchorsInBytes) {
  // Every level of a deep list anchored: each anchor keeps a copy of everything below it.
  std::string text;
  const int depth = 200;
  for (int i = 0; i < depth; ++i)
    text += "- &a" + std::to_string(i) + "\n" + std::string(2 * (i + 1), ' ');
  text += "[" + std::string(1, 'x');
  for (int i = 0; i < 20'000; ++i) text += ", " + std::string(100, 'y');
  text += "]\n";
  ParseOptions opts;
  opts.max_alias_bytes = 16 << 20;
  auto doc = parse_one(text, "nest.yaml", opts);
  ASSERT_FALSE(doc);
  EXPECT_NE(doc.error().message.find("MiB"), std::string::npos) << doc.error().message;
}

}  // namespace
}  // namespace csap::yaml
