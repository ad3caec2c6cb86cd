// How long the gateway's authorization engine takes to decide, with Google Benchmark: the rule
// lookup, reading the request's facts and the decision, for the calls the gateway sees most.
//   build/bench/ntm-authz-bench
#include <benchmark/benchmark.h>

#include "ntm/assessment/v1/assessment.pb.h"
#include "services/gateway/authz/authorizer.h"
#include "services/gateway/authz/served_services.h"

namespace ntm::gateway {
namespace {

namespace v1 = ntm::assessment::v1;

const RuleTable& Table() {
  static const RuleTable* table = new RuleTable(*RuleTable::Compile(ServedServiceDescriptors()));
  return *table;
}

// An agency's system pushing `n` indicators it owns for one commune.
void BM_SetIndicatorValuesByAgency(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  v1::SetIndicatorValuesRequest request;
  request.set_name("units/03424/assessments/2023-12-31");
  TargetContext target;
  target.unit_chain = {"03424", "106", "12"};
  for (int i = 0; i < n; ++i) {
    const std::string code = "15." + std::to_string(i + 1);
    request.add_values()->set_indicator_code(code);
    target.owners[code] = "tam-duong-bhxh";
  }
  const Principal p{"bhxh-system", "106", "tam-duong-bhxh", {ntm::api::v1::ROLE_STEERING_MEMBER}};
  RuleAuthorizer authorizer;
  for (auto _ : state) {
    const CompiledRule* rule =
        Table().Find("/ntm.assessment.v1.AssessmentService/SetIndicatorValues");
    auto facts = ExtractFacts(*rule, request);
    Decision d = authorizer.Decide(p, *rule, *facts, target);
    benchmark::DoNotOptimize(d);
  }
}
BENCHMARK(BM_SetIndicatorValuesByAgency)->Arg(1)->Arg(57);

// A commune officer reading its commune's status.
void BM_GetCommuneStatusByCommune(benchmark::State& state) {
  v1::GetCommuneStatusRequest request;
  request.set_unit("units/03424");
  TargetContext target;
  target.unit_chain = {"03424", "106", "12"};
  const Principal p{"can-bo-ban-bo", "03424", "", {ntm::api::v1::ROLE_COMMUNE_OFFICER}};
  RuleAuthorizer authorizer;
  for (auto _ : state) {
    const CompiledRule* rule =
        Table().Find("/ntm.assessment.v1.AssessmentService/GetCommuneStatus");
    auto facts = ExtractFacts(*rule, request);
    Decision d = authorizer.Decide(p, *rule, *facts, target);
    benchmark::DoNotOptimize(d);
  }
}
BENCHMARK(BM_GetCommuneStatusByCommune);

}  // namespace
}  // namespace ntm::gateway

BENCHMARK_MAIN();
