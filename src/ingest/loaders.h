// The loaders behind the input registry's entries (ingest/inputs.cpp holds the table). Each entry
// is a content test over a Sniff and a load function; a new input adds its pair here.
#pragma once
#include "ingest/inputs.h"

namespace csap::ingest::detail {

// Terraform plan JSON (`terraform show -json PLAN`, format_version 0.1 to 1.x).
bool plan_by_content(const Sniff& s);
Result<InputFile> load_plan(const Source& src, Deployment& d, const LoadOptions& opts);

// Terraform state: raw state (version 4) or `terraform show -json` of a state.
bool state_by_content(const Sniff& s);
Result<InputFile> load_state(const Source& src, Deployment& d, const LoadOptions& opts);

}  // namespace csap::ingest::detail
