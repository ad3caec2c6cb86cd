// A CSV reader for files that people export from spreadsheets: RFC 4180 quoting, an optional UTF-8
// byte order mark, CRLF or LF line ends, blank lines ignored.
#ifndef NTM_TOOLS_NTMCTL_CSV_H_
#define NTM_TOOLS_NTMCTL_CSV_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace ntm::ntmctl {

// One record of a CSV file.
struct CsvRecord {
  // The 1-based line of the file the record starts on (a quoted field may span lines).
  int line = 0;
  // The fields, unquoted.
  std::vector<std::string> fields;
};

// Parses `content` as CSV with `delimiter` between fields. A leading UTF-8 byte order mark is
// skipped; empty lines are left out. Fields in double quotes may hold delimiters, line breaks and
// doubled quotes; a quote inside an unquoted field is kept as a character. Errors
// (INVALID_ARGUMENT, message in Vietnamese starting with "dòng N: "): text that is not UTF-8, a
// quoted field that is never closed, text after a closing quote.
absl::StatusOr<std::vector<CsvRecord>> ParseCsv(absl::string_view content, char delimiter = ',');

// The delimiter a spreadsheet most likely used: ';' when the first line has semicolons and no
// commas outside quotes (spreadsheets set to Vietnamese regional settings write that), else ','.
char GuessCsvDelimiter(absl::string_view content);

}  // namespace ntm::ntmctl

#endif  // NTM_TOOLS_NTMCTL_CSV_H_
