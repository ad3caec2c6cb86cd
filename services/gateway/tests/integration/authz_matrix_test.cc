// The authorization matrix: every method the gateway serves × who calls it — the commune officer
// of the target commune and of another commune, a steering member owning what the call touches
// and one owning none of it, the district's standing office, the province office, an anonymous
// caller — on its own unit or on another, through the real gateway in front of the real
// assessment service and MariaDB.
//
// The expected outcome of every cell is written out in Matrix() below, read by a person from the
// rules of proto/ntm/assessment/v1/{catalog,directory,assessment}.proto,
// proto/ntm/plans/v1/{directive,plan}.proto, proto/ntm/registrations/v1/registration.proto,
// proto/ntm/notifications/v1/notification.proto and the gateway's own
// proto/ntm/gateway/v1/access.proto; it is never computed from the rules, so a
// wrong (ntm.api.v1.authorization) option fails here. Every request is one the backend would
// carry out, so a call the gateway wrongly lets through succeeds and shows up; a refusal must come
// from the gateway itself ("denied by rule …") and leave every row as it was: the assessment,
// plans and registrations services', and the gateway's principals (its decision log records
// refusals). A method the gateway serves without a row in the matrix fails
// AuthzMatrixCoverageTest.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "ntm/gateway/v1/access.grpc.pb.h"
#include "ntm/notifications/v1/notification.grpc.pb.h"
#include "ntm/plans/v1/directive.grpc.pb.h"
#include "ntm/plans/v1/plan.grpc.pb.h"
#include "ntm/registrations/v1/registration.grpc.pb.h"
#include "services/assessment/tests/integration/integration_helpers.h"
#include "services/gateway/authz/served_services.h"
#include "services/gateway/tests/gateway_env.h"

