#include "tools/ntmctl/csv.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "tools/ntmctl/text.h"

namespace ntm::ntmctl {
namespace {

constexpr absl::string_view kBom = "\xEF\xBB\xBF";

absl::string_view StripBom(absl::string_view content) {
  if (content.substr(0, kBom.size()) == kBom) {
    content.remove_prefix(kBom.size());
  }
  return content;
}

}  // namespace

absl::StatusOr<std::vector<CsvRecord>> ParseCsv(absl::string_view content, char delimiter) {
  content = StripBom(content);
  {
    int line = 1;
    size_t begin = 0;
    while (begin <= content.size()) {
      size_t end = content.find('\n', begin);
      if (end == absl::string_view::npos) {
        end = content.size();
      }
      if (!IsValidUtf8(content.substr(begin, end - begin))) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "dòng %d: tệp không phải văn bản UTF-8 (hãy lưu lại dưới dạng \"CSV UTF-8\")", line));
      }
      ++line;
      begin = end + 1;
    }
  }

  std::vector<CsvRecord> records;
  CsvRecord record;
  std::string field;
  bool field_quoted = false;  // the current field started with a quote (and was closed)
  int line = 1;
  record.line = 1;

  const auto end_record = [&]() {
    record.fields.push_back(std::move(field));
    field.clear();
    const bool blank = record.fields.size() == 1 && record.fields[0].empty() && !field_quoted;
    if (!blank) {
      records.push_back(std::move(record));
    }
    field_quoted = false;
    record = CsvRecord();
  };

  size_t i = 0;
  while (i < content.size()) {
    const char c = content[i];
    if (c == '"' && field.empty() && !field_quoted) {
      // A quoted field: read to the closing quote.
      const int start_line = line;
      ++i;
      bool closed = false;
      while (i < content.size()) {
        const char q = content[i];
        if (q == '"') {
          if (i + 1 < content.size() && content[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          closed = true;
          break;
        }
        if (q == '\n') {
          ++line;
        }
        field.push_back(q);
        ++i;
      }
      if (!closed) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "dòng %d: dấu ngoặc kép (\") mở đầu trường không được đóng", start_line));
      }
      field_quoted = true;
      if (i < content.size() && content[i] != delimiter && content[i] != '\n' &&
          content[i] != '\r') {
        return absl::InvalidArgumentError(
            absl::StrFormat("dòng %d: có ký tự sau dấu ngoặc kép đóng trường; trường có dấu ngoặc "
                            "kép phải được bao trọn trong ngoặc kép",
                            line));
      }
      continue;
    }
    if (c == delimiter) {
      record.fields.push_back(std::move(field));
      field.clear();
      field_quoted = false;
      ++i;
      continue;
    }
    if (c == '\r' || c == '\n') {
      end_record();
      if (c == '\r' && i + 1 < content.size() && content[i + 1] == '\n') {
        ++i;
      }
      ++i;
      ++line;
      record.line = line;
      continue;
    }
    if (field_quoted) {
      // Unreachable: text after a closing quote is rejected above.
      return absl::InvalidArgumentError(
          absl::StrFormat("dòng %d: có ký tự sau dấu ngoặc kép đóng trường", line));
    }
    field.push_back(c);
    ++i;
  }
  if (!field.empty() || field_quoted || !record.fields.empty()) {
    end_record();
  }
  return records;
}

char GuessCsvDelimiter(absl::string_view content) {
  content = StripBom(content);
  bool in_quotes = false;
  bool semicolon = false;
  for (const char c : content) {
    if (c == '"') {
      in_quotes = !in_quotes;
    } else if (!in_quotes && (c == '\n' || c == '\r')) {
      break;
    } else if (!in_quotes && c == ',') {
      return ',';
    } else if (!in_quotes && c == ';') {
      semicolon = true;
    }
  }
  return semicolon ? ';' : ',';
}

}  // namespace ntm::ntmctl
