// The rules of the assessment lifecycle: what a request may change, given the assessment as it
// stands. Each Decide* function either returns the change to apply or the error to return, and
// never touches storage; the store applies the change in the same transaction it read under.
#ifndef NTM_SERVICES_ASSESSMENT_DOMAIN_RULES_H_
#define NTM_SERVICES_ASSESSMENT_DOMAIN_RULES_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/assessment/domain/model.h"

namespace ntm::assessment {

// Who acts: a principal, and the agency it acts for (empty for a commune officer).
struct Actor {
  std::string principal;
  std::string agency_id;
};

inline constexpr size_t kMaxNoteChars = 2000;
inline constexpr size_t kMaxEvidenceChars = 1000;
inline constexpr size_t kMaxReasonChars = 2000;

// "YYYY-MM-DD" to a civil day; INVALID_ARGUMENT naming `field` otherwise.
absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view field, absl::string_view text);
std::string FormatDate(absl::CivilDay day);

// A double from the API to fixed point; INVALID_ARGUMENT naming `field` for NaN or infinity.
absl::StatusOr<Decimal4> ToDecimal4(absl::string_view field, double value);
double FromDecimal4(Decimal4 value);

// Checks that the value has the kind the indicator's measure takes and lies in its range.
absl::Status ValidateValue(const Indicator& indicator, const Value& value, absl::string_view field);

// Checks a threshold value for the indicator's measure (percentages 0–100, amounts >= 0).
absl::Status ValidateThresholdValue(const Indicator& indicator, Decimal4 value,
                                    absl::string_view field);

// Etags are the version as a quoted string.
std::string Etag(int64_t version);
// INVALID_ARGUMENT when missing, ABORTED when it is not the current version.
absl::Status CheckEtag(absl::string_view given, int64_t version, absl::string_view what);

// UTF-8 characters in `s` (code points).
size_t Utf8Length(absl::string_view s);

struct ValueInput {
  std::string indicator_code;
  std::optional<Value> value;  // nullopt: the request gave none
  std::string note;
  std::string evidence;
};

absl::StatusOr<AssessmentChange> DecideSetValues(const CriteriaSet& set, const Ownership& ownership,
                                                 const Assessment& current,
                                                 const std::vector<ValueInput>& inputs,
                                                 absl::string_view etag, const Actor& actor,
                                                 absl::Time now);

absl::StatusOr<AssessmentChange> DecideSubmit(const Assessment& current, absl::string_view etag,
                                              const Actor& actor, absl::Time now);

absl::StatusOr<AssessmentChange> DecideReview(const CriteriaSet& set, const Ownership& ownership,
                                              const Assessment& current,
                                              absl::string_view criterion_code,
                                              std::optional<Verdict> verdict,
                                              absl::string_view reason, absl::string_view etag,
                                              const Actor& actor, absl::Time now);

}  // namespace ntm::assessment

#endif  // NTM_SERVICES_ASSESSMENT_DOMAIN_RULES_H_
