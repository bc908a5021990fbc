// Reading input files safely: size limits, encoding checks, hashes, directory walks.
#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace csap {

// Largest input file accepted (bytes). Bigger files are rejected before they are read.
inline constexpr std::uint64_t kMaxInputBytes = 4ULL << 30;

// Checks that `bytes` is text csapcheck can read: not binary, not UTF-16/32, valid UTF-8.
// Points at the line and column of the first offending byte.
Result<void> check_text(std::string_view bytes, const std::string& file);

// Text saved as UTF-16 (LE/BE) or UTF-32 (LE/BE) with a byte-order mark, as Windows PowerShell
// writes it: the text transcoded to UTF-8 (without the mark). std::nullopt when `bytes` start
// with no such mark. Invalid text (a lone surrogate, a code point past U+10FFFF, a truncated
// code unit) is an error at its line and column.
Result<std::optional<std::string>> transcode_to_utf8(std::string_view bytes,
                                                     const std::string& file);

// Reads a whole text file (YAML, CSV, ...) after check_text; strips a UTF-8 byte-order mark.
Result<std::string> read_text_file(const std::filesystem::path& path,
                                   std::uint64_t max_bytes = 256ULL << 20);

// Line and column (1-based, column counted in bytes) of `offset` in `bytes`.
std::pair<int, int> line_col(std::string_view bytes, std::size_t offset);

// Lower-case hex SHA-256 of the bytes, and of a file's contents.
std::string sha256_hex(std::string_view bytes);
Result<std::string> sha256_file(const std::filesystem::path& path);

// Expands each path: files stay as they are, directories are walked recursively (following
// symlinks, refusing loops) and yield the files whose name ends in one of `suffixes`.
// Hidden directories (.terraform, .git) are skipped. The result is sorted within each directory.
Result<std::vector<std::filesystem::path>> expand_inputs(
    const std::vector<std::filesystem::path>& paths, const std::vector<std::string>& suffixes);

// Writes a file so that nothing already written is lost on failure: the content goes to a temporary
// file beside `path`, which replaces `path` only once complete. "-" writes to standard output.
Result<void> write_file_atomically(const std::string& path,
                                   const std::function<void(std::ostream&)>& write);
// For writers that need a file name (e.g. a zip library): `write` receives the temporary path and
// returns an error message ("" on success); the file is renamed into place only on success.
Result<void> write_path_atomically(const std::string& path,
                                   const std::function<std::string(const std::string& tmp)>& write);

}  // namespace csap
