#include "catalog/rule_controls.h"

#include <algorithm>
#include <optional>

#include "catalog/catalog.h"

namespace csap::catalog {

Result<RuleControls> rule_controls(const std::vector<Mapping>& extra) {
  RuleControls out;
  auto bundled = bundled_mappings("");
  if (!bundled) return std::unexpected(bundled.error());
  std::vector<Mapping> all = std::move(*bundled);
  all.insert(all.end(), extra.begin(), extra.end());
  for (const auto& m : all)
    for (const auto& cm : m.controls)
      for (const auto& r : cm.rules) {
        auto& ids = out[r][m.catalog];
        if (std::find(ids.begin(), ids.end(), cm.control) == ids.end()) ids.push_back(cm.control);
      }
  // Catalog order where the catalog is bundled; natural order otherwise.
  std::map<std::string, std::optional<Catalog>> cats;
  for (auto& [rule, by_cat] : out)
    for (auto& [cat, ids] : by_cat) {
      if (!cats.count(cat)) {
        auto c = load_bundled(cat);
        cats[cat] = c ? std::optional<Catalog>(std::move(*c)) : std::nullopt;
      }
      const auto& c = cats[cat];
      std::stable_sort(ids.begin(), ids.end(), [&](const std::string& a, const std::string& b) {
        if (c) {
          auto ia = c->index_of(a), ib = c->index_of(b);
          if (ia != ib) return ia < ib;
        }
        return natural_less(a, b);
      });
    }
  return out;
}

}  // namespace csap::catalog
