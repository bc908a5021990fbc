// Reading input files safely: size limits, encoding checks, hashes, directory walks.
#pragma once
#include <sys/stat.h>

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

// ---- writing outputs
//
// An output path is written according to what is there now:
//   "-"                                 standard output (a write error is an error);
//   a new path or a regular file        a temporary file beside it, renamed over it once complete
//                                       (an existing file keeps its mode and, as root, its owner);
//   a symbolic link to a regular file   the same, beside the file the link leads to (the link
//   stays); a character device, a FIFO, or a    opened and written in place, never replaced or
//   removed link to one (or a dangling link) a directory, block device, socket   refused.

enum class OutputKind {
  kStdout,        // "-"
  kReplace,       // temporary file + rename
  kWriteThrough,  // opened and written in place
  kRefuse,        // not written
};

// The decision, from lstat() of the path (`link`) and stat() of what it leads to (`target`);
// nullptr where the call failed (nothing there). `why` receives the reason for kRefuse.
OutputKind output_kind(const struct stat* link, const struct stat* target, std::string* why);

// Writes a file so that nothing already written is lost on failure (see above).
Result<void> write_file_atomically(const std::string& path,
                                   const std::function<void(std::ostream&)>& write);
// For writers that need a file name (e.g. a zip library): `write` receives a temporary path and
// returns an error message ("" on success); the file then takes the place of `path` as above
// (copied to standard output or into a device or FIFO, renamed over a regular file).
Result<void> write_path_atomically(const std::string& path,
                                   const std::function<std::string(const std::string& tmp)>& write);

// Refuses (exit code 3) an output that is one of the inputs: the same file (device and inode)
// under any spelling or through a symbolic link. "-" and paths that do not exist yet pass.
Result<void> check_output_not_input(const std::string& output,
                                    const std::vector<std::string>& inputs);

// Lower-case hex SHA-256 of what is left to read from an open descriptor.
Result<std::string> sha256_fd(int fd, const std::string& name);

}  // namespace csap
