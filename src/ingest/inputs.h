// The input registry: every kind of input csapcheck reads is one entry of a table. An entry says
// how it recognises its input (by content, and by the shape of a directory) and loads it into a
// Deployment. Detection and `--input-kind` both go through the table.
#pragma once
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "model/deployment.h"

namespace csap::ingest {

struct LoadOptions {
  // Notes about files that were skipped (for example a package.json found in a directory).
  // Filled by load_inputs when not null.
  std::vector<std::string>* notes = nullptr;
  // Deepest nesting accepted anywhere in an input (values, configuration, sections no rule reads).
  int max_depth = 256;
  // The kind every input is read as (an entry's `kind`, e.g. "terraform-plan"); empty: detect
  // each input from its content. Set from the command line's `--input-kind`.
  std::string kind;
  // How long a FIFO opened before its writer waits for the writer (then: an input error). Pipes
  // and process substitution (`<(...)`) have their writer already and do not wait.
  int fifo_wait_ms = 10000;
};

// What a quick look at an input found, for the entries to recognise it by content.
struct Sniff {
  std::string_view name;   // file name, for messages
  std::string_view bytes;  // the content, UTF-8 (other encodings are transcoded first)
  // When the content is a JSON object: its top-level keys (possibly only the first ones, up to a
  // key that decides the kind), and the types of the two version fields.
  bool json_object = false;
  std::string_view top_level;  // when the content is JSON but not an object: "an array", ...
  std::vector<std::string_view> keys;
  bool format_version_is_string = false;
  bool version_is_number = false;
  bool has(std::string_view key) const;
};

namespace detail {
struct JsonDoc;
}

// One input: its bytes (UTF-8, with simdjson's padding readable after them) and its name.
struct Source {
  std::string name;
  const char* data = nullptr;
  std::size_t size = 0;
  detail::JsonDoc* json = nullptr;  // the parsed document, when the content is JSON
};

struct InputLoader {
  // Names the kind on the command line (`--input-kind`) and in reports (InputFile::kind).
  std::string_view kind;
  std::string_view description;
  // Recognises the input by content.
  bool (*by_content)(const Sniff& s);
  // Top-level JSON keys that alone settle the kind: the sniff stops reading there.
  std::span<const std::string_view> decisive_keys;
  // Name endings of the files this entry reads when a directory is walked.
  std::span<const std::string_view> suffixes;
  // Recognises a whole directory as one input (for inputs made of many files); null when the
  // entry reads single files.
  bool (*by_directory)(const std::filesystem::path& dir);
  // Loads one input into d (resources, with Resource::input = d.inputs.size(), and references)
  // and describes it (kind, format and tool version); the caller records the InputFile (path,
  // hash, size) and calls d.reindex().
  Result<InputFile> (*load)(const Source& src, Deployment& d, const LoadOptions& opts);
};

// The table, in the order detection asks the entries.
std::span<const InputLoader> input_loaders();
// The entry for a kind name, or nullptr.
const InputLoader* find_input_loader(std::string_view kind);
// The kind names, for messages and help ("terraform-plan, terraform-state").
std::string input_kind_names();

// Loads every path (files, or directories: a directory an entry claims as a whole, else the files
// an entry's suffixes name, walked recursively), detecting each input's kind (or using
// opts.kind), then calls d.reindex(). A file found in a directory that no entry recognises is
// skipped with a note; a file named explicitly that none recognises is an error. An unknown
// opts.kind is a usage error (exit 2).
Result<void> load_inputs(const std::vector<std::filesystem::path>& paths, Deployment& d,
                         const LoadOptions& opts = {});

// Loads one input (a file, "-" for standard input, a FIFO) detected as any kind and calls
// d.reindex(). Errors name the file with line:column; exit code 3.
Result<void> load_input_file(const std::filesystem::path& path, Deployment& d,
                             const LoadOptions& opts = {});

// Same, from bytes already in memory (tests). `name` is used in messages.
Result<void> load_input_bytes(std::string_view bytes, const std::string& name, Deployment& d,
                              const LoadOptions& opts = {});

}  // namespace csap::ingest
