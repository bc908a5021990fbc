// YAML documents as a small tree with positions, built from libfyaml's event stream.
// Used for rules, catalogs, mappings, attestations and test resources.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace csap::yaml {

struct Node {
  enum class Kind : std::uint8_t { kNull, kScalar, kSeq, kMap };
  Kind kind = Kind::kNull;
  bool quoted = false;      // scalar written in quotes or as a block: always a string
  std::string scalar;       // scalar text
  std::string tag;          // e.g. "!Ref", empty when untagged
  int line = 0;             // 1-based
  int column = 0;           // 1-based
  std::vector<Node> items;  // kSeq
  std::vector<std::pair<Node, Node>> pairs;  // kMap, in document order

  bool is_null() const { return kind == Kind::kNull; }
  bool is_scalar() const { return kind == Kind::kScalar; }
  bool is_seq() const { return kind == Kind::kSeq; }
  bool is_map() const { return kind == Kind::kMap; }

  // Map lookup by key text; nullptr when absent.
  const Node* get(std::string_view key) const;

  // Plain scalars typed by the YAML 1.2 core schema.
  bool is_plain_null() const;                  // null, ~, empty (plain) or kNull
  std::optional<bool> as_bool() const;         // true/false (plain only)
  std::optional<std::int64_t> as_int() const;  // plain decimal integer
  std::optional<double> as_double() const;     // plain number
  bool is_string() const {
    return kind == Kind::kScalar && (quoted || (!as_bool() && !as_double() && !is_plain_null()));
  }
  std::string kind_name() const;  // "mapping", "list", "string", ...
};

struct Document {
  Node root;
  int line = 0;  // where the document starts
};

struct ParseOptions {
  std::size_t max_nodes = 5'000'000;  // after alias expansion: bounds "billion laughs"
  // Bytes (node records and their text) that anchors and aliases may copy: bounds memory when a
  // few nodes carry long text or when anchors nest.
  std::size_t max_alias_bytes = 64ULL << 20;
  int max_depth = 256;
};

// Parses every document of a YAML stream. `file` names the source in errors.
Result<std::vector<Document>> parse(std::string_view text, const std::string& file,
                                    const ParseOptions& opts = {});

// Parses a stream that must hold exactly one document.
Result<Node> parse_one(std::string_view text, const std::string& file,
                       const ParseOptions& opts = {});

// Reads, checks (encoding) and parses a YAML file.
Result<std::vector<Document>> parse_file(const std::string& path, const ParseOptions& opts = {});

// "file:line:col" location of a node.
inline SourceLoc loc(const std::string& file, const Node& n) {
  return {file, n.line, n.column, {}};
}

}  // namespace csap::yaml
