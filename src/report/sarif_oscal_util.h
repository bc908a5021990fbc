// What the SARIF, JUnit and OSCAL writers share: file URIs, name-based UUIDs, waiver lookup, and
// JSON documents whose large arrays are written one item at a time. Internal to src/report.
#pragma once
#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "assess/assess.h"

namespace csap::report {

using ojson = nlohmann::ordered_json;

// `s` percent-encoded for a URI path: unreserved characters and '/' stay, everything else
// (spaces, Hangul, '%', '#', ...) becomes %XX per UTF-8 byte.
std::string uri_encode(std::string_view s);

// A URI for an input file: relative to the working directory when the file is under it (or was
// given as a relative path), else an absolute file:// URI.
std::string artifact_uri(std::string_view path);

// RFC 4122 name-based UUID, version 5 (SHA-1), lower-case: the same namespace and name always
// give the same UUID.
std::string uuid_v5(std::string_view ns, std::string_view name);

// The waiver that accepted the failing finding cr.findings[k] for the control `cr` (a rule waiver,
// or a waiver on the control), or nullptr.
const assess::Waiver* waiver_in_control(const assess::Assessment& a,
                                        const assess::ControlResult& cr, std::size_t k);
// Per finding: the waiver that accepted it everywhere it counts — a rule waiver, or waivers on
// every control it belongs to (the first of them) — or nullptr. A failure still counted against
// some control is not accepted.
std::vector<const assess::Waiver*> finding_waivers(const assess::Assessment& a);

// "2026-03-02T09:15:00Z" when `generated_at` is empty: the current time.
std::string timestamp(std::string_view generated_at);

// Large arrays streamed into a JSON document: put placeholder(name) where the array goes, then
// write_streamed() dumps `doc` (two-space indents) and calls the matching generator there, which
// emits the items one by one.
using Emit = std::function<void(const ojson&)>;
using Generator = std::function<void(const Emit&)>;
ojson placeholder(std::string_view name);
void write_streamed(std::ostream& os, const ojson& doc,
                    const std::vector<std::pair<std::string, Generator>>& generators);

}  // namespace csap::report
