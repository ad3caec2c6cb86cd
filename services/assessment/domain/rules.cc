#include "services/assessment/domain/rules.h"

#include <cmath>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/assessment/domain/evaluation.h"
#include "services/common/status.h"

namespace ntm::assessment {
namespace {

constexpr Decimal4 kHundredPercent = 100 * kDecimalScale;
constexpr double kMaxAmount = 1e12;
constexpr int64_t kMaxCount = 1'000'000'000'000;  // keeps count * kDecimalScale in range

absl::string_view MeasureName(Measure m) {
  switch (m) {
    case Measure::kBoolean:
      return "yes/no (boolean_value)";
    case Measure::kNoneAllowed:
      return "none allowed (count_value)";
    case Measure::kPercentAtLeast:
      return "a percentage at least (number_value)";
    case Measure::kPercentAtMost:
      return "a percentage at most (number_value)";
    case Measure::kAmountAtLeast:
      return "an amount at least (number_value)";
    case Measure::kCountAtLeast:
      return "a count at least (count_value)";
  }
  return "unknown";
}

Value::Kind KindFor(Measure m) {
  switch (m) {
    case Measure::kBoolean:
      return Value::Kind::kBoolean;
    case Measure::kNoneAllowed:
    case Measure::kCountAtLeast:
      return Value::Kind::kCount;
    default:
      return Value::Kind::kNumber;
  }
}

absl::string_view KindField(Value::Kind k) {
  switch (k) {
    case Value::Kind::kBoolean:
      return "boolean_value";
    case Value::Kind::kNumber:
      return "number_value";
    case Value::Kind::kCount:
      return "count_value";
  }
  return "value";
}

absl::Status RequireDraft(const Assessment& a) {
  if (a.state != AssessmentState::kDraft) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "assessment of unit %s as of %s is submitted; its values can no longer change", a.unit_code,
        FormatDate(a.as_of)));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view field, absl::string_view text) {
  absl::CivilDay day;
  if (text.size() != 10 || !absl::ParseCivilTime(text, &day) || FormatDate(day) != text) {
    return InvalidField(field, absl::StrCat("'", text, "' is not a date YYYY-MM-DD"));
  }
  if (day.year() < 2000 || day.year() > 2100) {
    return InvalidField(field, absl::StrCat("year ", day.year(), " is outside 2000–2100"));
  }
  return day;
}

std::string FormatDate(absl::CivilDay day) { return absl::FormatCivilTime(day); }

absl::StatusOr<Decimal4> ToDecimal4(absl::string_view field, double value) {
  if (!std::isfinite(value)) {
    return InvalidField(field, "must be a finite number");
  }
  if (std::fabs(value) > kMaxAmount) {
    return InvalidField(field, absl::StrFormat("%g is too large", value));
  }
  return static_cast<Decimal4>(std::llround(value * kDecimalScale));
}

double FromDecimal4(Decimal4 value) { return static_cast<double>(value) / kDecimalScale; }

size_t Utf8Length(absl::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) {
    n += (c & 0xC0) != 0x80 ? 1 : 0;
  }
  return n;
}

absl::Status ValidateValue(const Indicator& indicator, const Value& value,
                           absl::string_view field) {
  const Value::Kind want = KindFor(indicator.measure);
  if (value.kind != want) {
    return InvalidField(
        absl::StrCat(field, ".", KindField(value.kind)),
        absl::StrFormat("indicator %s is measured as %s; give %s instead", indicator.code,
                        MeasureName(indicator.measure), KindField(want)));
  }
  const std::string where = absl::StrCat(field, ".", KindField(want));
  switch (indicator.measure) {
    case Measure::kPercentAtLeast:
    case Measure::kPercentAtMost:
      if (value.number < 0 || value.number > kHundredPercent) {
        return InvalidField(where, absl::StrFormat("%g%% for indicator %s is outside 0–100",
                                                   FromDecimal4(value.number), indicator.code));
      }
      break;
    case Measure::kAmountAtLeast:
      if (value.number < 0) {
        return InvalidField(where, absl::StrFormat("%g for indicator %s is negative",
                                                   FromDecimal4(value.number), indicator.code));
      }
      break;
    case Measure::kNoneAllowed:
    case Measure::kCountAtLeast:
      if (value.count < 0) {
        return InvalidField(
            where, absl::StrFormat("%d for indicator %s is negative", value.count, indicator.code));
      }
      if (value.count > kMaxCount) {
        return InvalidField(where, absl::StrFormat("%d for indicator %s is too large", value.count,
                                                   indicator.code));
      }
      break;
    case Measure::kBoolean:
      break;
  }
  return absl::OkStatus();
}

