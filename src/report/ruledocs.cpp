#include "report/ruledocs.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "catalog/catalog.h"
#include "catalog/rule_controls.h"
#include "core/embedded.h"
#include "core/files.h"
#include "core/yaml_quote.h"

namespace fs = std::filesystem;

namespace csap::report {

using catalog::RuleControls;

namespace {

bool plain_ok(const yaml::Node& n) {
  const std::string& s = n.scalar;
  if (s.empty()) return false;
  if (n.quoted) {
    // A quoted scalar that would read back as something else (true, 22, null) keeps its quotes.
    yaml::Node plain = n;
    plain.quoted = false;
    if (plain.as_bool() || plain.as_double() || plain.is_plain_null()) return false;
  }
  if (s.front() == ' ' || s.back() == ' ') return false;
  static const std::string_view kStart = "-?:,[]{}#&*!|>'\"%@`";
  if (kStart.find(s.front()) != std::string_view::npos && s != "-") return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\n' || c == '\t' || c == ',' || c == '[' || c == ']' || c == '{' || c == '}')
      return false;
    if (c == ':' && (i + 1 == s.size() || s[i + 1] == ' ')) return false;
    if (c == '#' && i > 0 && s[i - 1] == ' ') return false;
  }
  return true;
}

// Markdown table cell: no line breaks, pipes escaped.
std::string cell(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n')
      out += ' ';
    else
      out += c;
  }
  return out;
}

std::string code(std::string_view s) {
  // A code span that survives backticks inside.
  std::string fence = s.find('`') == std::string_view::npos ? "`" : "``";
  std::string pad = fence.size() > 1 ? " " : "";
  return fence + pad + std::string(s) + pad + fence;
}

std::string display_path(const std::string& file) {
  if (file.starts_with("bundled:")) return "data/" + file.substr(8);
  return file;
}

// The text of the rule's source file.
std::string source_text(const std::string& file) {
  if (file.starts_with("bundled:")) {
    std::string_view p = std::string_view(file).substr(8);
    for (const auto& f : embedded_files())
      if (f.path == p) return std::string(f.bytes);
    return {};
  }
  auto t = read_text_file(file);
  return t ? *t : std::string{};
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::string cur;
  for (char c : text) {
    if (c == '\n') {
      if (!cur.empty() && cur.back() == '\r') cur.pop_back();
      lines.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) lines.push_back(std::move(cur));
  return lines;
}

bool blank_or_comment(const std::string& l) {
  auto p = l.find_first_not_of(" \t");
  return p == std::string::npos || l[p] == '#';
}

// The lines of the top-level keys `keys` of the rule document as written (comments kept): from
// the comment lines right above the key to the line before the next key.
std::string source_block(const rules::Rule& r, std::initializer_list<std::string_view> keys) {
  std::vector<std::string> lines = split_lines(source_text(r.file));
  const auto& pairs = r.source.pairs;
  std::string out;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    const auto& key = pairs[i].first.scalar;
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) continue;
    int first = pairs[i].first.line;  // 1-based
    if (first <= 0 || static_cast<std::size_t>(first) > lines.size()) continue;
    int last;
    if (i + 1 < pairs.size()) {
      last = pairs[i + 1].first.line - 1;
    } else {
      last = first;
      while (static_cast<std::size_t>(last) < lines.size() && !lines[last].starts_with("---"))
        ++last;
    }
    // Comments right above the key belong to it.
    int top = first;
    while (top > 1 && lines[top - 2].starts_with("#")) --top;
    while (last > first && blank_or_comment(lines[last - 1])) --last;
    for (int l = top; l <= last; ++l) out += lines[l - 1] + "\n";
  }
  return out;
}

std::string text_of(const yaml::Node* n) {
  return n && n->is_scalar() ? n->scalar : std::string{};
}

std::string test_resource(const yaml::Node& res) {
  std::string type = text_of(res.get("type"));
  std::string addr = text_of(res.get("address"));
  if (addr.empty()) {
    std::string name = text_of(res.get("name"));
    addr = type + "." + (name.empty() ? "this" : name);
    if (std::string mod = text_of(res.get("module")); !mod.empty()) addr = mod + "." + addr;
  }
  std::string s = code(addr);
  std::vector<std::string> facts;
  for (std::string_view k : {"region", "zone", "site"})
    if (const yaml::Node* v = res.get(k)) facts.push_back(fmt::format("{}: {}", k, yaml_flow(*v)));
  if (const yaml::Node* v = res.get("values")) facts.push_back(code(yaml_flow(*v)));
  if (const yaml::Node* v = res.get("unknown")) facts.push_back("unknown: " + code(yaml_flow(*v)));
  if (const yaml::Node* v = res.get("refs")) facts.push_back("refs: " + code(yaml_flow(*v)));
  for (const auto& f : facts) s += " " + f;
  return s;
}

