// Internals of the Terraform loader shared by its source files (not a public API).
#pragma once
#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ingest/providers.h"
#include "model/deployment.h"

namespace csap::ingest::detail {

// Key comparisons made by the loader's object lookups on this thread (a test counts them to show
// that the work grows with n·log n, not n²).
std::uint64_t& key_steps();

// Hash and equality for maps keyed by std::string that are searched with a string_view (no key
// string is built per lookup).
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept {
    return std::hash<std::string_view>{}(s);
  }
};
template <class V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

// "module.a[0].module.b[\"x\"]" → "a.b" (module call names only, as the configuration nests them).
std::string config_module_path(std::string_view module_address);

// Splits an absolute configuration address ("module.vpc.data.aws_x.y", "aws_s3_bucket.b[0].id")
// into the module path ("vpc") and the resource's configuration address ("data.aws_x.y").
// Returns false when the address does not name a resource.
bool split_resource_ref(std::string_view ref, std::string* module_path, std::string* resource);

// Tri-state string: known, unknown (computed at apply), or absent (not set anywhere).
struct Resolved {
  enum State { kAbsent, kUnknown, kKnown } state = kAbsent;
  std::string value;
  bool sensitive = false;  // comes from a variable declared sensitive
  static Resolved known(std::string v) { return {kKnown, std::move(v)}; }
  static Resolved unknown() { return {kUnknown, {}}; }
};

// The plan's `configuration` (and top-level `variables`), indexed for lookups. Holds DOM
// elements: the parser passed in must outlive it.
class Configuration {
 public:
  // `config` is the configuration object; `variables` the plan's variables (or a null element).
  void load(simdjson::dom::element config, simdjson::dom::element variables, bool have_variables);

  struct ConfigResource {
    simdjson::dom::object object;  // address, provider_config_key, expressions
    std::string module_path;
  };
  // The configuration block of a resource, or nullptr.
  const ConfigResource* resource(std::string_view module_path,
                                 std::string_view config_address) const;

  // A provider configuration argument (region, site, ...) for a resource in `module_path` whose
  // provider_config_key is `key` (may be empty: then `provider` is used); follows module
  // inheritance and variables.
  Resolved provider_arg(std::string_view module_path, std::string_view key,
                        std::string_view provider, std::string_view arg) const;

  // True when the resource's configuration sets this top-level argument.
  static bool sets(const ConfigResource& r, std::string_view attr);

  // One reference of a top-level attribute to a resource's configuration block.
  struct RefTarget {
    std::string attr;         // top-level attribute of the referring resource
    std::string module_path;  // of the target
    std::string address;      // target configuration address (data.x.y or x.y)
    std::string index;        // a constant instance key in the reference ("[0]", "[\"a\"]"), or ""
    auto operator<=>(const RefTarget&) const = default;
  };
  // For every top-level attribute of the resource's expressions: the resources it refers to,
  // through module outputs and module variables.
  void references(const ConfigResource& r, std::vector<RefTarget>& out) const;

 private:
  struct Module {
    simdjson::dom::object module;  // resources, module_calls, outputs, variables
    simdjson::dom::object call;    // the module call in the parent (expressions), if any
    bool has_call = false;
    // The module's resource blocks by configuration address (views into the DOM).
    std::unordered_map<std::string_view, ConfigResource> resources;
  };
  struct ProviderEntry {
    simdjson::dom::object object;
    std::string module_path;
  };
  void index_module(simdjson::dom::object module, const std::string& path);
  Resolved resolve_expression(simdjson::dom::element expr, const std::string& module_path,
                              int depth) const;
  Resolved resolve_variable(const std::string& module_path, std::string_view name, int depth) const;
  Resolved resolve_variable_value(const std::string& module_path, std::string_view name,
                                  int depth) const;
  Resolved lookup_provider(std::string module_path, const std::string& local_name,
                           std::string_view arg, int depth) const;
  void collect(simdjson::dom::element e, std::vector<std::string_view>& refs) const;
  void resolve_ref(std::string_view ref, const std::string& module_path, int depth,
                   std::vector<RefTarget>& out) const;

  StringMap<Module> modules_;           // by module path ("" = root)
  StringMap<ProviderEntry> providers_;  // "path|aws.alias"
  simdjson::dom::object variables_;
  bool have_variables_ = false;
};

// Each resource's configuration block, computed once per load: resources [first, end) get an
// entry id; instances of one block (count, for_each, module instances) share it.
struct ConfigKeys {
  struct Entry {
    std::string module_path;  // "a.b"
    std::string address;      // [data.]type.name
    const Configuration::ConfigResource* block = nullptr;
  };
  std::vector<std::uint32_t> id;  // per resource, index - first
  std::vector<Entry> entries;
};
ConfigKeys config_keys(const Deployment& d, std::size_t first, const Configuration* cfg);

// Fills region/zone/site of resources [first, d.resources.size()) from their values, the
// configuration (may be null) and the provider table.
void resolve_locations(Deployment& d, std::size_t first, const Configuration* cfg,
                       const ConfigKeys& keys, const ProviderTable& table);

// Fills refs of resources [first, end) from the configuration.
void resolve_references(Deployment& d, std::size_t first, const Configuration& cfg,
                        const ConfigKeys& keys);

// Resolves state `dependencies` (held as Reference{address, UINT32_MAX}) to resources.
void resolve_dependencies(Deployment& d, std::size_t first);

}  // namespace csap::ingest::detail
