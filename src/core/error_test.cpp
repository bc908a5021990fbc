#include "core/error.h"

#include <gtest/gtest.h>

#include <string>

using namespace csap;

namespace {

Result<int> half(int n) {
  if (n % 2) return fail("odd", SourceLoc("n.txt", 3, 7));
  return n / 2;
}

Result<std::string> describe(int n) {
  auto h = half(n);
  if (!h) return forward(h);
  return std::to_string(*h);
}

TEST(CoreError, ResultCarriesValueOrError) {
  auto ok = describe(8);
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, "4");
  auto bad = describe(3);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().str(), "n.txt:3:7: odd");
  EXPECT_EQ(exit_code(bad.error()), 3);
}

TEST(CoreError, ExitCodesComeFromTheErrorKind) {
  EXPECT_EQ(exit_code(Error{Exit::kUsage, "u"}), 2);
  EXPECT_EQ(exit_code(Error{Exit::kBadInput, "b"}), 3);
  EXPECT_EQ(exit_code(Error{Exit::kInternal, "i"}), 4);
  Error e{Exit::kBadInput, "2 problems"};
  e.details.push_back(Error{Exit::kBadInput, "one", SourceLoc("a.yaml", 1, 2)});
  EXPECT_EQ(e.details.front().str(), "a.yaml:1:2: one");
}

TEST(CoreError, ResultOfVoid) {
  Result<void> ok;
  EXPECT_TRUE(ok);
  Result<void> bad = fail("no", {}, Exit::kUsage);
  ASSERT_FALSE(bad);
  EXPECT_EQ(exit_code(bad.error()), 2);
}

}  // namespace