std::string test_row(std::size_t n, const rules::TestCase& tc) {
  const yaml::Node& node = *tc.node;
  std::string expect, resources, params;
  if (const yaml::Node* e = node.get("expect")) {
    if (e->is_scalar()) {
      expect = e->scalar;
    } else if (e->is_map()) {
      for (const auto& [k, v] : e->pairs)
        expect += (expect.empty() ? "" : "<br>") + code(k.scalar) + ": " + v.scalar;
    }
  }
  if (const yaml::Node* r = node.get("resource")) {
    resources = test_resource(*r);
  } else if (const yaml::Node* rs = node.get("resources")) {
    if (rs->is_seq())
      for (const auto& r : rs->items)
        resources += (resources.empty() ? "" : "<br>") + test_resource(r);
    else
      resources = test_resource(*rs);
  } else if (const yaml::Node* in = node.get("input")) {
    resources = "input " + code(in->scalar);
  }
  if (const yaml::Node* p = node.get("params")) params = code(yaml_flow(*p));
  return fmt::format("| {} | {} | {} | {} |\n", n, cell(expect), cell(resources), cell(params));
}

struct Catalogs {
  std::map<std::string, catalog::Catalog> by_id;
  const catalog::Control* find(const std::string& cat, const std::string& id) const {
    auto it = by_id.find(cat);
    return it == by_id.end() ? nullptr : it->second.find(id);
  }
};

std::string page(const rules::Rule& r, const RuleControls& controls, const Catalogs& cats,
                 const std::map<std::string, std::map<std::string, bool>>& evidence_for) {
  std::string out =
      fmt::format("{} from {}. Do not edit. -->\n\n", kGeneratedMarker, display_path(r.file));
  out += fmt::format("# {} — {}\n\n", r.id, r.title.en.empty() ? r.title.ko : r.title.en);
  std::string types;
  for (const auto& t : r.resource_types) types += (types.empty() ? "" : ", ") + code(t);
  out += "| | |\n|---|---|\n";
  out += fmt::format("| 제목 | {} |\n", cell(r.title.ko));
  out += fmt::format("| Title | {} |\n", cell(r.title.en));
  out += fmt::format("| Severity | {} |\n", rules::severity_name(r.severity));
  out += fmt::format("| Resource types | {} |\n", cell(types));
  out += fmt::format("| Source | `{}` |\n\n", display_path(r.file));

  out += "## Check\n\n";
  std::string block = source_block(r, {"where", "check"});
  out += "```yaml\n" + block + "```\n\n";
  if (r.where)
    out +=
        "The rule applies only to resources that satisfy `where`; for the others it gives no "
        "finding.\n\n";

  if (!r.params.empty()) {
    out +=
        "## Parameters\n\nA mapping (per tier) or a test case may override them.\n\n| name | "
        "default |\n|---|---|\n";
    for (const auto& [name, v] : r.params)
      out += fmt::format("| `{}` | {} |\n", name, cell(code(yaml_flow(v))));
    out += "\n";
  }

  auto both = [&](std::string_view head, const Text& t) {
    if (t.empty()) return;
    out += fmt::format("## {}\n\n", head);
    if (!t.ko.empty()) out += t.ko + "\n\n";
    if (!t.en.empty()) out += t.en + "\n\n";
  };
  both("Rationale / 근거", r.rationale);
  both("Remediation / 조치 방법", r.remediation);
  if (!r.references.empty()) {
    out += "## References\n\n";
    for (const auto& ref : r.references) out += "- " + ref + "\n";
    out += "\n";
  }

  out += "## Controls\n\n";
  auto it = controls.find(r.id);
  if (it == controls.end() || it->second.empty()) {
    out += "No bundled mapping names this rule yet.\n\n";
  } else {
    out += "| catalog | control | 통제 | title | evidence also expected |\n|---|---|---|---|---|\n";
    for (const auto& [cat, ids] : it->second) {
      for (const auto& id : ids) {
        const catalog::Control* c = cats.find(cat, id);
        bool ev = false;
        if (auto e = evidence_for.find(cat); e != evidence_for.end())
          if (auto x = e->second.find(id); x != e->second.end()) ev = x->second;
        out += fmt::format("| {} | {} | {} | {} | {} |\n", cat, id, c ? cell(c->title.ko) : "",
                           c ? cell(c->title.en) : "", ev ? "yes" : "no");
      }
    }
    out += "\n";
  }

  out += fmt::format("## Test cases\n\n{} case(s), run by `csapcheck rules test`.\n\n",
                     r.tests.size());
  if (!r.tests.empty()) {
    out += "| # | expect | resources | params |\n|---|---|---|---|\n";
    for (std::size_t i = 0; i < r.tests.size(); ++i) out += test_row(i + 1, r.tests[i]);
    out += "\n";
  }
  return out;
}

