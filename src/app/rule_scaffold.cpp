#include "app/rule_scaffold.h"

#include <fmt/format.h>

#include <filesystem>

#include "core/embedded.h"
#include "core/files.h"
#include "rules/ruleset.h"

namespace csap::app {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kBundledPrefix = "bundled:";

std::vector<std::string_view> split_lines(std::string_view s) {
  std::vector<std::string_view> out;
  while (!s.empty()) {
    auto nl = s.find('\n');
    if (nl == std::string_view::npos) {
      out.push_back(s);
      break;
    }
    out.push_back(s.substr(0, nl));
    s.remove_prefix(nl + 1);
  }
  return out;
}

bool is_document_marker(std::string_view line) {
  return line.starts_with("---") && (line.size() == 3 || line[3] == ' ' || line[3] == '\r');
}

// "key" when `line` is a top-level mapping key ("key: ..." at column 1), else empty.
std::string_view top_level_key(std::string_view line) {
  if (line.empty() || line[0] == ' ' || line[0] == '\t' || line[0] == '#' || line[0] == '-')
    return {};
  auto colon = line.find(':');
  if (colon == std::string_view::npos) return {};
  if (colon + 1 < line.size() && line[colon + 1] != ' ' && line[colon + 1] != '\r') return {};
  std::string_view key = line.substr(0, colon);
  if (key.size() >= 2 && (key.front() == '"' || key.front() == '\'') && key.back() == key.front())
    key = key.substr(1, key.size() - 2);
  return key;
}

// The value written after "id:" on the line, unquoted.
std::string scalar_after_colon(std::string_view line) {
  std::string_view v = line.substr(line.find(':') + 1);
  if (auto hash = v.find(" #"); hash != std::string_view::npos) v = v.substr(0, hash);
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\r' || v.back() == '\t'))
    v.remove_suffix(1);
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front())
    v = v.substr(1, v.size() - 2);
  return std::string(v);
}

std::string todo_text(std::string_view key) {
  if (key == "title")
    return "title: {ko: \"TODO: 규칙 제목\", en: \"TODO: what the rule checks\"}\n";
  if (key == "rationale")
    return "rationale:\n  ko: \"TODO: 이 규칙이 필요한 이유와 근거 통제\"\n"
           "  en: \"TODO: why this matters, and the control it serves\"\n";
  return "remediation:\n  ko: \"TODO: 고치는 방법\"\n  en: \"TODO: how to fix a failing "
         "resource\"\n";
}

bool valid_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '_' || c == '.'))
      return false;
  return id.front() != '.' && id.front() != '-';
}

Result<std::string> source_text(const std::string& file) {
  if (file.starts_with(kBundledPrefix)) {
    std::string_view path = std::string_view(file).substr(kBundledPrefix.size());
    for (const auto& f : embedded_files())
      if (f.path == path) return std::string(f.bytes);
    return fail("not found among the bundled files", {file}, Exit::kInternal);
  }
  return read_text_file(file);
}

// The source tree, when the current directory is (inside) one: a directory holding data/rules
// and CMakeLists.txt.
fs::path source_tree_rules() {
  std::error_code ec;
  for (fs::path d = fs::current_path(ec); !ec && !d.empty(); d = d.parent_path()) {
    if (fs::is_directory(d / "data" / "rules", ec) && fs::exists(d / "CMakeLists.txt", ec))
      return d / "data" / "rules";
    if (d == d.parent_path()) break;
  }
  return {};
}

}  // namespace