namespace ntm::gateway {
namespace {

namespace av1 = ntm::assessment::v1;
namespace gv1 = ntm::gateway::v1;
namespace pv1 = ntm::plans::v1;
namespace rv1 = ntm::registrations::v1;
namespace nv1 = ntm::notifications::v1;
using ntm::assessment::testing::FindIndicator;
using ntm::assessment::testing::GetSet;
using ntm::assessment::testing::GrpcOk;
using ntm::assessment::testing::SameRows;
using ntm::assessment::testing::ServiceEnv;
using ntm::gateway::testing::GatewayEnv;

// ---- the reference data the cells name ------------------------------------------------------

constexpr char kSet[] = "criteriaSets/lai-chau-2022";
constexpr char kLaiChau[] = "units/12";      // Tỉnh Lai Châu
constexpr char kTamDuong[] = "units/106";    // Huyện Tam Đường
constexpr char kBanBo[] = "units/03424";     // Xã Bản Bo, in Tam Đường
constexpr char kTpLaiChau[] = "units/105";   // Thành phố Lai Châu, another district
constexpr char kSungPhai[] = "units/03403";  // Xã Sùng Phài, a commune of Thành phố Lai Châu
constexpr char kNoUnit[] = "";
// Inboxes of the notifications service that are not units'.
constexpr char kHealthInbox[] = "agencies/tam-duong-yte";
constexpr char kBanBoOfficerInbox[] = "principals/can-bo-ban-bo";

// Demo principals (data/demo/tam-duong-principals.json); ownership in Tam Đường from
// data/demo/tam-duong.json.
constexpr char kBanBoOfficer[] = "can-bo-ban-bo";    // commune officer, units/03424
constexpr char kBanHonOfficer[] = "can-bo-ban-hon";  // commune officer, units/03421
constexpr char kHealth[] = "tam-duong-yte";          // member: criterion 15 except 15.1
constexpr char kInsurance[] = "tam-duong-bhxh";      // member: 15.1 only
constexpr char kEnvironment[] = "tam-duong-tnmt";    // member: 17 except 17.1, 17.9, 17.10
// The standing office, also a steering member: as a member it owns 3, 10, 13, 17.1, 17.9, 17.10.
constexpr char kStanding[] = "tam-duong-nnptnt";
constexpr char kProvince[] = "lai-chau-vpdp";  // province office, units/12
constexpr char kAnonymous[] = "";              // no credentials

constexpr char kNothing[] = "";  // the call touches no indicator and names no criterion

// ---- the matrix ----------------------------------------------------------------------------

// What the caller is. Every row has at least one cell of each.
enum Who {
  // The commune officer of Bản Bo: of the target commune, or of a commune inside the target.
  kCommuneOfficer,
  // The commune officer of Bản Hon, another commune of the same district.
  kOtherCommuneOfficer,
  // A steering member owning every indicator the call touches (or, for a criterion, at least one
  // of its indicators); where the call touches none, a steering member of the district.
  kOwningMember,
  // A steering member owning none of what the call touches; where it touches none, another one.
  kNonOwningMember,
  // The district's standing office (Phòng NN&PTNT, which is also a steering member).
  kStandingOffice,
  // The province's coordination office.
  kProvinceOffice,
  // A caller without credentials.
  kNoCredentials,
  kWhoCount,
};

const char* WhoName(Who w) {
  switch (w) {
    case kCommuneOfficer:
      return "commune officer";
    case kOtherCommuneOfficer:
      return "commune officer of another commune";
    case kOwningMember:
      return "steering member owning what the call touches";
    case kNonOwningMember:
      return "steering member not owning what the call touches";
    case kStandingOffice:
      return "district standing office";
    case kProvinceOffice:
      return "province office";
    case kNoCredentials:
      return "anonymous";
    case kWhoCount:
      break;
  }
  return "?";
}

enum Outcome { kOk, kDenied, kUnauthenticated };

const char* OutcomeName(Outcome o) {
  switch (o) {
    case kOk:
      return "OK";
    case kDenied:
      return "PERMISSION_DENIED";
    case kUnauthenticated:
      return "UNAUTHENTICATED";
  }
  return "?";
}

struct Cell {
  Who who;
  // The principal calling; "" for none.
  const char* principal;
  // The unit the request names (a commune, a district, a parent, a scope); "" for none.
  const char* unit;
  // The indicators (comma-separated) the request sets, or the criterion it reviews.
  const char* touch;
  Outcome want;
};

struct MethodRow {
  // The method's full name, e.g. "ntm.assessment.v1.AssessmentService.CreateAssessment".
  const char* method;
  // Whether an allowed call changes rows (every allowed call of a method that does not must leave
  // the rows alone).
  bool writes;
  std::vector<Cell> cells;
};

void PrintTo(const MethodRow& row, std::ostream* os) { *os << row.method; }

constexpr bool kWrites = true;
constexpr bool kReads = false;

// The expected outcome of every cell, from the contracts:
//   reads of the catalog and the directory: every authenticated role, whatever unit is named;
//   UpdateIndicator: the province office;
//   CreateUnit: commune officer, standing office, province office, inside their unit;
//   UpdateOwnerships: standing office and province office, inside their unit;
//   CreateAssessment, SubmitAssessment: the commune officer of the commune;
//   GetAssessment, ListAssessments, GetCommuneStatus, GetDistrictMatrix: every role, inside its
//     unit;
//   SetIndicatorValues: the commune officer of the commune, or a steering member of its district
//     owning every indicator set;
//   ReviewCriterion: a steering member of the commune's district owning an indicator of the
//     criterion;
//   the gateway's AccessService: the standing office and the province office, inside their unit;
//   CreateDirective, ExtendDeadline: the standing office and the province office, inside their
//     unit; GetDirective, ListDirectives: every authenticated role, whatever unit is named
//     (directives are public documents);
//   CreatePlan, UpdatePlan, SubmitPlan: the commune officer of the commune;
//   GetPlan, ListPlans: every role, inside its unit;
//   AcceptPlan, ReturnPlan: the standing office of the commune's district;
//   GetSubmissionStatus, GetDistrictPlanSummary: standing office, steering members and province
//     office, inside their unit;
//   registrations as plans (Create/Update/Submit: the commune officer; Get/List: every role inside
//     its unit; Accept/Return: the standing office; GetRegistrationStatus: standing office,
//     steering members, province office); ChooseDistrictModelPoint: the district's standing
//     office; GetDistrictModelPoint: every authenticated role;
//   the notifications service's inboxes (ListNotifications, WatchNotifications, MarkRead, the
//     subscriptions, ListDeliveries): their holder only — a unit's own office (not an office
//     above it, not an agency sitting in it), an agency's members, a person; SendUrge: a steering
//     member of the district owning every indicator it names.
// Who may use an inbox method, the same for each of them: the holder of the inbox only — a
// unit's own office (not an office above it, not an agency sitting in it), an agency's members,
// a person.
std::vector<Cell> InboxCells() {
  return {
      {kCommuneOfficer, kBanBoOfficer, kBanBo, kNothing, kOk},
      {kCommuneOfficer, kBanBoOfficer, kBanBoOfficerInbox, kNothing, kOk},
      {kCommuneOfficer, kBanBoOfficer, kTamDuong, kNothing, kDenied},
      {kOtherCommuneOfficer, kBanHonOfficer, kBanBo, kNothing, kDenied},
      {kOwningMember, kHealth, kHealthInbox, kNothing, kOk},
      {kOwningMember, kHealth, kTamDuong, kNothing, kDenied},
      {kNonOwningMember, kEnvironment, kHealthInbox, kNothing, kDenied},
      {kStandingOffice, kStanding, kTamDuong, kNothing, kOk},
      {kStandingOffice, kStanding, kBanBo, kNothing, kDenied},
      {kProvinceOffice, kProvince, kLaiChau, kNothing, kOk},
      {kProvinceOffice, kProvince, kTamDuong, kNothing, kDenied},
      {kProvinceOffice, kProvince, kBanBoOfficerInbox, kNothing, kDenied},
      {kNoCredentials, kAnonymous, kBanBo, kNothing, kUnauthenticated},
  };
}

const std::vector<MethodRow>& Matrix() {
  static const auto* const kMatrix = new std::vector<MethodRow>{
      // ---- CatalogService ----
      {"ntm.assessment.v1.CatalogService.ListCriteriaSets",
       kReads,
       {
           {kCommuneOfficer, kBanBoOfficer, kBanBo, kNothing, kOk},
           {kCommuneOfficer, kBanBoOfficer, kSungPhai, kNothing, kOk},
           {kOtherCommuneOfficer, kBanHonOfficer, kBanBo, kNothing, kOk},
           {kOwningMember, kHealth, kBanBo, kNothing, kOk},
           {kNonOwningMember, kEnvironment, kBanBo, kNothing, kOk},
           {kStandingOffice, kStanding, kBanBo, kNothing, kOk},
           {kProvinceOffice, kProvince, kBanBo, kNothing, kOk},
           {kNoCredentials, kAnonymous, kBanBo, kNothing, kUnauthenticated},
       }},
      {"ntm.assessment.v1.CatalogService.GetCriteriaSet",
       kReads,
       {
           {kCommuneOfficer, kBanBoOfficer, kNoUnit, kNothing, kOk},
           {kOtherCommuneOfficer, kBanHonOfficer, kNoUnit, kNothing, kOk},
           {kOwningMember, kHealth, kNoUnit, kNothing, kOk},
           {kNonOwningMember, kEnvironment, kNoUnit, kNothing, kOk},
           {kStandingOffice, kStanding, kNoUnit, kNothing, kOk},
           {kProvinceOffice, kProvince, kNoUnit, kNothing, kOk},
           {kNoCredentials, kAnonymous, kNoUnit, kNothing, kUnauthenticated},
       }},
      // Edits indicator 17.11 (owned by Environment in Tam Đường): owning it gives no right to
      // edit the catalog.
      {"ntm.assessment.v1.CatalogService.UpdateIndicator",
       kWrites,
       {
           {kCommuneOfficer, kBanBoOfficer, kNoUnit, "17.11", kDenied},
           {kOtherCommuneOfficer, kBanHonOfficer, kNoUnit, "17.11", kDenied},
           {kOwningMember, kEnvironment, kNoUnit, "17.11", kDenied},
           {kNonOwningMember, kHealth, kNoUnit, "17.11", kDenied},
           {kStandingOffice, kStanding, kNoUnit, "17.11", kDenied},
           {kProvinceOffice, kProvince, kNoUnit, "17.11", kOk},
           {kNoCredentials, kAnonymous, kNoUnit, "17.11", kUnauthenticated},
       }},

      // ---- DirectoryService ----
      {"ntm.assessment.v1.DirectoryService.GetUnit",
       kReads,
       {
           {kCommuneOfficer, kBanBoOfficer, kBanBo, kNothing, kOk},
           {kCommuneOfficer, kBanBoOfficer, kSungPhai, kNothing, kOk},
           {kOtherCommuneOfficer, kBanHonOfficer, kBanBo, kNothing, kOk},
           {kOwningMember, kHealth, kBanBo, kNothing, kOk},
           {kOwningMember, kHealth, kSungPhai, kNothing, kOk},
           {kNonOwningMember, kEnvironment, kBanBo, kNothing, kOk},
           {kStandingOffice, kStanding, kBanBo, kNothing, kOk},
           {kProvinceOffice, kProvince, kBanBo, kNothing, kOk},
           {kNoCredentials, kAnonymous, kBanBo, kNothing, kUnauthenticated},
       }},
      {"ntm.assessment.v1.DirectoryService.ListUnits",
       kReads,
       {
           {kCommuneOfficer, kBanBoOfficer, kBanBo, kNothing, kOk},
           {kCommuneOfficer, kBanBoOfficer, kTpLaiChau, kNothing, kOk},
           {kOtherCommuneOfficer, kBanHonOfficer, kBanBo, kNothing, kOk},
           {kOwningMember, kHealth, kTamDuong, kNothing, kOk},
           {kNonOwningMember, kEnvironment, kTamDuong, kNothing, kOk},
           {kStandingOffice, kStanding, kTamDuong, kNothing, kOk},
           {kStandingOffice, kStanding, kTpLaiChau, kNothing, kOk},
           {kProvinceOffice, kProvince, kTamDuong, kNothing, kOk},
           {kNoCredentials, kAnonymous, kBanBo, kNothing, kUnauthenticated},
       }},
      // Adds a village under the unit.
      {"ntm.assessment.v1.DirectoryService.CreateUnit",
       kWrites,
       {
           {kCommuneOfficer, kBanBoOfficer, kBanBo, kNothing, kOk},
           {kCommuneOfficer, kBanBoOfficer, kSungPhai, kNothing, kDenied},
           {kOtherCommuneOfficer, kBanHonOfficer, kBanBo, kNothing, kDenied},
           {kOwningMember, kHealth, kBanBo, kNothing, kDenied},
           {kNonOwningMember, kEnvironment, kBanBo, kNothing, kDenied},
           {kStandingOffice, kStanding, kBanBo, kNothing, kOk},
           {kStandingOffice, kStanding, kSungPhai, kNothing, kDenied},
           {kProvinceOffice, kProvince, kBanBo, kNothing, kOk},
           {kProvinceOffice, kProvince, kSungPhai, kNothing, kOk},
           {kNoCredentials, kAnonymous, kBanBo, kNothing, kUnauthenticated},
       }},
      {"ntm.assessment.v1.DirectoryService.ListAgencies",
       kReads,
       {
           {kCommuneOfficer, kBanBoOfficer, kTamDuong, kNothing, kOk},
           {kCommuneOfficer, kBanBoOfficer, kLaiChau, kNothing, kOk},
           {kOtherCommuneOfficer, kBanHonOfficer, kTamDuong, kNothing, kOk},
           {kOwningMember, kHealth, kTamDuong, kNothing, kOk},
           {kNonOwningMember, kEnvironment, kTamDuong, kNothing, kOk},
           {kStandingOffice, kStanding, kTamDuong, kNothing, kOk},
           {kStandingOffice, kStanding, kTpLaiChau, kNothing, kOk},
           {kProvinceOffice, kProvince, kTamDuong, kNothing, kOk},
           {kNoCredentials, kAnonymous, kTamDuong, kNothing, kUnauthenticated},
       }},
      {"ntm.assessment.v1.DirectoryService.ListOwnerships",
       kReads,
       {
           {kCommuneOfficer, kBanBoOfficer, kTamDuong, kNothing, kOk},
           {kCommuneOfficer, kBanBoOfficer, kTpLaiChau, kNothing, kOk},
           {kOtherCommuneOfficer, kBanHonOfficer, kTamDuong, kNothing, kOk},
           {kOwningMember, kHealth, kTamDuong, kNothing, kOk},
           {kNonOwningMember, kEnvironment, kTamDuong, kNothing, kOk},
           {kStandingOffice, kStanding, kTamDuong, kNothing, kOk},
           {kProvinceOffice, kProvince, kTamDuong, kNothing, kOk},
           {kNoCredentials, kAnonymous, kTamDuong, kNothing, kUnauthenticated},
       }},
      // Assigns (in Tam Đường) or removes (elsewhere) an owner of criterion 5.
      {"ntm.assessment.v1.DirectoryService.UpdateOwnerships",
       kWrites,
       {
           {kCommuneOfficer, kBanBoOfficer, kTamDuong, kNothing, kDenied},
           {kOtherCommuneOfficer, kBanHonOfficer, kTamDuong, kNothing, kDenied},
           {kOwningMember, kHealth, kTamDuong, kNothing, kDenied},
           {kNonOwningMember, kEnvironment, kTamDuong, kNothing, kDenied},
           {kStandingOffice, kStanding, kTamDuong, kNothing, kOk},
           {kStandingOffice, kStanding, kTpLaiChau, kNothing, kDenied},
           {kProvinceOffice, kProvince, kTamDuong, kNothing, kOk},
           {kProvinceOffice, kProvince, kTpLaiChau, kNothing, kOk},
           {kNoCredentials, kAnonymous, kTamDuong, kNothing, kUnauthenticated},
       }},

      // ---- AssessmentService ----
      {"ntm.assessment.v1.AssessmentService.CreateAssessment",
       kWrites,
       {
           {kCommuneOfficer, kBanBoOfficer, kBanBo, kNothing, kOk},
           {kCommuneOfficer, kBanBoOfficer, kSungPhai, kNothing, kDenied},
           {kOtherCommuneOfficer, kBanHonOfficer, kBanBo, kNothing, kDenied},
           {kOwningMember, kHealth, kBanBo, kNothing, kDenied},
           {kNonOwningMember, kEnvironment, kBanBo, kNothing, kDenied},
           {kStandingOffice, kStanding, kBanBo, kNothing, kDenied},
           {kProvinceOffice, kProvince, kBanBo, kNothing, kDenied},
           {kNoCredentials, kAnonymous, kBanBo, kNothing, kUnauthenticated},
       }},
      // Reads an assessment of the unit.
      {"ntm.assessment.v1.AssessmentService.GetAssessment",
       kReads,
       {
           {kCommuneOfficer, kBanBoOfficer, kBanBo, kNothing, kOk},
           {kCommuneOfficer, kBanBoOfficer, kSungPhai, kNothing, kDenied},
           {kOtherCommuneOfficer, kBanHonOfficer, kBanBo, kNothing, kDenied},
           {kOwningMember, kHealth, kBanBo, kNothing, kOk},
           {kOwningMember, kHealth, kSungPhai, kNothing, kDenied},
           {kNonOwningMember, kEnvironment, kBanBo, kNothing, kOk},
           {kStandingOffice, kStanding, kBanBo, kNothing, kOk},
           {kStandingOffice, kStanding, kSungPhai, kNothing, kDenied},
           {kProvinceOffice, kProvince, kBanBo, kNothing, kOk},
           {kProvinceOffice, kProvince, kSungPhai, kNothing, kOk},
           {kNoCredentials, kAnonymous, kBanBo, kNothing, kUnauthenticated},
       }},
      {"ntm.assessment.v1.AssessmentService.ListAssessments",
       kReads,
       {
           {kCommuneOfficer, kBanBoOfficer, kBanBo, kNothing, kOk},
           {kCommuneOfficer, kBanBoOfficer, kTamDuong, kNothing, kDenied},
           {kOtherCommuneOfficer, kBanHonOfficer, kBanBo, kNothing, kDenied},
           {kOwningMember, kHealth, kBanBo, kNothing, kOk},
           {kOwningMember, kHealth, kTamDuong, kNothing, kOk},
           {kOwningMember, kHealth, kTpLaiChau, kNothing, kDenied},
           {kNonOwningMember, kEnvironment, kTamDuong, kNothing, kOk},
           {kStandingOffice, kStanding, kTamDuong, kNothing, kOk},
           {kStandingOffice, kStanding, kTpLaiChau, kNothing, kDenied},
           {kProvinceOffice, kProvince, kTamDuong, kNothing, kOk},
           {kProvinceOffice, kProvince, kTpLaiChau, kNothing, kOk},
           {kNoCredentials, kAnonymous, kBanBo, kNothing, kUnauthenticated},
       }},
      // Sets the listed indicators of a draft of the unit. 15.2 is Health's, 15.1 Social
      // Insurance's, 17.1 the standing office's (as a steering member).
      {"ntm.assessment.v1.AssessmentService.SetIndicatorValues",
       kWrites,
       {
           {kCommuneOfficer, kBanBoOfficer, kBanBo, "15.2", kOk},
           {kCommuneOfficer, kBanBoOfficer, kBanBo, "15.1,15.2,17.1", kOk},
           {kCommuneOfficer, kBanBoOfficer, kSungPhai, "15.2", kDenied},
           {kOtherCommuneOfficer, kBanHonOfficer, kBanBo, "15.2", kDenied},
           {kOwningMember, kHealth, kBanBo, "15.2", kOk},
           {kOwningMember, kInsurance, kBanBo, "15.1", kOk},
           {kOwningMember, kHealth, kSungPhai, "15.2", kDenied},
           {kNonOwningMember, kEnvironment, kBanBo, "15.2", kDenied},
           {kNonOwningMember, kInsurance, kBanBo, "15.2", kDenied},
           // Owning one of the indicators is not enough: it must own every one.
           {kNonOwningMember, kHealth, kBanBo, "15.1,15.2", kDenied},
           // The standing office is a steering member here, and only for what it owns.
           {kStandingOffice, kStanding, kBanBo, "15.2", kDenied},
           {kStandingOffice, kStanding, kBanBo, "17.1", kOk},
           {kProvinceOffice, kProvince, kBanBo, "15.2", kDenied},
           {kNoCredentials, kAnonymous, kBanBo, "15.2", kUnauthenticated},
       }},
      {"ntm.assessment.v1.AssessmentService.SubmitAssessment",
       kWrites,
       {
           {kCommuneOfficer, kBanBoOfficer, kBanBo, kNothing, kOk},
           {kCommuneOfficer, kBanBoOfficer, kSungPhai, kNothing, kDenied},
           {kOtherCommuneOfficer, kBanHonOfficer, kBanBo, kNothing, kDenied},
           {kOwningMember, kHealth, kBanBo, kNothing, kDenied},
           {kNonOwningMember, kEnvironment, kBanBo, kNothing, kDenied},
           {kStandingOffice, kStanding, kBanBo, kNothing, kDenied},
           {kProvinceOffice, kProvince, kBanBo, kNothing, kDenied},
           {kNoCredentials, kAnonymous, kBanBo, kNothing, kUnauthenticated},
       }},
      // Confirms the named criterion of a submitted assessment of the unit. Criterion 15: Health
      // owns all but 15.1, Social Insurance 15.1; criterion 17: Environment and the standing
      // office.
      {"ntm.assessment.v1.AssessmentService.ReviewCriterion",
       kWrites,
       {
           {kCommuneOfficer, kBanBoOfficer, kBanBo, "15", kDenied},
           {kOtherCommuneOfficer, kBanHonOfficer, kBanBo, "15", kDenied},
           {kOwningMember, kHealth, kBanBo, "15", kOk},
           // Owning one indicator of the criterion is enough.
           {kOwningMember, kInsurance, kBanBo, "15", kOk},
           {kOwningMember, kEnvironment, kBanBo, "17", kOk},
           {kOwningMember, kHealth, kSungPhai, "15", kDenied},
           {kNonOwningMember, kEnvironment, kBanBo, "15", kDenied},
           {kNonOwningMember, kHealth, kBanBo, "17", kDenied},
           {kStandingOffice, kStanding, kBanBo, "15", kDenied},
           {kStandingOffice, kStanding, kBanBo, "17", kOk},
           {kProvinceOffice, kProvince, kBanBo, "15", kDenied},
           {kNoCredentials, kAnonymous, kBanBo, "15", kUnauthenticated},
       }},
      {"ntm.assessment.v1.AssessmentService.GetCommuneStatus",
       kReads,
       {
           {kCommuneOfficer, kBanBoOfficer, kBanBo, kNothing, kOk},
           {kCommuneOfficer, kBanBoOfficer, kSungPhai, kNothing, kDenied},
           {kOtherCommuneOfficer, kBanHonOfficer, kBanBo, kNothing, kDenied},
           {kOwningMember, kHealth, kBanBo, kNothing, kOk},
           {kOwningMember, kHealth, kSungPhai, kNothing, kDenied},
           {kNonOwningMember, kEnvironment, kBanBo, kNothing, kOk},
           {kStandingOffice, kStanding, kBanBo, kNothing, kOk},
           {kStandingOffice, kStanding, kSungPhai, kNothing, kDenied},
           {kProvinceOffice, kProvince, kBanBo, kNothing, kOk},
           {kProvinceOffice, kProvince, kSungPhai, kNothing, kOk},
           {kNoCredentials, kAnonymous, kBanBo, kNothing, kUnauthenticated},
       }},
      {"ntm.assessment.v1.AssessmentService.GetDistrictMatrix",
       kReads,
       {
           {kCommuneOfficer, kBanBoOfficer, kBanBo, kNothing, kOk},
           {kCommuneOfficer, kBanBoOfficer, kTamDuong, kNothing, kDenied},
           {kOtherCommuneOfficer, kBanHonOfficer, kBanBo, kNothing, kDenied},
           {kOwningMember, kHealth, kTamDuong, kNothing, kOk},
           {kOwningMember, kHealth, kTpLaiChau, kNothing, kDenied},
           {kNonOwningMember, kEnvironment, kTamDuong, kNothing, kOk},
           {kStandingOffice, kStanding, kTamDuong, kNothing, kOk},
           {kStandingOffice, kStanding, kTpLaiChau, kNothing, kDenied},
           {kProvinceOffice, kProvince, kTamDuong, kNothing, kOk},
           {kProvinceOffice, kProvince, kTpLaiChau, kNothing, kOk},
           {kNoCredentials, kAnonymous, kTamDuong, kNothing, kUnauthenticated},
       }},
      // ---- DirectiveService (plans) ----
      // Issues a directive of the unit to all its communes.
      {"ntm.plans.v1.DirectiveService.CreateDirective",
       kWrites,
       {
           {kCommuneOfficer, kBanBoOfficer, kTamDuong, kNothing, kDenied},
           {kOtherCommuneOfficer, kBanHonOfficer, kTamDuong, kNothing, kDenied},
           {kOwningMember, kHealth, kTamDuong, kNothing, kDenied},
           {kNonOwningMember, kEnvironment, kTamDuong, kNothing, kDenied},
           {kStandingOffice, kStanding, kTamDuong, kNothing, kOk},
           {kStandingOffice, kStanding, kTpLaiChau, kNothing, kDenied},
           {kProvinceOffice, kProvince, kTamDuong, kNothing, kOk},
           {kProvinceOffice, kProvince, kTpLaiChau, kNothing, kOk},
           {kNoCredentials, kAnonymous, kTamDuong, kNothing, kUnauthenticated},
       }},
      // Reads a directive the unit issued.
      {"ntm.plans.v1.DirectiveService.GetDirective",
       kReads,
       {
           {kCommuneOfficer, kBanBoOfficer, kTamDuong, kNothing, kOk},
           {kCommuneOfficer, kBanBoOfficer, kTpLaiChau, kNothing, kOk},
           {kOtherCommuneOfficer, kBanHonOfficer, kTamDuong, kNothing, kOk},
           {kOwningMember, kHealth, kTamDuong, kNothing, kOk},
           {kNonOwningMember, kEnvironment, kTpLaiChau, kNothing, kOk},
           {kStandingOffice, kStanding, kTamDuong, kNothing, kOk},
           {kProvinceOffice, kProvince, kTamDuong, kNothing, kOk},
           {kNoCredentials, kAnonymous, kTamDuong, kNothing, kUnauthenticated},
       }},
      {"ntm.plans.v1.DirectiveService.ListDirectives",
       kReads,
       {
           {kCommuneOfficer, kBanBoOfficer, kTamDuong, kNothing, kOk},
           {kOtherCommuneOfficer, kBanHonOfficer, kTpLaiChau, kNothing, kOk},
           {kOwningMember, kHealth, kTamDuong, kNothing, kOk},
           {kNonOwningMember, kEnvironment, kTamDuong, kNothing, kOk},
           {kStandingOffice, kStanding, kTpLaiChau, kNothing, kOk},
           {kProvinceOffice, kProvince, kTamDuong, kNothing, kOk},
           {kNoCredentials, kAnonymous, kTamDuong, kNothing, kUnauthenticated},
       }},
      // Extends the deadline of a commune of a directive the unit issued.
      {"ntm.plans.v1.DirectiveService.ExtendDeadline",
       kWrites,
       {
           {kCommuneOfficer, kBanBoOfficer, kTamDuong, kNothing, kDenied},
           {kOtherCommuneOfficer, kBanHonOfficer, kTamDuong, kNothing, kDenied},
           {kOwningMember, kHealth, kTamDuong, kNothing, kDenied},
           {kNonOwningMember, kEnvironment, kTamDuong, kNothing, kDenied},
           {kStandingOffice, kStanding, kTamDuong, kNothing, kOk},
           {kStandingOffice, kStanding, kTpLaiChau, kNothing, kDenied},
           {kProvinceOffice, kProvince, kTamDuong, kNothing, kOk},
           {kProvinceOffice, kProvince, kTpLaiChau, kNothing, kOk},
           {kNoCredentials, kAnonymous, kTamDuong, kNothing, kUnauthenticated},
       }},

      // ---- PlanService ----
      // Starts the plan of the commune for a directive of its district.
      {"ntm.plans.v1.PlanService.CreatePlan",
       kWrites,
       {
           {kCommuneOfficer, kBanBoOfficer, kBanBo, kNothing, kOk},
           {kCommuneOfficer, kBanBoOfficer, kSungPhai, kNothing, kDenied},
           {kOtherCommuneOfficer, kBanHonOfficer, kBanBo, kNothing, kDenied},
           {kOwningMember, kHealth, kBanBo, kNothing, kDenied},
           {kNonOwningMember, kEnvironment, kBanBo, kNothing, kDenied},
           {kStandingOffice, kStanding, kBanBo, kNothing, kDenied},
           {kProvinceOffice, kProvince, kBanBo, kNothing, kDenied},
           {kNoCredentials, kAnonymous, kBanBo, kNothing, kUnauthenticated},
       }},
      // Reads a plan of the commune.
      {"ntm.plans.v1.PlanService.GetPlan",
       kReads,
       {
           {kCommuneOfficer, kBanBoOfficer, kBanBo, kNothing, kOk},
           {kCommuneOfficer, kBanBoOfficer, kSungPhai, kNothing, kDenied},
           {kOtherCommuneOfficer, kBanHonOfficer, kBanBo, kNothing, kDenied},
           {kOwningMember, kHealth, kBanBo, kNothing, kOk},
           {kOwningMember, kHealth, kSungPhai, kNothing, kDenied},
           {kNonOwningMember, kEnvironment, kBanBo, kNothing, kOk},
           {kStandingOffice, kStanding, kBanBo, kNothing, kOk},
           {kStandingOffice, kStanding, kSungPhai, kNothing, kDenied},
           {kProvinceOffice, kProvince, kBanBo, kNothing, kOk},
           {kProvinceOffice, kProvince, kSungPhai, kNothing, kOk},
           {kNoCredentials, kAnonymous, kBanBo, kNothing, kUnauthenticated},
       }},
      {"ntm.plans.v1.PlanService.ListPlans",
       kReads,
       {
           {kCommuneOfficer, kBanBoOfficer, kBanBo, kNothing, kOk},
           {kCommuneOfficer, kBanBoOfficer, kTamDuong, kNothing, kDenied},
           {kOtherCommuneOfficer, kBanHonOfficer, kBanBo, kNothing, kDenied},
           {kOwningMember, kHealth, kTamDuong, kNothing, kOk},
           {kOwningMember, kHealth, kTpLaiChau, kNothing, kDenied},
           {kNonOwningMember, kEnvironment, kBanBo, kNothing, kOk},
           {kStandingOffice, kStanding, kTamDuong, kNothing, kOk},
           {kStandingOffice, kStanding, kTpLaiChau, kNothing, kDenied},
           {kProvinceOffice, kProvince, kTamDuong, kNothing, kOk},
           {kProvinceOffice, kProvince, kTpLaiChau, kNothing, kOk},
           {kNoCredentials, kAnonymous, kBanBo, kNothing, kUnauthenticated},
       }},
      // Changes the solutions of a draft plan of the commune.
      {"ntm.plans.v1.PlanService.UpdatePlan",
       kWrites,
       {
           {kCommuneOfficer, kBanBoOfficer, kBanBo, kNothing, kOk},
           {kCommuneOfficer, kBanBoOfficer, kSungPhai, kNothing, kDenied},
           {kOtherCommuneOfficer, kBanHonOfficer, kBanBo, kNothing, kDenied},
           {kOwningMember, kHealth, kBanBo, kNothing, kDenied},
           {kNonOwningMember, kEnvironment, kBanBo, kNothing, kDenied},
           {kStandingOffice, kStanding, kBanBo, kNothing, kDenied},
           {kProvinceOffice, kProvince, kBanBo, kNothing, kDenied},
           {kNoCredentials, kAnonymous, kBanBo, kNothing, kUnauthenticated},
       }},
      {"ntm.plans.v1.PlanService.SubmitPlan",
       kWrites,
       {
           {kCommuneOfficer, kBanBoOfficer, kBanBo, kNothing, kOk},
           {kCommuneOfficer, kBanBoOfficer, kSungPhai, kNothing, kDenied},
           {kOtherCommuneOfficer, kBanHonOfficer, kBanBo, kNothing, kDenied},
           {kOwningMember, kHealth, kBanBo, kNothing, kDenied},
           {kNonOwningMember, kEnvironment, kBanBo, kNothing, kDenied},
           {kStandingOffice, kStanding, kBanBo, kNothing, kDenied},
           {kProvinceOffice, kProvince, kBanBo, kNothing, kDenied},
           {kNoCredentials, kAnonymous, kBanBo, kNothing, kUnauthenticated},
       }},
      // Accepts a submitted plan of the commune.
      {"ntm.plans.v1.PlanService.AcceptPlan",
       kWrites,
       {
           {kCommuneOfficer, kBanBoOfficer, kBanBo, kNothing, kDenied},
           {kOtherCommuneOfficer, kBanHonOfficer, kBanBo, kNothing, kDenied},
           {kOwningMember, kHealth, kBanBo, kNothing, kDenied},
           {kNonOwningMember, kEnvironment, kBanBo, kNothing, kDenied},
           {kStandingOffice, kStanding, kBanBo, kNothing, kOk},
           {kStandingOffice, kStanding, kSungPhai, kNothing, kDenied},
           {kProvinceOffice, kProvince, kBanBo, kNothing, kDenied},
           {kNoCredentials, kAnonymous, kBanBo, kNothing, kUnauthenticated},
       }},
      // Returns a submitted plan of the commune.
      {"ntm.plans.v1.PlanService.ReturnPlan",
       kWrites,
       {
           {kCommuneOfficer, kBanBoOfficer, kBanBo, kNothing, kDenied},
           {kOtherCommuneOfficer, kBanHonOfficer, kBanBo, kNothing, kDenied},
           {kOwningMember, kHealth, kBanBo, kNothing, kDenied},
           {kNonOwningMember, kEnvironment, kBanBo, kNothing, kDenied},
           {kStandingOffice, kStanding, kBanBo, kNothing, kOk},
           {kStandingOffice, kStanding, kSungPhai, kNothing, kDenied},
           {kProvinceOffice, kProvince, kBanBo, kNothing, kDenied},
           {kNoCredentials, kAnonymous, kBanBo, kNothing, kUnauthenticated},
       }},
      // The status of a directive the unit issued.
      {"ntm.plans.v1.PlanService.GetSubmissionStatus",
       kReads,
       {
           {kCommuneOfficer, kBanBoOfficer, kTamDuong, kNothing, kDenied},
           {kOtherCommuneOfficer, kBanHonOfficer, kTamDuong, kNothing, kDenied},
           {kOwningMember, kHealth, kTamDuong, kNothing, kOk},
           {kOwningMember, kHealth, kTpLaiChau, kNothing, kDenied},
           {kNonOwningMember, kEnvironment, kTamDuong, kNothing, kOk},
           {kStandingOffice, kStanding, kTamDuong, kNothing, kOk},
           {kStandingOffice, kStanding, kTpLaiChau, kNothing, kDenied},
           {kProvinceOffice, kProvince, kTamDuong, kNothing, kOk},
           {kProvinceOffice, kProvince, kTpLaiChau, kNothing, kOk},
           {kNoCredentials, kAnonymous, kTamDuong, kNothing, kUnauthenticated},
       }},
      {"ntm.plans.v1.PlanService.GetDistrictPlanSummary",
       kReads,
       {
           {kCommuneOfficer, kBanBoOfficer, kTamDuong, kNothing, kDenied},
           {kOtherCommuneOfficer, kBanHonOfficer, kTamDuong, kNothing, kDenied},
           {kOwningMember, kHealth, kTamDuong, kNothing, kOk},
           {kOwningMember, kHealth, kTpLaiChau, kNothing, kDenied},
           {kNonOwningMember, kEnvironment, kTamDuong, kNothing, kOk},
           {kStandingOffice, kStanding, kTamDuong, kNothing, kOk},
           {kStandingOffice, kStanding, kTpLaiChau, kNothing, kDenied},
           {kProvinceOffice, kProvince, kTamDuong, kNothing, kOk},
           {kProvinceOffice, kProvince, kTpLaiChau, kNothing, kOk},
           {kNoCredentials, kAnonymous, kTamDuong, kNothing, kUnauthenticated},
       }},
      // ---- RegistrationService ----
      {"ntm.registrations.v1.RegistrationService.CreateRegistration",
       kWrites,
       {
           {kCommuneOfficer, kBanBoOfficer, kBanBo, kNothing, kOk},
           {kCommuneOfficer, kBanBoOfficer, kSungPhai, kNothing, kDenied},
           {kOtherCommuneOfficer, kBanHonOfficer, kBanBo, kNothing, kDenied},
           {kOwningMember, kHealth, kBanBo, kNothing, kDenied},
           {kNonOwningMember, kEnvironment, kBanBo, kNothing, kDenied},
           {kStandingOffice, kStanding, kBanBo, kNothing, kDenied},
           {kProvinceOffice, kProvince, kBanBo, kNothing, kDenied},
           {kNoCredentials, kAnonymous, kBanBo, kNothing, kUnauthenticated},
       }},
      {"ntm.registrations.v1.RegistrationService.GetRegistration",
       kReads,
       {
           {kCommuneOfficer, kBanBoOfficer, kBanBo, kNothing, kOk},
           {kCommuneOfficer, kBanBoOfficer, kSungPhai, kNothing, kDenied},
           {kOtherCommuneOfficer, kBanHonOfficer, kBanBo, kNothing, kDenied},
           {kOwningMember, kHealth, kBanBo, kNothing, kOk},
           {kOwningMember, kHealth, kSungPhai, kNothing, kDenied},
           {kNonOwningMember, kEnvironment, kBanBo, kNothing, kOk},
           {kStandingOffice, kStanding, kBanBo, kNothing, kOk},
           {kStandingOffice, kStanding, kSungPhai, kNothing, kDenied},
           {kProvinceOffice, kProvince, kBanBo, kNothing, kOk},
           {kProvinceOffice, kProvince, kSungPhai, kNothing, kOk},
           {kNoCredentials, kAnonymous, kBanBo, kNothing, kUnauthenticated},
       }},
      {"ntm.registrations.v1.RegistrationService.ListRegistrations",
       kReads,
       {
           {kCommuneOfficer, kBanBoOfficer, kBanBo, kNothing, kOk},
           {kCommuneOfficer, kBanBoOfficer, kTamDuong, kNothing, kDenied},
           {kOtherCommuneOfficer, kBanHonOfficer, kBanBo, kNothing, kDenied},
           {kOwningMember, kHealth, kTamDuong, kNothing, kOk},
           {kOwningMember, kHealth, kTpLaiChau, kNothing, kDenied},
           {kNonOwningMember, kEnvironment, kBanBo, kNothing, kOk},
           {kStandingOffice, kStanding, kTamDuong, kNothing, kOk},
           {kStandingOffice, kStanding, kTpLaiChau, kNothing, kDenied},
           {kProvinceOffice, kProvince, kTamDuong, kNothing, kOk},
           {kProvinceOffice, kProvince, kTpLaiChau, kNothing, kOk},
           {kNoCredentials, kAnonymous, kBanBo, kNothing, kUnauthenticated},
       }},
      // Registers the commune's model point in a draft.
      {"ntm.registrations.v1.RegistrationService.UpdateRegistration",
       kWrites,
       {
           {kCommuneOfficer, kBanBoOfficer, kBanBo, kNothing, kOk},
           {kCommuneOfficer, kBanBoOfficer, kSungPhai, kNothing, kDenied},
           {kOtherCommuneOfficer, kBanHonOfficer, kBanBo, kNothing, kDenied},
           {kOwningMember, kHealth, kBanBo, kNothing, kDenied},
           {kNonOwningMember, kEnvironment, kBanBo, kNothing, kDenied},
           {kStandingOffice, kStanding, kBanBo, kNothing, kDenied},
           {kProvinceOffice, kProvince, kBanBo, kNothing, kDenied},
           {kNoCredentials, kAnonymous, kBanBo, kNothing, kUnauthenticated},
       }},
      // Sends a complete registration of the commune.
      {"ntm.registrations.v1.RegistrationService.SubmitRegistration",
       kWrites,
       {
           {kCommuneOfficer, kBanBoOfficer, kBanBo, kNothing, kOk},
           {kCommuneOfficer, kBanBoOfficer, kSungPhai, kNothing, kDenied},
           {kOtherCommuneOfficer, kBanHonOfficer, kBanBo, kNothing, kDenied},
           {kOwningMember, kHealth, kBanBo, kNothing, kDenied},
           {kNonOwningMember, kEnvironment, kBanBo, kNothing, kDenied},
           {kStandingOffice, kStanding, kBanBo, kNothing, kDenied},
           {kProvinceOffice, kProvince, kBanBo, kNothing, kDenied},
           {kNoCredentials, kAnonymous, kBanBo, kNothing, kUnauthenticated},
       }},
      {"ntm.registrations.v1.RegistrationService.AcceptRegistration",
       kWrites,
       {
           {kCommuneOfficer, kBanBoOfficer, kBanBo, kNothing, kDenied},
           {kOtherCommuneOfficer, kBanHonOfficer, kBanBo, kNothing, kDenied},
           {kOwningMember, kHealth, kBanBo, kNothing, kDenied},
           {kNonOwningMember, kEnvironment, kBanBo, kNothing, kDenied},
           {kStandingOffice, kStanding, kBanBo, kNothing, kOk},
           {kStandingOffice, kStanding, kSungPhai, kNothing, kDenied},
           {kProvinceOffice, kProvince, kBanBo, kNothing, kDenied},
           {kNoCredentials, kAnonymous, kBanBo, kNothing, kUnauthenticated},
       }},
      {"ntm.registrations.v1.RegistrationService.ReturnRegistration",
       kWrites,
       {
           {kCommuneOfficer, kBanBoOfficer, kBanBo, kNothing, kDenied},
           {kOtherCommuneOfficer, kBanHonOfficer, kBanBo, kNothing, kDenied},
           {kOwningMember, kHealth, kBanBo, kNothing, kDenied},
           {kNonOwningMember, kEnvironment, kBanBo, kNothing, kDenied},
           {kStandingOffice, kStanding, kBanBo, kNothing, kOk},
           {kStandingOffice, kStanding, kSungPhai, kNothing, kDenied},
           {kProvinceOffice, kProvince, kBanBo, kNothing, kDenied},
           {kNoCredentials, kAnonymous, kBanBo, kNothing, kUnauthenticated},
       }},
      {"ntm.registrations.v1.RegistrationService.GetRegistrationStatus",
       kReads,
       {
           {kCommuneOfficer, kBanBoOfficer, kTamDuong, kNothing, kDenied},
           {kOtherCommuneOfficer, kBanHonOfficer, kTamDuong, kNothing, kDenied},
           {kOwningMember, kHealth, kTamDuong, kNothing, kOk},
           {kOwningMember, kHealth, kTpLaiChau, kNothing, kDenied},
           {kNonOwningMember, kEnvironment, kTamDuong, kNothing, kOk},
           {kStandingOffice, kStanding, kTamDuong, kNothing, kOk},
           {kStandingOffice, kStanding, kTpLaiChau, kNothing, kDenied},
           {kProvinceOffice, kProvince, kTamDuong, kNothing, kOk},
           {kProvinceOffice, kProvince, kTpLaiChau, kNothing, kOk},
           {kNoCredentials, kAnonymous, kTamDuong, kNothing, kUnauthenticated},
       }},
      // Picks the district's own model point for a directive the unit issued.
      {"ntm.registrations.v1.RegistrationService.ChooseDistrictModelPoint",
       kWrites,
       {
           {kCommuneOfficer, kBanBoOfficer, kTamDuong, kNothing, kDenied},
           {kOtherCommuneOfficer, kBanHonOfficer, kTamDuong, kNothing, kDenied},
           {kOwningMember, kHealth, kTamDuong, kNothing, kDenied},
           {kNonOwningMember, kEnvironment, kTamDuong, kNothing, kDenied},
           {kStandingOffice, kStanding, kTamDuong, kNothing, kOk},
           {kStandingOffice, kStanding, kTpLaiChau, kNothing, kDenied},
           {kProvinceOffice, kProvince, kTamDuong, kNothing, kDenied},
           {kNoCredentials, kAnonymous, kTamDuong, kNothing, kUnauthenticated},
       }},
      // Reads the model point chosen for a directive the unit issued.
      {"ntm.registrations.v1.RegistrationService.GetDistrictModelPoint",
       kReads,
       {
           {kCommuneOfficer, kBanBoOfficer, kTamDuong, kNothing, kOk},
           {kCommuneOfficer, kBanBoOfficer, kTpLaiChau, kNothing, kOk},
           {kOtherCommuneOfficer, kBanHonOfficer, kTamDuong, kNothing, kOk},
           {kOwningMember, kHealth, kTamDuong, kNothing, kOk},
           {kNonOwningMember, kEnvironment, kTpLaiChau, kNothing, kOk},
           {kStandingOffice, kStanding, kTamDuong, kNothing, kOk},
           {kProvinceOffice, kProvince, kTamDuong, kNothing, kOk},
           {kNoCredentials, kAnonymous, kTamDuong, kNothing, kUnauthenticated},
       }},
      // ---- NotificationService: an inbox is its holder's ----
      {"ntm.notifications.v1.NotificationService.ListNotifications", kReads, InboxCells()},
      {"ntm.notifications.v1.NotificationService.WatchNotifications", kReads, InboxCells()},
      {"ntm.notifications.v1.NotificationService.MarkRead", kWrites, InboxCells()},
      {"ntm.notifications.v1.NotificationService.CreateSubscription", kWrites, InboxCells()},
      {"ntm.notifications.v1.NotificationService.ListSubscriptions", kReads, InboxCells()},
      {"ntm.notifications.v1.NotificationService.DeleteSubscription", kWrites, InboxCells()},
      {"ntm.notifications.v1.NotificationService.ListDeliveries", kReads, InboxCells()},
      // Urging: a steering member of the district, on indicators its agency owns there.
      {"ntm.notifications.v1.NotificationService.SendUrge",
       kWrites,
       {
           {kCommuneOfficer, kBanBoOfficer, kTamDuong, "15.2", kDenied},
           {kOtherCommuneOfficer, kBanHonOfficer, kTamDuong, "15.2", kDenied},
           {kOwningMember, kHealth, kTamDuong, "15.2,15.3", kOk},
           {kOwningMember, kHealth, kTpLaiChau, "15.2", kDenied},
           {kNonOwningMember, kEnvironment, kTamDuong, "15.2", kDenied},
           {kNonOwningMember, kInsurance, kTamDuong, "15.1,15.2", kDenied},
           {kStandingOffice, kStanding, kTamDuong, "13.3", kOk},
           {kStandingOffice, kStanding, kTamDuong, "15.2", kDenied},
           {kProvinceOffice, kProvince, kTamDuong, "15.2", kDenied},
           {kNoCredentials, kAnonymous, kTamDuong, "15.2", kUnauthenticated},
       }},
      // ---- AccessService (the gateway's own) ----
      {"ntm.gateway.v1.AccessService.ListPrincipals",
       kReads,
       {
           {kCommuneOfficer, kBanBoOfficer, kBanBo, kNothing, kDenied},
           {kOtherCommuneOfficer, kBanHonOfficer, kBanBo, kNothing, kDenied},
           {kOwningMember, kHealth, kTamDuong, kNothing, kDenied},
           {kNonOwningMember, kEnvironment, kTamDuong, kNothing, kDenied},
           {kStandingOffice, kStanding, kTamDuong, kNothing, kOk},
           {kStandingOffice, kStanding, kBanBo, kNothing, kOk},
           {kStandingOffice, kStanding, kTpLaiChau, kNothing, kDenied},
           {kStandingOffice, kStanding, kLaiChau, kNothing, kDenied},
           {kProvinceOffice, kProvince, kLaiChau, kNothing, kOk},
           {kProvinceOffice, kProvince, kTpLaiChau, kNothing, kOk},
           {kNoCredentials, kAnonymous, kTamDuong, kNothing, kUnauthenticated},
       }},
      // Registers a commune officer of the unit.
      {"ntm.gateway.v1.AccessService.CreatePrincipal",
       kWrites,
       {
           {kCommuneOfficer, kBanBoOfficer, kBanBo, kNothing, kDenied},
           {kOtherCommuneOfficer, kBanHonOfficer, kBanBo, kNothing, kDenied},
           {kOwningMember, kHealth, kBanBo, kNothing, kDenied},
           {kNonOwningMember, kEnvironment, kBanBo, kNothing, kDenied},
           {kStandingOffice, kStanding, kBanBo, kNothing, kOk},
           {kStandingOffice, kStanding, kSungPhai, kNothing, kDenied},
           {kProvinceOffice, kProvince, kBanBo, kNothing, kOk},
           {kProvinceOffice, kProvince, kSungPhai, kNothing, kOk},
           {kNoCredentials, kAnonymous, kBanBo, kNothing, kUnauthenticated},
       }},
      // Renames the principal of the unit: can-bo-ban-bo in Bản Bo, tam-duong-ktht in Tam Đường,
      // lai-chau-vpdp in Lai Châu.
      {"ntm.gateway.v1.AccessService.UpdatePrincipal",
       kWrites,
       {
           // Not even its own record.
           {kCommuneOfficer, kBanBoOfficer, kBanBo, kNothing, kDenied},
           {kOtherCommuneOfficer, kBanHonOfficer, kBanBo, kNothing, kDenied},
           {kOwningMember, kHealth, kTamDuong, kNothing, kDenied},
           {kNonOwningMember, kEnvironment, kTamDuong, kNothing, kDenied},
           {kStandingOffice, kStanding, kBanBo, kNothing, kOk},
           {kStandingOffice, kStanding, kTamDuong, kNothing, kOk},
           {kStandingOffice, kStanding, kLaiChau, kNothing, kDenied},
           {kProvinceOffice, kProvince, kBanBo, kNothing, kOk},
           {kProvinceOffice, kProvince, kLaiChau, kNothing, kOk},
           {kNoCredentials, kAnonymous, kBanBo, kNothing, kUnauthenticated},
       }},
      {"ntm.gateway.v1.AccessService.ListDecisions",
       kReads,
       {
           {kCommuneOfficer, kBanBoOfficer, kBanBo, kNothing, kDenied},
           {kOtherCommuneOfficer, kBanHonOfficer, kBanBo, kNothing, kDenied},
           {kOwningMember, kHealth, kTamDuong, kNothing, kDenied},
           {kNonOwningMember, kEnvironment, kTamDuong, kNothing, kDenied},
           {kStandingOffice, kStanding, kTamDuong, kNothing, kOk},
           {kStandingOffice, kStanding, kBanBo, kNothing, kOk},
           {kStandingOffice, kStanding, kTpLaiChau, kNothing, kDenied},
           {kStandingOffice, kStanding, kLaiChau, kNothing, kDenied},
           {kProvinceOffice, kProvince, kLaiChau, kNothing, kOk},
           {kProvinceOffice, kProvince, kTpLaiChau, kNothing, kOk},
           {kNoCredentials, kAnonymous, kTamDuong, kNothing, kUnauthenticated},
       }},
  };
  return *kMatrix;
}

// ---- running the cells ---------------------------------------------------------------------

// "units/03424" -> "03424".
std::string CodeOf(const std::string& unit) {
  return std::string(absl::StripPrefix(unit, "units/"));
}

std::string Describe(const MethodRow& row, const Cell& cell) {
  return absl::StrFormat("%s as %s (%s) on %s%s%s: expected %s", row.method,
                         cell.principal[0] == '\0' ? "nobody" : cell.principal, WhoName(cell.who),
                         cell.unit[0] == '\0' ? "no unit" : cell.unit,
                         cell.touch[0] == '\0' ? "" : " touching ", cell.touch,
                         OutcomeName(cell.want));
}

// What a status means for the matrix.
std::string Got(const grpc::Status& s) {
  switch (s.error_code()) {
    case grpc::StatusCode::OK:
      return OutcomeName(kOk);
    case grpc::StatusCode::PERMISSION_DENIED:
      return OutcomeName(kDenied);
    case grpc::StatusCode::UNAUTHENTICATED:
      return OutcomeName(kUnauthenticated);
    default:
      return absl::StrCat("status code ", s.error_code());
  }
}

// The failures recorded so far in the running test.
int FailedParts() {
  const ::testing::TestResult* result =
      ::testing::UnitTest::GetInstance()->current_test_info()->result();
  int failed = 0;
  for (int i = 0; i < result->total_part_count(); ++i) {
    failed += result->GetTestPartResult(i).failed() ? 1 : 0;
  }
  return failed;
}

// One test per method: a fresh gateway and schema, then every cell of the method's row. Each cell
// sets up what its request needs directly on the service (a new assessment as of a new date, the
// current etag) so that cells do not depend on one another.
class AuthzMatrixTest : public ::testing::TestWithParam<MethodRow> {
 public:
  // Sends the prepared request through the gateway with the given context.
  using Call = std::function<grpc::Status(grpc::ClientContext*)>;
  // Builds a valid request for a cell, after setting up what it needs.
  using Prepare = Call (AuthzMatrixTest::*)(const Cell&);

