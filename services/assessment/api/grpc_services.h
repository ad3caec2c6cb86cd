// The gRPC services of the assessment service (callback API). Each handler converts the request,
// calls the domain on the bounded executor and converts the answer back.
#ifndef NTM_SERVICES_ASSESSMENT_API_GRPC_SERVICES_H_
#define NTM_SERVICES_ASSESSMENT_API_GRPC_SERVICES_H_

#include "ntm/assessment/v1/assessment.grpc.pb.h"
#include "ntm/assessment/v1/catalog.grpc.pb.h"
#include "ntm/assessment/v1/directory.grpc.pb.h"
#include "services/assessment/domain/app.h"
#include "services/common/rpc.h"

namespace ntm::assessment::api {

namespace pb = ::ntm::assessment::v1;

class CatalogGrpcService final : public pb::CatalogService::CallbackService {
 public:
  CatalogGrpcService(AssessmentApp* app, RpcRunner* runner) : app_(app), runner_(runner) {}
  grpc::ServerUnaryReactor* ListCriteriaSets(grpc::CallbackServerContext* ctx,
                                             const pb::ListCriteriaSetsRequest* req,
                                             pb::ListCriteriaSetsResponse* resp) override;
  grpc::ServerUnaryReactor* GetCriteriaSet(grpc::CallbackServerContext* ctx,
                                           const pb::GetCriteriaSetRequest* req,
                                           pb::GetCriteriaSetResponse* resp) override;
  grpc::ServerUnaryReactor* UpdateIndicator(grpc::CallbackServerContext* ctx,
                                            const pb::UpdateIndicatorRequest* req,
                                            pb::UpdateIndicatorResponse* resp) override;

 private:
  AssessmentApp* app_;
  RpcRunner* runner_;
};

class DirectoryGrpcService final : public pb::DirectoryService::CallbackService {
 public:
  DirectoryGrpcService(AssessmentApp* app, RpcRunner* runner) : app_(app), runner_(runner) {}
  grpc::ServerUnaryReactor* GetUnit(grpc::CallbackServerContext* ctx, const pb::GetUnitRequest* req,
                                    pb::GetUnitResponse* resp) override;
  grpc::ServerUnaryReactor* ListUnits(grpc::CallbackServerContext* ctx,
                                      const pb::ListUnitsRequest* req,
                                      pb::ListUnitsResponse* resp) override;
  grpc::ServerUnaryReactor* CreateUnit(grpc::CallbackServerContext* ctx,
                                       const pb::CreateUnitRequest* req,
                                       pb::CreateUnitResponse* resp) override;
  grpc::ServerUnaryReactor* ListAgencies(grpc::CallbackServerContext* ctx,
                                         const pb::ListAgenciesRequest* req,
                                         pb::ListAgenciesResponse* resp) override;
  grpc::ServerUnaryReactor* ListOwnerships(grpc::CallbackServerContext* ctx,
                                           const pb::ListOwnershipsRequest* req,
                                           pb::ListOwnershipsResponse* resp) override;
  grpc::ServerUnaryReactor* UpdateOwnerships(grpc::CallbackServerContext* ctx,
                                             const pb::UpdateOwnershipsRequest* req,
                                             pb::UpdateOwnershipsResponse* resp) override;

 private:
  AssessmentApp* app_;
  RpcRunner* runner_;
};

class AssessmentGrpcService final : public pb::AssessmentService::CallbackService {
 public:
  AssessmentGrpcService(AssessmentApp* app, RpcRunner* runner) : app_(app), runner_(runner) {}
  grpc::ServerUnaryReactor* CreateAssessment(grpc::CallbackServerContext* ctx,
                                             const pb::CreateAssessmentRequest* req,
                                             pb::CreateAssessmentResponse* resp) override;
  grpc::ServerUnaryReactor* GetAssessment(grpc::CallbackServerContext* ctx,
                                          const pb::GetAssessmentRequest* req,
                                          pb::GetAssessmentResponse* resp) override;
  grpc::ServerUnaryReactor* ListAssessments(grpc::CallbackServerContext* ctx,
                                            const pb::ListAssessmentsRequest* req,
                                            pb::ListAssessmentsResponse* resp) override;
  grpc::ServerUnaryReactor* SetIndicatorValues(grpc::CallbackServerContext* ctx,
                                               const pb::SetIndicatorValuesRequest* req,
                                               pb::SetIndicatorValuesResponse* resp) override;
  grpc::ServerUnaryReactor* SubmitAssessment(grpc::CallbackServerContext* ctx,
                                             const pb::SubmitAssessmentRequest* req,
                                             pb::SubmitAssessmentResponse* resp) override;
  grpc::ServerUnaryReactor* ReviewCriterion(grpc::CallbackServerContext* ctx,
                                            const pb::ReviewCriterionRequest* req,
                                            pb::ReviewCriterionResponse* resp) override;
  grpc::ServerUnaryReactor* GetCommuneStatus(grpc::CallbackServerContext* ctx,
                                             const pb::GetCommuneStatusRequest* req,
                                             pb::GetCommuneStatusResponse* resp) override;
  grpc::ServerUnaryReactor* GetDistrictMatrix(grpc::CallbackServerContext* ctx,
                                              const pb::GetDistrictMatrixRequest* req,
                                              pb::GetDistrictMatrixResponse* resp) override;

 private:
  // Converts an assessment for a response, with values in catalog order.
  absl::Status Fill(const Assessment& a, pb::Assessment* out);

  AssessmentApp* app_;
  RpcRunner* runner_;
};

}  // namespace ntm::assessment::api

#endif  // NTM_SERVICES_ASSESSMENT_API_GRPC_SERVICES_H_
