#include "services/common/metrics.h"

#include <gtest/gtest.h>

namespace ntm {
namespace {

TEST(MetricsTest, RendersCountsErrorsAndHistogram) {
  Metrics m("assessment");
  m.Record("GetAssessment", absl::StatusCode::kOk, absl::Milliseconds(3));
  m.Record("GetAssessment", absl::StatusCode::kNotFound, absl::Milliseconds(30));
  const std::string text = m.RenderPrometheus();
  EXPECT_NE(text.find("ntm_grpc_requests_total{service=\"assessment\",method=\"GetAssessment\","
                      "code=\"OK\"} 1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("code=\"NOT_FOUND\"} 1"), std::string::npos);
  EXPECT_NE(text.find("ntm_grpc_errors_total{service=\"assessment\",method=\"GetAssessment\"} 1"),
            std::string::npos);
  EXPECT_NE(text.find("le=\"0.005\"} 1"), std::string::npos);
  EXPECT_NE(text.find("le=\"+Inf\"} 2"), std::string::npos);
}

TEST(MetricsTest, SplitHostPort) {
  auto hp = SplitHostPort("listen", "127.0.0.1:50061");
  ASSERT_TRUE(hp.ok());
  EXPECT_EQ(hp->first, "127.0.0.1");
  EXPECT_EQ(hp->second, 50061);
  EXPECT_FALSE(SplitHostPort("listen", "localhost").ok());
  EXPECT_FALSE(SplitHostPort("listen", "h:99999").ok());
}

}  // namespace
}  // namespace ntm
