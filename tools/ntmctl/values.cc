#include "tools/ntmctl/values.h"

#include <charconv>
#include <cmath>
#include <map>
#include <string>
#include <system_error>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "tools/ntmctl/csv.h"
#include "tools/ntmctl/text.h"

namespace ntm::ntmctl {
namespace {

using assessment::v1::CriteriaSet;
using assessment::v1::Criterion;
using assessment::v1::Indicator;
using assessment::v1::IndicatorValue;
using assessment::v1::Measure;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

constexpr absl::string_view kColumns[] = {"indicator_code", "value", "note", "evidence"};

}  // namespace

absl::StatusOr<bool> ParseYesNo(absl::string_view text) {
  const std::string key = FoldVi(text);
  for (const absl::string_view yes : {"dat", "co", "yes", "true", "1"}) {
    if (key == yes) {
      return true;
    }
  }
  for (const absl::string_view no : {"khong dat", "chua dat", "khong", "no", "false", "0"}) {
    if (key == no) {
      return false;
    }
  }
  return absl::InvalidArgumentError(absl::StrFormat(
      "\"%s\" không phải Đạt/Không đạt (dùng: đạt, có, 1 hoặc không đạt, chưa đạt, không, 0)",
      TrimSpace(text)));
}

absl::StatusOr<double> ParseDecimal(absl::string_view text) {
  const absl::string_view trimmed = TrimSpace(text);
  const auto malformed = [&](absl::string_view hint) {
    return absl::InvalidArgumentError(absl::StrFormat("\"%s\" không phải là số%s", trimmed, hint));
  };
  absl::string_view digits = trimmed;
  bool negative = false;
  if (!digits.empty() && (digits.front() == '-' || digits.front() == '+')) {
    negative = digits.front() == '-';
    digits.remove_prefix(1);
  }
  int separators = 0;
  int digit_count = 0;
  for (const char c : digits) {
    if (IsDigit(c)) {
      ++digit_count;
    } else if (c == '.' || c == ',') {
      ++separators;
    } else {
      return malformed(" (ví dụ: 95 hoặc 95,5)");
    }
  }
  if (digit_count == 0) {
    return malformed(" (ví dụ: 95 hoặc 95,5)");
  }
  if (separators > 1) {
    return malformed(" (chỉ dùng một dấu thập phân, không dùng dấu phân cách hàng nghìn)");
  }
  std::string normalized = absl::StrReplaceAll(digits, {{",", "."}});
  if (normalized.front() == '.') {
    normalized.insert(normalized.begin(), '0');
  }
  double value = 0;
  const auto [end, error] =
      std::from_chars(normalized.data(), normalized.data() + normalized.size(), value);
  if (error != std::errc() || end != normalized.data() + normalized.size() ||
      !std::isfinite(value)) {
    return malformed("");
  }
  return negative ? -value : value;
}

absl::StatusOr<int64_t> ParseCount(absl::string_view text) {
  const absl::string_view trimmed = TrimSpace(text);
  absl::string_view digits = trimmed;
  if (!digits.empty() && digits.front() == '+') {
    digits.remove_prefix(1);
  }
  int64_t value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || !IsDigit(digits.front()) || error != std::errc() ||
      end != digits.data() + digits.size()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("\"%s\" không phải số nguyên không âm (ví dụ: 0, 3)", trimmed));
  }
  return value;
}

