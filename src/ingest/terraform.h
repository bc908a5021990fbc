// Terraform inputs: plan JSON (`terraform show -json PLAN`, format_version 0.1 to 1.x), raw state
// (version 4) and state JSON (`terraform show -json`), loaded into a Deployment with
// region/zone/site facts and configuration references. They are two entries of the input
// registry (ingest/inputs.h), which detects them by content.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "ingest/inputs.h"
#include "model/deployment.h"

namespace csap::ingest {

// What a file holds, decided from its content (never from its name).
enum class InputKind { kNotTerraform, kPlan, kState };

// Loads one plan or state file through the input registry (ingest/inputs.h) and calls
// d.reindex(). Errors name the file with line:column; exit code 3.
Result<void> load_terraform_file(const std::filesystem::path& path, Deployment& d,
                                 const LoadOptions& opts = {});

// Same, from bytes already in memory (tests). `name` is used in messages.
Result<void> load_terraform_bytes(std::string_view bytes, const std::string& name, Deployment& d,
                                  const LoadOptions& opts = {});

// Short provider name from a provider address or state provider string:
// "registry.terraform.io/hashicorp/aws" → "aws", "provider[\"…/ncloud\"].alias" → "ncloud",
// "provider.aws.west" → "aws".
std::string_view provider_short_name(std::string_view provider);

}  // namespace csap::ingest
