// Writing outputs: what is there decides how it is written; nothing the user owns is destroyed.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/files.h"
#include "core/yaml.h"
#include "core/yaml_quote.h"
#include "test_support.h"

namespace csap {
namespace {
namespace fs = std::filesystem;
using csap::testing::TempDir;

struct stat with_mode(mode_t m) {
  struct stat st {};
  st.st_mode = m;
  return st;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(OutputKind, DecidedByWhatIsThere) {
  std::string why;
  auto reg = with_mode(S_IFREG | 0644), chr = with_mode(S_IFCHR | 0666),
       fifo = with_mode(S_IFIFO | 0600), lnk = with_mode(S_IFLNK | 0777),
       dir = with_mode(S_IFDIR | 0755), blk = with_mode(S_IFBLK | 0660),
       sock = with_mode(S_IFSOCK | 0755);
  EXPECT_EQ(output_kind(nullptr, nullptr, &why), OutputKind::kReplace);  // a new file
  EXPECT_EQ(output_kind(&reg, &reg, &why), OutputKind::kReplace);
  // A character device (such as the null device) or a FIFO is written in place, never replaced.
  EXPECT_EQ(output_kind(&chr, &chr, &why), OutputKind::kWriteThrough);
  EXPECT_EQ(output_kind(&fifo, &fifo, &why), OutputKind::kWriteThrough);
  // Through a symbolic link: what it leads to decides; the link itself is never replaced.
  EXPECT_EQ(output_kind(&lnk, &chr, &why), OutputKind::kWriteThrough);
  EXPECT_EQ(output_kind(&lnk, &fifo, &why), OutputKind::kWriteThrough);
  EXPECT_EQ(output_kind(&lnk, &reg, &why), OutputKind::kReplace);
  EXPECT_EQ(output_kind(&lnk, nullptr, &why), OutputKind::kWriteThrough);
  EXPECT_EQ(output_kind(&dir, &dir, &why), OutputKind::kRefuse);
  EXPECT_EQ(why, "is a directory");
  EXPECT_EQ(output_kind(&lnk, &dir, &why), OutputKind::kRefuse);
  EXPECT_EQ(output_kind(&blk, &blk, &why), OutputKind::kRefuse);
  EXPECT_NE(why.find("block device"), std::string::npos);
  EXPECT_EQ(output_kind(&sock, &sock, &why), OutputKind::kRefuse);
}

TEST(WriteOutput, FifoIsWrittenThroughAndStaysAFifo) {
  TempDir d;
  fs::path fifo = d.path() / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string got;
  std::thread reader([&] {
    int fd = ::open(fifo.c_str(), O_RDONLY);
    if (fd < 0) return;
    char buf[256];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof buf)) > 0) got.append(buf, static_cast<std::size_t>(n));
    ::close(fd);
  });
  auto r = write_file_atomically(fifo.string(), [](std::ostream& o) { o << "report\n"; });
  if (!fs::is_fifo(fifo)) {
    // Today's behaviour would leave a regular file here and the reader waiting: release it.
    int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
    if (fd >= 0) ::close(fd);
  }
  reader.join();
  ASSERT_TRUE(r) << r.error().str();
  EXPECT_TRUE(fs::is_fifo(fifo));
  EXPECT_EQ(got, "report\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(d.path()), fs::directory_iterator()), 1);
}

TEST(WriteOutput, SymlinkStaysAndItsFileIsReplaced) {
  TempDir d;
  d.write("real.txt", "old");
  fs::create_symlink("real.txt", d.path() / "link.txt");
  ASSERT_TRUE(
      write_file_atomically((d.path() / "link.txt").string(), [](std::ostream& o) { o << "new"; }));
  EXPECT_TRUE(fs::is_symlink(d.path() / "link.txt"));
  EXPECT_EQ(slurp(d.path() / "real.txt"), "new");
  // The same for writers that need a file name.
  ASSERT_TRUE(write_path_atomically((d.path() / "link.txt").string(), [](const std::string& tmp) {
    std::ofstream(tmp) << "newer";
    return std::string();
  }));
  EXPECT_TRUE(fs::is_symlink(d.path() / "link.txt"));
  EXPECT_EQ(slurp(d.path() / "real.txt"), "newer");
}

TEST(WriteOutput, ReplacedFileKeepsItsMode) {
  TempDir d;
  auto p = d.write("report.json", "old");
  fs::permissions(p, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  ASSERT_TRUE(write_file_atomically(p.string(), [](std::ostream& o) { o << "new"; }));
  EXPECT_EQ(fs::status(p).permissions(),
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  EXPECT_EQ(slurp(p), "new");
  fs::permissions(p, fs::perms::owner_read | fs::perms::owner_write);
  ASSERT_TRUE(write_path_atomically(p.string(), [](const std::string& tmp) {
    std::ofstream(tmp) << "newer";
    return std::string();
  }));
  EXPECT_EQ(fs::status(p).permissions(), fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(slurp(p), "newer");
}

TEST(WriteOutput, FailedWriteLeavesTheOldFileAndNoTemporary) {
  TempDir d;
  auto p = d.write("report.xlsx", "old");
  auto r =
      write_path_atomically(p.string(), [](const std::string&) { return std::string("boom"); });
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().str().find("report.xlsx: cannot write the output file: boom"),
            std::string::npos);
  EXPECT_EQ(slurp(p), "old");
  EXPECT_EQ(std::distance(fs::directory_iterator(d.path()), fs::directory_iterator()), 1);
}

TEST(WriteOutput, DirectoryIsRefused) {
  TempDir d;
  fs::create_directory(d.path() / "out");
  auto r = write_file_atomically((d.path() / "out").string(), [](std::ostream& o) { o << "x"; });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Exit::kBadInput);
  EXPECT_NE(r.error().str().find("is a directory"), std::string::npos);
  EXPECT_TRUE(fs::is_directory(d.path() / "out"));
}

TEST(OutputNotInput, SameFileUnderAnySpellingIsRefused) {
  TempDir d;
  auto plan = d.write("in/plan.json", "{}");
  fs::create_symlink(plan, d.path() / "alias.json");
  fs::create_hard_link(plan, d.path() / "hard.json");
  const std::vector<std::string> inputs{plan.string()};
  for (const std::string& out :
       {plan.string(), (d.path() / "in/../in/./plan.json").string(),
        (d.path() / "alias.json").string(), (d.path() / "hard.json").string()}) {
    auto r = check_output_not_input(out, inputs);
    ASSERT_FALSE(r) << out;
    EXPECT_EQ(r.error().code, Exit::kBadInput);
    EXPECT_NE(r.error().message.find("the output is also an input"), std::string::npos);
  }
  EXPECT_TRUE(check_output_not_input((d.path() / "report.json").string(), inputs));
  d.write("other.json", "{}");
  EXPECT_TRUE(check_output_not_input((d.path() / "other.json").string(), inputs));
  EXPECT_TRUE(check_output_not_input("-", inputs));
}

TEST(YamlQuote, EveryTextReadsBack) {
  for (std::string s :
       {std::string("plain"), std::string("a\"b\\c"), std::string("line\nbreak"),
        std::string("cr\ronly"), std::string("  leading spaces"), std::string("# not a comment"),
        std::string("key: value"), std::string("'single'"), std::string("tab\there"),
        std::string("\x01\x1f\x7f", 3), std::string("- dash"), std::string("증적/정책.pdf"),
        std::string("")}) {
    std::string doc = "k: " + yaml_quote(s) + "\n";
    EXPECT_EQ(doc.find('\n'), doc.size() - 1) << doc;  // one line
    auto n = yaml::parse_one(doc, "q.yaml");
    ASSERT_TRUE(n) << n.error().str();
    ASSERT_NE(n->get("k"), nullptr);
    EXPECT_EQ(n->get("k")->scalar, s) << doc;
  }
}

}  // namespace
}  // namespace csap