absl::Status SetValueFromText(Measure measure, absl::string_view text, IndicatorValue* out) {
  switch (measure) {
    case assessment::v1::MEASURE_BOOLEAN: {
      absl::StatusOr<bool> yes = ParseYesNo(text);
      if (!yes.ok()) {
        return yes.status();
      }
      out->set_boolean_value(*yes);
      return absl::OkStatus();
    }
    case assessment::v1::MEASURE_PERCENT_AT_LEAST:
    case assessment::v1::MEASURE_PERCENT_AT_MOST: {
      absl::string_view number = TrimSpace(text);
      if (!number.empty() && number.back() == '%') {
        number.remove_suffix(1);
      }
      absl::StatusOr<double> value = ParseDecimal(number);
      if (!value.ok()) {
        return value.status();
      }
      if (*value < 0 || *value > 100) {
        return absl::InvalidArgumentError(
            absl::StrFormat("tỷ lệ %s%% nằm ngoài khoảng 0–100", FormatNumber(*value)));
      }
      out->set_number_value(*value);
      return absl::OkStatus();
    }
    case assessment::v1::MEASURE_AMOUNT_AT_LEAST: {
      absl::StatusOr<double> value = ParseDecimal(text);
      if (!value.ok()) {
        return value.status();
      }
      if (*value < 0) {
        return absl::InvalidArgumentError(
            absl::StrFormat("%s là số âm; giá trị phải từ 0 trở lên", FormatNumber(*value)));
      }
      out->set_number_value(*value);
      return absl::OkStatus();
    }
    case assessment::v1::MEASURE_NONE_ALLOWED:
    case assessment::v1::MEASURE_COUNT_AT_LEAST: {
      absl::StatusOr<int64_t> count = ParseCount(text);
      if (!count.ok()) {
        return count.status();
      }
      out->set_count_value(*count);
      return absl::OkStatus();
    }
    default:
      return absl::InvalidArgumentError(absl::StrFormat(
          "chỉ tiêu có cách đo không rõ (%d); hãy cập nhật ntmctl", static_cast<int>(measure)));
  }
}

absl::StatusOr<std::vector<ValueRow>> ReadValuesCsv(absl::string_view content) {
  const char delimiter = GuessCsvDelimiter(content);
  absl::StatusOr<std::vector<CsvRecord>> records = ParseCsv(content, delimiter);
  if (!records.ok()) {
    return records.status();
  }
  const std::string expected_header = absl::StrJoin(kColumns, ",");
  if (records->empty()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("tệp trống: cần dòng tiêu đề %s và các dòng giá trị", expected_header));
  }

  // Column positions, -1 when absent.
  std::map<absl::string_view, int> position;
  for (const absl::string_view column : kColumns) {
    position[column] = -1;
  }
  const CsvRecord& header = records->front();
  std::vector<std::string> errors;
  for (size_t i = 0; i < header.fields.size(); ++i) {
    const std::string name = absl::AsciiStrToLower(TrimSpace(header.fields[i]));
    const auto it = position.find(name);
    if (it == position.end()) {
      errors.push_back(absl::StrFormat("dòng %d: cột không rõ \"%s\" (tiêu đề cần là %s)",
                                       header.line, header.fields[i], expected_header));
    } else if (it->second >= 0) {
      errors.push_back(absl::StrFormat("dòng %d: cột \"%s\" có hai lần", header.line, name));
    } else {
      it->second = static_cast<int>(i);
    }
  }
  for (const absl::string_view required : {"indicator_code", "value"}) {
    if (position[required] < 0) {
      errors.push_back(absl::StrFormat("dòng %d: thiếu cột %s (tiêu đề cần là %s)", header.line,
                                       required, expected_header));
    }
  }
  if (!errors.empty()) {
    return absl::InvalidArgumentError(absl::StrJoin(errors, "\n"));
  }

  std::vector<ValueRow> rows;
  for (size_t r = 1; r < records->size(); ++r) {
    const CsvRecord& record = (*records)[r];
    bool all_empty = true;
    for (const std::string& field : record.fields) {
      if (!TrimSpace(field).empty()) {
        all_empty = false;
        break;
      }
    }
    if (all_empty) {
      continue;
    }
    if (record.fields.size() > header.fields.size()) {
      errors.push_back(absl::StrFormat(
          "dòng %d: có %d cột, nhiều hơn dòng tiêu đề (%d cột)%s", record.line,
          record.fields.size(), header.fields.size(),
          delimiter == ',' ? "; số có dấu phẩy thập phân phải đặt trong ngoặc kép, ví dụ \"95,5\""
                           : ""));
      continue;
    }
    const auto cell = [&](absl::string_view column) -> std::string {
      const int at = position[column];
      if (at < 0 || static_cast<size_t>(at) >= record.fields.size()) {
        return "";
      }
      return std::string(TrimSpace(record.fields[static_cast<size_t>(at)]));
    };
    rows.push_back(ValueRow{.line = record.line,
                            .indicator_code = cell("indicator_code"),
                            .value = cell("value"),
                            .note = cell("note"),
                            .evidence = cell("evidence")});
  }
  if (!errors.empty()) {
    return absl::InvalidArgumentError(absl::StrJoin(errors, "\n"));
  }
  if (rows.empty()) {
    return absl::InvalidArgumentError("tệp không có dòng giá trị nào (chỉ có dòng tiêu đề)");
  }
  return rows;
}

