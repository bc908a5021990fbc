// A deployment: the resources of every input, with the facts rules read about them.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/value.h"

namespace csap {

// One configuration reference from an attribute of a resource to another resource.
struct Reference {
  std::string_view attr;     // top-level attribute holding the reference, e.g. "bucket"
  std::uint32_t target = 0;  // index into Deployment::resources
};

struct Resource {
  std::string_view address;   // full instance address: module.net.aws_vpc.main[0]
  std::string_view type;      // aws_vpc
  std::string_view name;      // main
  std::string_view module;    // module.net ("" for the root module)
  std::string_view provider;  // short provider name: aws, ncloud, nhncloud, google, azurerm, ...
  std::string_view provider_source;  // registry.terraform.io/hashicorp/aws, when known
  std::string_view mode;             // managed | data
  Value region;                      // string, unknown, or null (none: a global resource)
  Value zone;
  Value site;    // ncloud: public | gov | fin
  Value values;  // the attributes (object); unknown and sensitive markers inside
  std::vector<Reference> refs;
  std::uint32_t input = 0;  // index into Deployment::inputs
  int line = 0;             // where the resource is, in the input file, when known
  int column = 0;
};

struct InputFile {
  std::string path;
  std::string sha256;
  std::string kind;  // terraform-plan | terraform-state | test
  std::string format_version;
  std::string tool_version;  // e.g. terraform_version
  std::uint64_t bytes = 0;
};

class Deployment {
 public:
  Deployment() : arena_(std::make_unique<Arena>()) {}
  Deployment(Deployment&&) = default;
  Deployment& operator=(Deployment&&) = default;

  Arena& arena() { return *arena_; }
  std::vector<Resource> resources;
  std::vector<InputFile> inputs;

  // Index of the resource with this exact address, or -1.
  long find(std::string_view address) const;
  // Rebuilds the address index (call after adding resources).
  void reindex();

 private:
  std::unique_ptr<Arena> arena_;
  std::unordered_map<std::string_view, std::uint32_t> by_address_;
};

}  // namespace csap
