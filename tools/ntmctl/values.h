// Indicator values as people write them (in a CSV file or on the command line), converted to the
// kind of value each indicator's measure takes.
#ifndef NTM_TOOLS_NTMCTL_VALUES_H_
#define NTM_TOOLS_NTMCTL_VALUES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ntm/assessment/v1/assessment.pb.h"
#include "ntm/assessment/v1/catalog.pb.h"

namespace ntm::ntmctl {

// A yes/no answer: true for "đạt", "có", "yes", "true", "1"; false for "không đạt", "chưa đạt",
// "không", "no", "false", "0". Case and Vietnamese diacritics do not matter ("ĐẠT", "Dat",
// decomposed "đạt" all match). INVALID_ARGUMENT for anything else.
absl::StatusOr<bool> ParseYesNo(absl::string_view text);

// A decimal number written with "." or "," as the decimal mark ("95", "95.5", "95,5"), optionally
// signed. Thousands separators are refused: "1.234,5" is ambiguous. INVALID_ARGUMENT otherwise.
absl::StatusOr<double> ParseDecimal(absl::string_view text);

// A non-negative whole number ("0", "12"). INVALID_ARGUMENT otherwise.
absl::StatusOr<int64_t> ParseCount(absl::string_view text);

// Sets the value of `out` from `text` by `measure`: boolean_value for MEASURE_BOOLEAN; number_value
// for percentages (0–100, a trailing "%" allowed) and amounts (non-negative); count_value for
// MEASURE_NONE_ALLOWED and MEASURE_COUNT_AT_LEAST. INVALID_ARGUMENT with a message in Vietnamese
// that says what was expected.
absl::Status SetValueFromText(assessment::v1::Measure measure, absl::string_view text,
                              assessment::v1::IndicatorValue* out);

// One data row of a values CSV file.
struct ValueRow {
  int line = 0;  // the file's line the row starts on
  std::string indicator_code;
  std::string value;
  std::string note;
  std::string evidence;
};

// Reads a values CSV file: a header row naming the columns indicator_code and value, and optionally
// note and evidence (any order, as `indicator_code,value,note,evidence`), then one row per value.
// Rows whose cells are all empty are skipped. INVALID_ARGUMENT listing every problem, one per line,
// each as "dòng N: ...".
absl::StatusOr<std::vector<ValueRow>> ReadValuesCsv(absl::string_view content);

// Converts rows to indicator values by the measures of `criteria_set` (FULL view). All or nothing:
// INVALID_ARGUMENT listing every bad row ("dòng N: ..." per line) — unknown indicator, an indicator
// given twice, a missing or malformed value.
absl::StatusOr<std::vector<assessment::v1::IndicatorValue>> ConvertValueRows(
    const std::vector<ValueRow>& rows, const assessment::v1::CriteriaSet& criteria_set);

// True when every value of `values` is already stored in `assessment` as given: the same kind and
// value (numbers to the 4 decimals the service stores), note and evidence. Re-sending them would
// change nothing but their provenance.
bool AllValuesStored(const std::vector<assessment::v1::IndicatorValue>& values,
                     const assessment::v1::Assessment& assessment);

}  // namespace ntm::ntmctl

#endif  // NTM_TOOLS_NTMCTL_VALUES_H_
