// `csapcheck init`: the attestation skeleton, and adding what is missing to an existing file
// without touching a byte of what is already there.
#include <fmt/format.h>

#include <set>

#include "core/yaml.h"
#include "evidence/evidence.h"

namespace csap::evidence {
namespace {

std::string one_line(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return s;
}

std::string entry_text(const SkeletonEntry& e, std::size_t indent) {
  std::string pad(indent, ' ');
  const catalog::Control& c = *e.control;
  std::string title = one_line(c.title.ko.empty() ? c.title.en : c.title.ko);
  if (!c.title.ko.empty() && !c.title.en.empty()) title += " — " + one_line(c.title.en);
  std::string out = fmt::format("{}# {} {}{}\n", pad, c.id, title,
                                c.kind.empty() ? "" : fmt::format(" [{}]", c.kind));
  if (!e.evidence.empty()) {
    out += pad + "#   기대 증적 (evidence auditors usually expect):\n";
    for (const auto& ev : e.evidence) out += fmt::format("{}#   - {}\n", pad, one_line(ev));
  }
  std::string id = c.id;
  std::string q;
  for (char ch : id) {
    if (ch == '"' || ch == '\\') q += '\\';
    q += ch;
  }
  out += fmt::format("{}- control: \"{}\"\n", pad, q);
  out +=
      pad + "  status:        # implemented | partial | planned | not-applicable (with reason:)\n";
  out += pad + "  statement:\n";
  out += pad + "  evidence: []   # files under the evidence root, e.g. [evidence/policy.pdf]\n";
  out += pad + "  owner:\n";
  out += pad + "  reviewed:      # YYYY-MM-DD\n";
  out += pad + "  expires:       # YYYY-MM-DD\n";
  return out;
}

std::string header(const catalog::Catalog& cat, const catalog::Profile& p) {
  return fmt::format(
      "# csapcheck attestations — catalog {} {}, profile {} ({} · {})\n"
      "#\n"
      "# One entry per control in scope that needs evidence from people. Fill in:\n"
      "#   status     implemented | partial | planned | not-applicable ('reason:' required for the "
      "last)\n"
      "#   statement  what is in place, in a sentence or two\n"
      "#   evidence   files under the evidence root (default: this file's directory)\n"
      "#   owner      who answers for the control\n"
      "#   reviewed   YYYY-MM-DD; expires YYYY-MM-DD (after it, the control turns back to manual)\n"
      "# An entry without a status is not counted. Running `csapcheck init` again adds only what "
      "is\n"
      "# missing and keeps everything written here. `csapcheck evidence lock --attest FILE` "
      "records the\n"
      "# evidence files' SHA-256 so that a changed file is noticed.\n"
      "\n",
      cat.id, cat.version, p.id.empty() ? "-" : p.id, p.service, p.tier);
}

}  // namespace

std::string skeleton_text(const catalog::Catalog& cat, const catalog::Profile& profile,
                          const std::vector<SkeletonEntry>& entries) {
  std::string out = header(cat, profile) + "attestations:\n";
  if (entries.empty()) return header(cat, profile) + "attestations: []\n";
  for (std::size_t i = 0; i < entries.size(); ++i)
    out += (i ? "\n" : "") + entry_text(entries[i], 2);
  return out;
}

Result<MergeResult> merge_skeleton(std::string_view existing, const std::string& file,
                                   const catalog::Catalog& cat, const catalog::Profile& profile,
                                   const std::vector<SkeletonEntry>& entries) {
  MergeResult r;
  auto docs = yaml::parse(existing, file);
  if (!docs) return std::unexpected(docs.error());
  if (docs->empty() || docs->front().root.is_plain_null()) {
    r.text = std::string(existing);
    if (!r.text.empty() && r.text.back() != '\n') r.text += '\n';
    r.text += skeleton_text(cat, profile, entries);
    for (const auto& e : entries) r.added.push_back(e.control->id);
    return r;
  }
  const yaml::Node& root = docs->front().root;
  if (docs->size() > 1 || !root.is_map())
    return fail("not an attestation file (expected one mapping with 'attestations:')",
                yaml::loc(file, root));

  // Line starts, for offsets.
  std::vector<std::size_t> starts{0};
  for (std::size_t i = 0; i < existing.size(); ++i)
    if (existing[i] == '\n') starts.push_back(i + 1);
  auto line_start = [&](int line) -> std::size_t {
    if (line <= 0) return 0;
    auto l = static_cast<std::size_t>(line - 1);
    return l < starts.size() ? starts[l] : existing.size();
  };

  std::size_t at = std::string_view::npos;  // attestations' position among the root's pairs
  for (std::size_t i = 0; i < root.pairs.size(); ++i)
    if (root.pairs[i].first.scalar == "attestations") at = i;

  std::set<std::string> have;
  std::size_t indent = 2;
  if (at != std::string_view::npos) {
    const yaml::Node& list = root.pairs[at].second;
    if (!list.is_seq() && !list.is_plain_null())
      return fail(fmt::format("'attestations' must be a list, not a {}", list.kind_name()),
                  yaml::loc(file, list));
    for (const auto& item : list.items) {
      if (const yaml::Node* c = item.get("control"); c && c->is_scalar()) have.insert(c->scalar);
    }
    if (!list.items.empty()) {
      // The column of the first item's "-": the item node starts after it.
      const yaml::Node& first = list.items.front();
      std::size_t ls = line_start(first.line);
      std::size_t at_col = ls + static_cast<std::size_t>(std::max(1, first.column) - 1);
      std::size_t i = std::min(at_col, existing.size());
      while (i > ls && (existing[i - 1] == ' ' || existing[i - 1] == '\t')) --i;
      if (i > ls && existing[i - 1] == '-') indent = i - 1 - ls;
    }
  }

  std::string add;
  for (const auto& e : entries) {
    if (have.count(e.control->id)) {
      ++r.kept;
      continue;
    }
    r.added.push_back(e.control->id);
    add += "\n" + entry_text(e, indent);
  }
  std::string text(existing);
  if (r.added.empty()) {
    r.text = text;
    return r;
  }
  if (!text.empty() && text.back() != '\n') text += '\n';

  if (at == std::string_view::npos) {
    r.text = text + "\nattestations:" + add;
    return r;
  }
  const yaml::Node& key = root.pairs[at].first;
  const yaml::Node& list = root.pairs[at].second;
  if (list.items.empty()) {
    // `attestations:` or `attestations: []`: the entries go right after the key's line.
    std::size_t kl = line_start(key.line);
    std::size_t eol = text.find('\n', kl);
    std::string key_line = text.substr(kl, eol - kl);
    auto open = key_line.find('[');
    auto close = key_line.find(']', open == std::string::npos ? 0 : open);
    if (open != std::string::npos && close != std::string::npos)
      key_line.erase(open, close - open + 1);
    while (!key_line.empty() && key_line.back() == ' ') key_line.pop_back();
    // A trailing comment after "[]" stays on the key's line.
    text.replace(kl, eol - kl, key_line);
    eol = text.find('\n', kl);
    text.insert(eol + 1, add.substr(1));
    r.text = text;
    return r;
  }
  if (at + 1 == root.pairs.size()) {
    r.text = text + add;
    return r;
  }
  // Before the next top-level key and the comments and blank lines that lead up to it.
  int next = root.pairs[at + 1].first.line;
  int line = next;
  while (line - 1 > list.items.back().line) {
    std::size_t s = line_start(line - 1);
    std::size_t e = text.find('\n', s);
    std::string_view l(text.data() + s, (e == std::string::npos ? text.size() : e) - s);
    bool blank = l.find_first_not_of(" \t\r") == std::string_view::npos;
    if (!(blank || l.starts_with("#"))) break;
    --line;
  }
  std::size_t pos = line_start(line);
  text.insert(pos, add);
  r.text = text;
  return r;
}

}  // namespace csap::evidence
