// `csapcheck init`: the attestation skeleton, and adding what is missing to an existing file
// without touching a byte of what is already there. The only change ever made to an existing file
// is one insertion; the result is parsed again before it is accepted, and where no insertion can
// be made safely the file is refused as it is.
#include <fmt/format.h>

#include <set>

#include "core/yaml.h"
#include "core/yaml_quote.h"
#include "evidence/evidence.h"

namespace csap::evidence {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// Comments hold one line: line breaks and other control characters become spaces.
std::string one_line(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  return out;
}

// The comment lines above an entry: the control, its title and the evidence auditors expect.
std::vector<std::string> entry_comments(const SkeletonEntry& e) {
  const catalog::Control& c = *e.control;
  std::string title = one_line(c.title.ko.empty() ? c.title.en : c.title.ko);
  if (!c.title.ko.empty() && !c.title.en.empty()) title.append(" — ").append(one_line(c.title.en));
  std::vector<std::string> out;
  out.push_back(fmt::format("# {} {}{}", one_line(c.id), title,
                            c.kind.empty() ? "" : fmt::format(" [{}]", one_line(c.kind))));
  if (!e.evidence.empty()) {
    out.emplace_back("#   기대 증적 (evidence auditors usually expect):");
    for (const auto& ev : e.evidence) out.push_back(fmt::format("#   - {}", one_line(ev)));
  }
  return out;
}

// One entry in block style, each line ending in `eol`.
std::string entry_text(const SkeletonEntry& e, std::size_t indent, std::string_view eol) {
  const std::string pad(indent, ' ');
  std::string out;
  for (const auto& c : entry_comments(e)) out.append(pad).append(c).append(eol);
  const std::string_view fields[] = {
      "  status:        # implemented | partial | planned | not-applicable (with reason:)",
      "  statement:",
      "  evidence: []   # files under the evidence root, e.g. [evidence/policy.pdf]",
      "  owner:",
      "  reviewed:      # YYYY-MM-DD",
      "  expires:       # YYYY-MM-DD",
  };
  out.append(pad).append("- control: ").append(yaml_quote(e.control->id)).append(eol);
  for (auto f : fields) out.append(pad).append(f).append(eol);
  return out;
}

// One entry in flow style (inside [ ]), its comments on the lines before it.
std::string flow_entry_text(const SkeletonEntry& e, std::size_t indent, std::string_view eol) {
  const std::string pad(indent, ' ');
  std::string out;
  for (const auto& c : entry_comments(e)) out.append(pad).append(c).append(eol);
  out.append(pad)
      .append("{control: ")
      .append(yaml_quote(e.control->id))
      .append(
          ", status: null, statement: null, evidence: [], owner: null, reviewed: null, "
          "expires: null}");
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
      one_line(cat.id), one_line(cat.version), p.id.empty() ? "-" : one_line(p.id),
      one_line(p.service), one_line(p.tier));
}

std::string with_eol(std::string_view text, std::string_view eol) {
  if (eol == "\n") return std::string(text);
  std::string out;
  for (char c : text) {
    if (c == '\n')
      out.append(eol);
    else
      out += c;
  }
  return out;
}

// The text's lines: where each starts, and the line break it uses (the first one found).
struct Lines {
  std::string_view text;
  std::vector<std::size_t> starts{0};
  std::string eol = "\n";

  explicit Lines(std::string_view t) : text(t) {
    bool found = false;
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (t[i] != '\r' && t[i] != '\n') continue;
      std::size_t len = (t[i] == '\r' && i + 1 < t.size() && t[i + 1] == '\n') ? 2 : 1;
      if (!found) eol = std::string(t.substr(i, len)), found = true;
      i += len - 1;
      starts.push_back(i + 1);
    }
  }
  std::size_t count() const { return starts.size(); }
  // Offset where 1-based `line` starts (the text's end past the last line).
  std::size_t start(int line) const {
    if (line <= 0) return 0;
    auto l = static_cast<std::size_t>(line - 1);
    return l < starts.size() ? starts[l] : text.size();
  }
  // The line's text without its line break.
  std::string_view at(int line) const {
    std::size_t s = start(line);
    std::size_t e = s;
    while (e < text.size() && text[e] != '\r' && text[e] != '\n') ++e;
    return text.substr(s, e - s);
  }
  std::size_t offset(const yaml::Node& n) const {
    return std::min(text.size(),
                    start(n.line) + static_cast<std::size_t>(std::max(1, n.column) - 1));
  }
};