std::string group_of(const rules::Rule& r) {
  std::string p = display_path(r.file);
  auto slash = p.rfind('/');
  if (slash == std::string::npos) return "other";
  auto prev = p.rfind('/', slash - 1);
  return p.substr(prev == std::string::npos ? 0 : prev + 1,
                  slash - (prev == std::string::npos ? 0 : prev + 1));
}

std::string index_page(const rules::RuleSet& rs, const RuleControls& controls) {
  std::string out = fmt::format("{} from data/rules. Do not edit. -->\n\n", kGeneratedMarker);
  out += "# Rules\n\n";
  out += fmt::format(
      "{} rules, generated from the rule files in `data/rules/`. Each page shows the check as "
      "written, its parameters, rationale and remediation in Korean and English, the catalog "
      "controls it serves and its test cases.\n\n",
      rs.rules.size());
  std::map<std::string, std::vector<const rules::Rule*>> groups;
  for (const auto& r : rs.rules) groups[group_of(r)].push_back(&r);
  for (auto& [g, list] : groups) {
    std::sort(list.begin(), list.end(), [](auto* a, auto* b) { return a->id < b->id; });
    out += fmt::format(
        "## {}\n\n| rule | severity | title | 제목 | resources | controls "
        "|\n|---|---|---|---|---|---|\n",
        g);
    for (const auto* r : list) {
      std::string types, ctl;
      for (const auto& t : r->resource_types) types += (types.empty() ? "" : ", ") + code(t);
      if (auto it = controls.find(r->id); it != controls.end())
        for (const auto& [cat, ids] : it->second)
          ctl += fmt::format("{}{} {}", ctl.empty() ? "" : "; ", cat, ids.size());
      out += fmt::format("| [{}]({}.md) | {} | {} | {} | {} | {} |\n", r->id, r->id,
                         rules::severity_name(r->severity), cell(r->title.en), cell(r->title.ko),
                         cell(types), ctl.empty() ? "-" : ctl);
    }
    out += "\n";
  }
  return out;
}

}  // namespace

std::string yaml_flow(const yaml::Node& n) {
  switch (n.kind) {
    case yaml::Node::Kind::kNull:
      return "null";
    case yaml::Node::Kind::kScalar:
      return plain_ok(n) ? n.scalar : yaml_quote(n.scalar);
    case yaml::Node::Kind::kSeq: {
      std::string s = "[";
      for (std::size_t i = 0; i < n.items.size(); ++i) s += (i ? ", " : "") + yaml_flow(n.items[i]);
      return s + "]";
    }
    case yaml::Node::Kind::kMap: {
      std::string s = "{";
      for (std::size_t i = 0; i < n.pairs.size(); ++i)
        s += (i ? ", " : "") + yaml_flow(n.pairs[i].first) + ": " + yaml_flow(n.pairs[i].second);
      return s + "}";
    }
  }
  return {};
}