  // The request builder of every method, by full name.
  static const std::map<std::string, Prepare>& Preparers() {
    static const auto* const kPreparers = new std::map<std::string, Prepare>{
        {"ntm.notifications.v1.NotificationService.ListNotifications",
         &AuthzMatrixTest::ListNotifications},
        {"ntm.notifications.v1.NotificationService.WatchNotifications",
         &AuthzMatrixTest::WatchNotifications},
        {"ntm.notifications.v1.NotificationService.MarkRead", &AuthzMatrixTest::MarkRead},
        {"ntm.notifications.v1.NotificationService.CreateSubscription",
         &AuthzMatrixTest::CreateSubscription},
        {"ntm.notifications.v1.NotificationService.ListSubscriptions",
         &AuthzMatrixTest::ListSubscriptions},
        {"ntm.notifications.v1.NotificationService.DeleteSubscription",
         &AuthzMatrixTest::DeleteSubscription},
        {"ntm.notifications.v1.NotificationService.ListDeliveries",
         &AuthzMatrixTest::ListDeliveries},
        {"ntm.notifications.v1.NotificationService.SendUrge", &AuthzMatrixTest::SendUrge},
        {"ntm.assessment.v1.CatalogService.ListCriteriaSets", &AuthzMatrixTest::ListCriteriaSets},
        {"ntm.assessment.v1.CatalogService.GetCriteriaSet", &AuthzMatrixTest::GetCriteriaSet},
        {"ntm.assessment.v1.CatalogService.UpdateIndicator", &AuthzMatrixTest::UpdateIndicator},
        {"ntm.assessment.v1.DirectoryService.GetUnit", &AuthzMatrixTest::GetUnit},
        {"ntm.assessment.v1.DirectoryService.ListUnits", &AuthzMatrixTest::ListUnits},
        {"ntm.assessment.v1.DirectoryService.CreateUnit", &AuthzMatrixTest::CreateUnit},
        {"ntm.assessment.v1.DirectoryService.ListAgencies", &AuthzMatrixTest::ListAgencies},
        {"ntm.assessment.v1.DirectoryService.ListOwnerships", &AuthzMatrixTest::ListOwnerships},
        {"ntm.assessment.v1.DirectoryService.UpdateOwnerships", &AuthzMatrixTest::UpdateOwnerships},
        {"ntm.assessment.v1.AssessmentService.CreateAssessment",
         &AuthzMatrixTest::CreateAssessment},
        {"ntm.assessment.v1.AssessmentService.GetAssessment", &AuthzMatrixTest::GetAssessment},
        {"ntm.assessment.v1.AssessmentService.ListAssessments", &AuthzMatrixTest::ListAssessments},
        {"ntm.assessment.v1.AssessmentService.SetIndicatorValues",
         &AuthzMatrixTest::SetIndicatorValues},
        {"ntm.assessment.v1.AssessmentService.SubmitAssessment",
         &AuthzMatrixTest::SubmitAssessment},
        {"ntm.assessment.v1.AssessmentService.ReviewCriterion", &AuthzMatrixTest::ReviewCriterion},
        {"ntm.assessment.v1.AssessmentService.GetCommuneStatus",
         &AuthzMatrixTest::GetCommuneStatus},
        {"ntm.assessment.v1.AssessmentService.GetDistrictMatrix",
         &AuthzMatrixTest::GetDistrictMatrix},
        {"ntm.gateway.v1.AccessService.ListPrincipals", &AuthzMatrixTest::ListPrincipals},
        {"ntm.gateway.v1.AccessService.CreatePrincipal", &AuthzMatrixTest::CreatePrincipal},
        {"ntm.gateway.v1.AccessService.UpdatePrincipal", &AuthzMatrixTest::UpdatePrincipal},
        {"ntm.gateway.v1.AccessService.ListDecisions", &AuthzMatrixTest::ListDecisions},
        {"ntm.plans.v1.DirectiveService.CreateDirective", &AuthzMatrixTest::CreateDirective},
        {"ntm.plans.v1.DirectiveService.GetDirective", &AuthzMatrixTest::GetDirective},
        {"ntm.plans.v1.DirectiveService.ListDirectives", &AuthzMatrixTest::ListDirectives},
        {"ntm.plans.v1.DirectiveService.ExtendDeadline", &AuthzMatrixTest::ExtendDeadline},
        {"ntm.plans.v1.PlanService.CreatePlan", &AuthzMatrixTest::CreatePlan},
        {"ntm.plans.v1.PlanService.GetPlan", &AuthzMatrixTest::GetPlan},
        {"ntm.plans.v1.PlanService.ListPlans", &AuthzMatrixTest::ListPlans},
        {"ntm.plans.v1.PlanService.UpdatePlan", &AuthzMatrixTest::UpdatePlan},
        {"ntm.plans.v1.PlanService.SubmitPlan", &AuthzMatrixTest::SubmitPlan},
        {"ntm.plans.v1.PlanService.AcceptPlan", &AuthzMatrixTest::AcceptPlan},
        {"ntm.plans.v1.PlanService.ReturnPlan", &AuthzMatrixTest::ReturnPlan},
        {"ntm.plans.v1.PlanService.GetSubmissionStatus", &AuthzMatrixTest::GetSubmissionStatus},
        {"ntm.plans.v1.PlanService.GetDistrictPlanSummary",
         &AuthzMatrixTest::GetDistrictPlanSummary},
        {"ntm.registrations.v1.RegistrationService.CreateRegistration",
         &AuthzMatrixTest::CreateRegistration},
        {"ntm.registrations.v1.RegistrationService.GetRegistration",
         &AuthzMatrixTest::GetRegistration},
        {"ntm.registrations.v1.RegistrationService.ListRegistrations",
         &AuthzMatrixTest::ListRegistrations},
        {"ntm.registrations.v1.RegistrationService.UpdateRegistration",
         &AuthzMatrixTest::UpdateRegistration},
        {"ntm.registrations.v1.RegistrationService.SubmitRegistration",
         &AuthzMatrixTest::SubmitRegistration},
        {"ntm.registrations.v1.RegistrationService.AcceptRegistration",
         &AuthzMatrixTest::AcceptRegistration},
        {"ntm.registrations.v1.RegistrationService.ReturnRegistration",
         &AuthzMatrixTest::ReturnRegistration},
        {"ntm.registrations.v1.RegistrationService.GetRegistrationStatus",
         &AuthzMatrixTest::GetRegistrationStatus},
        {"ntm.registrations.v1.RegistrationService.ChooseDistrictModelPoint",
         &AuthzMatrixTest::ChooseDistrictModelPoint},
        {"ntm.registrations.v1.RegistrationService.GetDistrictModelPoint",
         &AuthzMatrixTest::GetDistrictModelPoint},
    };
    return *kPreparers;
  }

