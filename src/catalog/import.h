// Importing a control list from a table (CSV or the first sheet of an .xlsx workbook) into the
// catalog YAML format, e.g. the official CSAP list typed up from the 고시 별표.
//
// Header: id,title_ko,title_en,kind,iaas,saas,daas (order free; `parent` optional; unknown columns
// are ignored with a warning). Each service column lists the tiers at which the control applies,
// as tier ids or names (상,중,하 or high,moderate,low) separated by , ; / or spaces; empty = none.
#pragma once
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/text.h"
#include "core/yaml_quote.h"

namespace csap::catalog {

struct ImportOptions {
  std::string catalog_id = "csap";
  std::string version;
  std::string status = "official";
  Text title;
  // The bundled catalog whose service types, tiers and profiles the imported catalog takes.
  std::string base = "csap";
};

struct ImportReport {
  std::string yaml;              // the catalog text; empty when there are errors
  std::vector<std::string> ids;  // control ids in table order
  std::vector<Error> errors;     // every bad row (and file-level problems), in table order
  std::vector<std::string> warnings;

  bool ok() const { return errors.empty(); }
  // All errors as one (exit code 3): "file: N bad rows" followed by one line per row.
  Error error() const;
};

// Reads a .csv or .xlsx file (chosen by suffix; .xlsx also when the file starts with "PK").
ImportReport import_table(const std::filesystem::path& file, const ImportOptions& opts = {});
// CSV text (RFC 4180 quoting, UTF-8, a byte-order mark tolerated). `file` names it in messages.
ImportReport import_csv_text(std::string_view text, const std::string& file,
                             const ImportOptions& opts = {});

// One sheet of an .xlsx workbook: rows by row number, each as cells by column (A = 0), with empty
// cells as empty strings. Shared strings, inline strings and numbers are read as text.
struct Sheet {
  std::string name;
  struct Row {
    int number = 0;  // 1-based, as Excel shows it
    std::vector<std::string> cells;
  };
  std::vector<Row> rows;
};
Result<Sheet> read_xlsx_first_sheet(const std::filesystem::path& file);

}  // namespace csap::catalog
