#include "services/assessment/api/convert.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/time_util.h"
#include "services/common/status.h"

namespace ntm::assessment::api {
namespace {

using google::protobuf::util::TimeUtil;

bool AllDigits(absl::string_view s) {
  return !s.empty() && s.size() <= 16 && std::all_of(s.begin(), s.end(), [](char c) {
    return absl::ascii_isdigit(static_cast<unsigned char>(c));
  });
}

bool IsId(absl::string_view s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
    return absl::ascii_islower(static_cast<unsigned char>(c)) ||
           absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '-';
  });
}

bool IsIndicatorCode(absl::string_view s) {
  return !s.empty() && s.size() <= 16 && std::all_of(s.begin(), s.end(), [](char c) {
    return absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '.';
  });
}

void SetTime(absl::Time t, google::protobuf::Timestamp* out) {
  const int64_t micros = absl::ToUnixMicros(t);
  out->set_seconds(micros / 1000000);
  out->set_nanos(static_cast<int32_t>(micros % 1000000) * 1000);
}

// Sets the timestamp only when there is one: an unset time stays absent, never 1970.
template <typename Mutable>
void SetOptTime(const std::optional<absl::Time>& t, Mutable mutable_field) {
  if (t.has_value()) {
    SetTime(*t, mutable_field());
  }
}

pb::Measure ToProto(Measure m) { return static_cast<pb::Measure>(static_cast<int>(m) + 1); }

pb::ReviewState ToProto(ReviewState s) {
  switch (s) {
    case ReviewState::kPending:
      return pb::REVIEW_STATE_PENDING;
    case ReviewState::kConfirmed:
      return pb::REVIEW_STATE_CONFIRMED;
    case ReviewState::kDisputed:
      return pb::REVIEW_STATE_DISPUTED;
    case ReviewState::kNoOwner:
      return pb::REVIEW_STATE_NO_OWNER;
  }
  return pb::REVIEW_STATE_UNSPECIFIED;
}

pb::AssessmentState ToProto(AssessmentState s) {
  return s == AssessmentState::kDraft ? pb::ASSESSMENT_STATE_DRAFT : pb::ASSESSMENT_STATE_SUBMITTED;
}

void ToProto(const IndicatorValue& v, pb::IndicatorValue* out) {
  out->set_indicator_code(v.indicator_code);
  switch (v.value.kind) {
    case Value::Kind::kBoolean:
      out->set_boolean_value(v.value.boolean);
      break;
    case Value::Kind::kNumber:
      out->set_number_value(FromDecimal4(v.value.number));
      break;
    case Value::Kind::kCount:
      out->set_count_value(v.value.count);
      break;
  }
  out->set_note(v.note);
  out->set_evidence(v.evidence);
  out->set_source(v.source == ValueSource::kCommune ? pb::VALUE_SOURCE_COMMUNE
                                                    : pb::VALUE_SOURCE_AGENCY);
  out->set_supplied_by(v.supplied_by);
  out->set_agency(v.agency_id.empty() ? "" : AgencyName(v.agency_id));
  SetTime(v.update_time, out->mutable_update_time());
}

}  // namespace

absl::StatusOr<std::string> ParseCriteriaSetName(absl::string_view field, absl::string_view name) {
  absl::string_view rest = name;
  if (!absl::ConsumePrefix(&rest, "criteriaSets/") || !IsId(rest)) {
    return InvalidField(field, absl::StrCat("'", name,
                                            "' is not a criteria set name like "
                                            "\"criteriaSets/lai-chau-2022\""));
  }
  return std::string(rest);
}

absl::StatusOr<std::pair<std::string, std::string>> ParseIndicatorName(absl::string_view field,
                                                                       absl::string_view name) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 4 || parts[0] != "criteriaSets" || !IsId(parts[1]) ||
      parts[2] != "indicators" || !IsIndicatorCode(parts[3])) {
    return InvalidField(field, absl::StrCat("'", name,
                                            "' is not an indicator name like "
                                            "\"criteriaSets/lai-chau-2022/indicators/17.11\""));
  }
  return std::make_pair(std::string(parts[1]), std::string(parts[3]));
}