 protected:
  void SetUp() override {
    env_ = GatewayEnv::Start();
    ASSERT_NE(env_, nullptr);
    catalog_ = av1::CatalogService::NewStub(env_->channel());
    directory_ = av1::DirectoryService::NewStub(env_->channel());
    assessments_ = av1::AssessmentService::NewStub(env_->channel());
    access_ = gv1::AccessService::NewStub(env_->channel());
    directives_ = pv1::DirectiveService::NewStub(env_->channel());
    plans_ = pv1::PlanService::NewStub(env_->channel());
    registrations_ = rv1::RegistrationService::NewStub(env_->channel());
    notifications_ = nv1::NotificationService::NewStub(env_->channel());
  }

  ServiceEnv& svc() { return env_->service(); }

  // Every row of the assessment and plans services, and a fingerprint of the gateway's principals
  // and their history (not of its decision log, which records refusals), in the form SameRows
  // reads.
  std::string Snapshot() {
    return absl::StrCat(
        svc().Snapshot(), env_->plans().Snapshot(), env_->registrations().Snapshot(),
        env_->notifications().Snapshot(), "## gateway principals (fingerprint)\n",
        env_->GatewayQueryInt(
            "SELECT CAST(COUNT(*) * 4294967296 + COALESCE(SUM(CRC32(CONCAT_WS('|', id, unit_code, "
            "agency_id, roles, display_name, IFNULL(certificate_subject, ''), active, updated_at, "
            "updated_by, version))), 0) AS SIGNED) FROM principals"),
        "\n## gateway principal_changes (rows)\n",
        env_->GatewayQueryInt("SELECT COUNT(*) FROM principal_changes"), "\n");
  }