absl::Status ValidateThresholdValue(const Indicator& indicator, Decimal4 value,
                                    absl::string_view field) {
  switch (indicator.measure) {
    case Measure::kBoolean:
    case Measure::kNoneAllowed:
      return InvalidField(field, absl::StrFormat("indicator %s is %s: its threshold follows from "
                                                 "the wording and takes no value",
                                                 indicator.code, MeasureName(indicator.measure)));
    case Measure::kPercentAtLeast:
    case Measure::kPercentAtMost:
      if (value < 0 || value > kHundredPercent) {
        return InvalidField(field, absl::StrFormat("%g%% is outside 0–100", FromDecimal4(value)));
      }
      return absl::OkStatus();
    case Measure::kAmountAtLeast:
    case Measure::kCountAtLeast:
      if (value < 0) {
        return InvalidField(field, absl::StrFormat("%g is negative", FromDecimal4(value)));
      }
      return absl::OkStatus();
  }
  return absl::OkStatus();
}

std::string Etag(int64_t version) { return absl::StrCat("\"", version, "\""); }

absl::Status CheckEtag(absl::string_view given, int64_t version, absl::string_view what) {
  if (given.empty()) {
    return InvalidField("etag",
                        absl::StrCat("required: pass the etag of the ", what, " as last read"));
  }
  if (given != Etag(version)) {
    return absl::AbortedError(absl::StrFormat(
        "etag: %s was changed since it was read (etag %s, now %s); read it again and retry", what,
        given, Etag(version)));
  }
  return absl::OkStatus();
}

absl::StatusOr<AssessmentChange> DecideSetValues(const CriteriaSet& set, const Ownership& ownership,
                                                 const Assessment& current,
                                                 const std::vector<ValueInput>& inputs,
                                                 absl::string_view etag, const Actor& actor,
                                                 absl::Time now) {
  if (inputs.empty()) {
    return InvalidField("values", "give at least one value");
  }
  AssessmentChange change;
  std::set<std::string> seen;
  std::vector<std::string> codes;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const ValueInput& in = inputs[i];
    const std::string field = absl::StrCat("values[", i, "]");
    const Indicator* indicator = set.FindIndicator(in.indicator_code);
    if (indicator == nullptr) {
      return InvalidField(absl::StrCat(field, ".indicator_code"),
                          absl::StrFormat("'%s' is not an indicator of criteria set %s",
                                          in.indicator_code, set.id));
    }
    if (!seen.insert(in.indicator_code).second) {
      return InvalidField(absl::StrCat(field, ".indicator_code"),
                          absl::StrFormat("indicator %s is given twice", in.indicator_code));
    }
    if (!in.value.has_value()) {
      return InvalidField(absl::StrCat(field, ".value"),
                          absl::StrFormat("no value given for indicator %s", in.indicator_code));
    }
    NTM_RETURN_IF_ERROR(ValidateValue(*indicator, *in.value, field));
    if (Utf8Length(in.note) > kMaxNoteChars) {
      return InvalidField(absl::StrCat(field, ".note"),
                          absl::StrCat("longer than ", kMaxNoteChars, " characters"));
    }
    if (Utf8Length(in.evidence) > kMaxEvidenceChars) {
      return InvalidField(absl::StrCat(field, ".evidence"),
                          absl::StrCat("longer than ", kMaxEvidenceChars, " characters"));
    }
    if (!actor.agency_id.empty()) {
      const std::string owner = ownership.OwnerOf(*indicator);
      if (owner != actor.agency_id) {
        return absl::PermissionDeniedError(absl::StrFormat(
            "%s: agency %s does not own indicator %s in this district (owner: %s); an agency "
            "sets only the indicators it owns",
            field, actor.agency_id, indicator->code, owner.empty() ? "nobody" : owner));
      }
    }
    IndicatorValue v;
    v.indicator_code = in.indicator_code;
    v.value = *in.value;
    v.note = in.note;
    v.evidence = in.evidence;
    v.source = actor.agency_id.empty() ? ValueSource::kCommune : ValueSource::kAgency;
    v.supplied_by = actor.principal;
    v.agency_id = actor.agency_id;
    v.update_time = now;
    change.upsert_values.push_back(std::move(v));
    codes.push_back(in.indicator_code);
  }
  NTM_RETURN_IF_ERROR(RequireDraft(current));
  NTM_RETURN_IF_ERROR(CheckEtag(etag, current.version, "assessment"));
  change.event = {"values_set", actor.principal, actor.agency_id, now,
                  absl::StrCat("indicators ", absl::StrJoin(codes, ", "))};
  return change;
}