std::string rules_json(const rules::RuleSet& rs, const RuleControls& controls) {
  nlohmann::ordered_json arr = nlohmann::ordered_json::array();
  for (const auto& r : rs.rules) {
    nlohmann::ordered_json j;
    j["id"] = r.id;
    j["severity"] = std::string(rules::severity_name(r.severity));
    j["title"] = {{"ko", r.title.ko}, {"en", r.title.en}};
    j["resource_types"] = r.resource_types;
    nlohmann::ordered_json c = nlohmann::ordered_json::object();
    if (auto it = controls.find(r.id); it != controls.end())
      for (const auto& [cat, ids] : it->second) c[cat] = ids;
    j["controls"] = c;
    j["file"] = display_path(r.file);
    arr.push_back(std::move(j));
  }
  return arr.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

Result<std::map<std::string, std::string>> rule_doc_pages(const rules::RuleSet& rs) {
  auto controls = catalog::rule_controls();
  if (!controls) return std::unexpected(controls.error());
  Catalogs cats;
  for (const auto& name : catalog::bundled_names()) {
    auto c = catalog::load_bundled(name);
    if (!c) return std::unexpected(c.error());
    cats.by_id.emplace(c->id, std::move(*c));
  }
  // catalog -> control -> whether a mapping also asks for evidence there.
  std::map<std::string, std::map<std::string, bool>> evidence_for;
  auto bundled = catalog::bundled_mappings("");
  if (!bundled) return std::unexpected(bundled.error());
  for (const auto& m : *bundled)
    for (const auto& cm : m.controls) evidence_for[m.catalog][cm.control] |= !cm.evidence.empty();
  std::map<std::string, std::string> pages;
  for (const auto& r : rs.rules) {
    if (!valid_rule_id(r.id))
      return fail(fmt::format("rule id '{}' cannot name a page: ids are upper-case letters, digits "
                              "and '-' (2 to 64 characters, not starting with '-')",
                              r.id),
                  {r.file, r.line, r.line > 0 ? 1 : 0});
    pages[r.id + ".md"] = page(r, *controls, cats, evidence_for);
  }
  pages["README.md"] = index_page(rs, *controls);
  return pages;
}

bool valid_rule_id(std::string_view id) {
  if (id.size() < 2 || id.size() > 64 || id.front() == '-') return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  });
}

bool is_generated_page(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string first(kGeneratedMarker.size(), '\0');
  if (!in.read(first.data(), static_cast<std::streamsize>(first.size()))) return false;
  return first == kGeneratedMarker;
}

Result<std::size_t> write_rule_docs(const rules::RuleSet& rs, const fs::path& dir) {
  auto pages = rule_doc_pages(rs);
  if (!pages) return std::unexpected(pages.error());
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    return fail(fmt::format("cannot create {}: {}", dir.string(), ec.message()), {dir.string()},
                Exit::kBadInput);
  // Nothing is replaced or removed that this command did not write: a page's name taken by
  // anything else stops the run before any change.
  for (const auto& [name, text] : *pages) {
    const fs::path p = dir / name;
    auto st = fs::symlink_status(p, ec);
    if (ec || st.type() == fs::file_type::not_found) continue;
    if (st.type() != fs::file_type::regular || !is_generated_page(p))
      return fail(fmt::format("{} exists and was not written by `csapcheck rules docs`; move it "
                              "away or choose another directory",
                              p.string()),
                  {p.string()}, Exit::kBadInput);
  }
  for (const auto& [name, text] : *pages) {
    auto r = write_file_atomically((dir / name).string(), [&](std::ostream& out) { out << text; });
    if (!r) return std::unexpected(r.error());
  }
  // Pages of rules that no longer exist.
  std::vector<fs::path> stale;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const fs::path& p = e.path();
    if (p.extension() == ".md" && !pages->count(p.filename().string()) &&
        e.symlink_status(ec).type() == fs::file_type::regular && is_generated_page(p))
      stale.push_back(p);
  }
  for (const auto& p : stale) fs::remove(p, ec);
  return pages->size();
}

std::vector<std::string> compare_rule_docs(const std::map<std::string, std::string>& pages,
                                           const fs::path& dir) {
  std::vector<std::string> diffs;
  std::error_code ec;
  std::set<std::string> present;
  if (fs::is_directory(dir, ec))
    for (const auto& e : fs::directory_iterator(dir, ec))
      if (e.path().extension() == ".md") present.insert(e.path().filename().string());
  for (const auto& [name, text] : pages) {
    if (!present.count(name)) {
      diffs.push_back("missing " + name);
      continue;
    }
    auto have = read_text_file((dir / name).string());
    if (!have || *have != text) diffs.push_back("differs " + name);
  }
  for (const auto& name : present)
    if (!pages.count(name)) diffs.push_back("extra " + name);
  return diffs;
}

}  // namespace csap::report
