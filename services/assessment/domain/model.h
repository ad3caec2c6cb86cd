// The assessment service's domain: criteria sets, the unit directory, ownership and commune
// assessments, as plain values that know neither gRPC nor SQL.
#ifndef NTM_SERVICES_ASSESSMENT_DOMAIN_MODEL_H_
#define NTM_SERVICES_ASSESSMENT_DOMAIN_MODEL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace ntm::assessment {

// Numbers (percentages, amounts, thresholds) are fixed-point with four decimal places, so that a
// value exactly at a threshold compares equal: 95.5 is stored as 955000.
using Decimal4 = int64_t;
inline constexpr int64_t kDecimalScale = 10000;

enum class Measure {
  kBoolean,
  kNoneAllowed,
  kPercentAtLeast,
  kPercentAtMost,
  kAmountAtLeast,
  kCountAtLeast
};
enum class ThresholdStatus { kNotSet, kImplicit, kUnverified, kOfficial, kDemo };

struct Threshold {
  int year = 0;  // 0: every year of the edition without a year-specific threshold
  std::optional<Decimal4> value;
  ThresholdStatus status = ThresholdStatus::kNotSet;
  std::string source;
  std::string updated_by;
  std::optional<absl::Time> update_time;
};

struct Indicator {
  std::string code;
  std::string criterion_code;
  std::string title_vi;
  std::string title_en;
  Measure measure = Measure::kBoolean;
  std::string unit;
  std::vector<Threshold> thresholds;
  std::string wording_source;
  bool wording_verified = false;
  int64_t version = 1;
  std::string updated_by;
  std::optional<absl::Time> update_time;
};

struct Criterion {
  std::string code;
  std::string title_vi;
  std::string title_en;
  int group_code = 0;
};

struct ContentGroup {
  int code = 0;
  std::string title_vi;
  std::string title_en;
};

struct CriteriaSet {
  std::string id;
  std::string title;
  std::string legal_basis;
  std::string scope_unit_code;
  int first_year = 0;
  int last_year = 0;
  std::string about;
  int64_t version = 1;  // bumped by every change of the set's content
  std::vector<ContentGroup> groups;
  std::vector<Criterion> criteria;    // catalog order
  std::vector<Indicator> indicators;  // catalog order

  const Indicator* FindIndicator(absl::string_view code) const;
  const Criterion* FindCriterion(absl::string_view code) const;
  std::vector<const Indicator*> IndicatorsOf(absl::string_view criterion_code) const;
};

enum class UnitLevel { kProvince = 1, kDistrict = 2, kCommune = 3, kVillage = 4 };

struct Unit {
  std::string code;
  std::string display_name;
  UnitLevel level = UnitLevel::kCommune;
  std::string kind;
  std::string parent_code;
  bool demo = false;
  std::string note;
};

struct Agency {
  std::string id;
  std::string display_name;
  std::string unit_code;
  bool standing_office = false;
  bool demo = false;
};

struct OwnershipAssignment {
  std::string criterion_code;
  std::string indicator_code;  // empty: the criterion's default owner
  std::string agency_id;       // empty in a change: remove the assignment
  bool demo = false;
  std::string updated_by;
  std::optional<absl::Time> update_time;
};

// The ownership of one criteria set in one unit (a district, or a province without districts).
struct Ownership {
  std::string unit_code;
  std::string criteria_set_id;
  std::vector<OwnershipAssignment> assignments;
  int64_t version = 0;  // 0: nothing assigned yet

  // The indicator's own owner, else its criterion's default; empty when nobody owns it.
  std::string OwnerOf(const Indicator& indicator) const;
};

enum class AssessmentState { kDraft, kSubmitted };
enum class ValueSource { kCommune, kAgency };

struct Value {
  enum class Kind { kBoolean, kNumber, kCount };
  Kind kind = Kind::kBoolean;
  bool boolean = false;
  Decimal4 number = 0;
  int64_t count = 0;

  static Value Boolean(bool b) { return {Kind::kBoolean, b, 0, 0}; }
  static Value Number(Decimal4 n) { return {Kind::kNumber, false, n, 0}; }
  static Value Count(int64_t c) { return {Kind::kCount, false, 0, c}; }
  bool operator==(const Value&) const = default;
};

struct IndicatorValue {
  std::string indicator_code;
  Value value;
  std::string note;
  std::string evidence;
  ValueSource source = ValueSource::kCommune;
  std::string supplied_by;
  std::string agency_id;
  absl::Time update_time;
};

enum class Verdict { kConfirmed, kDisputed };

struct Review {
  std::string criterion_code;
  std::string agency_id;
  Verdict verdict = Verdict::kConfirmed;
  std::string reason;
  std::string reviewer;
  absl::Time time;
};

struct Event {
  std::string action;
  std::string actor;
  std::string agency_id;
  absl::Time time;
  std::string detail;
};

struct AssessmentKey {
  std::string unit_code;
  absl::CivilDay as_of;
};

struct Assessment {
  int64_t id = 0;
  std::string unit_code;
  absl::CivilDay as_of;
  std::string criteria_set_id;
  AssessmentState state = AssessmentState::kDraft;
  std::vector<IndicatorValue> values;
  std::vector<Review> reviews;
  int64_t version = 1;
  std::string created_by;
  absl::Time create_time;
  absl::Time update_time;
  std::string submitted_by;
  std::optional<absl::Time> submit_time;
  std::vector<Event> history;

  const IndicatorValue* FindValue(absl::string_view indicator_code) const;
};

// A change to an assessment decided by the rules, applied by the store in one transaction.
struct AssessmentChange {
  std::vector<IndicatorValue> upsert_values;
  std::optional<Review> review;
  std::optional<AssessmentState> new_state;
  std::string submitted_by;
  Event event;
};

}  // namespace ntm::assessment

#endif  // NTM_SERVICES_ASSESSMENT_DOMAIN_MODEL_H_
