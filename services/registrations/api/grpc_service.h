// The gRPC service of the registrations service (callback API): requests are parsed here (errors
// name the request field), the use cases run on the bounded executor, answers are converted back.
#ifndef NTM_SERVICES_REGISTRATIONS_API_GRPC_SERVICE_H_
#define NTM_SERVICES_REGISTRATIONS_API_GRPC_SERVICE_H_

#include "ntm/registrations/v1/registration.grpc.pb.h"
#include "services/common/rpc.h"
#include "services/registrations/app/registrations_app.h"

namespace ntm::registrations::api {

namespace pb = ::ntm::registrations::v1;

class RegistrationGrpcService final : public pb::RegistrationService::CallbackService {
 public:
  RegistrationGrpcService(RegistrationsApp* app, RpcRunner* runner) : app_(app), runner_(runner) {}
  grpc::ServerUnaryReactor* CreateRegistration(grpc::CallbackServerContext* ctx,
                                               const pb::CreateRegistrationRequest* req,
                                               pb::CreateRegistrationResponse* resp) override;
  grpc::ServerUnaryReactor* GetRegistration(grpc::CallbackServerContext* ctx,
                                            const pb::GetRegistrationRequest* req,
                                            pb::GetRegistrationResponse* resp) override;
  grpc::ServerUnaryReactor* ListRegistrations(grpc::CallbackServerContext* ctx,
                                              const pb::ListRegistrationsRequest* req,
                                              pb::ListRegistrationsResponse* resp) override;
  grpc::ServerUnaryReactor* UpdateRegistration(grpc::CallbackServerContext* ctx,
                                               const pb::UpdateRegistrationRequest* req,
                                               pb::UpdateRegistrationResponse* resp) override;
  grpc::ServerUnaryReactor* SubmitRegistration(grpc::CallbackServerContext* ctx,
                                               const pb::SubmitRegistrationRequest* req,
                                               pb::SubmitRegistrationResponse* resp) override;
  grpc::ServerUnaryReactor* AcceptRegistration(grpc::CallbackServerContext* ctx,
                                               const pb::AcceptRegistrationRequest* req,
                                               pb::AcceptRegistrationResponse* resp) override;
  grpc::ServerUnaryReactor* ReturnRegistration(grpc::CallbackServerContext* ctx,
                                               const pb::ReturnRegistrationRequest* req,
                                               pb::ReturnRegistrationResponse* resp) override;
  grpc::ServerUnaryReactor* GetRegistrationStatus(grpc::CallbackServerContext* ctx,
                                                  const pb::GetRegistrationStatusRequest* req,
                                                  pb::GetRegistrationStatusResponse* resp) override;
  grpc::ServerUnaryReactor* ChooseDistrictModelPoint(
      grpc::CallbackServerContext* ctx, const pb::ChooseDistrictModelPointRequest* req,
      pb::ChooseDistrictModelPointResponse* resp) override;
  grpc::ServerUnaryReactor* GetDistrictModelPoint(grpc::CallbackServerContext* ctx,
                                                  const pb::GetDistrictModelPointRequest* req,
                                                  pb::GetDistrictModelPointResponse* resp) override;

 private:
  RegistrationsApp* app_;
  RpcRunner* runner_;
};

}  // namespace ntm::registrations::api

#endif  // NTM_SERVICES_REGISTRATIONS_API_GRPC_SERVICE_H_