absl::StatusOr<std::vector<IndicatorValue>> ConvertValueRows(const std::vector<ValueRow>& rows,
                                                             const CriteriaSet& criteria_set) {
  std::map<std::string, const Indicator*, std::less<>> indicators;
  for (const Criterion& criterion : criteria_set.criteria()) {
    for (const Indicator& indicator : criterion.indicators()) {
      indicators[indicator.code()] = &indicator;
    }
  }

  std::vector<std::string> errors;
  std::map<std::string, int, std::less<>> first_line;
  std::vector<IndicatorValue> values;
  for (const ValueRow& row : rows) {
    if (row.indicator_code.empty()) {
      errors.push_back(absl::StrFormat("dòng %d: thiếu mã chỉ tiêu", row.line));
      continue;
    }
    const auto found = indicators.find(row.indicator_code);
    if (found == indicators.end()) {
      std::string hint;
      const std::string dotted = absl::StrReplaceAll(row.indicator_code, {{",", "."}});
      if (dotted != row.indicator_code && indicators.contains(dotted)) {
        hint = absl::StrFormat(" (có phải \"%s\"?)", dotted);
      }
      errors.push_back(absl::StrFormat("dòng %d: không có chỉ tiêu \"%s\" trong bộ tiêu chí %s%s",
                                       row.line, row.indicator_code, criteria_set.name(), hint));
      continue;
    }
    const auto [previous, inserted] = first_line.emplace(row.indicator_code, row.line);
    if (!inserted) {
      errors.push_back(absl::StrFormat("dòng %d: chỉ tiêu %s đã có ở dòng %d", row.line,
                                       row.indicator_code, previous->second));
      continue;
    }
    if (row.value.empty()) {
      errors.push_back(
          absl::StrFormat("dòng %d: chỉ tiêu %s: thiếu giá trị", row.line, row.indicator_code));
      continue;
    }
    IndicatorValue value;
    value.set_indicator_code(row.indicator_code);
    if (const absl::Status status = SetValueFromText(found->second->measure(), row.value, &value);
        !status.ok()) {
      errors.push_back(absl::StrFormat("dòng %d: chỉ tiêu %s: %s", row.line, row.indicator_code,
                                       status.message()));
      continue;
    }
    value.set_note(row.note);
    value.set_evidence(row.evidence);
    values.push_back(std::move(value));
  }
  if (!errors.empty()) {
    return absl::InvalidArgumentError(absl::StrJoin(errors, "\n"));
  }
  return values;
}

bool AllValuesStored(const std::vector<IndicatorValue>& values,
                     const assessment::v1::Assessment& assessment) {
  std::map<std::string, const IndicatorValue*, std::less<>> stored;
  for (const IndicatorValue& value : assessment.values()) {
    stored[value.indicator_code()] = &value;
  }
  for (const IndicatorValue& value : values) {
    const auto it = stored.find(value.indicator_code());
    if (it == stored.end()) {
      return false;
    }
    const IndicatorValue& old = *it->second;
    if (old.value_case() != value.value_case() || old.note() != value.note() ||
        old.evidence() != value.evidence()) {
      return false;
    }
    switch (value.value_case()) {
      case IndicatorValue::kBooleanValue:
        if (old.boolean_value() != value.boolean_value()) {
          return false;
        }
        break;
      case IndicatorValue::kNumberValue:
        if (std::llround(old.number_value() * 10000) !=
            std::llround(value.number_value() * 10000)) {
          return false;
        }
        break;
      case IndicatorValue::kCountValue:
        if (old.count_value() != value.count_value()) {
          return false;
        }
        break;
      default:
        return false;
    }
  }
  return true;
}

}  // namespace ntm::ntmctl
