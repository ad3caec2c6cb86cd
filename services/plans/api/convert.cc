#include "services/plans/api/convert.h"

#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/common/status.h"

namespace ntm::plans::api {
namespace {

pb::Deliverable DeliverableToProto(Deliverable d) {
  return d == Deliverable::kPlan ? pb::DELIVERABLE_PLAN : pb::DELIVERABLE_REGISTRATION;
}

void EventToProto(const PlanEvent& e, pb::PlanEvent* out) {
  out->set_action(e.action);
  out->set_from_state(ToProto(e.from));
  out->set_to_state(ToProto(e.to));
  out->set_actor(e.actor);
  ToTimestamp(e.at, out->mutable_time());
  out->set_reason(e.reason);
}

constexpr int64_t kMaxValue = int64_t{1} << 52;
// No plan of a commune comes near a million billion đồng; beyond it an amount is a typing error.
constexpr int64_t kMaxDong = 1'000'000'000'000'000;
// TIMESTAMP columns hold 1970–2038; deadlines are kept to years the programme can mean.
constexpr int64_t kFirstDeadline = 946684800;  // 2000-01-01T00:00:00Z
constexpr int64_t kLastDeadline = 2145916799;  // 2037-12-31T23:59:59Z

absl::Status CheckDong(const std::string& field, int64_t amount) {
  if (amount > kMaxDong || amount < -kMaxDong) {
    return InvalidField(
        field, absl::StrCat(amount, " đồng is beyond any plan's scale (at most ", kMaxDong, ")"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::pair<std::string, std::string>> ParseDirectiveName(absl::string_view field,
                                                                       absl::string_view name) {
  return ParseChildName(field, name, "directives", "units/106/directives/tam-duong-2024");
}

absl::StatusOr<std::pair<std::string, std::string>> ParsePlanName(absl::string_view field,
                                                                  absl::string_view name) {
  return ParseChildName(field, name, "plans", "units/03424/plans/tam-duong-2024");
}

std::string DirectiveName(absl::string_view issuing_unit_code, absl::string_view id) {
  return absl::StrCat("units/", issuing_unit_code, "/directives/", id);
}

std::string PlanName(absl::string_view unit_code, absl::string_view directive_id) {
  return absl::StrCat("units/", unit_code, "/plans/", directive_id);
}

absl::StatusOr<absl::Time> ParseDeadline(absl::string_view field,
                                         const google::protobuf::Timestamp& ts, bool has) {
  NTM_ASSIGN_OR_RETURN(absl::Time t, ParseTime(field, ts, has));
  if (ts.seconds() < kFirstDeadline || ts.seconds() > kLastDeadline) {
    return InvalidField(field, "a deadline between 2000 and 2037");
  }
  return t;
}

pb::PlanState ToProto(PlanState s) {
  switch (s) {
    case PlanState::kDraft:
      return pb::PLAN_STATE_DRAFT;
    case PlanState::kSubmitted:
      return pb::PLAN_STATE_SUBMITTED;
    case PlanState::kReturned:
      return pb::PLAN_STATE_RETURNED;
    case PlanState::kAccepted:
      return pb::PLAN_STATE_ACCEPTED;
  }
  return pb::PLAN_STATE_UNSPECIFIED;
}

pb::SubmissionStatus ToProto(SubmissionStatus s) {
  switch (s) {
    case SubmissionStatus::kNotStarted:
      return pb::SUBMISSION_STATUS_NOT_STARTED;
    case SubmissionStatus::kDraft:
      return pb::SUBMISSION_STATUS_DRAFT;
    case SubmissionStatus::kSubmittedOnTime:
      return pb::SUBMISSION_STATUS_SUBMITTED_ON_TIME;
    case SubmissionStatus::kSubmittedLate:
      return pb::SUBMISSION_STATUS_SUBMITTED_LATE;
    case SubmissionStatus::kReturned:
      return pb::SUBMISSION_STATUS_RETURNED;
    case SubmissionStatus::kAccepted:
      return pb::SUBMISSION_STATUS_ACCEPTED;
  }
  return pb::SUBMISSION_STATUS_UNSPECIFIED;
}

void ToProto(const Directive& d, pb::Directive* out) {
  out->set_name(DirectiveName(d.issuing_unit_code, d.id));
  out->set_document_number(d.document_number);
  out->set_issue_date(absl::FormatCivilTime(d.issued_on));
  out->set_issuing_unit(absl::StrCat("units/", d.issuing_unit_code));
  out->set_year(d.year);
  ToTimestamp(d.deadline, out->mutable_deadline());
  out->set_deadline_local(LocalTime(d.deadline));
  for (Deliverable x : d.deliverables) {
    out->add_deliverables(DeliverableToProto(x));
  }
  for (const std::string& code : d.focus_indicators) {
    out->add_focus_indicators(code);
  }
  for (const AddressedUnit& u : d.units) {
    pb::AddressedUnit* a = out->add_addressed_units();
    a->set_unit(absl::StrCat("units/", u.unit_code));
    const absl::Time deadline = EffectiveDeadline(d.deadline, u.extended_deadline);
    ToTimestamp(deadline, a->mutable_deadline());
    a->set_deadline_local(LocalTime(deadline));
    a->set_extended(u.extended_deadline.has_value());
    a->set_extension_reason(u.extension_reason);
    a->set_extended_by(u.extended_by);
    if (u.extended_at.has_value()) {
      ToTimestamp(*u.extended_at, a->mutable_extend_time());
    }
  }
  out->set_title(d.title);
  out->set_demo(d.demo);
  out->set_created_by(d.created_by);
  ToTimestamp(d.created_at, out->mutable_create_time());
  out->set_etag(Etag(d.version));
}

void ToProto(const PlanView& v, bool with_history, pb::Plan* out) {
  const Plan& p = v.plan;
  out->set_name(PlanName(p.unit_code, p.directive_id));
  out->set_directive(DirectiveName(v.issuing_unit_code, p.directive_id));
  out->set_unit(absl::StrCat("units/", p.unit_code));
  out->set_unit_display_name(p.unit_display_name);
  out->set_state(ToProto(p.state));
  pb::Baseline* b = out->mutable_baseline();
  b->set_assessment(p.baseline.assessment);
  b->set_criteria_set(p.baseline.criteria_set);
  b->set_criteria_met(p.baseline.criteria_met);
  b->set_criteria_total(p.baseline.criteria_total);
  for (const std::string& code : p.baseline.not_met) {
    b->add_indicators_not_met(code);
  }
  out->set_status_summary(p.content.status_summary);
  for (const Target& t : p.content.targets) {
    pb::Target* o = out->add_targets();
    o->set_indicator_code(t.indicator_code);
    o->set_reach_standard(t.reach_standard);
    if (t.value_fixed4.has_value()) {
      o->set_target_value(static_cast<double>(*t.value_fixed4) / 10000.0);
    }
    o->set_note(t.note);
    o->set_focus(t.focus);
  }
  for (const Task& t : p.content.tasks) {
    pb::Task* o = out->add_tasks();
    o->set_content_group(static_cast<pb::ContentGroup>(static_cast<int>(t.group)));
    o->set_content(t.content);
    o->set_responsible(t.responsible);
    o->set_start_date(absl::FormatCivilTime(t.start));
    o->set_end_date(absl::FormatCivilTime(t.end));
    for (const std::string& code : t.indicator_codes) {
      o->add_indicator_codes(code);
    }
    o->set_cost_dong(t.cost_dong);
  }
  pb::Funding* f = out->mutable_funding();
  f->set_total_dong(p.content.funding.total_dong);
  for (const auto& [group, amount] : p.content.funding.by_group) {
    pb::GroupAmount* g = f->add_by_group();
    g->set_content_group(static_cast<pb::ContentGroup>(static_cast<int>(group)));
    g->set_amount_dong(amount);
  }
  for (const auto& [source, amount] : p.content.funding.by_source) {
    pb::SourceAmount* s = f->add_by_source();
    s->set_source(static_cast<pb::FundingSource>(static_cast<int>(source)));
    s->set_amount_dong(amount);
  }
  out->set_solutions(p.content.solutions);
  out->set_organisation(p.content.organisation);
  ToTimestamp(v.deadline, out->mutable_deadline());
  if (p.submitted_at.has_value()) {
    ToTimestamp(*p.submitted_at, out->mutable_submit_time());
  }
  out->set_submitted_late(p.submitted_late);
  out->set_created_by(p.created_by);
  ToTimestamp(p.created_at, out->mutable_create_time());
  out->set_updated_by(p.updated_by);
  ToTimestamp(p.updated_at, out->mutable_update_time());
  out->set_etag(Etag(p.version));
  if (with_history) {
    for (const PlanEvent& e : p.history) {
      EventToProto(e, out->add_history());
    }
  }
}

absl::StatusOr<Directive> FromProto(const pb::Directive& in, absl::string_view field) {
  Directive d;
  d.document_number = std::string(absl::StripAsciiWhitespace(in.document_number()));
  NTM_ASSIGN_OR_RETURN(d.issued_on, ParseDate(absl::StrCat(field, ".issue_date"), in.issue_date()));
  d.year = in.year();
  NTM_ASSIGN_OR_RETURN(d.deadline, ParseDeadline(absl::StrCat(field, ".deadline"), in.deadline(),
                                                 in.has_deadline()));
  for (int i = 0; i < in.deliverables_size(); ++i) {
    const int v = in.deliverables(i);
    if (v != pb::DELIVERABLE_PLAN && v != pb::DELIVERABLE_REGISTRATION) {
      return InvalidField(absl::StrCat(field, ".deliverables[", i, "]"),
                          "DELIVERABLE_PLAN or DELIVERABLE_REGISTRATION");
    }
    const Deliverable x =
        v == pb::DELIVERABLE_PLAN ? Deliverable::kPlan : Deliverable::kRegistration;
    if (std::find(d.deliverables.begin(), d.deliverables.end(), x) != d.deliverables.end()) {
      return InvalidField(absl::StrCat(field, ".deliverables[", i, "]"), "listed twice");
    }
    d.deliverables.push_back(x);
  }
  for (const std::string& code : in.focus_indicators()) {
    d.focus_indicators.push_back(code);
  }
  for (int i = 0; i < in.addressed_units_size(); ++i) {
    NTM_ASSIGN_OR_RETURN(std::string code,
                         ParseUnitName(absl::StrCat(field, ".addressed_units[", i, "].unit"),
                                       in.addressed_units(i).unit()));
    AddressedUnit u;
    u.unit_code = std::move(code);
    d.units.push_back(std::move(u));
  }
  d.title = in.title();
  d.demo = in.demo();
  return d;
}

absl::StatusOr<std::vector<Target>> TargetsFromProto(
    const google::protobuf::RepeatedPtrField<pb::Target>& in, absl::string_view field) {
  std::vector<Target> out;
  for (int i = 0; i < in.size(); ++i) {
    const pb::Target& t = in.Get(i);
    Target d;
    d.indicator_code = t.indicator_code();
    d.reach_standard = t.reach_standard();
    d.note = t.note();
    if (t.has_target_value()) {
      const double v = t.target_value();
      if (!std::isfinite(v) || std::fabs(v) * 10000.0 > static_cast<double>(kMaxValue)) {
        return InvalidField(absl::StrCat(field, "[", i, "].target_value"),
                            "not a number this service can store");
      }
      d.value_fixed4 = std::llround(v * 10000.0);
    }
    out.push_back(std::move(d));
  }
  return out;
}

absl::StatusOr<std::vector<Task>> TasksFromProto(
    const google::protobuf::RepeatedPtrField<pb::Task>& in, absl::string_view field) {
  std::vector<Task> out;
  for (int i = 0; i < in.size(); ++i) {
    const pb::Task& t = in.Get(i);
    const std::string f = absl::StrCat(field, "[", i, "]");
    Task d;
    if (t.content_group() < pb::CONTENT_GROUP_PLANNING ||
        t.content_group() > pb::CONTENT_GROUP_POLITICAL_SYSTEM) {
      return InvalidField(absl::StrCat(f, ".content_group"),
                          "one of the template's sections 2.1–2.5, e.g. CONTENT_GROUP_PLANNING");
    }
    d.group = static_cast<ContentGroup>(static_cast<int>(t.content_group()));
    d.content = t.content();
    d.responsible = t.responsible();
    NTM_ASSIGN_OR_RETURN(d.start, ParseDate(absl::StrCat(f, ".start_date"), t.start_date()));
    NTM_ASSIGN_OR_RETURN(d.end, ParseDate(absl::StrCat(f, ".end_date"), t.end_date()));
    for (int j = 0; j < t.indicator_codes_size(); ++j) {
      const std::string& code = t.indicator_codes(j);
      if (std::find(d.indicator_codes.begin(), d.indicator_codes.end(), code) !=
          d.indicator_codes.end()) {
        return InvalidField(absl::StrCat(f, ".indicator_codes[", j, "]"),
                            absl::StrCat(code, " is listed twice"));
      }
      d.indicator_codes.push_back(code);
    }
    if (d.indicator_codes.size() > 40) {
      return InvalidField(absl::StrCat(f, ".indicator_codes"), "at most 40 indicators per task");
    }
    NTM_RETURN_IF_ERROR(CheckDong(absl::StrCat(f, ".cost_dong"), t.cost_dong()));
    d.cost_dong = t.cost_dong();
    out.push_back(std::move(d));
  }
  return out;
}

absl::StatusOr<Funding> FundingFromProto(const pb::Funding& in, absl::string_view field) {
  Funding f;
  NTM_RETURN_IF_ERROR(CheckDong(absl::StrCat(field, ".total_dong"), in.total_dong()));
  f.total_dong = in.total_dong();
  for (int i = 0; i < in.by_group_size(); ++i) {
    const pb::GroupAmount& g = in.by_group(i);
    const std::string name = absl::StrCat(field, ".by_group[", i, "]");
    if (g.content_group() < pb::CONTENT_GROUP_PLANNING ||
        g.content_group() > pb::CONTENT_GROUP_POLITICAL_SYSTEM) {
      return InvalidField(absl::StrCat(name, ".content_group"),
                          "one of the template's sections 2.1–2.5");
    }
    NTM_RETURN_IF_ERROR(CheckDong(absl::StrCat(name, ".amount_dong"), g.amount_dong()));
    const auto group = static_cast<ContentGroup>(static_cast<int>(g.content_group()));
    if (!f.by_group.emplace(group, g.amount_dong()).second) {
      return InvalidField(absl::StrCat(name, ".content_group"), "listed twice");
    }
  }
  for (int i = 0; i < in.by_source_size(); ++i) {
    const pb::SourceAmount& s = in.by_source(i);
    const std::string name = absl::StrCat(field, ".by_source[", i, "]");
    if (s.source() < pb::FUNDING_SOURCE_NTM_PROGRAM || s.source() > pb::FUNDING_SOURCE_COMMUNITY) {
      return InvalidField(absl::StrCat(name, ".source"), "one of the FUNDING_SOURCE_ values");
    }
    NTM_RETURN_IF_ERROR(CheckDong(absl::StrCat(name, ".amount_dong"), s.amount_dong()));
    const auto source = static_cast<FundingSource>(static_cast<int>(s.source()));
    if (!f.by_source.emplace(source, s.amount_dong()).second) {
      return InvalidField(absl::StrCat(name, ".source"), "listed twice");
    }
  }
  return f;
}

}  // namespace ntm::plans::api