absl::StatusOr<AssessmentKey> ParseAssessmentName(absl::string_view field, absl::string_view name) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 4 || parts[0] != "units" || !AllDigits(parts[1]) ||
      parts[2] != "assessments") {
    return InvalidField(field, absl::StrCat("'", name,
                                            "' is not an assessment name like "
                                            "\"units/03424/assessments/2023-12-31\""));
  }
  NTM_ASSIGN_OR_RETURN(absl::CivilDay day, ParseDate(field, parts[3]));
  return AssessmentKey{std::string(parts[1]), day};
}

absl::StatusOr<std::string> ParseAgencyName(absl::string_view field, absl::string_view name) {
  absl::string_view rest = name;
  if (!absl::ConsumePrefix(&rest, "agencies/") || !IsId(rest)) {
    return InvalidField(field, absl::StrCat("'", name,
                                            "' is not an agency name like "
                                            "\"agencies/tam-duong-yte\""));
  }
  return std::string(rest);
}

std::string UnitName(absl::string_view code) { return absl::StrCat("units/", code); }
std::string CriteriaSetName(absl::string_view id) { return absl::StrCat("criteriaSets/", id); }
std::string AgencyName(absl::string_view id) { return absl::StrCat("agencies/", id); }
std::string AssessmentName(const AssessmentKey& key) {
  return absl::StrCat("units/", key.unit_code, "/assessments/", FormatDate(key.as_of));
}

std::string RequestHash(const google::protobuf::Message& request) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    request.SerializeToCodedStream(&coded);
  }
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return absl::StrFormat("%016x", h);
}

Actor ActorFrom(const Caller& caller) {
  Actor a;
  a.principal = caller.principal;
  absl::string_view agency = caller.agency;
  absl::ConsumePrefix(&agency, "agencies/");
  a.agency_id = std::string(agency);
  return a;
}

pb::ThresholdStatus ToProto(ThresholdStatus s) {
  return static_cast<pb::ThresholdStatus>(static_cast<int>(s) + 1);
}

absl::StatusOr<ThresholdStatus> FromProto(pb::ThresholdStatus s, absl::string_view field) {
  if (s == pb::THRESHOLD_STATUS_UNSPECIFIED) {
    return ThresholdStatus::kOfficial;  // a value set without a status is official
  }
  if (s < pb::THRESHOLD_STATUS_NOT_SET || s > pb::THRESHOLD_STATUS_DEMO) {
    return InvalidField(field, "unknown threshold status");
  }
  return static_cast<ThresholdStatus>(static_cast<int>(s) - 1);
}

pb::IndicatorResult ToProto(IndicatorResult r) {
  switch (r) {
    case IndicatorResult::kMet:
      return pb::INDICATOR_RESULT_MET;
    case IndicatorResult::kNotMet:
      return pb::INDICATOR_RESULT_NOT_MET;
    case IndicatorResult::kNoData:
      return pb::INDICATOR_RESULT_NO_DATA;
    case IndicatorResult::kThresholdNotSet:
      return pb::INDICATOR_RESULT_THRESHOLD_NOT_SET;
  }
  return pb::INDICATOR_RESULT_UNSPECIFIED;
}

pb::CriterionResult ToProto(CriterionResult r) {
  switch (r) {
    case CriterionResult::kMet:
      return pb::CRITERION_RESULT_MET;
    case CriterionResult::kNotMet:
      return pb::CRITERION_RESULT_NOT_MET;
    case CriterionResult::kIncomplete:
      return pb::CRITERION_RESULT_INCOMPLETE;
  }
  return pb::CRITERION_RESULT_UNSPECIFIED;
}