absl::StatusOr<AssessmentChange> DecideSubmit(const Assessment& current, absl::string_view etag,
                                              const Actor& actor, absl::Time now) {
  if (current.state != AssessmentState::kDraft) {
    return absl::FailedPreconditionError(
        absl::StrFormat("assessment of unit %s as of %s is already submitted", current.unit_code,
                        FormatDate(current.as_of)));
  }
  NTM_RETURN_IF_ERROR(CheckEtag(etag, current.version, "assessment"));
  AssessmentChange change;
  change.new_state = AssessmentState::kSubmitted;
  change.submitted_by = actor.principal;
  change.event = {"submitted", actor.principal, actor.agency_id, now,
                  absl::StrCat(current.values.size(), " values")};
  return change;
}

absl::StatusOr<AssessmentChange> DecideReview(const CriteriaSet& set, const Ownership& ownership,
                                              const Assessment& current,
                                              absl::string_view criterion_code,
                                              std::optional<Verdict> verdict,
                                              absl::string_view reason, absl::string_view etag,
                                              const Actor& actor, absl::Time now) {
  const Criterion* criterion = set.FindCriterion(criterion_code);
  if (criterion == nullptr) {
    return InvalidField("criterion_code",
                        absl::StrFormat("'%s' is not a criterion of %s", criterion_code, set.id));
  }
  if (!verdict.has_value()) {
    return InvalidField("verdict", "give CONFIRMED or DISPUTED");
  }
  if (*verdict == Verdict::kDisputed && absl::StripAsciiWhitespace(reason).empty()) {
    return InvalidField("reason", "a dispute needs a reason");
  }
  if (Utf8Length(reason) > kMaxReasonChars) {
    return InvalidField("reason", absl::StrCat("longer than ", kMaxReasonChars, " characters"));
  }
  if (actor.agency_id.empty()) {
    return absl::PermissionDeniedError(
        "review: only a steering-committee agency reviews criteria, and the caller acts for none");
  }
  const std::vector<std::string> owners = OwningAgencies(set, ownership, criterion->code);
  if (std::find(owners.begin(), owners.end(), actor.agency_id) == owners.end()) {
    return absl::PermissionDeniedError(absl::StrFormat(
        "review: agency %s owns no indicator of criterion %s in this district (owners: %s)",
        actor.agency_id, criterion->code, owners.empty() ? "nobody" : absl::StrJoin(owners, ", ")));
  }
  if (current.state != AssessmentState::kSubmitted) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "assessment of unit %s as of %s is a draft; criteria are reviewed after submission",
        current.unit_code, FormatDate(current.as_of)));
  }
  NTM_RETURN_IF_ERROR(CheckEtag(etag, current.version, "assessment"));
  AssessmentChange change;
  change.review =
      Review{criterion->code, actor.agency_id, *verdict, std::string(reason), actor.principal, now};
  change.event = {"reviewed", actor.principal, actor.agency_id, now,
                  absl::StrFormat("criterion %s %s%s", criterion->code,
                                  *verdict == Verdict::kConfirmed ? "confirmed" : "disputed",
                                  reason.empty() ? "" : absl::StrCat(": ", reason))};
  return change;
}

}  // namespace ntm::assessment
