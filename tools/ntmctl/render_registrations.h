// Text for people about the registrations service: Vietnamese labels of its enums, a commune's
// registration (its model point, each village's change with last year's beside it, the
// endorsements), the district's status table and its model point, as ntmctl prints them.
#ifndef NTM_TOOLS_NTMCTL_RENDER_REGISTRATIONS_H_
#define NTM_TOOLS_NTMCTL_RENDER_REGISTRATIONS_H_

#include <string>

#include "ntm/registrations/v1/registration.pb.h"

namespace ntm::ntmctl {

// "Dự thảo", "Đã gửi", "Trả lại", "Đã chấp nhận"; "–" for UNSPECIFIED.
std::string RegistrationStateLabel(registrations::v1::RegistrationState state);
// "Chưa bắt đầu", "Chưa đủ", "Đủ"; "–" for UNSPECIFIED.
std::string RegistrationProgressLabel(registrations::v1::RegistrationProgress progress);
// "Đảng ủy xã", "HĐND xã", "UBND xã", "Ban chỉ đạo xã"; "–" for UNSPECIFIED.
std::string EndorsementBodyLabel(registrations::v1::EndorsementBody body);

// A registration: the header (commune, directive, state, deadline, submission, etag), the model
// point, every village of the commune with its change (or "chưa đăng ký") and the change it
// registered the year before, the endorsements of the four bodies, what is still missing, then
// the history when the registration carries it.
std::string RenderRegistration(const registrations::v1::Registration& registration);
// Name, commune, state (with the submission time and lateness once sent), what is missing, etag.
std::string RenderRegistrationBrief(const registrations::v1::Registration& registration);
// The registration status of a directive: one row per addressed commune (progress, state,
// villages registered out of all, submission, overdue), then the villages still missing by
// commune, then the counts.
std::string RenderRegistrationStatus(
    const registrations::v1::GetRegistrationStatusResponse& status);
// The district's model point: where it comes from, its content, who chose it and when.
std::string RenderDistrictModelPoint(const registrations::v1::DistrictModelPoint& point);

}  // namespace ntm::ntmctl

#endif  // NTM_TOOLS_NTMCTL_RENDER_REGISTRATIONS_H_
