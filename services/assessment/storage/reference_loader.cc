#include "services/assessment/storage/reference_loader.h"

#include <google/protobuf/util/json_util.h>

#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/assessment/domain/model.h"
#include "services/assessment/domain/rules.h"
#include "services/common/db/sql.h"
#include "services/common/status.h"

namespace ntm::assessment {
namespace {

namespace refdata = ::ntm::assessment::data::v1;
namespace v1 = ::ntm::assessment::v1;
using db::Query;

bool AllDigits(const std::string& s) {
  if (s.empty() || s.size() > 16) {
    return false;
  }
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

bool ValidId(const std::string& s) {
  if (s.empty() || s.size() > 64) {
    return false;
  }
  for (char c : s) {
    if (!(absl::ascii_islower(static_cast<unsigned char>(c)) ||
          absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '-')) {
      return false;
    }
  }
  return true;
}

}  // namespace

absl::StatusOr<refdata::ReferenceBundle> ReadReferenceFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("load: cannot open ", path));
  }
  std::stringstream text;
  text << in.rdbuf();
  refdata::ReferenceBundle bundle;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto status = google::protobuf::util::JsonStringToMessage(text.str(), &bundle, options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("load: ", path, ": ", std::string(status.message())));
  }
  if (absl::Status s = ValidateBundle(bundle); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("load: ", path, ": ", s.message()));
  }
  return bundle;
}

