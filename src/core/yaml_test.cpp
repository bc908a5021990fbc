#include "core/yaml.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace csap::yaml
