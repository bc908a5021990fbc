#include "core/yaml.h"

#include <fmt/format.h>
#include <libfyaml.h>

#include <charconv>
#include <cmath>
#include <map>
#include <unordered_set>

#include "core/files.h"
#include "core/workcount.h"

namespace csap::yaml {

const Node* Node::get(std::string_view key) const {
  if (kind != Kind::kMap) return nullptr;
  for (const auto& [k, v] : pairs) {
    work::step();
    if (k.kind == Kind::kScalar && k.scalar == key) return &v;
  }
  return nullptr;
}

bool Node::is_plain_null() const {
  if (kind == Kind::kNull) return true;
  if (kind != Kind::kScalar || quoted) return false;
  return scalar.empty() || scalar == "null" || scalar == "Null" || scalar == "NULL" ||
         scalar == "~";
}

std::optional<bool> Node::as_bool() const {
  if (kind != Kind::kScalar || quoted) return std::nullopt;
  if (scalar == "true" || scalar == "True" || scalar == "TRUE") return true;
  if (scalar == "false" || scalar == "False" || scalar == "FALSE") return false;
  return std::nullopt;
}

std::optional<std::int64_t> Node::as_int() const {
  if (kind != Kind::kScalar || quoted || scalar.empty()) return std::nullopt;
  std::string_view s = scalar;
  if (s[0] == '+') s.remove_prefix(1);
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<double> Node::as_double() const {
  if (kind != Kind::kScalar || quoted || scalar.empty()) return std::nullopt;
  if (auto i = as_int()) return static_cast<double>(*i);
  const std::string& s = scalar;
  if (s == ".inf" || s == ".Inf" || s == "+.inf") return HUGE_VAL;
  if (s == "-.inf" || s == "-.Inf") return -HUGE_VAL;
  // Core schema float: [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
  std::size_t i = 0;
  if (s[i] == '+' || s[i] == '-') ++i;
  bool digits = false;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, digits = true;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, digits = true;
  }
  if (!digits) return std::nullopt;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    bool ed = false;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ed = true;
    if (!ed) return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  return std::strtod(s.c_str(), nullptr);
}

std::string Node::kind_name() const {
  switch (kind) {
    case Kind::kNull:
      return "null";
    case Kind::kSeq:
      return "list";
    case Kind::kMap:
      return "mapping";
    case Kind::kScalar:
      if (is_plain_null()) return "null";
      if (as_bool()) return "boolean";
      if (as_double()) return "number";
      return "string";
  }
  return "value";
}

namespace {

struct Diag {
  fy_diag* diag = nullptr;
  Diag() {
    fy_diag_cfg cfg{};
    fy_diag_cfg_default(&cfg);
    cfg.fp = nullptr;
    cfg.output_fn = nullptr;
    diag = fy_diag_create(&cfg);
    if (diag) fy_diag_set_collect_errors(diag, true);
  }
  ~Diag() {
    if (diag) fy_diag_destroy(diag);
  }
  // First collected error, if any.
  std::optional<Error> first(const std::string& file) {
    if (!diag) return std::nullopt;
    void* it = nullptr;
    if (fy_diag_error* e = fy_diag_errors_iterate(diag, &it)) {
      return Error{Exit::kBadInput,
                   fmt::format("YAML: {}", e->msg ? e->msg : "syntax error"),
                   {file, e->line, e->column, {}}};
    }
    return std::nullopt;
  }
};

std::string token_text(fy_token* t) {
  if (!t) return {};
  size_t len = 0;
  const char* s = fy_token_get_text(t, &len);
  return s ? std::string(s, len) : std::string();
}

class Builder {
 public:
  Builder(const std::string& file, const ParseOptions& opts) : file_(file), opts_(opts) {}