  // A call of `rpc` on `stub` (a stub of the gateway) with `req`.
  template <typename Stub, typename Req, typename Resp>
  static Call Send(Stub* stub, grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Req&, Resp*),
                   Req req) {
    return [stub, rpc, req = std::move(req)](grpc::ClientContext* ctx) {
      Resp resp;
      return (stub->*rpc)(ctx, req, &resp);
    };
  }

  // A date no earlier cell of this test used, so that each cell gets its own assessment.
  std::string NextDate() { return absl::FormatCivilTime(absl::CivilDay(2023, 1, 1) + sequence_++); }

  // A new draft of `unit`, created directly on the service.
  av1::Assessment Draft(const std::string& unit) {
    av1::CreateAssessmentRequest req;
    req.set_parent(unit);
    req.set_as_of_date(NextDate());
    av1::CreateAssessmentResponse resp;
    EXPECT_THAT(
        svc().assessments().CreateAssessment(ServiceEnv::Context("setup").get(), req, &resp),
        GrpcOk())
        << "set-up: CreateAssessment " << unit;
    return resp.assessment();
  }

  // A new submitted assessment of `unit`, made directly on the service.
  av1::Assessment Submitted(const std::string& unit) {
    const av1::Assessment draft = Draft(unit);
    av1::SubmitAssessmentRequest req;
    req.set_name(draft.name());
    req.set_etag(draft.etag());
    av1::SubmitAssessmentResponse resp;
    EXPECT_THAT(
        svc().assessments().SubmitAssessment(ServiceEnv::Context("setup").get(), req, &resp),
        GrpcOk())
        << "set-up: SubmitAssessment " << draft.name();
    return resp.assessment();
  }

