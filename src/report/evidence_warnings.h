// Warnings about the evidence, for every report and the roadmap: attestations that do not count
// (and why), expired and stale waivers, tag waivers that are not applied, and what expires within
// 30 days.
#pragma once
#include <string>
#include <vector>

#include "assess/assess.h"
#include "core/text.h"

namespace csap::report {

// One line each, in `lang`.
std::vector<std::string> evidence_warnings(const assess::Assessment& a, Lang lang);

}  // namespace csap::report