bool is_blank_or_comment(std::string_view l, bool column0_comment_only) {
  std::size_t i = l.find_first_not_of(" \t");
  if (i == std::string_view::npos) return true;
  return l[i] == '#' && (!column0_comment_only || i == 0);
}

bool is_doc_marker(std::string_view l) {
  return (l.starts_with("---") || l.starts_with("...")) &&
         (l.size() == 3 || l[3] == ' ' || l[3] == '\t');
}

// A flow collection opening at `open` ('[' or '{'): where it closes, and its last significant
// character before the close (outside comments and white space).
struct FlowSpan {
  std::size_t close = std::string_view::npos;
  char last = 0;
};

FlowSpan scan_flow(std::string_view t, std::size_t open) {
  FlowSpan f;
  int depth = 0;
  char prev = 0;  // last significant character
  for (std::size_t i = open; i < t.size(); ++i) {
    char c = t[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    if (c == '#' && i > 0 &&
        (t[i - 1] == ' ' || t[i - 1] == '\t' || t[i - 1] == '\r' || t[i - 1] == '\n')) {
      while (i < t.size() && t[i] != '\r' && t[i] != '\n') ++i;
      continue;
    }
    bool starts_value = prev == '[' || prev == '{' || prev == ',' || prev == ':' || prev == '?';
    if ((c == '"' || c == '\'') && starts_value) {
      for (++i; i < t.size(); ++i) {
        if (c == '"' && t[i] == '\\') {
          ++i;
        } else if (t[i] == c) {
          if (c == '\'' && i + 1 < t.size() && t[i + 1] == '\'') {
            ++i;
            continue;
          }
          break;
        }
      }
      if (i >= t.size()) return f;
      prev = c;
      continue;
    }
    if (c == '[' || c == '{') {
      ++depth;
    } else if (c == ']' || c == '}') {
      if (--depth == 0) {
        f.close = i;
        f.last = prev;
        return f;
      }
    }
    prev = c;
  }
  return f;
}

// Where the flow collection of node `n` opens: its first character, after an anchor or a tag.
std::size_t flow_open(const Lines& lines, const yaml::Node& n, char want) {
  std::string_view t = lines.text;
  std::size_t i = lines.offset(n);
  for (int tokens = 0; i < t.size() && tokens < 3; ++tokens) {
    if (t[i] == want) return i;
    if (t[i] != '&' && t[i] != '!') return std::string_view::npos;
    while (i < t.size() && t[i] != ' ' && t[i] != '\t' && t[i] != want) ++i;
    while (i < t.size() && (t[i] == ' ' || t[i] == '\t')) ++i;
  }
  return i < t.size() && t[i] == want ? i : std::string_view::npos;
}

struct Insertion {
  std::size_t at = 0;
  std::string text;
};

std::unexpected<Error> refuse(const std::string& file, const yaml::Node* n, std::string why) {
  return fail(fmt::format("csapcheck init cannot add to this file safely: {}; it was left as it "
                          "is (add the entries by hand, or start a new file)",
                          why),
              n ? yaml::loc(file, *n) : SourceLoc(file));
}

std::vector<std::string> control_ids(const yaml::Node* list) {
  std::vector<std::string> ids;
  if (!list || !list->is_seq()) return ids;
  for (const auto& item : list->items) {
    const yaml::Node* c = item.get("control");
    ids.push_back(c && c->is_scalar() ? c->scalar : std::string());
  }
  return ids;
}

}  // namespace

std::string skeleton_text(const catalog::Catalog& cat, const catalog::Profile& profile,
                          const std::vector<SkeletonEntry>& entries) {
  std::string out = header(cat, profile);
  if (entries.empty()) return out.append("attestations: []\n");
  out.append("attestations:\n");
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (i) out += '\n';
    out.append(entry_text(entries[i], 2, "\n"));
  }
  return out;
}

