// The gRPC services of the plans service (callback API): requests are parsed here (errors name
// the request field), the use cases run on the bounded executor, answers are converted back.
#ifndef NTM_SERVICES_PLANS_API_GRPC_SERVICES_H_
#define NTM_SERVICES_PLANS_API_GRPC_SERVICES_H_

#include "ntm/plans/v1/directive.grpc.pb.h"
#include "ntm/plans/v1/plan.grpc.pb.h"
#include "services/common/rpc.h"
#include "services/plans/app/plans_app.h"

namespace ntm::plans::api {

namespace pb = ::ntm::plans::v1;

class DirectiveGrpcService final : public pb::DirectiveService::CallbackService {
 public:
  DirectiveGrpcService(PlansApp* app, RpcRunner* runner) : app_(app), runner_(runner) {}
  grpc::ServerUnaryReactor* CreateDirective(grpc::CallbackServerContext* ctx,
                                            const pb::CreateDirectiveRequest* req,
                                            pb::CreateDirectiveResponse* resp) override;
  grpc::ServerUnaryReactor* GetDirective(grpc::CallbackServerContext* ctx,
                                         const pb::GetDirectiveRequest* req,
                                         pb::GetDirectiveResponse* resp) override;
  grpc::ServerUnaryReactor* ListDirectives(grpc::CallbackServerContext* ctx,
                                           const pb::ListDirectivesRequest* req,
                                           pb::ListDirectivesResponse* resp) override;
  grpc::ServerUnaryReactor* ExtendDeadline(grpc::CallbackServerContext* ctx,
                                           const pb::ExtendDeadlineRequest* req,
                                           pb::ExtendDeadlineResponse* resp) override;

 private:
  PlansApp* app_;
  RpcRunner* runner_;
};

class PlanGrpcService final : public pb::PlanService::CallbackService {
 public:
  PlanGrpcService(PlansApp* app, RpcRunner* runner) : app_(app), runner_(runner) {}
  grpc::ServerUnaryReactor* CreatePlan(grpc::CallbackServerContext* ctx,
                                       const pb::CreatePlanRequest* req,
                                       pb::CreatePlanResponse* resp) override;
  grpc::ServerUnaryReactor* GetPlan(grpc::CallbackServerContext* ctx, const pb::GetPlanRequest* req,
                                    pb::GetPlanResponse* resp) override;
  grpc::ServerUnaryReactor* ListPlans(grpc::CallbackServerContext* ctx,
                                      const pb::ListPlansRequest* req,
                                      pb::ListPlansResponse* resp) override;
  grpc::ServerUnaryReactor* UpdatePlan(grpc::CallbackServerContext* ctx,
                                       const pb::UpdatePlanRequest* req,
                                       pb::UpdatePlanResponse* resp) override;
  grpc::ServerUnaryReactor* SubmitPlan(grpc::CallbackServerContext* ctx,
                                       const pb::SubmitPlanRequest* req,
                                       pb::SubmitPlanResponse* resp) override;
  grpc::ServerUnaryReactor* AcceptPlan(grpc::CallbackServerContext* ctx,
                                       const pb::AcceptPlanRequest* req,
                                       pb::AcceptPlanResponse* resp) override;
  grpc::ServerUnaryReactor* ReturnPlan(grpc::CallbackServerContext* ctx,
                                       const pb::ReturnPlanRequest* req,
                                       pb::ReturnPlanResponse* resp) override;
  grpc::ServerUnaryReactor* GetSubmissionStatus(grpc::CallbackServerContext* ctx,
                                                const pb::GetSubmissionStatusRequest* req,
                                                pb::GetSubmissionStatusResponse* resp) override;
  grpc::ServerUnaryReactor* GetDistrictPlanSummary(
      grpc::CallbackServerContext* ctx, const pb::GetDistrictPlanSummaryRequest* req,
      pb::GetDistrictPlanSummaryResponse* resp) override;

 private:
  PlansApp* app_;
  RpcRunner* runner_;
};

}  // namespace ntm::plans::api

#endif  // NTM_SERVICES_PLANS_API_GRPC_SERVICES_H_