  // Consumes one event. Returns false on a structural error (already recorded).
  Result<void> on_event(fy_event* ev) {
    const fy_mark* m = fy_event_start_mark(ev);
    int line = m ? m->line + 1 : 0;
    int col = m ? m->column + 1 : 0;
    switch (ev->type) {
      case FYET_DOCUMENT_START:
        docs_.push_back(Document{Node{}, line});
        stack_.clear();
        anchors_.clear();
        have_root_ = false;
        return {};
      case FYET_DOCUMENT_END:
        return {};
      case FYET_SCALAR: {
        Node n;
        n.line = line;
        n.column = col;
        n.kind = Node::Kind::kScalar;
        n.scalar = token_text(ev->scalar.value);
        auto style = fy_token_scalar_style(ev->scalar.value);
        n.quoted = style != FYSS_PLAIN && style != FYSS_ANY;
        if (ev->scalar.tag) n.tag = tag_text(ev->scalar.tag);
        if (n.tag == "tag:yaml.org,2002:str") n.quoted = true;
        if (!n.quoted && n.is_plain_null() && n.tag.empty()) n.kind = Node::Kind::kNull;
        std::string anchor = token_text(ev->scalar.anchor);
        return add(std::move(n), anchor);
      }
      case FYET_ALIAS: {
        std::string name = token_text(ev->alias.anchor);
        auto it = anchors_.find(name);
        if (it == anchors_.end())
          return fail(fmt::format("YAML: unknown alias '*{}'", name), {file_, line, col});
        const Anchor& a = it->second;
        nodes_ += a.nodes;
        if (nodes_ > opts_.max_nodes)
          return fail(fmt::format("YAML: aliases expand to more than {} nodes", opts_.max_nodes),
                      {file_, line, col});
        if (auto ok = copy_bytes(a.bytes, line, col); !ok) return ok;
        bytes_ += a.bytes;
        Node copy = a.node;
        return add_built(std::move(copy));
      }
      case FYET_SEQUENCE_START:
      case FYET_MAPPING_START: {
        if (static_cast<int>(stack_.size()) >= opts_.max_depth)
          return fail(fmt::format("YAML: nesting deeper than {} levels", opts_.max_depth),
                      {file_, line, col});
        Frame f;
        f.node.line = line;
        f.node.column = col;
        bool is_map = ev->type == FYET_MAPPING_START;
        f.node.kind = is_map ? Node::Kind::kMap : Node::Kind::kSeq;
        fy_token* tag = is_map ? ev->mapping_start.tag : ev->sequence_start.tag;
        fy_token* anchor = is_map ? ev->mapping_start.anchor : ev->sequence_start.anchor;
        if (tag) f.node.tag = tag_text(tag);
        f.anchor = token_text(anchor);
        f.start_nodes = nodes_;
        f.start_bytes = bytes_;
        stack_.push_back(std::move(f));
        return {};
      }
      case FYET_SEQUENCE_END:
      case FYET_MAPPING_END: {
        Frame f = std::move(stack_.back());
        stack_.pop_back();
        if (f.node.kind == Node::Kind::kMap) {
          // Reject duplicate keys (a duplicate could slip a value past a check): one hash set
          // per mapping, so a mapping of n keys costs n steps.
          std::unordered_set<std::string_view> keys;
          keys.reserve(f.node.pairs.size());
          for (const auto& [k, v] : f.node.pairs) {
            work::step();
            if (k.kind == Node::Kind::kScalar && !keys.insert(k.scalar).second)
              return fail(fmt::format("YAML: duplicate key '{}'", k.scalar),
                          {file_, k.line, k.column});
          }
        }
        std::size_t own = sizeof(Node) + f.node.scalar.size() + f.node.tag.size();
        bytes_ += own;
        if (!f.anchor.empty()) {
          std::size_t sz = bytes_ - f.start_bytes;
          if (auto ok = copy_bytes(sz, f.node.line, f.node.column); !ok) return ok;
          anchors_[f.anchor] = Anchor{f.node, nodes_ - f.start_nodes + 1, sz};
        }
        return add_built(std::move(f.node));
      }
      default:
        return {};
    }
  }

  std::vector<Document> take() { return std::move(docs_); }

 private:
  struct Frame {
    Node node;
    std::string anchor;
    bool have_key = false;
    Node key;
    std::size_t start_nodes = 0;
    std::size_t start_bytes = 0;
  };

  struct Anchor {
    Node node;
    std::size_t nodes = 0;  // nodes in the subtree
    std::size_t bytes = 0;  // bytes of the subtree (node records and their text)
  };

