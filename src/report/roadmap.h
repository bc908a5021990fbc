// The roadmap (assess/roadmap.h) rendered: text for people (`csapcheck roadmap`), JSON for
// programs (`--format json`, schema csapcheck/roadmap/v1).
#pragma once
#include <ostream>

#include "assess/assess.h"
#include "assess/roadmap.h"
#include "core/text.h"

namespace csap::report {

// Per area, each control still to do with its step (fix, attest, renew), owner and reason.
// Control characters from the inputs are escaped as in the console report.
void write_roadmap_text(std::ostream& os, const assess::Roadmap& r,
                        const assess::Assessment& target, Lang lang);
// Pretty-printed with two-space indents and a final newline.
void write_roadmap_json(std::ostream& os, const assess::Roadmap& r,
                        const assess::Assessment& target);

}  // namespace csap::report