  // A value of the right kind for the indicator.
  av1::IndicatorValue ValidValue(const std::string& code) {
    if (!set_.has_value()) {
      set_ = GetSet(svc());
    }
    const av1::Indicator indicator = FindIndicator(*set_, code);
    av1::IndicatorValue v;
    v.set_indicator_code(code);
    switch (indicator.measure()) {
      case av1::MEASURE_BOOLEAN:
        v.set_boolean_value(true);
        break;
      case av1::MEASURE_NONE_ALLOWED:
        v.set_count_value(0);
        break;
      case av1::MEASURE_COUNT_AT_LEAST:
        v.set_count_value(3);
        break;
      default:
        v.set_number_value(50);
        break;
    }
    return v;
  }

  // ---- one request builder per method ----

  Call ListCriteriaSets(const Cell& cell) {
    av1::ListCriteriaSetsRequest req;
    req.set_scope_unit(cell.unit);
    req.set_view(av1::CRITERIA_SET_VIEW_BASIC);
    return Send(catalog_.get(), &av1::CatalogService::Stub::ListCriteriaSets, req);
  }

  Call GetCriteriaSet(const Cell&) {
    av1::GetCriteriaSetRequest req;
    req.set_name(kSet);
    req.set_view(av1::CRITERIA_SET_VIEW_BASIC);
    return Send(catalog_.get(), &av1::CatalogService::Stub::GetCriteriaSet, req);
  }

  Call UpdateIndicator(const Cell& cell) {
    av1::UpdateIndicatorRequest req;
    *req.mutable_indicator() = FindIndicator(GetSet(svc()), cell.touch);  // its current etag
    req.mutable_indicator()->set_title_en(absl::StrCat("Authorization matrix edit ", sequence_++));
    req.mutable_update_mask()->add_paths("title_en");
    req.set_source("Quyết định 1285/QĐ-UBND ngày 27/9/2022 của UBND tỉnh Lai Châu");
    return Send(catalog_.get(), &av1::CatalogService::Stub::UpdateIndicator, req);
  }

  Call GetUnit(const Cell& cell) {
    av1::GetUnitRequest req;
    req.set_name(cell.unit);
    return Send(directory_.get(), &av1::DirectoryService::Stub::GetUnit, req);
  }

  Call ListUnits(const Cell& cell) {
    av1::ListUnitsRequest req;
    req.set_parent(cell.unit);
    return Send(directory_.get(), &av1::DirectoryService::Stub::ListUnits, req);
  }

  Call CreateUnit(const Cell& cell) {
    // A village code as the demo data makes them (commune code + 3 digits), in a range it leaves
    // free.
    const std::string code = absl::StrFormat("%s8%02d", CodeOf(cell.unit), sequence_++ % 100);
    av1::CreateUnitRequest req;
    req.set_parent(cell.unit);
    req.mutable_unit()->set_code(code);
    req.mutable_unit()->set_display_name(absl::StrCat("Bản Thử ", code));
    req.mutable_unit()->set_level(av1::UNIT_LEVEL_VILLAGE);
    req.mutable_unit()->set_kind("Bản");
    return Send(directory_.get(), &av1::DirectoryService::Stub::CreateUnit, req);
  }

  Call ListAgencies(const Cell& cell) {
    av1::ListAgenciesRequest req;
    req.set_unit(cell.unit);
    return Send(directory_.get(), &av1::DirectoryService::Stub::ListAgencies, req);
  }

  Call ListOwnerships(const Cell& cell) {
    av1::ListOwnershipsRequest req;
    req.set_unit(cell.unit);
    req.set_criteria_set(kSet);
    return Send(directory_.get(), &av1::DirectoryService::Stub::ListOwnerships, req);
  }

  Call UpdateOwnerships(const Cell& cell) {
    av1::ListOwnershipsRequest list;
    list.set_unit(cell.unit);
    list.set_criteria_set(kSet);
    av1::ListOwnershipsResponse current;
    EXPECT_THAT(
        svc().directory().ListOwnerships(ServiceEnv::Context("setup").get(), list, &current),
        GrpcOk())
        << "set-up: ListOwnerships " << cell.unit;
    av1::UpdateOwnershipsRequest req;
    req.set_unit(cell.unit);
    req.set_criteria_set(kSet);
    req.set_etag(current.etag());
    av1::OwnershipAssignment* a = req.add_assignments();
    a->set_criterion_code("5");
    if (std::string(cell.unit) == kTamDuong) {
      // Indicator 5 to Education, which already owns criterion 5 by default.
      a->set_indicator_code("5");
      a->set_agency("agencies/tam-duong-gddt");
    }  // Elsewhere, with no agency to assign, remove the (absent) default owner of criterion 5.
    return Send(directory_.get(), &av1::DirectoryService::Stub::UpdateOwnerships, req);
  }

  Call CreateAssessment(const Cell& cell) {
    av1::CreateAssessmentRequest req;
    req.set_parent(cell.unit);
    req.set_as_of_date(NextDate());
    return Send(assessments_.get(), &av1::AssessmentService::Stub::CreateAssessment, req);
  }

  Call GetAssessment(const Cell& cell) {
    av1::GetAssessmentRequest req;
    req.set_name(Draft(cell.unit).name());
    return Send(assessments_.get(), &av1::AssessmentService::Stub::GetAssessment, req);
  }

  Call ListAssessments(const Cell& cell) {
    Draft(kBanBo);
    av1::ListAssessmentsRequest req;
    req.set_parent(cell.unit);
    return Send(assessments_.get(), &av1::AssessmentService::Stub::ListAssessments, req);
  }

  Call SetIndicatorValues(const Cell& cell) {
    const av1::Assessment draft = Draft(cell.unit);
    av1::SetIndicatorValuesRequest req;
    req.set_name(draft.name());
    req.set_etag(draft.etag());
    for (absl::string_view code : absl::StrSplit(cell.touch, ',')) {
      *req.add_values() = ValidValue(std::string(code));
    }
    return Send(assessments_.get(), &av1::AssessmentService::Stub::SetIndicatorValues, req);
  }

  Call SubmitAssessment(const Cell& cell) {
    const av1::Assessment draft = Draft(cell.unit);
    av1::SubmitAssessmentRequest req;
    req.set_name(draft.name());
    req.set_etag(draft.etag());
    return Send(assessments_.get(), &av1::AssessmentService::Stub::SubmitAssessment, req);
  }

  Call ReviewCriterion(const Cell& cell) {
    const av1::Assessment submitted = Submitted(cell.unit);
    av1::ReviewCriterionRequest req;
    req.set_name(submitted.name());
    req.set_etag(submitted.etag());
    req.set_criterion_code(cell.touch);
    req.set_verdict(av1::REVIEW_VERDICT_CONFIRMED);
    return Send(assessments_.get(), &av1::AssessmentService::Stub::ReviewCriterion, req);
  }

  Call GetCommuneStatus(const Cell& cell) {
    const av1::Assessment draft = Draft(cell.unit);
    av1::GetCommuneStatusRequest req;
    req.set_unit(cell.unit);
    req.set_as_of_date(draft.as_of_date());
    return Send(assessments_.get(), &av1::AssessmentService::Stub::GetCommuneStatus, req);
  }

  Call GetDistrictMatrix(const Cell& cell) {
    const av1::Assessment draft = Draft(kBanBo);
    av1::GetDistrictMatrixRequest req;
    req.set_unit(cell.unit);
    req.set_as_of_date(draft.as_of_date());
    return Send(assessments_.get(), &av1::AssessmentService::Stub::GetDistrictMatrix, req);
  }