Result<std::string> scaffold_rule_text(std::string_view source, const std::string& file,
                                       const std::string& like, const std::string& id) {
  // The document that defines `like`.
  auto lines = split_lines(source);
  std::vector<std::string_view> doc;
  bool found = false;
  std::size_t first_line = 0;
  for (std::size_t i = 0; i <= lines.size() && !found; ++i) {
    if (i == lines.size() || is_document_marker(lines[i])) {
      for (auto l : doc)
        if (top_level_key(l) == "id" && scalar_after_colon(l) == like) found = true;
      if (!found) {
        doc.clear();
        first_line = i + 1;
      }
      continue;
    }
    doc.push_back(lines[i]);
  }
  if (!found)
    return fail(fmt::format("no top-level 'id: {}' line to start from", like),
                SourceLoc(file, static_cast<int>(first_line)));
  std::string out = fmt::format(
      "# A new rule, started from {}. Fill in every TODO, adapt the check and the test cases\n"
      "# (each rule needs at least one passing and one failing case), then run\n"
      "# `csapcheck rules validate` and `csapcheck rules test` on its directory.\n",
      like);
  bool skipping = false;
  for (std::size_t i = 0; i < doc.size(); ++i) {
    std::string_view line = doc[i];
    std::string_view key = top_level_key(line);
    if (skipping) {
      // The rest of a replaced entry: its indented or blank continuation lines.
      if (key.empty() && !(line.empty() || line[0] == '#' || line[0] == '-')) continue;
      if (key.empty() && line.starts_with("- ")) continue;  // a block sequence at column 1
      skipping = false;
    }
    if (key == "id") {
      out += fmt::format("id: {}\n", id);
      skipping = true;
    } else if (key == "title" || key == "rationale" || key == "remediation") {
      out += todo_text(key);
      skipping = true;
    } else {
      out += line;
      out += '\n';
    }
  }
  return out;
}

Result<NewRule> new_rule(const NewRuleOptions& opts) {
  if (!valid_id(opts.id))
    return fail(fmt::format("'{}' is not a rule id: use letters, digits and '-', e.g. "
                            "AWS-S3-ENC-002",
                            opts.id),
                {}, Exit::kUsage);
  rules::LoadRulesOptions ro;
  ro.bundled = !opts.no_bundled_rules;
  for (const auto& d : opts.rule_dirs) ro.dirs.emplace_back(d);
  auto rs = rules::load_rules(ro);
  if (!rs) return forward(rs);
  const rules::Rule* like = rs->find(opts.like);
  if (!like) return fail(fmt::format("no rule '{}' to start from", opts.like));
  if (rs->find(opts.id))
    return fail(fmt::format("a rule '{}' already exists ({})", opts.id, rs->find(opts.id)->file));
  bool bundled = like->file.starts_with(kBundledPrefix);
  fs::path dir = opts.dir;
  if (dir.empty()) {
    if (!bundled) {
      dir = fs::path(like->file).parent_path();
    } else if (fs::path tree = source_tree_rules(); !tree.empty()) {
      // bundled:rules/<cloud>/ID.yaml → data/rules/<cloud>/
      fs::path rel = fs::path(like->file.substr(kBundledPrefix.size())).parent_path();
      dir = tree / fs::path(rel).lexically_relative("rules");
    } else {
      dir = ".";
    }
  }
  auto text = source_text(like->file);
  if (!text) return forward(text);
  NewRule out;
  out.file = (dir == "." ? fs::path(opts.id + ".yaml") : dir / (opts.id + ".yaml")).string();
  auto scaffold = scaffold_rule_text(*text, like->file, opts.like, opts.id);
  if (!scaffold) return forward(scaffold);
  out.text = std::move(*scaffold);
  // What is written must compile, as exactly the new rule.
  auto compiled = rules::compile_rules_text(out.text, out.file);
  if (!compiled) return forward(compiled);
  if (compiled->size() != 1 || compiled->front().id != opts.id)
    return fail(fmt::format("the new file does not hold exactly the rule '{}'", opts.id),
                {out.file}, Exit::kInternal);
  std::error_code ec;
  if (fs::exists(out.file, ec) || fs::is_symlink(out.file, ec))
    return fail("already exists; not overwritten", {out.file});
  if (!fs::is_directory(dir, ec)) {
    fs::create_directories(dir, ec);
    if (ec) return fail(fmt::format("cannot create the directory: {}", ec.message()), {dir});
  }
  auto w = write_file_atomically(out.file, [&](std::ostream& os) { os << out.text; });
  if (!w) return forward(w);
  return out;
}

}  // namespace csap::app
