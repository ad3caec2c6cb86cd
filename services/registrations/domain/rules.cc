#include "services/registrations/domain/rules.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace ntm::registrations {
namespace {

bool Blank(const std::string& s) { return absl::StripAsciiWhitespace(s).empty(); }

// Problems of a list of indicator codes under `field`: unknown or repeated codes.
void CheckIndicators(const std::string& field, const std::vector<std::string>& codes,
                     const std::set<std::string>& known, std::vector<std::string>* problems) {
  std::set<std::string> seen;
  for (size_t i = 0; i < codes.size(); ++i) {
    const std::string f = absl::StrFormat("%s.indicator_codes[%d]", field, i);
    if (known.count(codes[i]) == 0) {
      problems->push_back(
          absl::StrFormat("%s: '%s' is not an indicator of the criteria set", f, codes[i]));
    } else if (!seen.insert(codes[i]).second) {
      problems->push_back(absl::StrFormat("%s: %s is listed twice", f, codes[i]));
    }
  }
}

}  // namespace

std::vector<std::string> ContentProblems(const RegistrationContent& c,
                                         const std::vector<Village>& villages,
                                         const std::set<std::string>& known) {
  std::vector<std::string> problems;
  auto text = [&](const std::string& field, const std::string& value, size_t max) {
    if (value.size() > max) {
      problems.push_back(absl::StrCat(field, ": at most ", max, " bytes"));
    }
  };
  if (c.model_point.has_value()) {
    const ModelPoint& m = *c.model_point;
    if (Blank(m.content)) {
      problems.push_back("model_point.content: say what the model point is");
    }
    text("model_point.content", m.content, 2000);
    text("model_point.place", m.place, 500);
    text("model_point.topic", m.topic, 500);
    CheckIndicators("model_point", m.indicator_codes, known, &problems);
  }
  std::set<std::string> of_commune;
  for (const Village& v : villages) {
    of_commune.insert(v.code);
  }
  std::set<std::string> changed;
  for (size_t i = 0; i < c.changes.size(); ++i) {
    const VillageChange& ch = c.changes[i];
    const std::string field = absl::StrFormat("village_changes[%d]", i);
    if (of_commune.count(ch.village_code) == 0) {
      problems.push_back(absl::StrFormat("%s.village: units/%s is not a village of the commune",
                                         field, ch.village_code));
    } else if (!changed.insert(ch.village_code).second) {
      problems.push_back(absl::StrFormat(
          "%s.village: units/%s has a change already (one change per village and year)", field,
          ch.village_code));
    }
    if (Blank(ch.content)) {
      problems.push_back(absl::StrCat(field, ".content: say what will change"));
    }
    text(field + ".content", ch.content, 2000);
    text(field + ".place", ch.place, 500);
    text(field + ".last_year_state", ch.last_year_state, 2000);
    text(field + ".this_year_target", ch.this_year_target, 2000);
    CheckIndicators(field, ch.indicator_codes, known, &problems);
  }
  std::set<EndorsementBody> bodies;
  for (size_t i = 0; i < c.endorsements.size(); ++i) {
    const Endorsement& e = c.endorsements[i];
    const std::string field = absl::StrFormat("endorsements[%d]", i);
    if (!bodies.insert(e.body).second) {
      problems.push_back(absl::StrFormat("%s.body: %s has endorsed it already", field,
                                         EndorsementBodyName(e.body)));
    }
    if (Blank(e.signed_by)) {
      problems.push_back(absl::StrCat(field, ".signed_by: name who signed, with the title"));
    }
    text(field + ".signed_by", e.signed_by, 500);
  }
  return problems;
}

std::vector<std::string> VillagesWithoutChange(const RegistrationContent& c,
                                               const std::vector<Village>& villages) {
  std::vector<std::string> out;
  for (const Village& v : villages) {
    const bool has = std::any_of(c.changes.begin(), c.changes.end(), [&](const VillageChange& ch) {
      return ch.village_code == v.code;
    });
    if (!has) {
      out.push_back(v.code);
    }
  }
  return out;
}

std::vector<std::string> Missing(const RegistrationContent& c,
                                 const std::vector<Village>& villages) {
  std::vector<std::string> out;
  if (!c.model_point.has_value()) {
    out.push_back("model_point: the commune's model point is not registered");
  }
  for (const std::string& code : VillagesWithoutChange(c, villages)) {
    const auto v = std::find_if(villages.begin(), villages.end(),
                                [&](const Village& x) { return x.code == code; });
    out.push_back(absl::StrFormat("village_changes: %s (units/%s) has no change registered",
                                  v->display_name, code));
  }
  for (EndorsementBody body : kAllBodies) {
    const bool has = std::any_of(c.endorsements.begin(), c.endorsements.end(),
                                 [&](const Endorsement& e) { return e.body == body; });
    if (!has) {
      out.push_back(
          absl::StrFormat("endorsements: %s has not endorsed it", EndorsementBodyName(body)));
    }
  }
  return out;
}

const char* EndorsementBodyName(EndorsementBody body) {
  switch (body) {
    case EndorsementBody::kPartyCommittee:
      return "Đảng ủy xã";
    case EndorsementBody::kPeoplesCouncil:
      return "HĐND xã";
    case EndorsementBody::kPeoplesCommittee:
      return "UBND xã";
    case EndorsementBody::kSteeringCommittee:
      return "Ban chỉ đạo các chương trình MTQG xã";
  }
  return "?";
}

}  // namespace ntm::registrations
