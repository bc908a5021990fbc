#include <fmt/format.h>

#include <cctype>
#include <charconv>

#include "rules/rule.h"

namespace csap::rules {

bool valid_rule_id(std::string_view id) {
  if (id.empty() || id.size() > 64 || id.front() == '-') return false;
  for (char c : id)
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

namespace {
const char* const kSpecial[] = {"$type", "$name", "$address", "$provider", "$region",
                                "$zone", "$site", "$module",  "$tags",     "$mode"};
}

Result<Path> parse_path(std::string_view text, const SourceLoc& where) {
  Path p;
  p.text = std::string(text);
  if (text.empty()) return fail("empty path", where);
  if (text[0] == '$') {
    for (const char* s : kSpecial)
      if (text == s) {
        p.special = std::string(text);
        return p;
      }
    // $tags["Name"] / $tags.Name: tags of the resource, then a key.
    if (text.starts_with("$tags")) {
      p.special = "$tags";
      text.remove_prefix(5);
      if (!text.empty() && text[0] == '.') text.remove_prefix(1);
    } else {
      return fail(fmt::format("unknown special path '{}' (known: $type, $name, $address, "
                              "$provider, $region, $zone, $site, $module, $tags, $mode)",
                              p.text),
                  where);
    }
  }
  if (text == ".") return p;
  std::size_t i = 0;
  auto bad = [&](std::string_view why) {
    return fail(fmt::format("bad path '{}': {} at character {}", p.text, why, i + 1), where);
  };
  bool expect_key = true;
  while (i < text.size()) {
    char c = text[i];
    if (c == '.') {
      if (expect_key && i != 0) return bad("empty key");
      ++i;
      expect_key = true;
      continue;
    }
    if (c == '[') {
      std::size_t close = text.find(']', i);
      if (close == std::string_view::npos) return bad("unclosed '['");
      std::string_view inner = text.substr(i + 1, close - i - 1);
      PathSeg s;
      if (inner == "*") {
        s.kind = PathSeg::Kind::kWildcard;
      } else if (inner.size() >= 2 && (inner.front() == '"' || inner.front() == '\'') &&
                 inner.back() == inner.front()) {
        s.kind = PathSeg::Kind::kKey;
        s.key = std::string(inner.substr(1, inner.size() - 2));
      } else {
        if (inner.empty()) return bad("empty index");
        for (char d : inner)
          if (!std::isdigit(static_cast<unsigned char>(d))) return bad("index is not a number");
        s.kind = PathSeg::Kind::kIndex;
        auto [end, ec] = std::from_chars(inner.data(), inner.data() + inner.size(), s.index);
        if (ec != std::errc() || end != inner.data() + inner.size())
          return bad("index is too large");
      }
      p.segs.push_back(std::move(s));
      i = close + 1;
      expect_key = false;
      continue;
    }
    // A bare key runs to the next '.' or '['.
    std::size_t end = i;
    while (end < text.size() && text[end] != '.' && text[end] != '[') ++end;
    PathSeg s;
    std::string_view key = text.substr(i, end - i);
    if (key == "*")
      s.kind = PathSeg::Kind::kWildcard;
    else
      s.key = std::string(key);
    p.segs.push_back(std::move(s));
    i = end;
    expect_key = false;
  }
  if (expect_key && !p.segs.empty()) return bad("path ends with '.'");
  return p;
}

}  // namespace csap::rules