  Call ListPrincipals(const Cell& cell) {
    gv1::ListPrincipalsRequest req;
    req.set_parent(cell.unit);
    return Send(access_.get(), &gv1::AccessService::Stub::ListPrincipals, req);
  }

  Call CreatePrincipal(const Cell& cell) {
    gv1::CreatePrincipalRequest req;
    req.mutable_principal()->set_id(absl::StrCat("ma-tran-", sequence_++));
    req.mutable_principal()->set_unit(cell.unit);
    req.mutable_principal()->add_roles(ntm::api::v1::ROLE_COMMUNE_OFFICER);
    req.mutable_principal()->set_display_name("Cán bộ xã (ma trận phân quyền)");
    return Send(access_.get(), &gv1::AccessService::Stub::CreatePrincipal, req);
  }

  Call UpdatePrincipal(const Cell& cell) {
    static const auto* const kPrincipalOf = new std::map<std::string, std::string>{
        {kBanBo, kBanBoOfficer}, {kTamDuong, "tam-duong-ktht"}, {kLaiChau, kProvince}};
    auto target = kPrincipalOf->find(cell.unit);
    if (target == kPrincipalOf->end()) {
      ADD_FAILURE() << "no principal to update in " << cell.unit;
      return nullptr;
    }
    gv1::UpdatePrincipalRequest req;
    req.mutable_principal()->set_id(target->second);
    req.mutable_principal()->set_unit(cell.unit);
    req.mutable_principal()->set_display_name(absl::StrCat("Đổi tên lần ", sequence_++));
    req.mutable_update_mask()->add_paths("display_name");
    return Send(access_.get(), &gv1::AccessService::Stub::UpdatePrincipal, req);
  }

  Call ListDecisions(const Cell& cell) {
    gv1::ListDecisionsRequest req;
    req.set_unit(cell.unit);
    return Send(access_.get(), &gv1::AccessService::Stub::ListDecisions, req);
  }

  // ---- plans: set-up made directly on the plans service ----

  // The district of a commune the cells name.
  static std::string DistrictOf(const std::string& commune) {
    return commune == kSungPhai ? kTpLaiChau : kTamDuong;
  }

  // A new directive of `issuer` with a new id, asking for a plan by 10/02/2024, addressed to
  // `units` (none: every commune below the issuer).
  pv1::CreateDirectiveRequest DirectiveRequest(const std::string& issuer,
                                               const std::vector<std::string>& units) {
    const int n = sequence_++;
    pv1::CreateDirectiveRequest req;
    req.set_parent(issuer);
    req.set_directive_id(absl::StrCat("ma-tran-", n));
    pv1::Directive* d = req.mutable_directive();
    d->set_document_number(absl::StrCat(n, "/UBND-NN"));
    d->set_issue_date("2024-01-10");
    // A year of its own: a commune registers once per year.
    d->set_year(2001 + n);
    d->mutable_deadline()->set_seconds(1707584399);  // 2024-02-10 23:59:59 +07:00
    d->add_deliverables(pv1::DELIVERABLE_PLAN);
    d->add_deliverables(pv1::DELIVERABLE_REGISTRATION);
    d->set_title("Kế hoạch xây dựng NTM năm 2024 (ma trận phân quyền)");
    for (const std::string& u : units) {
      d->add_addressed_units()->set_unit(u);
    }
    return req;
  }

  pv1::Directive SetUpDirective(const std::string& issuer, const std::vector<std::string>& units) {
    pv1::CreateDirectiveResponse resp;
    EXPECT_THAT(env_->plans().directives().CreateDirective(ServiceEnv::Context("setup").get(),
                                                           DirectiveRequest(issuer, units), &resp),
                GrpcOk())
        << "set-up: CreateDirective " << issuer;
    return resp.directive();
  }

  // A new draft plan of `commune` (with a submitted assessment to start from) for a new directive
  // of its district; submitted when asked.
  pv1::Plan SetUpPlan(const std::string& commune, bool submit) {
    Submitted(commune);
    const pv1::Directive d = SetUpDirective(DistrictOf(commune), {commune});
    pv1::CreatePlanRequest req;
    req.set_parent(commune);
    req.set_directive(d.name());
    pv1::CreatePlanResponse created;
    EXPECT_THAT(env_->plans().plans().CreatePlan(ServiceEnv::Context("setup").get(), req, &created),
                GrpcOk())
        << "set-up: CreatePlan " << commune;
    if (!submit) {
      return created.plan();
    }
    pv1::SubmitPlanRequest sub;
    sub.set_name(created.plan().name());
    pv1::SubmitPlanResponse submitted;
    EXPECT_THAT(
        env_->plans().plans().SubmitPlan(ServiceEnv::Context("setup").get(), sub, &submitted),
        GrpcOk())
        << "set-up: SubmitPlan " << commune;
    return submitted.plan();
  }

  Call CreateDirective(const Cell& cell) {
    return Send(directives_.get(), &pv1::DirectiveService::Stub::CreateDirective,
                DirectiveRequest(cell.unit, {}));
  }

  Call GetDirective(const Cell& cell) {
    pv1::GetDirectiveRequest req;
    req.set_name(SetUpDirective(cell.unit, {}).name());
    return Send(directives_.get(), &pv1::DirectiveService::Stub::GetDirective, req);
  }

  Call ListDirectives(const Cell& cell) {
    SetUpDirective(cell.unit, {});
    pv1::ListDirectivesRequest req;
    req.set_parent(cell.unit);
    return Send(directives_.get(), &pv1::DirectiveService::Stub::ListDirectives, req);
  }

  Call ExtendDeadline(const Cell& cell) {
    const pv1::Directive d = SetUpDirective(cell.unit, {});
    pv1::ExtendDeadlineRequest req;
    req.set_name(d.name());
    req.set_unit(d.addressed_units(0).unit());
    req.mutable_deadline()->set_seconds(d.deadline().seconds() + 5 * 86400);
    req.set_reason("Đường vào xã bị sạt lở (ma trận phân quyền)");
    return Send(directives_.get(), &pv1::DirectiveService::Stub::ExtendDeadline, req);
  }

  Call CreatePlan(const Cell& cell) {
    Submitted(cell.unit);
    pv1::CreatePlanRequest req;
    req.set_parent(cell.unit);
    req.set_directive(SetUpDirective(DistrictOf(cell.unit), {cell.unit}).name());
    return Send(plans_.get(), &pv1::PlanService::Stub::CreatePlan, req);
  }

  Call GetPlan(const Cell& cell) {
    pv1::GetPlanRequest req;
    req.set_name(SetUpPlan(cell.unit, false).name());
    return Send(plans_.get(), &pv1::PlanService::Stub::GetPlan, req);
  }

  Call ListPlans(const Cell& cell) {
    SetUpPlan(kBanBo, false);
    pv1::ListPlansRequest req;
    req.set_parent(cell.unit);
    return Send(plans_.get(), &pv1::PlanService::Stub::ListPlans, req);
  }

  Call UpdatePlan(const Cell& cell) {
    pv1::UpdatePlanRequest req;
    req.mutable_plan()->set_name(SetUpPlan(cell.unit, false).name());
    req.mutable_plan()->set_solutions("Huy động nhân dân góp công (ma trận phân quyền)");
    req.mutable_update_mask()->add_paths("solutions");
    return Send(plans_.get(), &pv1::PlanService::Stub::UpdatePlan, req);
  }

  Call SubmitPlan(const Cell& cell) {
    pv1::SubmitPlanRequest req;
    req.set_name(SetUpPlan(cell.unit, false).name());
    return Send(plans_.get(), &pv1::PlanService::Stub::SubmitPlan, req);
  }

  Call AcceptPlan(const Cell& cell) {
    pv1::AcceptPlanRequest req;
    req.set_name(SetUpPlan(cell.unit, true).name());
    return Send(plans_.get(), &pv1::PlanService::Stub::AcceptPlan, req);
  }

  Call ReturnPlan(const Cell& cell) {
    pv1::ReturnPlanRequest req;
    req.set_name(SetUpPlan(cell.unit, true).name());
    req.add_reasons("Bổ sung nguồn vốn (ma trận phân quyền)");
    return Send(plans_.get(), &pv1::PlanService::Stub::ReturnPlan, req);
  }

  Call GetSubmissionStatus(const Cell& cell) {
    pv1::GetSubmissionStatusRequest req;
    req.set_directive(SetUpDirective(cell.unit, {}).name());
    return Send(plans_.get(), &pv1::PlanService::Stub::GetSubmissionStatus, req);
  }

  Call GetDistrictPlanSummary(const Cell& cell) {
    pv1::GetDistrictPlanSummaryRequest req;
    req.set_directive(SetUpDirective(cell.unit, {}).name());
    return Send(plans_.get(), &pv1::PlanService::Stub::GetDistrictPlanSummary, req);
  }

  // ---- registrations: set-up made directly on the registrations service ----

  // A new registration of `commune` for a new directive of its district; complete when asked
  // (a model point, every village's change, the four endorsements), then submitted when asked.
  rv1::Registration SetUpRegistration(const std::string& commune, bool complete, bool submit) {
    const pv1::Directive d = SetUpDirective(DistrictOf(commune), {commune});
    rv1::CreateRegistrationRequest req;
    req.set_parent(commune);
    req.set_directive(d.name());
    rv1::CreateRegistrationResponse created;
    EXPECT_THAT(env_->registrations().registrations().CreateRegistration(
                    ServiceEnv::Context("setup").get(), req, &created),
                GrpcOk())
        << "set-up: CreateRegistration " << commune;
    rv1::Registration r = created.registration();
    if (!complete) {
      return r;
    }
    rv1::UpdateRegistrationRequest update;
    update.mutable_registration()->set_name(r.name());
    update.mutable_registration()->mutable_model_point()->set_content("Bản sáng - xanh - sạch");
    for (const rv1::VillageStatus& v : r.villages()) {
      rv1::VillageChange* c = update.mutable_registration()->add_village_changes();
      c->set_village(v.village());
      c->set_content("Trồng hoa hai bên đường");
    }
    for (int body = rv1::ENDORSEMENT_BODY_PARTY_COMMITTEE;
         body <= rv1::ENDORSEMENT_BODY_STEERING_COMMITTEE; ++body) {
      rv1::Endorsement* e = update.mutable_registration()->add_endorsements();
      e->set_body(static_cast<rv1::EndorsementBody>(body));
      e->set_signed_by("Lò Văn B");
      e->set_date("2024-01-25");
    }
    for (const char* path : {"model_point", "village_changes", "endorsements"}) {
      update.mutable_update_mask()->add_paths(path);
    }
    rv1::UpdateRegistrationResponse updated;
    EXPECT_THAT(env_->registrations().registrations().UpdateRegistration(
                    ServiceEnv::Context("setup").get(), update, &updated),
                GrpcOk())
        << "set-up: UpdateRegistration " << commune;
    if (!submit) {
      return updated.registration();
    }
    rv1::SubmitRegistrationRequest sub;
    sub.set_name(r.name());
    rv1::SubmitRegistrationResponse submitted;
    EXPECT_THAT(env_->registrations().registrations().SubmitRegistration(
                    ServiceEnv::Context("setup").get(), sub, &submitted),
                GrpcOk())
        << "set-up: SubmitRegistration " << commune;
    return submitted.registration();
  }

  Call CreateRegistration(const Cell& cell) {
    rv1::CreateRegistrationRequest req;
    req.set_parent(cell.unit);
    req.set_directive(SetUpDirective(DistrictOf(cell.unit), {cell.unit}).name());
    return Send(registrations_.get(), &rv1::RegistrationService::Stub::CreateRegistration, req);
  }

  Call GetRegistration(const Cell& cell) {
    rv1::GetRegistrationRequest req;
    req.set_name(SetUpRegistration(cell.unit, false, false).name());
    return Send(registrations_.get(), &rv1::RegistrationService::Stub::GetRegistration, req);
  }

  Call ListRegistrations(const Cell& cell) {
    SetUpRegistration(kBanBo, false, false);
    rv1::ListRegistrationsRequest req;
    req.set_parent(cell.unit);
    return Send(registrations_.get(), &rv1::RegistrationService::Stub::ListRegistrations, req);
  }

