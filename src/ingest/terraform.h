// Terraform inputs: plan JSON (`terraform show -json PLAN`, format_version 0.1 to 1.x), raw state
// (version 4) and state JSON (`terraform show -json`), detected by content, loaded into a
// Deployment with region/zone/site facts and configuration references.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "model/deployment.h"

namespace csap::ingest {

// What a file holds, decided from its content (never from its name).
enum class InputKind { kNotTerraform, kPlan, kState };

struct LoadOptions {
  // Notes about files that were skipped (for example a package.json found in a directory).
  // Filled by load_inputs when not null.
  std::vector<std::string>* notes = nullptr;
  // Deepest nesting accepted inside a resource's values.
  int max_depth = 256;
};

// Loads every path (files, or directories walked for files ending in .json / .tfstate):
// detects each file's kind, loads it, records an InputFile, then resolves configuration
// references and calls d.reindex(). A JSON file found in a directory that is neither plan nor
// state is skipped with a note; a file named explicitly that is not one is an error.
Result<void> load_inputs(const std::vector<std::filesystem::path>& paths, Deployment& d,
                         const LoadOptions& opts = {});

// Loads one plan or state file (any kind other than plan/state is an error) and calls
// d.reindex(). Errors name the file with line:column or a JSON pointer; exit code 3.
Result<void> load_terraform_file(const std::filesystem::path& path, Deployment& d,
                                 const LoadOptions& opts = {});

// Same, from bytes already in memory (tests, stdin). `name` is used in messages.
Result<void> load_terraform_bytes(std::string_view bytes, const std::string& name, Deployment& d,
                                  const LoadOptions& opts = {});

// Short provider name from a provider address or state provider string:
// "registry.terraform.io/hashicorp/aws" → "aws", "provider[\"…/ncloud\"].alias" → "ncloud",
// "provider.aws.west" → "aws".
std::string_view provider_short_name(std::string_view provider);

}  // namespace csap::ingest