absl::Status ValidateBundle(const refdata::ReferenceBundle& bundle) {
  std::set<std::string> codes;
  for (int i = 0; i < bundle.units_size(); ++i) {
    const auto& u = bundle.units(i);
    const std::string f = absl::StrCat("units[", i, "]");
    if (!AllDigits(u.code())) {
      return InvalidField(absl::StrCat(f, ".code"),
                          absl::StrCat("'", u.code(), "' is not 1-16 digits"));
    }
    if (!codes.insert(u.code()).second) {
      return InvalidField(absl::StrCat(f, ".code"), absl::StrCat(u.code(), " appears twice"));
    }
    if (u.display_name().empty()) {
      return InvalidField(absl::StrCat(f, ".display_name"), "empty");
    }
    if (u.level() == v1::UNIT_LEVEL_UNSPECIFIED) {
      return InvalidField(absl::StrCat(f, ".level"), "missing");
    }
    if (u.level() != v1::UNIT_LEVEL_PROVINCE && u.parent_code().empty()) {
      return InvalidField(absl::StrCat(f, ".parent_code"), "only a province has no parent");
    }
  }
  for (int i = 0; i < bundle.agencies_size(); ++i) {
    const auto& a = bundle.agencies(i);
    if (!ValidId(a.id())) {
      return InvalidField(absl::StrCat("agencies[", i, "].id"),
                          absl::StrCat("'", a.id(), "' must be a-z, 0-9 and '-'"));
    }
    if (a.display_name().empty() || a.unit_code().empty()) {
      return InvalidField(absl::StrCat("agencies[", i, "]"),
                          "display_name and unit_code are required");
    }
  }
  for (int s = 0; s < bundle.criteria_sets_size(); ++s) {
    const auto& set = bundle.criteria_sets(s);
    const std::string f = absl::StrCat("criteria_sets[", s, "]");
    if (!ValidId(set.id())) {
      return InvalidField(absl::StrCat(f, ".id"),
                          absl::StrCat("'", set.id(), "' must be a-z, 0-9 and '-'"));
    }
    if (set.first_year() < 2000 || set.last_year() < set.first_year()) {
      return InvalidField(absl::StrCat(f, ".first_year"), "years out of order or before 2000");
    }
    std::set<int> groups;
    for (const auto& g : set.groups()) {
      groups.insert(g.code());
    }
    std::set<std::string> criteria;
    for (int c = 0; c < set.criteria_size(); ++c) {
      const auto& cr = set.criteria(c);
      if (cr.code().empty() || !criteria.insert(cr.code()).second) {
        return InvalidField(absl::StrCat(f, ".criteria[", c, "].code"), "empty or repeated");
      }
      if (!groups.count(cr.group_code())) {
        return InvalidField(absl::StrCat(f, ".criteria[", c, "].group_code"),
                            absl::StrCat(cr.group_code(), " is not a group of the set"));
      }
    }
    std::set<std::string> indicators;
    for (int i = 0; i < set.indicators_size(); ++i) {
      const auto& ind = set.indicators(i);
      const std::string fi = absl::StrCat(f, ".indicators[", i, "]");
      if (ind.code().empty() || !indicators.insert(ind.code()).second) {
        return InvalidField(absl::StrCat(fi, ".code"), "empty or repeated");
      }
      if (!criteria.count(ind.criterion_code())) {
        return InvalidField(
            absl::StrCat(fi, ".criterion_code"),
            absl::StrCat("'", ind.criterion_code(), "' is not a criterion of the set"));
      }
      if (ind.measure() == v1::MEASURE_UNSPECIFIED) {
        return InvalidField(absl::StrCat(fi, ".measure"), "missing");
      }
      for (const auto& t : ind.thresholds()) {
        if (t.has_value() && (t.status() == v1::THRESHOLD_STATUS_NOT_SET ||
                              t.status() == v1::THRESHOLD_STATUS_IMPLICIT)) {
          return InvalidField(absl::StrCat(fi, ".thresholds"),
                              "a value with status NOT_SET or IMPLICIT");
        }
        if (!t.has_value() && t.status() != v1::THRESHOLD_STATUS_NOT_SET &&
            t.status() != v1::THRESHOLD_STATUS_IMPLICIT) {
          return InvalidField(absl::StrCat(fi, ".thresholds"),
                              "a status that needs a value, without one");
        }
      }
    }
  }
  for (int i = 0; i < bundle.thresholds_size(); ++i) {
    const auto& t = bundle.thresholds(i);
    if (!t.threshold().has_value() || t.threshold().status() == v1::THRESHOLD_STATUS_NOT_SET ||
        t.threshold().status() == v1::THRESHOLD_STATUS_IMPLICIT) {
      return InvalidField(absl::StrCat("thresholds[", i, "]"),
                          "an overlay needs a value and a status such as DEMO or OFFICIAL");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<LoadReport> LoadBundle(db::ConnectionPool& pool, const refdata::ReferenceBundle& b) {
  LoadReport report;
  absl::Status status = pool.InTransaction([&](sql::Connection& conn) -> absl::Status {
    report = LoadReport{};
    for (const auto& u : b.units()) {
      Query q(conn,
              "INSERT INTO units (code, display_name, level, kind, parent_code, demo, note, "
              "created_by) VALUES (?, ?, ?, ?, ?, ?, ?, 'reference-data') ON DUPLICATE KEY UPDATE "
              "display_name = VALUES(display_name), level = VALUES(level), kind = VALUES(kind), "
              "parent_code = VALUES(parent_code), demo = VALUES(demo), note = VALUES(note)");
      q.Str(u.code()).Str(u.display_name()).Int(u.level()).Str(u.kind());
      if (u.parent_code().empty()) {
        q.Null();
      } else {
        q.Str(u.parent_code());
      }
      q.Bool(b.demo() || u.demo()).Str(u.note()).Exec();
      ++report.units;
    }
    for (const auto& a : b.agencies()) {
      Query(conn,
            "INSERT INTO agencies (id, display_name, unit_code, standing_office, demo) "
            "VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE display_name = "
            "VALUES(display_name), unit_code = VALUES(unit_code), standing_office = "
            "VALUES(standing_office), demo = VALUES(demo)")
          .Str(a.id())
          .Str(a.display_name())
          .Str(a.unit_code())
          .Bool(a.standing_office())
          .Bool(b.demo() || a.demo())
          .Exec();
      ++report.agencies;
    }
    for (const auto& set : b.criteria_sets()) {
      auto exists = Query(conn, "SELECT 1 FROM criteria_sets WHERE id = ?").Str(set.id()).Rows();
      if (exists->next()) {
        ++report.criteria_sets_skipped;
        continue;
      }
      Query(conn,
            "INSERT INTO criteria_sets (id, title, legal_basis, scope_unit_code, first_year, "
            "last_year, about) VALUES (?, ?, ?, ?, ?, ?, ?)")
          .Str(set.id())
          .Str(set.title())
          .Str(set.legal_basis())
          .Str(set.scope_unit_code())
          .Int(set.first_year())
          .Int(set.last_year())
          .Str(set.about())
          .Exec();
      for (const auto& g : set.groups()) {
        Query(conn,
              "INSERT INTO content_groups (criteria_set_id, code, title_vi, title_en) "
              "VALUES (?, ?, ?, ?)")
            .Str(set.id())
            .Int(g.code())
            .Str(g.title_vi())
            .Str(g.title_en())
            .Exec();
      }
      int position = 0;
      for (const auto& c : set.criteria()) {
        Query(conn,
              "INSERT INTO criteria (criteria_set_id, code, position, title_vi, title_en, "
              "group_code) VALUES (?, ?, ?, ?, ?, ?)")
            .Str(set.id())
            .Str(c.code())
            .Int(++position)
            .Str(c.title_vi())
            .Str(c.title_en())
            .Int(c.group_code())
            .Exec();
      }
      position = 0;
      for (const auto& i : set.indicators()) {
        Query(conn,
              "INSERT INTO indicators (criteria_set_id, code, criterion_code, position, "
              "title_vi, title_en, measure, unit, wording_source, wording_verified) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .Str(set.id())
            .Str(i.code())
            .Str(i.criterion_code())
            .Int(++position)
            .Str(i.title_vi())
            .Str(i.title_en())
            .Int(static_cast<int>(i.measure()) - 1)
            .Str(i.unit())
            .Str(i.wording_source())
            .Bool(i.wording_verified())
            .Exec();
        for (const auto& t : i.thresholds()) {
          Query q(conn,
                  "INSERT INTO thresholds (criteria_set_id, indicator_code, year, value, "
                  "status, source) VALUES (?, ?, ?, ?, ?, ?)");
          q.Str(set.id()).Str(i.code()).Int(t.year());
          if (t.has_value()) {
            NTM_ASSIGN_OR_RETURN(Decimal4 v, ToDecimal4("threshold", t.value()));
            q.Str(db::FormatFixed4(v));
          } else {
            q.Null();
          }
          q.Int(static_cast<int>(t.status()) - 1).Str(t.source()).Exec();
        }
      }
      ++report.criteria_sets_loaded;
    }
    std::set<std::pair<std::string, std::string>> tables;
    for (const auto& o : b.ownerships()) {
      tables.insert({o.unit_code(), o.criteria_set_id()});
    }
    for (const auto& [unit, set_id] : tables) {
      auto exists = Query(conn,
                          "SELECT 1 FROM ownership_versions WHERE unit_code = ? AND "
                          "criteria_set_id = ?")
                        .Str(unit)
                        .Str(set_id)
                        .Rows();
      if (exists->next()) {
        ++report.ownership_tables_skipped;
        continue;
      }
      Query(conn,
            "INSERT INTO ownership_versions (unit_code, criteria_set_id, version) "
            "VALUES (?, ?, 1)")
          .Str(unit)
          .Str(set_id)
          .Exec();
      for (const auto& o : b.ownerships()) {
        if (o.unit_code() != unit || o.criteria_set_id() != set_id) {
          continue;
        }
        Query(conn,
              "INSERT INTO ownerships (unit_code, criteria_set_id, criterion_code, "
              "indicator_code, agency_id, demo, updated_by) "
              "VALUES (?, ?, ?, ?, ?, ?, 'reference-data')")
            .Str(unit)
            .Str(set_id)
            .Str(o.criterion_code())
            .Str(o.indicator_code())
            .Str(o.agency_id())
            .Bool(b.demo())
            .Exec();
      }
      ++report.ownership_tables_loaded;
    }
    std::set<std::string> touched_sets;
    for (const auto& o : b.thresholds()) {
      NTM_ASSIGN_OR_RETURN(Decimal4 v, ToDecimal4("thresholds.value", o.threshold().value()));
      const int status = static_cast<int>(o.threshold().status()) - 1;
      auto row = Query(conn,
                       "SELECT value IS NULL AND status = ? FROM thresholds WHERE "
                       "criteria_set_id = ? AND indicator_code = ? AND year = ? FOR UPDATE")
                     .Int(static_cast<int>(ThresholdStatus::kNotSet))
                     .Str(o.criteria_set_id())
                     .Str(o.indicator_code())
                     .Int(o.threshold().year())
                     .Rows();
      uint64_t changed = 0;
      if (!row->next()) {
        changed = Query(conn,
                        "INSERT INTO thresholds (criteria_set_id, indicator_code, year, "
                        "value, status, source) VALUES (?, ?, ?, ?, ?, ?)")
                      .Str(o.criteria_set_id())
                      .Str(o.indicator_code())
                      .Int(o.threshold().year())
                      .Str(db::FormatFixed4(v))
                      .Int(status)
                      .Str(o.threshold().source())
                      .Exec();
      } else if (row->getBoolean(1)) {
        // Only a threshold nobody has set is filled; a real one is never overwritten.
        changed = Query(conn,
                        "UPDATE thresholds SET value = ?, status = ?, source = ? WHERE "
                        "criteria_set_id = ? AND indicator_code = ? AND year = ?")
                      .Str(db::FormatFixed4(v))
                      .Int(status)
                      .Str(o.threshold().source())
                      .Str(o.criteria_set_id())
                      .Str(o.indicator_code())
                      .Int(o.threshold().year())
                      .Exec();
      }
      if (changed > 0) {
        ++report.thresholds_filled;
        touched_sets.insert(o.criteria_set_id());
      }
    }
    for (const auto& id : touched_sets) {
      Query(conn, "UPDATE criteria_sets SET version = version + 1 WHERE id = ?").Str(id).Exec();
    }
    return absl::OkStatus();
  });
  if (!status.ok()) {
    return status;
  }
  return report;
}

}  // namespace ntm::assessment