void ToProto(const Indicator& i, absl::string_view set_id, pb::Indicator* out) {
  out->set_name(absl::StrCat("criteriaSets/", set_id, "/indicators/", i.code));
  out->set_code(i.code);
  out->set_criterion_code(i.criterion_code);
  out->set_title_vi(i.title_vi);
  out->set_title_en(i.title_en);
  out->set_measure(ToProto(i.measure));
  out->set_unit(i.unit);
  for (const Threshold& t : i.thresholds) {
    pb::Threshold* pt = out->add_thresholds();
    pt->set_year(t.year);
    if (t.value.has_value()) {
      pt->set_value(FromDecimal4(*t.value));
    }
    pt->set_status(ToProto(t.status));
    pt->set_source(t.source);
    pt->set_updated_by(t.updated_by);
    SetOptTime(t.update_time, [&] { return pt->mutable_update_time(); });
  }
  out->set_wording_source(i.wording_source);
  out->set_wording_verified(i.wording_verified);
  out->set_etag(Etag(i.version));
  out->set_updated_by(i.updated_by);
  SetOptTime(i.update_time, [&] { return out->mutable_update_time(); });
}

void ToProto(const CriteriaSet& set, bool full, pb::CriteriaSet* out) {
  out->set_name(CriteriaSetName(set.id));
  out->set_title(set.title);
  out->set_legal_basis(set.legal_basis);
  out->set_scope_unit(UnitName(set.scope_unit_code));
  out->set_first_year(set.first_year);
  out->set_last_year(set.last_year);
  out->set_about(set.about);
  for (const ContentGroup& g : set.groups) {
    pb::ContentGroup* pg = out->add_groups();
    pg->set_code(g.code);
    pg->set_title_vi(g.title_vi);
    pg->set_title_en(g.title_en);
  }
  out->set_criterion_count(static_cast<int32_t>(set.criteria.size()));
  out->set_indicator_count(static_cast<int32_t>(set.indicators.size()));
  for (const Indicator& i : set.indicators) {
    bool missing = false;
    bool unverified = false;
    const bool numeric = i.measure != Measure::kBoolean && i.measure != Measure::kNoneAllowed;
    for (int year = set.first_year; numeric && year <= set.last_year; ++year) {
      ThresholdInForce t = ThresholdFor(i, year);
      missing = missing || !t.value.has_value();
      unverified = unverified || t.status == ThresholdStatus::kUnverified ||
                   t.status == ThresholdStatus::kDemo;
    }
    if (missing) {
      out->add_missing_threshold_codes(i.code);
    }
    if (unverified) {
      out->add_unverified_threshold_codes(i.code);
    }
    if (!i.wording_verified) {
      out->add_unverified_wording_codes(i.code);
    }
  }
  if (!full) {
    return;
  }
  for (const Criterion& c : set.criteria) {
    pb::Criterion* pc = out->add_criteria();
    pc->set_code(c.code);
    pc->set_title_vi(c.title_vi);
    pc->set_title_en(c.title_en);
    pc->set_group_code(c.group_code);
    for (const Indicator* i : set.IndicatorsOf(c.code)) {
      ToProto(*i, set.id, pc->add_indicators());
    }
  }
}

void ToProto(const Unit& u, pb::Unit* out) {
  out->set_name(UnitName(u.code));
  out->set_code(u.code);
  out->set_display_name(u.display_name);
  out->set_level(static_cast<pb::UnitLevel>(static_cast<int>(u.level)));
  out->set_kind(u.kind);
  out->set_parent(u.parent_code.empty() ? "" : UnitName(u.parent_code));
  out->set_demo(u.demo);
}

void ToProto(const Agency& a, pb::Agency* out) {
  out->set_name(AgencyName(a.id));
  out->set_display_name(a.display_name);
  out->set_unit(UnitName(a.unit_code));
  out->set_standing_office(a.standing_office);
  out->set_demo(a.demo);
}

void ToProto(const OwnershipView& view,
             google::protobuf::RepeatedPtrField<pb::OwnershipAssignment>* assignments,
             google::protobuf::RepeatedPtrField<pb::IndicatorOwner>* owners) {
  for (const OwnershipAssignment& a : view.ownership.assignments) {
    pb::OwnershipAssignment* pa = assignments->Add();
    pa->set_criterion_code(a.criterion_code);
    pa->set_indicator_code(a.indicator_code);
    pa->set_agency(AgencyName(a.agency_id));
    pa->set_demo(a.demo);
    pa->set_updated_by(a.updated_by);
    SetOptTime(a.update_time, [&] { return pa->mutable_update_time(); });
  }
  for (const auto& [indicator, agency] : view.indicator_owners) {
    pb::IndicatorOwner* po = owners->Add();
    po->set_indicator_code(indicator->code);
    po->set_criterion_code(indicator->criterion_code);
    po->set_agency(agency.empty() ? "" : AgencyName(agency));
  }
}

