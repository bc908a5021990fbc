// The console report in a terminal: control characters from any input are shown escaped, while the
// report's own colours still reach the terminal.
#include "report/console.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <sstream>

#include "report_fixture.h"

namespace csap::report {
namespace {

using namespace fixture;

std::string console(const Fixture& fx, Lang lang, bool color) {
  ReportInfo i = info(lang, Extras::kCanaries);
  i.color = color;
  i.verbose = true;
  std::ostringstream os;
  write_console(os, fx.a, i);
  return os.str();
}

// The output without the colour sequences the report writes (SGR: ESC [ digits ; ... m).
std::string without_colours(std::string s) {
  RE2::GlobalReplace(&s, "\x1b\\[[0-9;]*m", "");
  return s;
}

TEST(TerminalEscape, EachKindOfControlCharacter) {
  EXPECT_EQ(terminal_escape("a\x1b[2Jb"), "a\\u001b[2Jb");           // CSI
  EXPECT_EQ(terminal_escape("\x1b]0;t\x07"), "\\u001b]0;t\\u0007");  // OSC, BEL
  EXPECT_EQ(terminal_escape("x\ry"), "x\\u000dy");                   // CR
  EXPECT_EQ(terminal_escape("\x7f"), "\\u007f");                     // DEL
  EXPECT_EQ(terminal_escape("\x01\x08\x09\x0b\x0c"), "\\u0001\\u0008\\u0009\\u000b\\u000c");
  EXPECT_EQ(terminal_escape("\xc2\x9b"
                            "31m\xc2\x85"),
            "\\u009b31m\\u0085");  // C1
  EXPECT_EQ(terminal_escape("\xe2\x80\xae"
                            "abc\xe2\x81\xa6"),
            "\\u202eabc\\u2066");  // bidi
  EXPECT_EQ(terminal_escape("\xe2\x80\xa8"), "\\u2028");
  // Line feeds, text, Korean and other non-control characters stay as they are.
  EXPECT_EQ(terminal_escape("줄 하나\nline two · é ½ \xc2\xa0"),
            "줄 하나\nline two · é ½ \xc2\xa0");
  EXPECT_EQ(terminal_escape(""), "");
  EXPECT_EQ(terminal_escape("\xc2"), "\xc2");  // a cut sequence is not a C1 control
}

TEST(ReportConsole, ControlCharactersFromInputsAreEscaped) {
  auto fx = make_fixture(Extras::kCanaries);
  for (Lang lang : {Lang::kKo, Lang::kEn})
    for (bool color : {false, true}) {
      SCOPED_TRACE(lang_name(lang) + (color ? " colour" : " plain"));
      std::string out = console(*fx, lang, color);
      std::string plain = without_colours(out);
      // Nothing but the report's own colours: no other ESC, no C0 but the line feed, no DEL, no C1.
      for (unsigned char c : plain)
        EXPECT_TRUE(c >= 0x20 || c == '\n') << "raw control character " << int(c);
      EXPECT_EQ(plain.find('\x7f'), std::string::npos);
      EXPECT_EQ(plain.find("\xc2\x9b"), std::string::npos);
      // Each kind shown escaped: Terraform's version (OSC + BEL), a for_each key (CSI), an input's
      // file name (CR), a resource's Terraform version (C1), an attestation owner (CR, C1), a
      // warning (CSI, OSC).
      EXPECT_NE(plain.find("1.9.5\\u001b]0;owned\\u0007"), std::string::npos) << plain;
      EXPECT_NE(plain.find("aws_s3_bucket.ctl[\"\\u001b]0;owned\\u0007\\u001b[2J\"]"),
                std::string::npos)
          << plain;
      EXPECT_NE(plain.find("state\\u000dOK.json"), std::string::npos) << plain;
      EXPECT_NE(plain.find("1.8.0\\u009b31m"), std::string::npos) << plain;
      EXPECT_NE(plain.find("보안팀\\u000dOK\\u009b31m"), std::string::npos) << plain;
      EXPECT_NE(plain.find("skipped \\u001b[2J\\u001b]0;owned\\u0007x.json"), std::string::npos)
          << plain;
    }
}

TEST(ReportConsole, ColoursSurviveTheEscaping) {
  auto fx = make_fixture(Extras::kCanaries);
  std::string coloured = console(*fx, Lang::kEn, true);
  std::string plain = console(*fx, Lang::kEn, false);
  EXPECT_NE(coloured, plain);
  EXPECT_NE(coloured.find("\x1b[31m"), std::string::npos);  // red: failures
  EXPECT_NE(coloured.find("\x1b[0m"), std::string::npos);   // reset
  // Colours are all that differ.
  EXPECT_EQ(without_colours(coloured), plain);
  EXPECT_EQ(plain.find('\x1b'), std::string::npos);
}

TEST(ReportConsole, AMarkerLikeTextInAnInputIsNotAColour) {
  // Text that looks like the internal stand-in for ESC stays escaped.
  auto fx = make_fixture(Extras::kCanaries);
  static const std::string name = std::string("x\x01\x02[31m\x01\x03\x02[1m");
  for (auto& r : fx->d.resources)
    if (r.type == "aws_s3_bucket" && r.name == "tmp") r.address = name;
  std::string coloured = console(*fx, Lang::kEn, true);
  EXPECT_NE(coloured.find("x\\u0001\\u0002[31m\\u0001\\u0003\\u0002[1m"), std::string::npos)
      << coloured;
  EXPECT_EQ(without_colours(coloured), console(*fx, Lang::kEn, false));
}

}  // namespace
}  // namespace csap::report
