// Loading catalogs: bundled ones by name, files by path, text in either format.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "catalog/reader.h"
#include "core/embedded.h"
#include "core/files.h"

namespace csap::catalog {

using detail::join;
using detail::Node;

// ---- loading ----------------------------------------------------------------------------------

Result<Catalog> load_catalog_text(std::string_view text, const std::string& file) {
  auto root = yaml::parse_one(text, file);
  if (!root) return std::unexpected(root.error());
  if (root->is_map()) {
    if (const Node* c = root->get("catalog"); c && c->is_map())
      return detail::parse_oscal(*root, file, {}, {});
  }
  return detail::parse_catalog(*root, file);
}

std::vector<std::string> bundled_names() {
  std::vector<std::string> out;
  for (const auto& f : embedded_files()) {
    std::string_view p = f.path;
    if (p.starts_with("catalogs/") && p.ends_with(".yaml") &&
        p.find('/', 9) == std::string_view::npos)
      out.emplace_back(p.substr(9, p.size() - 9 - 5));
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<Catalog> load_bundled(std::string_view name) {
  std::string path = fmt::format("catalogs/{}.yaml", name);
  for (const auto& f : embedded_files()) {
    if (f.path != path) continue;
    auto cat = load_catalog_text(f.bytes, path);
    if (!cat) return cat;
    cat->source = fmt::format("bundled:{}", name);
    return cat;
  }
  // Like an unknown rule or a missing file: bad input (exit 3), not a usage error.
  return fail(fmt::format("no bundled catalog '{}' (bundled: {})", name, join(bundled_names())));
}

Result<Catalog> load_catalog(const std::string& name_or_path) {
  namespace fs = std::filesystem;
  fs::path p(name_or_path);
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::error_code ec;
  bool is_path = fs::exists(p, ec) || ext == ".yaml" || ext == ".yml" || ext == ".json" ||
                 name_or_path.find('/') != std::string::npos;
  if (!is_path) {
    auto cat = load_bundled(name_or_path);
    if (!cat && cat.error().message.starts_with("no bundled catalog"))
      return fail(fmt::format("no catalog '{}': not a bundled catalog ({}) and no such file",
                              name_or_path, join(bundled_names())));
    return cat;
  }
  auto text = read_text_file(p);
  if (!text) return std::unexpected(text.error());
  return load_catalog_text(*text, name_or_path);
}

}  // namespace csap::catalog