void ToProto(const Assessment& a, const CriteriaSet* order, bool with_content,
             pb::Assessment* out) {
  out->set_name(AssessmentName({a.unit_code, a.as_of}));
  out->set_unit(UnitName(a.unit_code));
  out->set_as_of_date(FormatDate(a.as_of));
  out->set_criteria_set(CriteriaSetName(a.criteria_set_id));
  out->set_state(ToProto(a.state));
  out->set_etag(Etag(a.version));
  out->set_created_by(a.created_by);
  SetTime(a.create_time, out->mutable_create_time());
  SetTime(a.update_time, out->mutable_update_time());
  out->set_submitted_by(a.submitted_by);
  SetOptTime(a.submit_time, [&] { return out->mutable_submit_time(); });
  if (!with_content) {
    return;
  }
  if (order != nullptr) {
    for (const Indicator& i : order->indicators) {
      if (const IndicatorValue* v = a.FindValue(i.code); v != nullptr) {
        ToProto(*v, out->add_values());
      }
    }
  } else {
    for (const IndicatorValue& v : a.values) {
      ToProto(v, out->add_values());
    }
  }
  for (const Review& r : a.reviews) {
    pb::CriterionReview* pr = out->add_reviews();
    pr->set_criterion_code(r.criterion_code);
    pr->set_agency(AgencyName(r.agency_id));
    pr->set_verdict(r.verdict == Verdict::kConfirmed ? pb::REVIEW_VERDICT_CONFIRMED
                                                     : pb::REVIEW_VERDICT_DISPUTED);
    pr->set_reason(r.reason);
    pr->set_reviewer(r.reviewer);
    SetTime(r.time, pr->mutable_review_time());
  }
  for (const Event& e : a.history) {
    pb::AssessmentEvent* pe = out->add_history();
    pe->set_action(e.action);
    pe->set_actor(e.actor);
    pe->set_agency(e.agency_id.empty() ? "" : AgencyName(e.agency_id));
    SetTime(e.time, pe->mutable_time());
    pe->set_detail(e.detail);
  }
}

void ToProto(const CommuneStanding& s, pb::CommuneStatus* out) {
  out->set_unit(UnitName(s.unit.code));
  out->set_unit_display_name(s.unit.display_name);
  out->set_assessment(AssessmentName({s.assessment.unit_code, s.assessment.as_of}));
  out->set_as_of_date(FormatDate(s.assessment.as_of));
  out->set_state(ToProto(s.assessment.state));
  out->set_criteria_set(CriteriaSetName(s.set->id));
  for (const CriterionOutcome& c : s.standing.criteria) {
    pb::CriterionStatus* pc = out->add_criteria();
    pc->set_criterion_code(c.criterion->code);
    pc->set_title_vi(c.criterion->title_vi);
    pc->set_group_code(c.criterion->group_code);
    pc->set_result(ToProto(c.result));
    pc->set_indicators_met(c.indicators_met);
    pc->set_indicators_total(c.indicators_total);
    pc->set_review_state(ToProto(c.review));
  }
  for (const IndicatorOutcome& o : s.standing.indicators) {
    pb::IndicatorStatus* pi = out->add_indicators();
    pi->set_indicator_code(o.indicator->code);
    pi->set_criterion_code(o.indicator->criterion_code);
    pi->set_title_vi(o.indicator->title_vi);
    pi->set_measure(ToProto(o.indicator->measure));
    pi->set_unit(o.indicator->unit);
    pi->set_result(ToProto(o.result));
    if (o.value != nullptr) {
      ToProto(*o.value, pi->mutable_value());
    }
    if (o.threshold.value.has_value()) {
      pi->set_threshold(FromDecimal4(*o.threshold.value));
    }
    pi->set_threshold_status(ToProto(o.threshold.status));
  }
  out->set_criteria_met(s.standing.criteria_met);
  out->set_criteria_total(s.standing.criteria_total);
  out->set_ntm_standard_reached(s.standing.standard_reached);
  out->set_uses_demo_thresholds(s.standing.uses_demo_thresholds);
}

