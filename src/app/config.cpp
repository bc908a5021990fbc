#include "app/config.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "core/yaml.h"

namespace csap::app {
namespace fs = std::filesystem;

namespace {

enum class KeyType { kString, kList, kPath, kPathList, kNameOrPath };

struct KeyInfo {
  const char* name;
  KeyType type;
};

constexpr KeyInfo kKeys[] = {
    {"system", KeyType::kString},      {"profile", KeyType::kString},
    {"catalog", KeyType::kNameOrPath}, {"mappings", KeyType::kPathList},
    {"rules", KeyType::kPathList},     {"attest", KeyType::kPathList},
    {"waivers", KeyType::kPathList},   {"formats", KeyType::kList},
    {"outputs", KeyType::kPathList},   {"fail-on", KeyType::kString},
    {"store", KeyType::kPath},
};

const KeyInfo* key_info(const std::string& k) {
  for (const auto& i : kKeys)
    if (k == i.name) return &i;
  return nullptr;
}

// A path from the config, relative to the config file's directory. "-" (standard output) stays.
std::string resolve(const fs::path& dir, const std::string& p) {
  if (p == "-" || fs::path(p).is_absolute()) return p;
  return (dir / p).lexically_normal().string();
}

}  // namespace

const Setting* ProjectConfig::get(const std::string& key) const {
  auto it = settings.find(key);
  return it == settings.end() ? nullptr : &it->second;
}

std::string ProjectConfig::value(const std::string& key, const std::string& fallback) const {
  const Setting* s = get(key);
  return s && !s->values.empty() ? s->values.front() : fallback;
}

void ProjectConfig::override_with(const std::string& key, std::vector<std::string> values) {
  if (values.empty()) return;
  settings[key] = Setting{std::move(values), "command line"};
}

const std::vector<std::string>& config_keys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> k;
    for (const auto& i : kKeys) k.emplace_back(i.name);
    return k;
  }();
  return keys;
}

std::optional<std::string> find_config(const std::string& start) {
  std::error_code ec;
  fs::path p = fs::absolute(start.empty() ? fs::path(".") : fs::path(start), ec);
  if (ec) return std::nullopt;
  if (!fs::is_directory(p, ec)) p = p.parent_path();
  for (int depth = 0; depth < 256 && !p.empty(); ++depth) {
    fs::path candidate = p / kConfigName;
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
    if (p == p.parent_path()) break;
    p = p.parent_path();
  }
  return std::nullopt;
}

Result<ProjectConfig> load_config(const std::string& path) {
  auto docs = yaml::parse_file(path);
  if (!docs) return forward(docs);
  ProjectConfig cfg;
  cfg.file = path;
  if (docs->empty() || docs->front().root.is_null()) return cfg;
  if (docs->size() > 1)
    return fail("a config file holds one YAML document", yaml::loc(path, (*docs)[1].root));
  const yaml::Node& root = docs->front().root;
  if (!root.is_map())
    return fail(fmt::format("a config file is a mapping of keys, not a {}", root.kind_name()),
                yaml::loc(path, root));
  fs::path dir = fs::absolute(path).parent_path();
  for (const auto& [k, v] : root.pairs) {
    const KeyInfo* info = k.is_scalar() ? key_info(k.scalar) : nullptr;
    if (!info) {
      std::string known;
      for (const auto& i : kKeys) known += (known.empty() ? "" : ", ") + std::string(i.name);
      return fail(fmt::format("unknown key '{}' (known keys: {})", k.scalar, known),
                  yaml::loc(path, k));
    }
    if (cfg.settings.count(info->name))
      return fail(fmt::format("'{}' is given twice", info->name), yaml::loc(path, k));
    bool list = info->type == KeyType::kList || info->type == KeyType::kPathList;
    bool is_path = info->type == KeyType::kPath || info->type == KeyType::kPathList;
    std::vector<const yaml::Node*> items;
    if (v.is_seq()) {
      if (!list)
        return fail(fmt::format("'{}' takes one value, not a list", info->name),
                    yaml::loc(path, v));
      for (const auto& i : v.items) items.push_back(&i);
    } else {
      items.push_back(&v);
    }
    Setting s;
    s.origin = yaml::loc(path, k).str();
    for (const yaml::Node* i : items) {
      if (!i->is_scalar() || i->is_plain_null() || i->scalar.empty())
        return fail(fmt::format("'{}' takes {}, not {}", info->name,
                                list ? "a text or a list of texts" : "a text", i->kind_name()),
                    yaml::loc(path, i->line > 0 ? *i : k));
      std::string value = is_path ? resolve(dir, i->scalar) : i->scalar;
      // A catalog is a bundled name unless a file of that name sits beside the config.
      if (info->type == KeyType::kNameOrPath) {
        std::error_code ec;
        if (fs::exists(resolve(dir, i->scalar), ec)) value = resolve(dir, i->scalar);
      }
      s.values.push_back(std::move(value));
    }
    if (s.values.empty())
      return fail(fmt::format("'{}' is an empty list", info->name), yaml::loc(path, v));
    cfg.settings.emplace(info->name, std::move(s));
  }
  return cfg;
}

Result<ProjectConfig> resolve_config(const std::string& explicit_file,
                                     const std::vector<std::string>& paths) {
  if (!explicit_file.empty()) {
    std::error_code ec;
    if (!fs::is_regular_file(explicit_file, ec))
      return fail("no such config file", {explicit_file}, Exit::kUsage);
    return load_config(explicit_file);
  }
  auto found = find_config(paths.empty() ? std::string(".") : paths.front());
  if (!found) return ProjectConfig{};
  return load_config(*found);
}

const std::map<std::string, std::vector<std::string>>& config_defaults() {
  static const std::map<std::string, std::vector<std::string>> d = {
      {"catalog", {"csap"}}, {"formats", {"console"}}, {"fail-on", {"high"}}};
  return d;
}

void write_config(std::ostream& os, const ProjectConfig& cfg) {
  os << "config: " << (cfg.file.empty() ? std::string("none found") : cfg.file) << '\n';
  for (const auto& key : config_keys()) {
    std::string value, origin;
    if (const Setting* s = cfg.get(key)) {
      for (const auto& v : s->values) value += (value.empty() ? "" : ", ") + v;
      origin = s->origin;
    } else if (auto d = config_defaults().find(key); d != config_defaults().end()) {
      for (const auto& v : d->second) value += (value.empty() ? "" : ", ") + v;
      origin = "default";
    } else {
      value = "-";
      origin = "not set";
    }
    os << fmt::format("{:<9} {:<40} ({})\n", key, value, origin);
  }
}

}  // namespace csap::app
