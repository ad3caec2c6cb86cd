// The services the gateway serves, by their descriptors. Linking them here is what puts their
// contracts (and their authorization rules) into the gateway.
#ifndef NTM_SERVICES_GATEWAY_AUTHZ_SERVED_SERVICES_H_
#define NTM_SERVICES_GATEWAY_AUTHZ_SERVED_SERVICES_H_

#include <string>
#include <vector>

#include "google/protobuf/descriptor.h"

namespace ntm::gateway {

struct ServedService {
  const google::protobuf::ServiceDescriptor* descriptor;
  // The backend that implements it: "assessment", "plans", …
  std::string backend;
};

const std::vector<ServedService>& ServedServices();
std::vector<const google::protobuf::ServiceDescriptor*> ServedServiceDescriptors();
// The services marked (ntm.api.v1.internal): linked in, never served.
std::vector<const google::protobuf::ServiceDescriptor*> InternalServiceDescriptors();

}  // namespace ntm::gateway

#endif  // NTM_SERVICES_GATEWAY_AUTHZ_SERVED_SERVICES_H_
