// Loads reference data files (JSON in the ntm.assessment.data.v1.ReferenceBundle format) into
// the service's schema. Loading is idempotent and never overwrites what people changed through
// the API: an edition already stored is left alone, ownership is loaded only where none exists,
// and threshold overlays fill only thresholds that have no value.
#ifndef NTM_SERVICES_ASSESSMENT_STORAGE_REFERENCE_LOADER_H_
#define NTM_SERVICES_ASSESSMENT_STORAGE_REFERENCE_LOADER_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "ntm/assessment/data/v1/reference_data.pb.h"
#include "services/common/db/pool.h"

namespace ntm::assessment {

struct LoadReport {
  int units = 0;
  int agencies = 0;
  int criteria_sets_loaded = 0;
  int criteria_sets_skipped = 0;
  int ownership_tables_loaded = 0;
  int ownership_tables_skipped = 0;
  int thresholds_filled = 0;
};

// Parses a file; unknown keys are an error. INVALID_ARGUMENT names the file and the problem.
absl::StatusOr<ntm::assessment::data::v1::ReferenceBundle> ReadReferenceFile(
    const std::string& path);

// Checks a bundle's internal consistency (codes, parents, measures, thresholds).
absl::Status ValidateBundle(const ntm::assessment::data::v1::ReferenceBundle& bundle);

// Loads a bundle in one transaction.
absl::StatusOr<LoadReport> LoadBundle(db::ConnectionPool& pool,
                                      const ntm::assessment::data::v1::ReferenceBundle& bundle);

}  // namespace ntm::assessment

#endif  // NTM_SERVICES_ASSESSMENT_STORAGE_REFERENCE_LOADER_H_
