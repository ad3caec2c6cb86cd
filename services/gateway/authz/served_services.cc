#include "services/gateway/authz/served_services.h"

#include "ntm/assessment/v1/assessment.pb.h"
#include "ntm/assessment/v1/catalog.pb.h"
#include "ntm/assessment/v1/directory.pb.h"
#include "ntm/gateway/v1/access.pb.h"
#include "ntm/notifications/v1/events.pb.h"
#include "ntm/notifications/v1/notification.pb.h"
#include "ntm/plans/v1/directive.pb.h"
#include "ntm/plans/v1/plan.pb.h"
#include "ntm/registrations/v1/registration.pb.h"

namespace ntm::gateway {
namespace {

// Going through a message of the service's file links that file's descriptors into the binary
// (naming only the service class would not).
const google::protobuf::ServiceDescriptor* Find(const google::protobuf::Descriptor* message,
                                                const char* service) {
  return message->file()->FindServiceByName(service);
}

}  // namespace

const std::vector<ServedService>& ServedServices() {
  namespace v1 = ntm::assessment::v1;
  static const auto* const kServices = new std::vector<ServedService>{
      {Find(v1::GetCriteriaSetRequest::descriptor(), "CatalogService"), "assessment"},
      {Find(v1::GetUnitRequest::descriptor(), "DirectoryService"), "assessment"},
      {Find(v1::GetAssessmentRequest::descriptor(), "AssessmentService"), "assessment"},
      {Find(ntm::plans::v1::GetDirectiveRequest::descriptor(), "DirectiveService"), "plans"},
      {Find(ntm::plans::v1::GetPlanRequest::descriptor(), "PlanService"), "plans"},
      {Find(ntm::registrations::v1::GetRegistrationRequest::descriptor(), "RegistrationService"),
       "registrations"},
      {Find(ntm::notifications::v1::ListNotificationsRequest::descriptor(), "NotificationService"),
       "notifications"},
      // Served by the gateway process itself, behind the same pipeline.
      {Find(ntm::gateway::v1::ListDecisionsRequest::descriptor(), "AccessService"), "gateway"},
  };
  return *kServices;
}

std::vector<const google::protobuf::ServiceDescriptor*> InternalServiceDescriptors() {
  // Linked in so that tests can check the gateway leaves them alone.
  return {ntm::notifications::v1::PublishEventsRequest::descriptor()->file()->FindServiceByName(
      "EventIngestService")};
}

std::vector<const google::protobuf::ServiceDescriptor*> ServedServiceDescriptors() {
  std::vector<const google::protobuf::ServiceDescriptor*> out;
  for (const auto& s : ServedServices()) {
    out.push_back(s.descriptor);
  }
  return out;
}

}  // namespace ntm::gateway