void ToProto(const DistrictMatrixView& m, pb::GetDistrictMatrixResponse* out) {
  out->set_unit(UnitName(m.unit.code));
  out->set_as_of_date(FormatDate(m.as_of));
  out->set_uses_demo_thresholds(m.uses_demo_thresholds);
  if (m.set == nullptr) {
    for (const MatrixRowView& r : m.rows) {
      pb::MatrixRow* pr = out->add_rows();
      pr->set_unit(UnitName(r.unit.code));
      pr->set_unit_display_name(r.unit.display_name);
    }
    return;
  }
  out->set_criteria_set(CriteriaSetName(m.set->id));
  for (const Criterion& c : m.set->criteria) {
    out->add_criterion_codes(c.code);
  }
  for (const MatrixRowView& r : m.rows) {
    pb::MatrixRow* pr = out->add_rows();
    pr->set_unit(UnitName(r.unit.code));
    pr->set_unit_display_name(r.unit.display_name);
    if (!r.assessment.has_value()) {
      for (size_t i = 0; i < m.set->criteria.size(); ++i) {
        pr->add_cells(pb::CRITERION_RESULT_UNSPECIFIED);
      }
      continue;
    }
    pr->set_assessment(AssessmentName({r.assessment->unit_code, r.assessment->as_of}));
    pr->set_state(ToProto(r.assessment->state));
    for (const CriterionOutcome& c : r.standing->criteria) {
      pr->add_cells(ToProto(c.result));
    }
    pr->set_criteria_met(r.standing->criteria_met);
    pr->set_ntm_standard_reached(r.standing->standard_reached);
  }
  for (size_t i = 0; i < m.set->indicators.size(); ++i) {
    const Indicator& ind = m.set->indicators[i];
    pb::IndicatorGap* gap = out->add_gaps();
    gap->set_indicator_code(ind.code);
    gap->set_title_vi(ind.title_vi);
    for (const MatrixRowView& r : m.rows) {
      if (!r.standing.has_value()) {
        continue;
      }
      const IndicatorResult res = r.standing->indicators[i].result;
      if (res == IndicatorResult::kNotMet || res == IndicatorResult::kThresholdNotSet) {
        gap->add_units_not_met(UnitName(r.unit.code));
      } else if (res == IndicatorResult::kNoData) {
        gap->add_units_no_data(UnitName(r.unit.code));
      }
    }
  }
}

absl::StatusOr<ValueInput> FromProto(const pb::IndicatorValue& v, absl::string_view field) {
  ValueInput in;
  in.indicator_code = v.indicator_code();
  in.note = v.note();
  in.evidence = v.evidence();
  switch (v.value_case()) {
    case pb::IndicatorValue::kBooleanValue:
      in.value = Value::Boolean(v.boolean_value());
      break;
    case pb::IndicatorValue::kNumberValue: {
      NTM_ASSIGN_OR_RETURN(Decimal4 d,
                           ToDecimal4(absl::StrCat(field, ".number_value"), v.number_value()));
      in.value = Value::Number(d);
      break;
    }
    case pb::IndicatorValue::kCountValue:
      in.value = Value::Count(v.count_value());
      break;
    case pb::IndicatorValue::VALUE_NOT_SET:
      break;
  }
  return in;
}

absl::StatusOr<std::optional<UnitLevel>> FromProto(pb::UnitLevel level, absl::string_view field) {
  if (level == pb::UNIT_LEVEL_UNSPECIFIED) {
    return std::optional<UnitLevel>();
  }
  if (level < pb::UNIT_LEVEL_PROVINCE || level > pb::UNIT_LEVEL_VILLAGE) {
    return InvalidField(field, "unknown level");
  }
  return std::optional<UnitLevel>(static_cast<UnitLevel>(static_cast<int>(level)));
}

}  // namespace ntm::assessment::api
