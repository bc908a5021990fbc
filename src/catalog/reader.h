// Internal to the catalog module: reading catalog documents (YAML and OSCAL) with precise errors.
#pragma once
#include <fmt/format.h>

#include <algorithm>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "catalog/catalog.h"
#include "core/yaml.h"

namespace csap::catalog::detail {

using yaml::Node;

std::string join(const std::vector<std::string>& v, std::string_view sep = ", ");

// Text whose language is guessed: Korean when it holds Hangul, else English.
Text guess_text(std::string s);

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  std::unexpected<Error> err(const Node& n, std::string msg) const {
    return fail(std::move(msg), yaml::loc(file_, n));
  }

  // A scalar that must be text (ids, names). Rejects null, lists and maps.
  Result<std::string> str(const Node& n, std::string_view what) const {
    if (n.is_scalar() && !n.is_plain_null()) return n.scalar;
    return err(n, fmt::format("{} must be a string, not {}", what, n.kind_name()));
  }

  // A string or {ko, en}.
  Result<Text> text(const Node& n, std::string_view what) const {
    if (n.is_scalar() && !n.is_plain_null()) return guess_text(n.scalar);
    if (!n.is_map())
      return err(n, fmt::format("{} must be a string or a mapping {{ko, en}}, not {}", what,
                                n.kind_name()));
    Text t;
    for (const auto& [k, v] : n.pairs) {
      if (k.scalar != "ko" && k.scalar != "en")
        return err(k, fmt::format("unknown key '{}' in {} (expected ko, en)", k.scalar, what));
      auto s = str(v, fmt::format("{}.{}", what, k.scalar));
      if (!s) return std::unexpected(s.error());
      (k.scalar == "ko" ? t.ko : t.en) = std::move(*s);
    }
    return t;
  }

  Result<void> check_keys(const Node& map, std::initializer_list<std::string_view> allowed,
                          std::string_view what) const {
    for (const auto& [k, v] : map.pairs) {
      if (std::find(allowed.begin(), allowed.end(), k.scalar) != allowed.end()) continue;
      std::vector<std::string> names(allowed.begin(), allowed.end());
      return err(k, fmt::format("unknown key '{}' in {} (expected one of: {})", k.scalar, what,
                                join(names)));
    }
    return {};
  }

  // tiers / service_types: a list of ids or of {id, ko, en, note}.
  template <class T>
  Result<std::vector<T>> entries(const Node& n, std::string_view what) const {
    if (!n.is_seq()) return err(n, fmt::format("'{}' must be a list, not {}", what, n.kind_name()));
    std::vector<T> out;
    std::unordered_set<std::string> seen;
    for (const Node& item : n.items) {
      T t;
      if (item.is_scalar()) {
        auto id = str(item, fmt::format("{} id", what));
        if (!id) return std::unexpected(id.error());
        t.id = *id;
      } else if (item.is_map()) {
        if (auto ok = check_keys(item, {"id", "ko", "en", "note"}, what); !ok)
          return std::unexpected(ok.error());
        const Node* id = item.get("id");
        if (!id) return err(item, fmt::format("an entry of '{}' has no id", what));
        auto ids = str(*id, fmt::format("{} id", what));
        if (!ids) return std::unexpected(ids.error());
        t.id = *ids;
        if (const Node* ko = item.get("ko")) {
          auto s = str(*ko, "ko");
          if (!s) return std::unexpected(s.error());
          t.title.ko = *s;
        }
        if (const Node* en = item.get("en")) {
          auto s = str(*en, "en");
          if (!s) return std::unexpected(s.error());
          t.title.en = *s;
        }
        if (const Node* note = item.get("note")) {
          auto tx = text(*note, "note");
          if (!tx) return std::unexpected(tx.error());
          t.note = *tx;
        }
      } else {
        return err(item, fmt::format("an entry of '{}' must be an id or a mapping, not {}", what,
                                     item.kind_name()));
      }
      if (!seen.insert(t.id).second) return err(item, fmt::format("duplicate {} '{}'", what, t.id));
      out.push_back(std::move(t));
    }
    return out;
  }

  const std::string& file() const { return file_; }

 private:
  std::string file_;
};

template <class T>
std::vector<std::string> ids_of(const std::vector<T>& v) {
  std::vector<std::string> out;
  for (const auto& x : v) out.push_back(x.id);
  return out;
}

// The catalog format of DESIGN.md §4 (catalog_yaml.cpp).
Result<Catalog> parse_catalog(const Node& root, const std::string& file);

// An OSCAL catalog, optionally narrowed by an OSCAL profile (oscal_catalog.cpp).
Result<Catalog> parse_oscal(const Node& root, const std::string& file,
                            std::string_view profile_json, const std::string& profile_file);

}  // namespace csap::catalog::detail