  // Accounts for `n` bytes copied for an anchor or an alias.
  Result<void> copy_bytes(std::size_t n, int line, int col) {
    copied_ += n;
    if (copied_ > opts_.max_alias_bytes)
      return fail(fmt::format("YAML: anchors and aliases copy more than {} MiB of nodes and text",
                              opts_.max_alias_bytes >> 20),
                  {file_, line, col});
    return {};
  }

  static std::string tag_text(fy_token* t) {
    size_t len = 0;
    const char* s = fy_tag_token_handle(t, &len);
    std::string out = s ? std::string(s, len) : std::string();
    const char* suf = fy_tag_token_suffix(t, &len);
    if (suf) out.append(suf, len);
    if (out.rfind("!!", 0) == 0) out = "tag:yaml.org,2002:" + out.substr(2);
    return out;
  }

  Result<void> add(Node n, const std::string& anchor) {
    ++nodes_;
    if (nodes_ > opts_.max_nodes)
      return fail(fmt::format("YAML: more than {} nodes", opts_.max_nodes),
                  {file_, n.line, n.column});
    std::size_t sz = sizeof(Node) + n.scalar.size() + n.tag.size();
    bytes_ += sz;
    if (!anchor.empty()) {
      if (auto ok = copy_bytes(sz, n.line, n.column); !ok) return ok;
      anchors_[anchor] = Anchor{n, 1, sz};
    }
    return add_built(std::move(n));
  }

  Result<void> add_built(Node n) {
    if (stack_.empty()) {
      if (docs_.empty()) docs_.push_back(Document{});
      docs_.back().root = std::move(n);
      have_root_ = true;
      return {};
    }
    Frame& top = stack_.back();
    if (top.node.kind == Node::Kind::kSeq) {
      top.node.items.push_back(std::move(n));
    } else if (!top.have_key) {
      top.key = std::move(n);
      top.have_key = true;
    } else {
      top.node.pairs.emplace_back(std::move(top.key), std::move(n));
      top.key = Node{};
      top.have_key = false;
    }
    return {};
  }

  const std::string& file_;
  const ParseOptions& opts_;
  std::vector<Document> docs_;
  std::vector<Frame> stack_;
  std::map<std::string, Anchor> anchors_;
  std::size_t nodes_ = 0;
  std::size_t bytes_ = 0;   // bytes of every node built so far, copies included
  std::size_t copied_ = 0;  // bytes copied for anchors and aliases
  bool have_root_ = false;
};

}  // namespace

Result<std::vector<Document>> parse(std::string_view text, const std::string& file,
                                    const ParseOptions& opts) {
  if (auto ok = check_text(text, file); !ok) return std::unexpected(ok.error());
  Diag diag;
  fy_parse_cfg cfg{};
  cfg.flags = static_cast<fy_parse_cfg_flags>(FYPCF_QUIET | FYPCF_DEFAULT_VERSION_1_2);
  cfg.diag = diag.diag;
  fy_parser* fyp = fy_parser_create(&cfg);
  if (!fyp) return fail("YAML: cannot create a parser", {file}, Exit::kInternal);
  struct Closer {
    fy_parser* p;
    ~Closer() { fy_parser_destroy(p); }
  } closer{fyp};
  if (fy_parser_set_string(fyp, text.data(), text.size()) != 0)
    return fail("YAML: cannot read the input", {file});
  Builder b(file, opts);
  while (fy_event* ev = fy_parser_parse(fyp)) {
    auto r = b.on_event(ev);
    fy_parser_event_free(fyp, ev);
    if (!r) return std::unexpected(r.error());
  }
  if (fy_parser_get_stream_error(fyp)) {
    if (auto e = diag.first(file)) return std::unexpected(*e);
    return fail("YAML: syntax error", {file});
  }
  return b.take();
}

Result<Node> parse_one(std::string_view text, const std::string& file, const ParseOptions& opts) {
  auto docs = parse(text, file, opts);
  if (!docs) return std::unexpected(docs.error());
  if (docs->empty()) return fail("the file is empty", {file});
  if (docs->size() > 1)
    return fail("expected one YAML document, found several", {file, (*docs)[1].line, 1});
  return std::move((*docs)[0].root);
}

Result<std::vector<Document>> parse_file(const std::string& path, const ParseOptions& opts) {
  auto text = read_text_file(path);
  if (!text) return std::unexpected(text.error());
  return parse(*text, path, opts);
}

}  // namespace csap::yaml