  Call UpdateRegistration(const Cell& cell) {
    rv1::UpdateRegistrationRequest req;
    req.mutable_registration()->set_name(SetUpRegistration(cell.unit, false, false).name());
    req.mutable_registration()->mutable_model_point()->set_content(
        "Bản sáng - xanh - sạch - đẹp (ma trận phân quyền)");
    req.mutable_update_mask()->add_paths("model_point");
    return Send(registrations_.get(), &rv1::RegistrationService::Stub::UpdateRegistration, req);
  }

  Call SubmitRegistration(const Cell& cell) {
    rv1::SubmitRegistrationRequest req;
    req.set_name(SetUpRegistration(cell.unit, true, false).name());
    return Send(registrations_.get(), &rv1::RegistrationService::Stub::SubmitRegistration, req);
  }

  Call AcceptRegistration(const Cell& cell) {
    rv1::AcceptRegistrationRequest req;
    req.set_name(SetUpRegistration(cell.unit, true, true).name());
    return Send(registrations_.get(), &rv1::RegistrationService::Stub::AcceptRegistration, req);
  }

  Call ReturnRegistration(const Cell& cell) {
    rv1::ReturnRegistrationRequest req;
    req.set_name(SetUpRegistration(cell.unit, true, true).name());
    req.add_reasons("Bổ sung địa điểm (ma trận phân quyền)");
    return Send(registrations_.get(), &rv1::RegistrationService::Stub::ReturnRegistration, req);
  }

  Call GetRegistrationStatus(const Cell& cell) {
    rv1::GetRegistrationStatusRequest req;
    req.set_directive(SetUpDirective(cell.unit, {}).name());
    return Send(registrations_.get(), &rv1::RegistrationService::Stub::GetRegistrationStatus, req);
  }

  Call ChooseDistrictModelPoint(const Cell& cell) {
    rv1::ChooseDistrictModelPointRequest req;
    req.set_directive(SetUpDirective(cell.unit, {}).name());
    req.mutable_model_point()->set_content("Chợ phiên an toàn thực phẩm (ma trận phân quyền)");
    req.set_reason("Huyện tự chọn");
    return Send(registrations_.get(), &rv1::RegistrationService::Stub::ChooseDistrictModelPoint,
                req);
  }

  Call GetDistrictModelPoint(const Cell& cell) {
    rv1::ChooseDistrictModelPointRequest choose;
    choose.set_directive(SetUpDirective(cell.unit, {}).name());
    choose.mutable_model_point()->set_content("Chợ phiên an toàn thực phẩm");
    rv1::ChooseDistrictModelPointResponse chosen;
    EXPECT_THAT(env_->registrations().registrations().ChooseDistrictModelPoint(
                    ServiceEnv::Context("setup").get(), choose, &chosen),
                GrpcOk())
        << "set-up: ChooseDistrictModelPoint " << cell.unit;
    rv1::GetDistrictModelPointRequest req;
    req.set_directive(choose.directive());
    return Send(registrations_.get(), &rv1::RegistrationService::Stub::GetDistrictModelPoint, req);
  }

  // ---- notifications ----

  // A new notification in `inbox`, added directly on the service; its name.
  std::string Notice(const std::string& inbox) {
    notifications::Notification n;
    n.inbox = inbox;
    n.kind = notifications::Kind::kUrge;
    n.title = "Thông báo thử của ma trận phân quyền";
    n.body = "Nội dung thử";
    n.sender = "setup";
    n.dedupe_key = absl::StrCat("matrix/", sequence_++);
    std::optional<int64_t> id;
    EXPECT_TRUE(env_->notifications()
                    .repo()
                    .InTransaction([&](notifications::NotificationTx& tx) {
                      id = tx.AddNotification(n, svc().clock().Now());
                      return absl::OkStatus();
                    })
                    .ok());
    return absl::StrCat(inbox, "/notifications/", id.value_or(0));
  }

  Call ListNotifications(const Cell& cell) {
    nv1::ListNotificationsRequest req;
    req.set_parent(cell.unit);
    return Send(notifications_.get(), &nv1::NotificationService::Stub::ListNotifications, req);
  }

  // Allowed: the stream delivers the notice added after `after`, then the caller cancels it.
  Call WatchNotifications(const Cell& cell) {
    nv1::WatchNotificationsRequest req;
    req.set_parent(cell.unit);
    req.set_after(Notice(cell.unit));
    Notice(cell.unit);
    auto* stub = notifications_.get();
    return [stub, req](grpc::ClientContext* ctx) {
      ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
      std::unique_ptr<grpc::ClientReader<nv1::WatchNotificationsResponse>> reader =
          stub->WatchNotifications(ctx, req);
      nv1::WatchNotificationsResponse first;
      if (reader->Read(&first)) {
        ctx->TryCancel();
        reader->Finish();
        return grpc::Status::OK;
      }
      return reader->Finish();
    };
  }

  Call MarkRead(const Cell& cell) {
    nv1::MarkReadRequest req;
    req.set_parent(cell.unit);
    req.add_names(Notice(cell.unit));
    return Send(notifications_.get(), &nv1::NotificationService::Stub::MarkRead, req);
  }

  Call CreateSubscription(const Cell& cell) {
    nv1::CreateSubscriptionRequest req;
    req.set_parent(cell.unit);
    req.mutable_subscription()->set_channel(nv1::CHANNEL_EMAIL);
    req.mutable_subscription()->set_address(
        absl::StrCat("hop-thu-", sequence_++, "@tamduong.laichau.gov.vn"));
    return Send(notifications_.get(), &nv1::NotificationService::Stub::CreateSubscription, req);
  }

  Call ListSubscriptions(const Cell& cell) {
    nv1::ListSubscriptionsRequest req;
    req.set_parent(cell.unit);
    return Send(notifications_.get(), &nv1::NotificationService::Stub::ListSubscriptions, req);
  }

  Call DeleteSubscription(const Cell& cell) {
    notifications::Subscription sub;
    sub.inbox = cell.unit;
    sub.channel = notifications::Channel::kEmail;
    sub.address = absl::StrCat("xoa-", sequence_++, "@tamduong.laichau.gov.vn");
    absl::StatusOr<notifications::Subscription> made =
        env_->notifications().app().Subscribe(Caller{"setup", ""}, sub);
    EXPECT_TRUE(made.ok()) << made.status();
    nv1::DeleteSubscriptionRequest req;
    req.set_name(absl::StrCat(cell.unit, "/subscriptions/", made.ok() ? made->id : 0));
    return Send(notifications_.get(), &nv1::NotificationService::Stub::DeleteSubscription, req);
  }

  Call ListDeliveries(const Cell& cell) {
    nv1::ListDeliveriesRequest req;
    req.set_parent(cell.unit);
    return Send(notifications_.get(), &nv1::NotificationService::Stub::ListDeliveries, req);
  }

  Call SendUrge(const Cell& cell) {
    nv1::SendUrgeRequest req;
    req.set_parent(cell.unit);
    req.add_units(std::string(cell.unit) == kTpLaiChau ? kSungPhai : kBanBo);
    for (absl::string_view code : absl::StrSplit(cell.touch, ',')) {
      req.add_indicator_codes(std::string(code));
    }
    req.set_message("Đề nghị xã khẩn trương hoàn thành chỉ tiêu (ma trận phân quyền)");
    req.set_request_id(absl::StrCat("matrix-", sequence_++));
    return Send(notifications_.get(), &nv1::NotificationService::Stub::SendUrge, req);
  }

  std::unique_ptr<GatewayEnv> env_;
  std::unique_ptr<av1::CatalogService::Stub> catalog_;
  std::unique_ptr<av1::DirectoryService::Stub> directory_;
  std::unique_ptr<av1::AssessmentService::Stub> assessments_;
  std::unique_ptr<gv1::AccessService::Stub> access_;
  std::unique_ptr<pv1::DirectiveService::Stub> directives_;
  std::unique_ptr<pv1::PlanService::Stub> plans_;
  std::unique_ptr<rv1::RegistrationService::Stub> registrations_;
  std::unique_ptr<nv1::NotificationService::Stub> notifications_;
  std::optional<av1::CriteriaSet> set_;
  int sequence_ = 0;
};

TEST_P(AuthzMatrixTest, EveryCallerGetsTheOutcomeOfTheTable) {
  const MethodRow& row = GetParam();
  auto prepare = Preparers().find(row.method);
  ASSERT_NE(prepare, Preparers().end()) << "no request builder for " << row.method;
  for (const Cell& cell : row.cells) {
    const std::string what = Describe(row, cell);
    Call call;
    {
      SCOPED_TRACE(what);
      const int failures = FailedParts();
      call = (this->*(prepare->second))(cell);
      if (FailedParts() > failures) {
        continue;  // the set-up failed; the cell would prove nothing
      }
    }
    const std::string before = Snapshot();
    const grpc::Status status = call(GatewayEnv::As(cell.principal).get());
    const std::string after = Snapshot();

    EXPECT_EQ(Got(status), OutcomeName(cell.want))
        << what << "; got \"" << status.error_message() << "\"";
    switch (cell.want) {
      case kOk:
        if (!status.ok()) {
          break;
        }
        if (row.writes) {
          EXPECT_FALSE(before == after) << what << ": the allowed change changed no row";
        } else {
          EXPECT_TRUE(SameRows(before, after)) << what << ": a read changed rows";
        }
        break;
      case kDenied:
        // The gateway refuses, before the backend sees the call.
        if (status.error_code() == grpc::StatusCode::PERMISSION_DENIED) {
          EXPECT_TRUE(absl::StartsWith(status.error_message(), "denied by rule"))
              << what << ": refused by the backend (\"" << status.error_message()
              << "\"), not by the gateway's rules";
        }
        EXPECT_TRUE(SameRows(before, after)) << what << ": a refused call changed rows";
        break;
      case kUnauthenticated:
        EXPECT_TRUE(SameRows(before, after)) << what << ": a refused call changed rows";
        break;
    }
  }
}

// "ntm.assessment.v1.CatalogService.GetCriteriaSet" -> "CatalogService_GetCriteriaSet".
std::string RowName(const ::testing::TestParamInfo<MethodRow>& info) {
  std::vector<std::string> parts = absl::StrSplit(info.param.method, '.');
  return parts.size() < 2 ? std::string("unnamed")
                          : absl::StrCat(parts[parts.size() - 2], "_", parts.back());
}

INSTANTIATE_TEST_SUITE_P(ServedMethods, AuthzMatrixTest, ::testing::ValuesIn(Matrix()), RowName);

// A method cannot be served without its row: the table must name every method of the served
// services, and only those, once each, with a request builder and a cell for every kind of caller.
TEST(AuthzMatrixCoverageTest, EveryServedMethodHasARowOfEveryKindOfCaller) {
  std::set<std::string> served;
  for (const ServedService& service : ServedServices()) {
    ASSERT_NE(service.descriptor, nullptr);
    for (int m = 0; m < service.descriptor->method_count(); ++m) {
      served.insert(service.descriptor->method(m)->full_name());
    }
  }
  ASSERT_FALSE(served.empty());

  std::map<std::string, const MethodRow*> rows;
  for (const MethodRow& row : Matrix()) {
    EXPECT_TRUE(rows.emplace(row.method, &row).second) << row.method << " has two rows";
  }
  for (const std::string& method : served) {
    EXPECT_TRUE(rows.contains(method))
        << method << " is served by the gateway but has no row in the authorization matrix; add "
        << "one to Matrix() with the expected outcome for every kind of caller, and a request "
        << "builder to AuthzMatrixTest::Preparers()";
    EXPECT_TRUE(AuthzMatrixTest::Preparers().contains(method))
        << method << " has no request builder in AuthzMatrixTest::Preparers()";
  }
  for (const auto& [method, row] : rows) {
    EXPECT_TRUE(served.contains(method))
        << method << " has a row in the matrix but is not served by the gateway";
    std::set<Who> present;
    for (const Cell& cell : row->cells) {
      present.insert(cell.who);
      EXPECT_EQ(cell.principal[0] == '\0', cell.who == kNoCredentials)
          << method << ": only the anonymous cells call without credentials";
    }
    for (int w = 0; w < kWhoCount; ++w) {
      EXPECT_TRUE(present.contains(static_cast<Who>(w)))
          << method << " has no cell for a " << WhoName(static_cast<Who>(w));
    }
  }
}

}  // namespace
}  // namespace ntm::gateway