Result<MergeResult> merge_skeleton(std::string_view existing, const std::string& file,
                                   const catalog::Catalog& cat, const catalog::Profile& profile,
                                   const std::vector<SkeletonEntry>& entries) {
  MergeResult r;
  // A byte-order mark stays where it is; positions are counted after it.
  const std::string_view bom = existing.starts_with(kBom) ? kBom : std::string_view();
  const std::string_view body = existing.substr(bom.size());
  auto docs = yaml::parse(body, file);
  if (!docs) return std::unexpected(docs.error());
  const Lines lines(body);
  const std::string& eol = lines.eol;

  Insertion ins;
  std::vector<std::string> old_ids;
  const bool empty_doc = docs->empty() || (docs->size() == 1 && docs->front().root.is_plain_null());
  if (empty_doc) {
    // Only comments and blank lines: the whole skeleton goes at the end.
    for (std::size_t l = 1; l <= lines.count(); ++l)
      if (!is_blank_or_comment(lines.at(static_cast<int>(l)), false))
        return refuse(file, nullptr,
                      "it holds an empty document (such as 'null', '~' or document markers), "
                      "not 'attestations:'");
    for (const auto& e : entries) r.added.push_back(e.control->id);
    ins.at = body.size();
    if (!body.empty() && body.back() != '\n' && body.back() != '\r') ins.text = eol;
    ins.text += with_eol(skeleton_text(cat, profile, entries), eol);
  } else {
    if (docs->size() > 1)
      return refuse(file, &(*docs)[1].root, "it holds more than one YAML document");
    const yaml::Node& root = docs->front().root;
    if (!root.is_map())
      return fail("not an attestation file (expected one mapping with 'attestations:')",
                  yaml::loc(file, root));
    std::size_t at = root.pairs.size();  // attestations' position among the root's pairs
    for (std::size_t i = 0; i < root.pairs.size(); ++i)
      if (root.pairs[i].first.scalar == "attestations") at = i;
    const yaml::Node* list = at < root.pairs.size() ? &root.pairs[at].second : nullptr;
    if (list && !list->is_seq() && !list->is_plain_null())
      return fail(fmt::format("'attestations' must be a list, not a {}", list->kind_name()),
                  yaml::loc(file, *list));
    old_ids = control_ids(list);
    std::set<std::string> have(old_ids.begin(), old_ids.end());
    std::vector<const SkeletonEntry*> todo;
    for (const auto& e : entries) {
      if (have.count(e.control->id)) {
        ++r.kept;
        continue;
      }
      r.added.push_back(e.control->id);
      todo.push_back(&e);
    }
    if (todo.empty()) {
      r.text = std::string(existing);
      return r;
    }
    // Entries added inside a flow collection [ ... ]: before its closing bracket.
    auto into_flow_seq = [&](std::size_t open, std::size_t indent) -> Result<Insertion> {
      FlowSpan f = scan_flow(body, open);
      if (f.close == std::string_view::npos)
        return refuse(file, list, "the end of the 'attestations' list was not found");
      Insertion in;
      in.at = f.close;
      if (f.last != '[' && f.last != ',') in.text += ',';
      for (std::size_t i = 0; i < todo.size(); ++i) {
        in.text += eol;
        in.text += with_eol(flow_entry_text(*todo[i], indent, "\n"), eol);
        if (i + 1 < todo.size()) in.text += ',';
      }
      in.text += eol + std::string(indent, ' ');
      return in;
    };
    const bool flow_root =
        body.size() > lines.offset(root) && flow_open(lines, root, '{') != std::string_view::npos;
    if (flow_root) {
      if (list && list->is_seq()) {
        std::size_t open = flow_open(lines, *list, '[');
        if (open == std::string_view::npos)
          return refuse(file, list, "the 'attestations' list is not written [ ... ]");
        auto in = into_flow_seq(open, 2);
        if (!in) return std::unexpected(in.error());
        ins = std::move(*in);
      } else if (!list) {
        FlowSpan f = scan_flow(body, flow_open(lines, root, '{'));
        if (f.close == std::string_view::npos)
          return refuse(file, &root, "the end of the mapping was not found");
        ins.at = f.close;
        if (f.last != '{' && f.last != ',') ins.text += ',';
        ins.text += eol + "  attestations: [";
        for (std::size_t i = 0; i < todo.size(); ++i) {
          ins.text += eol;
          ins.text += with_eol(flow_entry_text(*todo[i], 4, "\n"), eol);
          if (i + 1 < todo.size()) ins.text += ',';
        }
        ins.text += eol + "  ]" + eol;
      } else {
        return refuse(file, list, "'attestations' has no value inside a { } mapping");
      }
    } else if (list && list->is_seq() && flow_open(lines, *list, '[') != std::string_view::npos) {
      const yaml::Node& key = root.pairs[at].first;
      auto in = into_flow_seq(flow_open(lines, *list, '['),
                              static_cast<std::size_t>(std::max(1, key.column) - 1) + 2);
      if (!in) return std::unexpected(in.error());
      ins = std::move(*in);
    } else if (list && list->is_seq()) {
      // A block list: its indentation is that of its first "-" (on the line of the first entry,
      // or above it when the entry starts with an anchor or a tag alone on the "-" line).
      const int key_line = root.pairs[at].first.line;
      std::size_t dash = std::string_view::npos;
      for (int l = list->items.front().line; l > key_line && dash == std::string_view::npos; --l) {
        std::string_view ln = lines.at(l);
        std::size_t i = ln.find_first_not_of(' ');
        if (i != std::string_view::npos && ln[i] == '-') dash = i;
      }
      if (dash == std::string_view::npos)
        return refuse(file, &list->items.front(),
                      "the first entry does not start its line with '-'");
      std::string add;
      for (const auto* e : todo) add.append(eol).append(entry_text(*e, dash, eol));
      // After the list: before the next top-level key, a document marker or the end, and before
      // the blank lines and column-0 comments that lead up to it.
      const int last = list->items.back().line;
      int limit = static_cast<int>(lines.count()) + 1;
      if (at + 1 < root.pairs.size()) {
        limit = root.pairs[at + 1].first.line;
      } else {
        for (int l = last + 1; l <= static_cast<int>(lines.count()); ++l)
          if (is_doc_marker(lines.at(l))) {
            limit = l;
            break;
          }
      }
      int line = limit;
      while (line - 1 > last && is_blank_or_comment(lines.at(line - 1), true)) --line;
      ins.at = lines.start(line);
      if (ins.at == body.size() && !body.empty() && body.back() != '\n' && body.back() != '\r')
        add.insert(0, eol);
      ins.text = std::move(add);
    } else if (list) {
      // `attestations:` with nothing after it but a comment: the entries go on the next lines.
      const yaml::Node& key = root.pairs[at].first;
      std::string_view kl = lines.at(key.line);
      std::size_t colon = kl.find(':', static_cast<std::size_t>(std::max(1, key.column) - 1));
      std::string_view rest = colon == std::string_view::npos ? "x" : kl.substr(colon + 1);
      if (!is_blank_or_comment(rest, false))
        return refuse(file, list,
                      "'attestations:' is not empty (write 'attestations:' alone, or '[]')");
      std::size_t indent = static_cast<std::size_t>(std::max(1, key.column) - 1) + 2;
      ins.at = lines.start(key.line + 1);
      if (ins.at == body.size() && !body.empty() && body.back() != '\n' && body.back() != '\r')
        ins.text = eol;
      for (std::size_t i = 0; i < todo.size(); ++i) {
        if (i) ins.text += eol;
        ins.text += entry_text(*todo[i], indent, eol);
      }
    } else {
      // No 'attestations' yet: the key and its entries after everything else in the document.
      int limit = static_cast<int>(lines.count()) + 1;
      for (int l = root.line + 1; l <= static_cast<int>(lines.count()); ++l)
        if (is_doc_marker(lines.at(l))) {
          limit = l;
          break;
        }
      ins.at = lines.start(limit);
      if (ins.at == body.size() && !body.empty() && body.back() != '\n' && body.back() != '\r')
        ins.text = eol;
      ins.text.append(eol).append("attestations:").append(eol);
      for (std::size_t i = 0; i < todo.size(); ++i) {
        if (i) ins.text += eol;
        ins.text += entry_text(*todo[i], 2, eol);
      }
    }
  }

  std::string out(body);
  out.insert(ins.at, ins.text);
  // What is written must read back: every entry kept, in order, and the new ones after them.
  auto check = yaml::parse(out, file);
  std::vector<std::string> want = old_ids;
  want.insert(want.end(), r.added.begin(), r.added.end());
  if (!check || check->size() != 1 || !check->front().root.is_map() ||
      control_ids(check->front().root.get("attestations")) != want)
    return refuse(file, nullptr,
                  "adding the entries would not leave a file that reads back with every entry");
  r.text = std::string(bom) + out;
  return r;
}

}  // namespace csap::evidence
