// Tests of ntmctl: the pure logic (text width, CSV, values, tables, arguments, digests, rendering,
// plan and registration files) and whole commands run in-process against fake services over an
// in-process channel.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "grpcpp/server_context.h"
#include "gtest/gtest.h"
#include "ntm/assessment/v1/assessment.grpc.pb.h"
#include "ntm/assessment/v1/catalog.grpc.pb.h"
#include "ntm/assessment/v1/directory.grpc.pb.h"
#include "ntm/notifications/v1/notification.grpc.pb.h"
#include "ntm/plans/v1/directive.pb.h"
#include "ntm/plans/v1/plan.pb.h"
#include "ntm/registrations/v1/registration.pb.h"
#include "tools/ntmctl/args.h"
#include "tools/ntmctl/commands.h"
#include "tools/ntmctl/csv.h"
#include "tools/ntmctl/digest.h"
#include "tools/ntmctl/plan_edit.h"
#include "tools/ntmctl/render.h"
#include "tools/ntmctl/render_notifications.h"
#include "tools/ntmctl/render_plans.h"
#include "tools/ntmctl/render_registrations.h"
#include "tools/ntmctl/table.h"
#include "tools/ntmctl/text.h"
#include "tools/ntmctl/values.h"

namespace ntm::ntmctl {
namespace {

namespace v1 = ::ntm::assessment::v1;

::testing::AssertionResult Contains(const std::string& haystack, const std::string& needle) {
  if (haystack.find(needle) != std::string::npos) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "\"" << needle << "\" not found in:\n" << haystack;
}

// --- text ----------------------------------------------------------------------------------------

TEST(TextTest, DisplayWidthCountsVietnameseLettersAsOneColumn) {
  EXPECT_EQ(DisplayWidth("Xã Bản Bo"), 9);
  EXPECT_EQ(DisplayWidth("Đường"), 5);
  EXPECT_EQ(DisplayWidth("Thị trấn Tam Đường"), 18);
  // Decomposed: e + combining circumflex + combining dot below is one column.
  EXPECT_EQ(DisplayWidth("e\xCC\x82\xCC\xA3"), 1);
  EXPECT_EQ(DisplayWidth("Xa\xCC\x83 Ba\xCC\x89n Bo"), 9);
  EXPECT_EQ(DisplayWidth("✓✗?–…"), 5);
  EXPECT_EQ(DisplayWidth("中文"), 4);
  EXPECT_EQ(DisplayWidth(""), 0);
  EXPECT_EQ(DisplayWidth("\xFF"),
            1);  // invalid byte: one replacement character
}

TEST(TextTest, ValidatesUtf8) {
  EXPECT_TRUE(IsValidUtf8("Tỷ lệ hộ nghèo đa chiều"));
  EXPECT_FALSE(IsValidUtf8("T\xF4i"));        // Windows-1258/Latin-1 "ô"
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));      // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));  // surrogate
}

TEST(TextTest, TruncatesByDisplayWidthAtWordBoundaries) {
  const std::string text = "Tỷ lệ hộ gia đình được sử dụng nước sạch theo quy định";
  const std::string cut = TruncateToWidth(text, 20);
  EXPECT_LE(DisplayWidth(cut), 20);
  EXPECT_EQ(cut, "Tỷ lệ hộ gia đình…");
  EXPECT_EQ(TruncateToWidth("ngắn", 10), "ngắn");
  EXPECT_EQ(TruncateToWidth("Đạt", 3), "Đạt");
  EXPECT_EQ(TruncateToWidth("Đạtchuẩn", 4), "Đạt…");
  EXPECT_EQ(TruncateToWidth("abc", 0), "");
  // Never splits a letter from its combining marks.
  const std::string decomposed =
      "e\xCC\x82\xCC\xA3"
      "e\xCC\x82\xCC\xA3"
      "e\xCC\x82\xCC\xA3";
  EXPECT_EQ(TruncateToWidth(decomposed, 2), "e\xCC\x82\xCC\xA3…");
}

TEST(TextTest, PadsByDisplayWidth) {
  EXPECT_EQ(PadRight("Đạt", 5), "Đạt  ");
  EXPECT_EQ(PadLeft("Đạt", 5), "  Đạt");
  EXPECT_EQ(PadRight("Chưa đạt", 3), "Chưa đạt");
}

TEST(TextTest, LowercasesAndFoldsVietnamese) {
  EXPECT_EQ(ToLowerVi("ĐẠT"), "đạt");
  EXPECT_EQ(ToLowerVi("KHÔNG ĐẠT"), "không đạt");
  EXPECT_EQ(ToLowerVi("ƯỚC TÍNH Ở ĂN"), "ước tính ở ăn");
  EXPECT_EQ(FoldVi("  Không   ĐẠT "), "khong dat");
  EXPECT_EQ(FoldVi("đa\xCC\xA3t"), "dat");  // decomposed
  EXPECT_EQ(FoldVi("Có"), "co");
  EXPECT_EQ(FoldVi("\xC3\x90"
                   "at"),
            "dat");  // Ð (U+00D0) typed for Đ
}

TEST(TextTest, FormatsNumbersAndDates) {
  EXPECT_EQ(FormatNumber(95), "95");
  EXPECT_EQ(FormatNumber(95.5), "95,5");
  EXPECT_EQ(FormatNumber(0.25), "0,25");
  EXPECT_EQ(FormatNumber(42.123456), "42,1235");
  EXPECT_EQ(FormatNumber(-0.00001), "0");
  EXPECT_EQ(FormatDateVi("2023-12-31"), "31/12/2023");
  EXPECT_EQ(FormatDateVi("not a date"), "not a date");
}

// --- CSV -----------------------------------------------------------------------------------------

TEST(CsvTest, ParsesQuotingBomCrlfAndBlankLines) {
  const std::string content =
      "\xEF\xBB\xBF"
      "indicator_code,value,note\r\n"
      "15.1,\"95,5\",\"ghi chú \"\"trích\"\"\"\r\n"
      "\r\n"
      "13.3,đạt,\"hai\ndòng\"\n"
      "9.1,0,";
  absl::StatusOr<std::vector<CsvRecord>> records = ParseCsv(content);
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 4u);
  EXPECT_EQ((*records)[0].fields, (std::vector<std::string>{"indicator_code", "value", "note"}));
  EXPECT_EQ((*records)[1].fields, (std::vector<std::string>{"15.1", "95,5", "ghi chú \"trích\""}));
  EXPECT_EQ((*records)[2].line, 4);
  EXPECT_EQ((*records)[2].fields, (std::vector<std::string>{"13.3", "đạt", "hai\ndòng"}));
  EXPECT_EQ((*records)[3].line, 6);
  EXPECT_EQ((*records)[3].fields, (std::vector<std::string>{"9.1", "0", ""}));
}

TEST(CsvTest, ReportsErrorsWithLineNumbers) {
  absl::StatusOr<std::vector<CsvRecord>> unterminated = ParseCsv("a,b\n1,\"x\n2,3\n");
  ASSERT_FALSE(unterminated.ok());
  EXPECT_TRUE(Contains(std::string(unterminated.status().message()), "dòng 2:"));

  absl::StatusOr<std::vector<CsvRecord>> trailing = ParseCsv("a,b\n1,\"x\"y\n");
  ASSERT_FALSE(trailing.ok());
  EXPECT_TRUE(Contains(std::string(trailing.status().message()), "dòng 2:"));

  absl::StatusOr<std::vector<CsvRecord>> latin1 = ParseCsv("a,b\n1,2\n3,Kh\xF4ng\n");
  ASSERT_FALSE(latin1.ok());
  EXPECT_TRUE(Contains(std::string(latin1.status().message()), "dòng 3: tệp không phải"));
}

TEST(CsvTest, GuessesSemicolonDelimiter) {
  EXPECT_EQ(GuessCsvDelimiter("indicator_code;value;note\n15.1;95,5;x\n"), ';');
  EXPECT_EQ(GuessCsvDelimiter("indicator_code,value\n"), ',');
  EXPECT_EQ(GuessCsvDelimiter("\"a;b\",c\n"), ',');
}

// --- values --------------------------------------------------------------------------------------

TEST(ValuesTest, ParsesYesNo) {
  for (const char* yes : {"đạt", "Đạt", "ĐẠT", "có", "CÓ", "yes", "TRUE", "1", " dat "}) {
    absl::StatusOr<bool> parsed = ParseYesNo(yes);
    ASSERT_TRUE(parsed.ok()) << yes;
    EXPECT_TRUE(*parsed) << yes;
  }
  for (const char* no : {"không đạt", "KHÔNG ĐẠT", "Chưa đạt", "không", "no", "False", "0"}) {
    absl::StatusOr<bool> parsed = ParseYesNo(no);
    ASSERT_TRUE(parsed.ok()) << no;
    EXPECT_FALSE(*parsed) << no;
  }
  EXPECT_FALSE(ParseYesNo("có lẽ").ok());
  EXPECT_FALSE(ParseYesNo("").ok());
  EXPECT_FALSE(ParseYesNo("2").ok());
}

TEST(ValuesTest, ParsesDecimalsWithCommaOrDot) {
  EXPECT_DOUBLE_EQ(*ParseDecimal("95"), 95);
  EXPECT_DOUBLE_EQ(*ParseDecimal("95.5"), 95.5);
  EXPECT_DOUBLE_EQ(*ParseDecimal("95,5"), 95.5);
  EXPECT_DOUBLE_EQ(*ParseDecimal(" 0,25 "), 0.25);
  EXPECT_DOUBLE_EQ(*ParseDecimal("-3"), -3);
  EXPECT_FALSE(ParseDecimal("1.234,5").ok());
  EXPECT_FALSE(ParseDecimal("abc").ok());
  EXPECT_FALSE(ParseDecimal("").ok());
  EXPECT_FALSE(ParseDecimal("1e5").ok());
  EXPECT_FALSE(ParseDecimal("nan").ok());
}

TEST(ValuesTest, ParsesCounts) {
  EXPECT_EQ(*ParseCount("0"), 0);
  EXPECT_EQ(*ParseCount(" 12 "), 12);
  EXPECT_FALSE(ParseCount("-1").ok());
  EXPECT_FALSE(ParseCount("2.5").ok());
  EXPECT_FALSE(ParseCount("99999999999999999999").ok());
}

TEST(ValuesTest, SetsTheValueKindByMeasure) {
  v1::IndicatorValue value;
  ASSERT_TRUE(SetValueFromText(v1::MEASURE_BOOLEAN, "Không đạt", &value).ok());
  EXPECT_EQ(value.value_case(), v1::IndicatorValue::kBooleanValue);
  EXPECT_FALSE(value.boolean_value());

  ASSERT_TRUE(SetValueFromText(v1::MEASURE_PERCENT_AT_LEAST, "95,5%", &value).ok());
  EXPECT_EQ(value.value_case(), v1::IndicatorValue::kNumberValue);
  EXPECT_DOUBLE_EQ(value.number_value(), 95.5);
  EXPECT_FALSE(SetValueFromText(v1::MEASURE_PERCENT_AT_MOST, "101", &value).ok());
  EXPECT_FALSE(SetValueFromText(v1::MEASURE_PERCENT_AT_LEAST, "-1", &value).ok());

  ASSERT_TRUE(SetValueFromText(v1::MEASURE_AMOUNT_AT_LEAST, "42.5", &value).ok());
  EXPECT_DOUBLE_EQ(value.number_value(), 42.5);
  EXPECT_FALSE(SetValueFromText(v1::MEASURE_AMOUNT_AT_LEAST, "-2", &value).ok());

  ASSERT_TRUE(SetValueFromText(v1::MEASURE_NONE_ALLOWED, "0", &value).ok());
  EXPECT_EQ(value.value_case(), v1::IndicatorValue::kCountValue);
  EXPECT_EQ(value.count_value(), 0);
  ASSERT_TRUE(SetValueFromText(v1::MEASURE_COUNT_AT_LEAST, "3", &value).ok());
  EXPECT_EQ(value.count_value(), 3);
  EXPECT_FALSE(SetValueFromText(v1::MEASURE_COUNT_AT_LEAST, "1,5", &value).ok());
}

v1::CriteriaSet TestCriteriaSet() {
  v1::CriteriaSet set;
  set.set_name("criteriaSets/lai-chau-2022");
  set.set_title("Bộ tiêu chí xã nông thôn mới tỉnh Lai Châu 2022–2025");
  set.set_legal_basis("Quyết định 1285/QĐ-UBND ngày 27/9/2022");
  set.set_scope_unit("units/12");
  set.set_first_year(2022);
  set.set_last_year(2025);
  set.set_criterion_count(4);
  set.set_indicator_count(5);
  set.add_missing_threshold_codes("10");
  set.add_unverified_threshold_codes("15.1");
  {
    v1::ContentGroup* group = set.add_groups();
    group->set_code(2);
    group->set_title_vi("Hạ tầng kinh tế - xã hội");
    group = set.add_groups();
    group->set_code(3);
    group->set_title_vi("Kinh tế và tổ chức sản xuất");
  }
  const auto add_criterion = [&](const std::string& code, const std::string& title, int group) {
    v1::Criterion* criterion = set.add_criteria();
    criterion->set_code(code);
    criterion->set_title_vi(title);
    criterion->set_group_code(group);
    return criterion;
  };
  const auto add_indicator = [](v1::Criterion* criterion, const std::string& code,
                                const std::string& title, v1::Measure measure,
                                const std::string& unit, std::optional<double> threshold,
                                v1::ThresholdStatus status) {
    v1::Indicator* indicator = criterion->add_indicators();
    indicator->set_name(absl::StrCat("criteriaSets/lai-chau-2022/indicators/", code));
    indicator->set_etag("\"7\"");
    indicator->set_code(code);
    indicator->set_criterion_code(criterion->code());
    indicator->set_title_vi(title);
    indicator->set_measure(measure);
    indicator->set_unit(unit);
    v1::Threshold* t = indicator->add_thresholds();
    if (threshold.has_value()) {
      t->set_value(*threshold);
    }
    t->set_status(status);
  };
  v1::Criterion* c9 = add_criterion("9", "Nhà ở dân cư", 2);
  add_indicator(c9, "9.1", "Nhà tạm, dột nát", v1::MEASURE_NONE_ALLOWED, "", std::nullopt,
                v1::THRESHOLD_STATUS_IMPLICIT);
  v1::Criterion* c10 = add_criterion("10", "Thu nhập", 3);
  add_indicator(c10, "10", "Thu nhập bình quân đầu người khu vực nông thôn",
                v1::MEASURE_AMOUNT_AT_LEAST, "triệu đồng/người/năm", std::nullopt,
                v1::THRESHOLD_STATUS_NOT_SET);
  v1::Criterion* c13 = add_criterion("13", "Tổ chức sản xuất và phát triển kinh tế nông thôn", 3);
  add_indicator(c13, "13.3",
                "Thực hiện truy xuất nguồn gốc các sản phẩm chủ lực của xã gắn "
                "với xây dựng "
                "vùng nguyên liệu",
                v1::MEASURE_BOOLEAN, "", std::nullopt, v1::THRESHOLD_STATUS_IMPLICIT);
  v1::Criterion* c15 = add_criterion("15", "Y tế", 3);
  add_indicator(c15, "15.1", "Tỷ lệ người dân tham gia bảo hiểm y tế", v1::MEASURE_PERCENT_AT_LEAST,
                "%", 95, v1::THRESHOLD_STATUS_DEMO);
  add_indicator(c15, "15.2", "Tỷ lệ dân số có sổ khám chữa bệnh điện tử",
                v1::MEASURE_PERCENT_AT_LEAST, "%", 70, v1::THRESHOLD_STATUS_UNVERIFIED);
  return set;
}

TEST(ValuesTest, ConvertsAGoodFile) {
  const std::string content =
      "\xEF\xBB\xBFindicator_code,value,note,evidence\n"
      "13.3,Đạt,Đã có mã QR,Báo cáo 12/BC-UBND\n"
      "15.1,\"95,5\",,\n"
      ",,,\n"
      "9.1,0,,\n"
      "10,42.5,\"thu nhập, ước tính\",\n";
  absl::StatusOr<std::vector<ValueRow>> rows = ReadValuesCsv(content);
  ASSERT_TRUE(rows.ok()) << rows.status();
  absl::StatusOr<std::vector<v1::IndicatorValue>> values =
      ConvertValueRows(*rows, TestCriteriaSet());
  ASSERT_TRUE(values.ok()) << values.status();
  ASSERT_EQ(values->size(), 4u);
  EXPECT_EQ((*values)[0].indicator_code(), "13.3");
  EXPECT_TRUE((*values)[0].boolean_value());
  EXPECT_EQ((*values)[0].note(), "Đã có mã QR");
  EXPECT_EQ((*values)[0].evidence(), "Báo cáo 12/BC-UBND");
  EXPECT_DOUBLE_EQ((*values)[1].number_value(), 95.5);
  EXPECT_EQ((*values)[2].value_case(), v1::IndicatorValue::kCountValue);
  EXPECT_EQ((*values)[2].count_value(), 0);
  EXPECT_DOUBLE_EQ((*values)[3].number_value(), 42.5);
  EXPECT_EQ((*values)[3].note(), "thu nhập, ước tính");
}

TEST(ValuesTest, AllValuesStoredComparesKindValueNoteAndEvidence) {
  v1::Assessment assessment;
  v1::IndicatorValue* stored = assessment.add_values();
  stored->set_indicator_code("15.1");
  stored->set_number_value(95.5);
  stored->set_note("ghi chú");
  stored = assessment.add_values();
  stored->set_indicator_code("13.3");
  stored->set_boolean_value(true);

  v1::IndicatorValue value;
  value.set_indicator_code("15.1");
  value.set_number_value(95.50000001);  // the service keeps 4 decimals
  value.set_note("ghi chú");
  EXPECT_TRUE(AllValuesStored({value}, assessment));
  EXPECT_TRUE(AllValuesStored({}, assessment));
  value.set_note("");
  EXPECT_FALSE(AllValuesStored({value}, assessment));
  value.set_note("ghi chú");
  value.set_number_value(95.6);
  EXPECT_FALSE(AllValuesStored({value}, assessment));
  value.set_count_value(95);
  EXPECT_FALSE(AllValuesStored({value}, assessment));
  value.set_indicator_code("9.1");
  EXPECT_FALSE(AllValuesStored({value}, assessment));
}

TEST(ValuesTest, AcceptsColumnsInAnyOrderAndSemicolons) {
  absl::StatusOr<std::vector<ValueRow>> rows = ReadValuesCsv("value;indicator_code\n95,5;15.1\n");
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].indicator_code, "15.1");
  EXPECT_EQ((*rows)[0].value, "95,5");
}

TEST(ValuesTest, ReportsEveryBadRowAndConvertsNothing) {
  const std::string content =
      "indicator_code,value,note,evidence\n"
      "13.3,có lẽ,,\n"  // line 2: not yes/no
      "15.1,120,,\n"    // line 3: percent out of range
      "99.9,1,,\n"      // line 4: unknown indicator
      "9.1,0,,\n"       // line 5: good
      "9.1,1,,\n"       // line 6: given twice
      "10,,,\n"         // line 7: no value
      "15,2,,\n";       // line 8: unknown (criterion code, not an indicator)
  absl::StatusOr<std::vector<ValueRow>> rows = ReadValuesCsv(content);
  ASSERT_TRUE(rows.ok()) << rows.status();
  absl::StatusOr<std::vector<v1::IndicatorValue>> values =
      ConvertValueRows(*rows, TestCriteriaSet());
  ASSERT_FALSE(values.ok());
  const std::string message(values.status().message());
  EXPECT_TRUE(Contains(message, "dòng 2: chỉ tiêu 13.3:"));
  EXPECT_TRUE(Contains(message, "dòng 3: chỉ tiêu 15.1: tỷ lệ 120% nằm ngoài khoảng 0–100"));
  EXPECT_TRUE(Contains(message, "dòng 4: không có chỉ tiêu \"99.9\""));
  EXPECT_TRUE(Contains(message, "dòng 6: chỉ tiêu 9.1 đã có ở dòng 5"));
  EXPECT_TRUE(Contains(message, "dòng 7: chỉ tiêu 10: thiếu giá trị"));
  EXPECT_TRUE(Contains(message, "dòng 8:"));
  EXPECT_FALSE(Contains(message, "dòng 5:"));  // the good row
}

TEST(ValuesTest, ReportsAnUnquotedDecimalCommaAndABadHeader) {
  absl::StatusOr<std::vector<ValueRow>> rows =
      ReadValuesCsv("indicator_code,value,note,evidence\n15.1,95,5,,\n");
  ASSERT_FALSE(rows.ok());
  EXPECT_TRUE(Contains(std::string(rows.status().message()), "dòng 2: có 5 cột"));
  EXPECT_TRUE(Contains(std::string(rows.status().message()), "\"95,5\""));

  rows = ReadValuesCsv("code,value\n15.1,95\n");
  ASSERT_FALSE(rows.ok());
  EXPECT_TRUE(Contains(std::string(rows.status().message()), "dòng 1: cột không rõ \"code\""));
  EXPECT_TRUE(Contains(std::string(rows.status().message()), "thiếu cột indicator_code"));

  EXPECT_FALSE(ReadValuesCsv("").ok());
  EXPECT_FALSE(ReadValuesCsv("indicator_code,value\n\n").ok());
}

// --- table ---------------------------------------------------------------------------------------

TEST(TableTest, AlignsColumnsByDisplayWidth) {
  Table table({"Xã", "Kết quả"});
  table.AddRow({"Xã Bản Bo", "A"});
  table.AddRow({"Thị trấn Tam Đường", "B"});
  table.AddRow({"Xa\xCC\x83 Ba\xCC\x89n Hon", "C"});  // decomposed
  table.AddSection("— Nhóm 2");
  table.AddRow({"Nà Tăm", ""});
  const std::string rendered = table.Render();
  const std::vector<std::string> lines = absl::StrSplit(rendered, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 7u);
  EXPECT_EQ(lines[0], "Xã                  Kết quả");
  EXPECT_EQ(lines[1], "------------------  -------");
  for (const auto& [line, mark] : std::vector<std::pair<std::string, std::string>>{
           {lines[2], "A"}, {lines[3], "B"}, {lines[4], "C"}}) {
    const size_t at = line.rfind(mark);
    ASSERT_NE(at, std::string::npos);
    EXPECT_EQ(DisplayWidth(absl::string_view(line).substr(0, at)), 20) << line;
  }
  EXPECT_EQ(lines[5], "— Nhóm 2");
  EXPECT_EQ(lines[6], "Nà Tăm");  // no trailing spaces
}

TEST(TableTest, TruncatesLongCellsAndAlignsRight) {
  Table table({"Mã", "Nội dung", "Số"});
  table.SetMaxWidth(1, 12);
  table.SetAlign(2, Table::Align::kRight);
  table.AddRow({"15.1", "Tỷ lệ người dân tham gia bảo hiểm y tế", "5"});
  table.AddRow({"15.2", "Ngắn", "100"});
  const std::vector<std::string> lines = absl::StrSplit(table.Render(), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_TRUE(Contains(lines[2], "…"));
  EXPECT_EQ(DisplayWidth(lines[2]), DisplayWidth(lines[3]));
  EXPECT_TRUE(Contains(lines[2], "    5"));
}

// --- arguments -----------------------------------------------------------------------------------

EnvLookup NoEnv() {
  return [](const std::string&) { return std::nullopt; };
}

TEST(ArgsTest, ParsesOptionsAnywhere) {
  absl::StatusOr<ParsedArgs> parsed = ParseArgs(
      {"--server=host:1", "status", "03424", "--as-of", "2023-12-31", "--json", "--as=x"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->positionals, (std::vector<std::string>{"status", "03424"}));
  EXPECT_EQ(parsed->options.at("as-of"), "2023-12-31");
  EXPECT_EQ(parsed->options.at("server"), "host:1");
  EXPECT_TRUE(parsed->options.contains("json"));
  absl::StatusOr<GlobalOptions> options = ReadGlobalOptions(*parsed, NoEnv());
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(options->server, "host:1");
  EXPECT_EQ(options->principal, "x");
  EXPECT_TRUE(options->json);
  EXPECT_EQ(options->timeout, absl::Seconds(10));
}

TEST(ArgsTest, RejectsUnknownRepeatedAndMalformedOptions) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"status", "--bogus"},
                                             {"status", "-x"},
                                             {"status", "--as-of"},
                                             {"--json=yes", "status"},
                                             {"--as=a", "--as=b", "status"}}) {
    absl::StatusOr<ParsedArgs> parsed = ParseArgs(args);
    ASSERT_FALSE(parsed.ok()) << args[0];
    EXPECT_TRUE(IsUsageError(parsed.status()));
  }
}

TEST(ArgsTest, ReadsDefaultsFromTheEnvironment) {
  const EnvLookup env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "NTM_SERVER") {
      return "ntm.example:443";
    }
    if (name == "NTM_PRINCIPAL") {
      return "can-bo-ban-bo";
    }
    return std::nullopt;
  };
  absl::StatusOr<GlobalOptions> options = ReadGlobalOptions(ParsedArgs{}, env);
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(options->server, "ntm.example:443");
  EXPECT_EQ(options->principal, "can-bo-ban-bo");

  options = ReadGlobalOptions(ParsedArgs{}, NoEnv());
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(options->server, "127.0.0.1:50051");
  EXPECT_EQ(options->principal, "ntmctl");
}

TEST(ArgsTest, ValidatesTimeoutPrincipalAndAgency) {
  const auto read = [](const std::string& name, const std::string& value) {
    ParsedArgs parsed;
    parsed.options[name] = value;
    return ReadGlobalOptions(parsed, NoEnv());
  };
  EXPECT_EQ(read("timeout", "2.5")->timeout, absl::Milliseconds(2500));
  EXPECT_EQ(read("timeout", "500ms")->timeout, absl::Milliseconds(500));
  EXPECT_FALSE(read("timeout", "0").ok());
  EXPECT_FALSE(read("timeout", "-1").ok());
  EXPECT_FALSE(read("timeout", "soon").ok());
  EXPECT_FALSE(read("as", "cán-bộ").ok());  // metadata must be ASCII
  EXPECT_EQ(read("agency", "tam-duong-y-te")->agency, "agencies/tam-duong-y-te");
  EXPECT_FALSE(read("agency", "Phòng Y tế").ok());
}

TEST(ArgsTest, ExpandsNames) {
  EXPECT_EQ(*UnitName("03424"), "units/03424");
  EXPECT_EQ(*UnitName("units/03424"), "units/03424");
  EXPECT_FALSE(UnitName("Bản Bo").ok());
  EXPECT_FALSE(UnitName("").ok());
  EXPECT_EQ(*CriteriaSetName("lai-chau-2022"), "criteriaSets/lai-chau-2022");
  EXPECT_EQ(*CriteriaSetName("criteriaSets/lai-chau-2022"), "criteriaSets/lai-chau-2022");
  EXPECT_EQ(*AssessmentName("03424/2023-12-31"), "units/03424/assessments/2023-12-31");
  EXPECT_EQ(*AssessmentName("units/03424/assessments/2023-12-31"),
            "units/03424/assessments/2023-12-31");
  EXPECT_FALSE(AssessmentName("03424").ok());
  EXPECT_FALSE(AssessmentName("03424/2023-02-30").ok());
}

TEST(ArgsTest, ChecksDates) {
  EXPECT_TRUE(CheckDate("2023-12-31").ok());
  EXPECT_TRUE(CheckDate("2024-02-29").ok());
  EXPECT_FALSE(CheckDate("2023-02-29").ok());
  EXPECT_FALSE(CheckDate("31/12/2023").ok());
  EXPECT_FALSE(CheckDate("2023-13-01").ok());
  EXPECT_FALSE(CheckDate("2023-1-1").ok());
}

// --- digest --------------------------------------------------------------------------------------

TEST(DigestTest, Sha256MatchesKnownVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Sha256Hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(DigestTest, RequestIdIsStableShortAndSpecific) {
  const std::string a = RequestId("values", "units/03424/assessments/2023-12-31", "x,y\n");
  EXPECT_EQ(a, RequestId("values", "units/03424/assessments/2023-12-31", "x,y\n"));
  EXPECT_LE(a.size(), 64u);
  EXPECT_NE(a, RequestId("values", "units/03425/assessments/2023-12-31", "x,y\n"));
  EXPECT_NE(a, RequestId("values", "units/03424/assessments/2023-12-31", "x,z\n"));
  EXPECT_NE(RequestId("values", "ab", "c"), RequestId("values", "a", "bc"));
}

// --- rendering -----------------------------------------------------------------------------------

v1::CommuneStatus TestCommuneStatus() {
  v1::CommuneStatus status;
  status.set_unit("units/03424");
  status.set_unit_display_name("Xã Bản Bo");
  status.set_assessment("units/03424/assessments/2023-12-31");
  status.set_as_of_date("2023-12-31");
  status.set_state(v1::ASSESSMENT_STATE_SUBMITTED);
  status.set_criteria_set("criteriaSets/lai-chau-2022");
  status.set_criteria_met(12);
  status.set_criteria_total(19);
  status.set_uses_demo_thresholds(true);
  const auto add_criterion = [&](const std::string& code, const std::string& title,
                                 v1::CriterionResult result, int met, int total,
                                 v1::ReviewState review) {
    v1::CriterionStatus* c = status.add_criteria();
    c->set_criterion_code(code);
    c->set_title_vi(title);
    c->set_result(result);
    c->set_indicators_met(met);
    c->set_indicators_total(total);
    c->set_review_state(review);
  };
  add_criterion("9", "Nhà ở dân cư", v1::CRITERION_RESULT_MET, 2, 2, v1::REVIEW_STATE_CONFIRMED);
  add_criterion("10", "Thu nhập", v1::CRITERION_RESULT_NOT_MET, 0, 1, v1::REVIEW_STATE_PENDING);
  add_criterion("13", "Tổ chức sản xuất và phát triển kinh tế nông thôn",
                v1::CRITERION_RESULT_INCOMPLETE, 4, 5, v1::REVIEW_STATE_NO_OWNER);
  add_criterion("15", "Y tế", v1::CRITERION_RESULT_NOT_MET, 2, 3, v1::REVIEW_STATE_DISPUTED);
  const auto add_indicator = [&](const std::string& code, v1::Measure measure,
                                 v1::IndicatorResult result, const std::string& unit,
                                 std::optional<double> threshold, v1::ThresholdStatus ts) {
    v1::IndicatorStatus* i = status.add_indicators();
    i->set_indicator_code(code);
    i->set_title_vi(absl::StrCat("Chỉ tiêu ", code));
    i->set_measure(measure);
    i->set_result(result);
    i->set_unit(unit);
    if (threshold.has_value()) {
      i->set_threshold(*threshold);
    }
    i->set_threshold_status(ts);
    return i;
  };
  add_indicator("9.1", v1::MEASURE_NONE_ALLOWED, v1::INDICATOR_RESULT_MET, "", std::nullopt,
                v1::THRESHOLD_STATUS_IMPLICIT)
      ->mutable_value()
      ->set_count_value(0);
  add_indicator("10", v1::MEASURE_AMOUNT_AT_LEAST, v1::INDICATOR_RESULT_THRESHOLD_NOT_SET,
                "triệu đồng/người/năm", std::nullopt, v1::THRESHOLD_STATUS_NOT_SET)
      ->mutable_value()
      ->set_number_value(42.5);
  add_indicator("13.3", v1::MEASURE_BOOLEAN, v1::INDICATOR_RESULT_NO_DATA, "", std::nullopt,
                v1::THRESHOLD_STATUS_IMPLICIT);
  add_indicator("15.1", v1::MEASURE_PERCENT_AT_LEAST, v1::INDICATOR_RESULT_NOT_MET, "%", 95,
                v1::THRESHOLD_STATUS_DEMO)
      ->mutable_value()
      ->set_number_value(88.5);
  return status;
}

TEST(RenderTest, CommuneStatus) {
  const std::string out = RenderCommuneStatus(TestCommuneStatus());
  EXPECT_TRUE(Contains(out, "Xã Bản Bo (units/03424) — đánh giá đến ngày 31/12/2023 — Đã gửi"));
  EXPECT_TRUE(Contains(out, "Tiêu chí  Tên tiêu chí"));
  EXPECT_TRUE(Contains(out, "Kết quả          Chỉ tiêu đạt  Thẩm định"));
  EXPECT_TRUE(Contains(out, "Đã xác nhận"));
  EXPECT_TRUE(Contains(out, "Chờ thẩm định"));
  EXPECT_TRUE(Contains(out, "Chưa phân công"));
  EXPECT_TRUE(Contains(out, "Có ý kiến khác"));
  EXPECT_TRUE(Contains(out, "Chưa đủ dữ liệu"));
  EXPECT_TRUE(Contains(out, "Chỉ tiêu chưa đạt (3):"));
  EXPECT_TRUE(Contains(out, "Không có số liệu"));
  EXPECT_TRUE(Contains(out, "Chưa có ngưỡng"));
  EXPECT_TRUE(Contains(out, "88,5"));
  EXPECT_TRUE(Contains(out, "≥ 95 (ngưỡng minh họa)"));
  EXPECT_FALSE(Contains(out, "9.1 "));  // met indicators are not listed
  EXPECT_TRUE(Contains(out, "Cảnh báo: kết quả có dùng ngưỡng minh họa"));
  const std::vector<std::string> lines = absl::StrSplit(out, '\n', absl::SkipEmpty());
  EXPECT_EQ(lines.back(), "Xã Bản Bo: đạt 12/19 tiêu chí — chưa đạt chuẩn nông thôn mới");

  v1::CommuneStatus reached = TestCommuneStatus();
  reached.set_criteria_met(19);
  reached.set_ntm_standard_reached(true);
  reached.set_uses_demo_thresholds(false);
  const std::string reached_out = RenderCommuneStatus(reached);
  EXPECT_TRUE(Contains(reached_out, "Xã Bản Bo: đạt 19/19 tiêu chí — đạt chuẩn nông thôn mới\n"));
  EXPECT_FALSE(Contains(reached_out, "Cảnh báo"));
}

TEST(RenderTest, CriteriaSet) {
  const std::string out = RenderCriteriaSet(TestCriteriaSet());
  EXPECT_TRUE(Contains(out, "Bộ tiêu chí: Bộ tiêu chí xã nông thôn mới tỉnh Lai Châu"));
  EXPECT_TRUE(Contains(out, "— Nhóm 2. Hạ tầng kinh tế - xã hội"));
  EXPECT_TRUE(Contains(out, "  15.1"));
  EXPECT_TRUE(Contains(out, "≥ 95"));
  EXPECT_TRUE(Contains(out, "minh họa"));
  EXPECT_TRUE(Contains(out, "chưa kiểm chứng"));
  EXPECT_TRUE(Contains(out, "chưa có ngưỡng"));
  EXPECT_TRUE(Contains(out, "Thu nhập: Thu nhập bình quân"));  // single-indicator criterion
  EXPECT_TRUE(Contains(out, "Tổng: 4 tiêu chí, 5 chỉ tiêu."));
  EXPECT_TRUE(Contains(out, "Chưa có ngưỡng (1 chỉ tiêu): 10"));
  // The long wording of 13.3 is cut.
  EXPECT_TRUE(Contains(out, "Thực hiện truy xuất nguồn gốc các sản phẩm chủ…"));
}

v1::GetDistrictMatrixResponse TestMatrix() {
  v1::GetDistrictMatrixResponse matrix;
  matrix.set_unit("units/106");
  matrix.set_as_of_date("2023-12-31");
  matrix.set_criteria_set("criteriaSets/lai-chau-2022");
  for (const char* code : {"1", "2", "10"}) {
    matrix.add_criterion_codes(code);
  }
  const auto add_row = [&](const std::string& unit, const std::string& name, bool assessed,
                           std::vector<v1::CriterionResult> cells, int met) {
    v1::MatrixRow* row = matrix.add_rows();
    row->set_unit(unit);
    row->set_unit_display_name(name);
    if (assessed) {
      row->set_assessment(absl::StrCat(unit, "/assessments/2023-12-31"));
      row->set_state(v1::ASSESSMENT_STATE_DRAFT);
    }
    for (v1::CriterionResult cell : cells) {
      row->add_cells(cell);
    }
    row->set_criteria_met(met);
    row->set_ntm_standard_reached(assessed && met == 3);
  };
  add_row("units/03424", "Xã Bản Bo", true,
          {v1::CRITERION_RESULT_MET, v1::CRITERION_RESULT_NOT_MET, v1::CRITERION_RESULT_INCOMPLETE},
          1);
  add_row("units/03430", "Thị trấn Tam Đường", true,
          {v1::CRITERION_RESULT_MET, v1::CRITERION_RESULT_MET, v1::CRITERION_RESULT_MET}, 3);
  add_row("units/03433", "Xã Nà Tăm", false,
          {v1::CRITERION_RESULT_UNSPECIFIED, v1::CRITERION_RESULT_UNSPECIFIED,
           v1::CRITERION_RESULT_UNSPECIFIED},
          0);
  v1::IndicatorGap* gap = matrix.add_gaps();
  gap->set_indicator_code("2.1");
  gap->set_title_vi("Tỷ lệ đường xã được nhựa hóa hoặc bê tông hóa");
  gap->add_units_not_met("units/03424");
  gap = matrix.add_gaps();
  gap->set_indicator_code("10");
  gap->set_title_vi("Thu nhập bình quân đầu người");
  gap->add_units_no_data("units/03424");
  gap->add_units_not_met("units/09999");         // not among the rows: shown by code
  matrix.add_gaps()->set_indicator_code("1.1");  // nobody missing: not listed
  return matrix;
}

TEST(RenderTest, Matrix) {
  const std::string out = RenderMatrix(TestMatrix());
  const std::vector<std::string> lines = absl::StrSplit(out, '\n', absl::SkipEmpty());
  ASSERT_GE(lines.size(), 6u);
  EXPECT_EQ(lines[1], "Xã        1 2 10 Đạt Trạng thái");
  EXPECT_EQ(lines[2], "--------- - - -- --- ----------------");
  EXPECT_EQ(lines[3], "Bản Bo    ✓ ✗ ?  1/3 bản nháp");
  EXPECT_EQ(lines[4], "Tam Đường ✓ ✓ ✓  3/3 bản nháp");
  EXPECT_EQ(lines[5], "Nà Tăm             – chưa có đánh giá");
  EXPECT_TRUE(Contains(out, "Đạt chuẩn nông thôn mới: 1 xã (Tam Đường)."));
  EXPECT_TRUE(Contains(out,
                       "Chỉ tiêu chưa đạt theo xã:\n"
                       "  2.1    Tỷ lệ đường xã được nhựa hóa hoặc bê tông hóa\n"
                       "      Chưa đạt (1): Bản Bo\n"
                       "  10     Thu nhập bình quân đầu người\n"
                       "      Chưa đạt (1): 09999\n"));
  EXPECT_TRUE(Contains(out, "Xã còn thiếu số liệu:\n  Bản Bo: 1 chỉ tiêu (10)\n"));
  EXPECT_FALSE(Contains(out, "1.1"));
}

TEST(RenderTest, Units) {
  v1::Unit unit;
  unit.set_code("03424");
  unit.set_display_name("Xã Bản Bo");
  unit.set_kind("Xã");
  const std::string out = RenderUnits({unit});
  EXPECT_TRUE(Contains(out, "03424  Xã Bản Bo  Xã\n"));
  EXPECT_TRUE(Contains(out, "1 đơn vị."));
}

// --- commands against fake services --------------------------------------------------------------

// What a fake service saw of one call.
struct Seen {
  std::string method;
  std::map<std::string, std::string> metadata;
  std::chrono::system_clock::time_point deadline;
};

class FakeBackend final : public v1::AssessmentService::Service,
                          public v1::CatalogService::Service,
                          public v1::DirectoryService::Service {
 public:
  std::mutex mu;
  std::vector<Seen> seen;
  v1::SetIndicatorValuesRequest last_set;
  v1::SubmitAssessmentRequest last_submit;
  v1::ReviewCriterionRequest last_review;
  v1::CreateAssessmentRequest last_create;
  v1::ListUnitsRequest last_units;
  v1::UpdateIndicatorRequest last_update;
  int list_units_calls = 0;
  grpc::Status fail_status = grpc::Status::OK;  // returned by every call when not OK
  // The values stored by SetIndicatorValues, returned by GetAssessment.
  google::protobuf::RepeatedPtrField<v1::IndicatorValue> stored_values;

  grpc::Status GetAssessment(grpc::ServerContext* context, const v1::GetAssessmentRequest* request,
                             v1::GetAssessmentResponse* response) override {
    Record("GetAssessment", context);
    if (!fail_status.ok()) {
      return fail_status;
    }
    if (request->name() != "units/03424/assessments/2023-12-31") {
      return grpc::Status(grpc::StatusCode::NOT_FOUND,
                          absl::StrCat("assessment ", request->name(), " not found"));
    }
    std::lock_guard<std::mutex> lock(mu);
    *response->mutable_assessment() = Assessment(stored_values.empty() ? "etag-1" : "etag-2");
    *response->mutable_assessment()->mutable_values() = stored_values;
    return grpc::Status::OK;
  }

  grpc::Status GetCriteriaSet(grpc::ServerContext* context,
                              const v1::GetCriteriaSetRequest* request,
                              v1::GetCriteriaSetResponse* response) override {
    Record("GetCriteriaSet", context);
    if (!fail_status.ok()) {
      return fail_status;
    }
    if (request->name() != "criteriaSets/lai-chau-2022") {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "no such criteria set");
    }
    *response->mutable_criteria_set() = TestCriteriaSet();
    return grpc::Status::OK;
  }

  grpc::Status UpdateIndicator(grpc::ServerContext* context,
                               const v1::UpdateIndicatorRequest* request,
                               v1::UpdateIndicatorResponse* response) override {
    Record("UpdateIndicator", context);
    std::lock_guard<std::mutex> lock(mu);
    last_update = *request;
    *response->mutable_indicator() = request->indicator();
    response->mutable_indicator()->set_etag("\"8\"");
    return grpc::Status::OK;
  }

  grpc::Status ListCriteriaSets(grpc::ServerContext* context,
                                const v1::ListCriteriaSetsRequest* request,
                                v1::ListCriteriaSetsResponse* response) override {
    Record("ListCriteriaSets", context);
    v1::CriteriaSet set = TestCriteriaSet();
    set.clear_criteria();
    *response->add_criteria_sets() = set;
    return grpc::Status::OK;
  }

  grpc::Status ListUnits(grpc::ServerContext* context, const v1::ListUnitsRequest* request,
                         v1::ListUnitsResponse* response) override {
    Record("ListUnits", context);
    std::lock_guard<std::mutex> lock(mu);
    last_units = *request;
    ++list_units_calls;
    v1::Unit* unit = response->add_units();
    if (request->page_token().empty()) {
      unit->set_code("03424");
      unit->set_display_name("Xã Bản Bo");
      unit->set_kind("Xã");
      response->set_next_page_token("page-2");
    } else {
      unit->set_code("03430");
      unit->set_display_name("Thị trấn Tam Đường");
      unit->set_kind("Thị trấn");
    }
    return grpc::Status::OK;
  }

  grpc::Status CreateAssessment(grpc::ServerContext* context,
                                const v1::CreateAssessmentRequest* request,
                                v1::CreateAssessmentResponse* response) override {
    Record("CreateAssessment", context);
    std::lock_guard<std::mutex> lock(mu);
    last_create = *request;
    *response->mutable_assessment() = Assessment("etag-new");
    return grpc::Status::OK;
  }

  grpc::Status SetIndicatorValues(grpc::ServerContext* context,
                                  const v1::SetIndicatorValuesRequest* request,
                                  v1::SetIndicatorValuesResponse* response) override {
    Record("SetIndicatorValues", context);
    std::lock_guard<std::mutex> lock(mu);
    last_set = *request;
    stored_values = request->values();
    *response->mutable_assessment() = Assessment("etag-2");
    *response->mutable_assessment()->mutable_values() = stored_values;
    return grpc::Status::OK;
  }

  grpc::Status SubmitAssessment(grpc::ServerContext* context,
                                const v1::SubmitAssessmentRequest* request,
                                v1::SubmitAssessmentResponse* response) override {
    Record("SubmitAssessment", context);
    std::lock_guard<std::mutex> lock(mu);
    last_submit = *request;
    *response->mutable_assessment() = Assessment("etag-3");
    response->mutable_assessment()->set_state(v1::ASSESSMENT_STATE_SUBMITTED);
    return grpc::Status::OK;
  }

  grpc::Status ReviewCriterion(grpc::ServerContext* context,
                               const v1::ReviewCriterionRequest* request,
                               v1::ReviewCriterionResponse* response) override {
    Record("ReviewCriterion", context);
    std::lock_guard<std::mutex> lock(mu);
    last_review = *request;
    *response->mutable_assessment() = Assessment("etag-4");
    return grpc::Status::OK;
  }

  grpc::Status GetCommuneStatus(grpc::ServerContext* context,
                                const v1::GetCommuneStatusRequest* request,
                                v1::GetCommuneStatusResponse* response) override {
    Record("GetCommuneStatus", context);
    if (!fail_status.ok()) {
      return fail_status;
    }
    *response->mutable_status() = TestCommuneStatus();
    return grpc::Status::OK;
  }

  grpc::Status GetDistrictMatrix(grpc::ServerContext* context,
                                 const v1::GetDistrictMatrixRequest* request,
                                 v1::GetDistrictMatrixResponse* response) override {
    Record("GetDistrictMatrix", context);
    *response = TestMatrix();
    return grpc::Status::OK;
  }

  std::vector<std::string> Methods() {
    std::lock_guard<std::mutex> lock(mu);
    std::vector<std::string> methods;
    for (const Seen& s : seen) {
      methods.push_back(s.method);
    }
    return methods;
  }

 private:
  static v1::Assessment Assessment(const std::string& etag) {
    v1::Assessment assessment;
    assessment.set_name("units/03424/assessments/2023-12-31");
    assessment.set_unit("units/03424");
    assessment.set_as_of_date("2023-12-31");
    assessment.set_criteria_set("criteriaSets/lai-chau-2022");
    assessment.set_state(v1::ASSESSMENT_STATE_DRAFT);
    assessment.set_etag(etag);
    return assessment;
  }

  void Record(const std::string& method, grpc::ServerContext* context) {
    Seen s;
    s.method = method;
    for (const auto& [key, value] : context->client_metadata()) {
      s.metadata[std::string(key.data(), key.size())] = std::string(value.data(), value.size());
    }
    s.deadline = context->deadline();
    std::lock_guard<std::mutex> lock(mu);
    seen.push_back(std::move(s));
  }
};

class CommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.RegisterService(static_cast<v1::AssessmentService::Service*>(&backend_));
    builder.RegisterService(static_cast<v1::CatalogService::Service*>(&backend_));
    builder.RegisterService(static_cast<v1::DirectoryService::Service*>(&backend_));
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }

  void TearDown() override { server_->Shutdown(); }

  // Runs ntmctl; the output goes to out_ and err_.
  int Run(const std::vector<std::string>& args, const std::string& stdin_text = "") {
    out_.str("");
    err_.str("");
    in_.str(stdin_text);
    Io io;
    io.out = &out_;
    io.err = &err_;
    io.in = &in_;
    io.env = [this](const std::string& name) -> std::optional<std::string> {
      const auto it = env_.find(name);
      if (it == env_.end()) {
        return std::nullopt;
      }
      return it->second;
    };
    io.connect = [this](const std::string& server) -> std::shared_ptr<grpc::ChannelInterface> {
      connected_to_ = server;
      return server_->InProcessChannel(grpc::ChannelArguments());
    };
    return RunNtmctl(args, io);
  }

  std::string WriteFile(const std::string& content) {
    const std::string path =
        absl::StrCat(::testing::TempDir(), "/ntmctl_test_",
                     ::testing::UnitTest::GetInstance()->current_test_info()->name(), ".csv");
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  FakeBackend backend_;
  std::unique_ptr<grpc::Server> server_;
  std::map<std::string, std::string> env_;
  std::string connected_to_;
  std::ostringstream out_;
  std::ostringstream err_;
  std::istringstream in_;
};

TEST_F(CommandTest, ValuesSetSendsAllValuesWithEtagRequestIdIdentityAndDeadline) {
  env_["NTM_PRINCIPAL"] = "can-bo-ban-bo";
  const std::string csv =
      "indicator_code,value,note,evidence\n13.3,Đạt,Đã có mã QR,BC "
      "12\n15.1,\"95,5\",,\n"
      "9.1,0,,\n";
  const std::string path = WriteFile(csv);
  const auto before = std::chrono::system_clock::now();
  ASSERT_EQ(Run({"--timeout=3", "values", "set", "03424/2023-12-31", path}), 0) << err_.str();
  EXPECT_EQ(backend_.Methods(),
            (std::vector<std::string>{"GetAssessment", "GetCriteriaSet", "SetIndicatorValues"}));
  const v1::SetIndicatorValuesRequest& sent = backend_.last_set;
  EXPECT_EQ(sent.name(), "units/03424/assessments/2023-12-31");
  EXPECT_EQ(sent.etag(), "etag-1");
  EXPECT_EQ(sent.request_id(), RequestId("values", sent.name(), csv));
  ASSERT_EQ(sent.values_size(), 3);
  EXPECT_TRUE(sent.values(0).boolean_value());
  EXPECT_EQ(sent.values(0).note(), "Đã có mã QR");
  EXPECT_DOUBLE_EQ(sent.values(1).number_value(), 95.5);
  EXPECT_EQ(sent.values(2).value_case(), v1::IndicatorValue::kCountValue);
  for (Seen& seen : backend_.seen) {
    EXPECT_EQ(seen.metadata["x-ntm-principal"], "can-bo-ban-bo") << seen.method;
    EXPECT_FALSE(seen.metadata.contains("x-ntm-agency")) << seen.method;
    // --timeout=3 rather than the default 10 s; gRPC may round the timeout up on the wire.
    EXPECT_GT(seen.deadline, before + std::chrono::seconds(2)) << seen.method;
    EXPECT_LE(seen.deadline, std::chrono::system_clock::now() + std::chrono::seconds(4))
        << seen.method;
  }
  EXPECT_TRUE(Contains(out_.str(), "Đã lưu 3 giá trị vào units/03424/assessments/2023-12-31"));
  EXPECT_TRUE(Contains(out_.str(), "etag mới: etag-2"));

  // Re-running the same file (e.g. after a timeout whose call did go through) finds the values
  // stored and sends nothing.
  ASSERT_EQ(Run({"values", "set", "units/03424/assessments/2023-12-31", path}), 0) << err_.str();
  EXPECT_TRUE(Contains(out_.str(), "Cả 3 giá trị trong tệp đã có sẵn"));
  EXPECT_EQ(backend_.Methods(),
            (std::vector<std::string>{"GetAssessment", "GetCriteriaSet", "SetIndicatorValues",
                                      "GetAssessment", "GetCriteriaSet"}));

  // A changed file is sent, with another request_id.
  const std::string first_id = sent.request_id();
  const std::string changed = WriteFile(absl::StrCat(csv, "10,40,,\n"));
  ASSERT_EQ(Run({"values", "set", "03424/2023-12-31", changed}), 0) << err_.str();
  EXPECT_EQ(backend_.last_set.values_size(), 4);
  EXPECT_EQ(backend_.last_set.etag(), "etag-2");
  EXPECT_NE(backend_.last_set.request_id(), first_id);
}

TEST_F(CommandTest, ValuesSetReadsStandardInput) {
  ASSERT_EQ(Run({"values", "set", "03424/2023-12-31", "-"}, "indicator_code,value\n15.1,80\n"), 0)
      << err_.str();
  ASSERT_EQ(backend_.last_set.values_size(), 1);
  EXPECT_DOUBLE_EQ(backend_.last_set.values(0).number_value(), 80);
}

TEST_F(CommandTest, ValuesSetWithBadRowsSendsNothing) {
  const std::string path = WriteFile(
      "indicator_code,value,note,evidence\n13.3,có "
      "lẽ,,\n15.1,95,,\n17.99,1,,\n9.1,-1,,\n");
  EXPECT_EQ(Run({"values", "set", "03424/2023-12-31", path}), 1);
  const std::string err = err_.str();
  EXPECT_TRUE(Contains(err, "lỗi: tệp "));
  EXPECT_TRUE(Contains(err, "chưa gửi giá trị nào"));
  EXPECT_TRUE(Contains(err, "dòng 2: chỉ tiêu 13.3"));
  EXPECT_TRUE(Contains(err, "dòng 4: không có chỉ tiêu \"17.99\""));
  EXPECT_TRUE(Contains(err, "dòng 5: chỉ tiêu 9.1"));
  for (const std::string& method : backend_.Methods()) {
    EXPECT_NE(method, "SetIndicatorValues");
  }
}

TEST_F(CommandTest, ValuesSetWithABrokenFileAsksTheServiceNothing) {
  const std::string path = WriteFile("indicator_code,value\n15.1,\"95\n");
  EXPECT_EQ(Run({"values", "set", "03424/2023-12-31", path}), 1);
  EXPECT_TRUE(Contains(err_.str(), "dòng 2:"));
  EXPECT_TRUE(backend_.Methods().empty());
  EXPECT_EQ(Run({"values", "set", "03424/2023-12-31", "/nonexistent/values.csv"}), 1);
  EXPECT_TRUE(Contains(err_.str(), "lỗi: không mở được tệp /nonexistent/values.csv"));
}

TEST_F(CommandTest, RpcErrorsArePrintedWithTheirCodeName) {
  const std::string path = WriteFile("indicator_code,value\n15.1,95\n");
  EXPECT_EQ(Run({"values", "set", "03425/2023-12-31", path}), 1);
  EXPECT_EQ(err_.str(),
            "lỗi: NOT_FOUND: assessment units/03425/assessments/2023-12-31 not "
            "found\n");

  backend_.fail_status = grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "không có quyền");
  EXPECT_EQ(Run({"status", "03424"}), 1);
  EXPECT_EQ(err_.str(), "lỗi: PERMISSION_DENIED: không có quyền\n");
  EXPECT_EQ(out_.str(), "");
}

TEST_F(CommandTest, StatusPrintsTheTableAndVerdict) {
  ASSERT_EQ(Run({"--server=ntm.local:9000", "status", "03424", "--as-of=2023-12-31"}), 0)
      << err_.str();
  EXPECT_EQ(connected_to_, "ntm.local:9000");
  EXPECT_TRUE(Contains(out_.str(), "Xã Bản Bo: đạt 12/19 tiêu chí — chưa đạt chuẩn nông thôn mới"));
  EXPECT_EQ(backend_.seen.at(0).metadata["x-ntm-principal"], "ntmctl");
}

TEST_F(CommandTest, JsonPrintsTheResponse) {
  ASSERT_EQ(Run({"status", "03424", "--json"}), 0) << err_.str();
  EXPECT_TRUE(Contains(out_.str(), "\"unitDisplayName\": \"Xã Bản Bo\""));
  EXPECT_TRUE(Contains(out_.str(), "\"criteriaMet\": 12"));
}

TEST_F(CommandTest, SubmitFetchesTheEtagFirst) {
  ASSERT_EQ(Run({"submit", "03424/2023-12-31"}), 0) << err_.str();
  EXPECT_EQ(backend_.Methods(), (std::vector<std::string>{"GetAssessment", "SubmitAssessment"}));
  EXPECT_EQ(backend_.last_submit.etag(), "etag-1");
  EXPECT_TRUE(Contains(out_.str(), "Đã gửi"));
  EXPECT_TRUE(Contains(out_.str(), "etag: etag-3"));
}

TEST_F(CommandTest, ReviewNeedsAnAgencyAndAReasonForADispute) {
  EXPECT_EQ(Run({"review", "03424/2023-12-31", "15", "confirm"}), 2);
  EXPECT_TRUE(Contains(err_.str(), "--token"));
  EXPECT_TRUE(Contains(err_.str(), "--agency=agencies/ID"));
  EXPECT_EQ(Run({"--agency=tam-duong-y-te", "review", "03424/2023-12-31", "15", "dispute"}), 2);
  EXPECT_TRUE(Contains(err_.str(), "dispute cần lý do"));
  EXPECT_EQ(Run({"--agency=tam-duong-y-te", "review", "03424/2023-12-31", "15", "maybe"}), 2);
  EXPECT_TRUE(backend_.Methods().empty());

  ASSERT_EQ(Run({"--agency=agencies/tam-duong-y-te", "review", "03424/2023-12-31", "15", "dispute",
                 "--reason=Số liệu BHYT chưa khớp"}),
            0)
      << err_.str();
  EXPECT_EQ(backend_.last_review.criterion_code(), "15");
  EXPECT_EQ(backend_.last_review.verdict(), v1::REVIEW_VERDICT_DISPUTED);
  EXPECT_EQ(backend_.last_review.reason(), "Số liệu BHYT chưa khớp");
  EXPECT_EQ(backend_.last_review.etag(), "etag-1");
  EXPECT_EQ(backend_.seen.back().metadata["x-ntm-agency"], "agencies/tam-duong-y-te");
}

TEST_F(CommandTest, CreateSendsParentDateAndStableRequestId) {
  ASSERT_EQ(Run({"create", "03424", "--as-of=2023-12-31"}), 0) << err_.str();
  EXPECT_EQ(backend_.last_create.parent(), "units/03424");
  EXPECT_EQ(backend_.last_create.as_of_date(), "2023-12-31");
  EXPECT_FALSE(backend_.last_create.request_id().empty());
  EXPECT_TRUE(Contains(out_.str(), "Bản đánh giá: units/03424/assessments/2023-12-31"));
  EXPECT_TRUE(Contains(out_.str(), "etag: etag-new"));
  const std::string id = backend_.last_create.request_id();
  ASSERT_EQ(Run({"create", "units/03424", "--as-of", "2023-12-31"}), 0);
  EXPECT_EQ(backend_.last_create.request_id(), id);

  EXPECT_EQ(Run({"create", "03424"}), 2);
  EXPECT_TRUE(Contains(err_.str(), "thiếu --as-of"));
  EXPECT_EQ(Run({"create", "03424", "--as-of=31/12/2023"}), 2);
}

TEST_F(CommandTest, UnitsFollowsPagesAndSetsTheLevel) {
  ASSERT_EQ(Run({"units", "106", "--level=commune"}), 0) << err_.str();
  EXPECT_EQ(backend_.list_units_calls, 2);
  EXPECT_EQ(backend_.last_units.parent(), "units/106");
  EXPECT_EQ(backend_.last_units.level(), v1::UNIT_LEVEL_COMMUNE);
  EXPECT_TRUE(Contains(out_.str(), "Xã Bản Bo"));
  EXPECT_TRUE(Contains(out_.str(), "Thị trấn Tam Đường"));
  EXPECT_TRUE(Contains(out_.str(), "2 đơn vị."));
  EXPECT_EQ(Run({"units", "106", "--level=hamlet"}), 2);
}

TEST_F(CommandTest, CriteriaSetAndMatrixRender) {
  ASSERT_EQ(Run({"criteria-set", "show"}), 0) << err_.str();
  EXPECT_TRUE(Contains(out_.str(), "Chưa có ngưỡng (1 chỉ tiêu): 10"));
  ASSERT_EQ(Run({"criteria-set", "list"}), 0) << err_.str();
  EXPECT_TRUE(Contains(out_.str(), "criteriaSets/lai-chau-2022"));
  ASSERT_EQ(Run({"matrix", "106", "--as-of=2023-12-31"}), 0) << err_.str();
  EXPECT_TRUE(Contains(out_.str(), "Bản Bo    ✓ ✗ ?  1/3 bản nháp"));
}

TEST_F(CommandTest, UsageErrorsExitWithTwo) {
  EXPECT_EQ(Run({}), 2);
  EXPECT_TRUE(Contains(err_.str(), "Cách dùng: ntmctl"));
  EXPECT_EQ(Run({"help"}), 0);
  EXPECT_TRUE(Contains(out_.str(), "Cách dùng: ntmctl"));
  EXPECT_EQ(Run({"frobnicate"}), 2);
  EXPECT_TRUE(Contains(err_.str(), "lỗi: lệnh không rõ \"frobnicate\""));
  EXPECT_EQ(Run({"status", "03424", "--level=commune"}), 2);
  EXPECT_TRUE(Contains(err_.str(), "lệnh \"status\" không có tùy chọn --level"));
  EXPECT_EQ(Run({"status"}), 2);
  EXPECT_EQ(Run({"status", "03424", "extra"}), 2);
  EXPECT_EQ(Run({"status", "Bản Bo"}), 2);
  EXPECT_EQ(Run({"values", "get", "x"}), 2);
  EXPECT_EQ(Run({"criteria-set"}), 2);
  EXPECT_EQ(Run({"--timeout=0", "status", "03424"}), 2);
  EXPECT_TRUE(backend_.Methods().empty());
}

}  // namespace
}  // namespace ntm::ntmctl

namespace ntm::ntmctl {
namespace {

TEST_F(CommandTest, ThresholdSetSendsOneYearWithEtagSourceAndStatus) {
  ASSERT_EQ(Run({"--as=vp-dieu-phoi", "threshold", "set", "15.1", "--value=95,5", "--year=2024",
                 "--status=unverified", "--source=Quyết định 1285/QĐ-UBND"}),
            0)
      << err_.str();
  EXPECT_EQ(backend_.Methods(), (std::vector<std::string>{"GetCriteriaSet", "UpdateIndicator"}));
  const v1::UpdateIndicatorRequest& sent = backend_.last_update;
  EXPECT_EQ(sent.indicator().name(), "criteriaSets/lai-chau-2022/indicators/15.1");
  EXPECT_EQ(sent.indicator().etag(), "\"7\"");
  ASSERT_EQ(sent.indicator().thresholds_size(), 1);
  EXPECT_EQ(sent.indicator().thresholds(0).year(), 2024);
  EXPECT_DOUBLE_EQ(sent.indicator().thresholds(0).value(), 95.5);
  EXPECT_EQ(sent.indicator().thresholds(0).status(), v1::THRESHOLD_STATUS_UNVERIFIED);
  EXPECT_EQ(sent.update_mask().paths(0), "thresholds");
  EXPECT_EQ(sent.source(), "Quyết định 1285/QĐ-UBND");
  EXPECT_NE(out_.str().find("năm 2024"), std::string::npos) << out_.str();
}

TEST_F(CommandTest, ThresholdSetNeedsASourceAndOneOfValueOrClear) {
  EXPECT_EQ(Run({"threshold", "set", "15.1", "--value=95"}), kExitUsage);
  EXPECT_NE(err_.str().find("--source"), std::string::npos) << err_.str();
  EXPECT_EQ(Run({"threshold", "set", "15.1", "--source=x"}), kExitUsage);
  EXPECT_EQ(Run({"threshold", "set", "15.1", "--value=1", "--clear", "--source=x"}), kExitUsage);
  EXPECT_EQ(Run({"threshold", "set", "99.9", "--value=1", "--source=x"}), kExitError);
  EXPECT_TRUE(backend_.last_update.source().empty());
}

TEST_F(CommandTest, ThresholdClearSendsNoValue) {
  ASSERT_EQ(Run({"threshold", "set", "10", "--clear", "--source=Thu hồi"}), 0) << err_.str();
  ASSERT_EQ(backend_.last_update.indicator().thresholds_size(), 1);
  EXPECT_FALSE(backend_.last_update.indicator().thresholds(0).has_value());
  EXPECT_EQ(backend_.last_update.indicator().thresholds(0).year(), 0);
}

}  // namespace
}  // namespace ntm::ntmctl

namespace ntm::ntmctl {
namespace {

TEST_F(CommandTest, SendsTheBearerTokenFromTheFlagOrTheEnvironment) {
  ASSERT_EQ(Run({"--token=abc123", "criteria-set", "show"}), 0) << err_.str();
  ASSERT_FALSE(backend_.seen.empty());
  EXPECT_EQ(backend_.seen.back().metadata["authorization"], "Bearer abc123");
  env_["NTM_TOKEN"] = "from-env";
  ASSERT_EQ(Run({"criteria-set", "show"}), 0) << err_.str();
  EXPECT_EQ(backend_.seen.back().metadata["authorization"], "Bearer from-env");
  const std::string path = WriteFile("from-file\n");
  ASSERT_EQ(Run({"--token-file", path, "criteria-set", "show"}), 0) << err_.str();
  EXPECT_EQ(backend_.seen.back().metadata["authorization"], "Bearer from-file");
  EXPECT_EQ(Run({"--token-file=/nonexistent/token", "criteria-set", "show"}), kExitUsage);
}

}  // namespace
}  // namespace ntm::ntmctl

// --- plans: arguments ----------------------------------------------------------------------------

namespace ntm::ntmctl {
namespace {

namespace pv1 = ::ntm::plans::v1;

TEST(PlanArgsTest, ExpandsDirectiveAndPlanNames) {
  EXPECT_EQ(*DirectiveName("units/106/directives/tam-duong-2024"),
            "units/106/directives/tam-duong-2024");
  EXPECT_EQ(*DirectiveName("106/tam-duong-2024"), "units/106/directives/tam-duong-2024");
  EXPECT_EQ(*DirectiveName("106/directives/tam-duong-2024"), "units/106/directives/tam-duong-2024");
  EXPECT_EQ(*DirectiveName("106/directives-2024"), "units/106/directives/directives-2024");
  for (const char* bad : {"tam-duong-2024", "106/Tam-Duong-2024", "106/tam duong", "abc/tam-duong",
                          "units/106/directives/", "106/plans/tam-duong-2024", ""}) {
    absl::StatusOr<std::string> name = DirectiveName(bad);
    ASSERT_FALSE(name.ok()) << bad;
    EXPECT_TRUE(IsUsageError(name.status())) << bad;
  }

  EXPECT_EQ(*DirectiveId("tam-duong-2024"), "tam-duong-2024");
  EXPECT_EQ(*DirectiveId("units/106/directives/tam-duong-2024"), "tam-duong-2024");
  EXPECT_EQ(*DirectiveId("106/tam-duong-2024"), "tam-duong-2024");
  EXPECT_FALSE(DirectiveId("Tam Đường 2024").ok());
  EXPECT_FALSE(DirectiveId(std::string(65, 'a')).ok());

  EXPECT_EQ(*PlanName("units/03424/plans/tam-duong-2024"), "units/03424/plans/tam-duong-2024");
  EXPECT_EQ(*PlanName("03424/tam-duong-2024"), "units/03424/plans/tam-duong-2024");
  EXPECT_EQ(*PlanName("03424/plans/tam-duong-2024"), "units/03424/plans/tam-duong-2024");
  EXPECT_FALSE(PlanName("03424").ok());
  EXPECT_FALSE(PlanName("units/03424/directives/tam-duong-2024").ok());
  EXPECT_FALSE(PlanName("Bản Bo/tam-duong-2024").ok());

  EXPECT_EQ(*PlanNameFor("03424", "tam-duong-2024"), "units/03424/plans/tam-duong-2024");
  EXPECT_EQ(*PlanNameFor("units/03424", "units/106/directives/tam-duong-2024"),
            "units/03424/plans/tam-duong-2024");
  EXPECT_FALSE(PlanNameFor("Bản Bo", "tam-duong-2024").ok());
  EXPECT_FALSE(PlanNameFor("03424", "Tam Đường").ok());
}

TEST(PlanArgsTest, QuotesEtagsLikeTheService) {
  EXPECT_EQ(*EtagArg("5"), "\"5\"");
  EXPECT_EQ(*EtagArg("\"5\""), "\"5\"");
  EXPECT_FALSE(EtagArg("").ok());
  EXPECT_FALSE(EtagArg("5 6").ok());
  EXPECT_TRUE(IsUsageError(EtagArg("").status()));
}

TEST(PlanArgsTest, OnlyReasonMayRepeatAndOnlyWhereTheCommandTakesItSo) {
  absl::StatusOr<ParsedArgs> parsed =
      ParseArgs({"plan", "return", "03424/tam-duong-2024", "--reason=Thiếu kinh phí", "--reason",
                 "Chưa có chỉ tiêu 17.6", "--etag=6", "--drafts"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->AllValues("reason"),
            (std::vector<std::string>{"Thiếu kinh phí", "Chưa có chỉ tiêu 17.6"}));
  EXPECT_EQ(parsed->AllValues("etag"), (std::vector<std::string>{"6"}));
  EXPECT_TRUE(parsed->AllValues("note").empty());
  EXPECT_EQ(parsed->options.at("drafts"), "");
  EXPECT_TRUE(
      CheckCommandOptions(*parsed, "plan return", {"reason", "etag", "drafts"}, {"reason"}).ok());
  const absl::Status once = CheckCommandOptions(*parsed, "review", {"reason", "etag", "drafts"});
  ASSERT_FALSE(once.ok());
  EXPECT_TRUE(IsUsageError(once));
  EXPECT_TRUE(Contains(std::string(once.message()), "--reason được cho hai lần"));

  EXPECT_FALSE(ParseArgs({"plan", "submit", "x", "--etag=1", "--etag=2"}).ok());
  EXPECT_FALSE(ParseArgs({"plan", "summary", "x", "--drafts=yes"}).ok());
}

// --- plans: plan files ---------------------------------------------------------------------------

constexpr char kPlanName[] = "units/03424/plans/tam-duong-2024";

TEST(PlanEditTest, MasksTheSectionsTheFileGivesEvenWhenEmpty) {
  absl::StatusOr<PlanEdit> edit = ReadPlanEdit(R"({
    "organisation": "UBND xã chỉ đạo",
    "tasks": [],
    "statusSummary": "Xã đạt 12/19 tiêu chí",
    "funding": {"total_dong": "1250000000",
                "by_source": [{"source": "FUNDING_SOURCE_COMMUNITY", "amount_dong": 1250000000}]},
    "state": "PLAN_STATE_ACCEPTED",
    "etag": "\"3\""
  })",
                                               kPlanName);
  ASSERT_TRUE(edit.ok()) << edit.status();
  EXPECT_EQ(edit->sections,
            (std::vector<std::string>{"status_summary", "tasks", "funding", "organisation"}));
  EXPECT_EQ(edit->plan.name(), kPlanName);
  EXPECT_EQ(edit->plan.status_summary(), "Xã đạt 12/19 tiêu chí");
  EXPECT_EQ(edit->plan.organisation(), "UBND xã chỉ đạo");
  EXPECT_TRUE(edit->plan.tasks().empty());
  EXPECT_EQ(edit->plan.funding().total_dong(), 1250000000);
  ASSERT_EQ(edit->plan.funding().by_source_size(), 1);
  EXPECT_EQ(edit->plan.funding().by_source(0).source(), pv1::FUNDING_SOURCE_COMMUNITY);
  // Output-only fields are not sent.
  EXPECT_EQ(edit->plan.state(), pv1::PLAN_STATE_UNSPECIFIED);
  EXPECT_TRUE(edit->plan.etag().empty());
}

TEST(PlanEditTest, AcceptsTheOutputOfPlanShowJson) {
  absl::StatusOr<PlanEdit> edit = ReadPlanEdit(
      R"({"plan": {"name": "units/03424/plans/tam-duong-2024", "state": "PLAN_STATE_DRAFT",
                   "targets": [{"indicatorCode": "13.3", "reachStandard": true, "focus": true}],
                   "solutions": "", "history": []}})",
      kPlanName);
  ASSERT_TRUE(edit.ok()) << edit.status();
  EXPECT_EQ(edit->sections, (std::vector<std::string>{"targets", "solutions"}));
  ASSERT_EQ(edit->plan.targets_size(), 1);
  EXPECT_EQ(edit->plan.targets(0).indicator_code(), "13.3");
  EXPECT_TRUE(edit->plan.targets(0).reach_standard());
}

TEST(PlanEditTest, RefusesBadFiles) {
  const auto message = [](absl::string_view json) {
    absl::StatusOr<PlanEdit> edit = ReadPlanEdit(json, kPlanName);
    EXPECT_FALSE(edit.ok()) << json;
    return std::string(edit.status().message());
  };
  // An unknown field is named.
  EXPECT_TRUE(Contains(message(R"({"tasks": [{"content": "x", "cost": 5}]})"), "cost"));
  EXPECT_TRUE(Contains(message(R"({"targets": [], "budget": 5})"), "budget"));
  EXPECT_TRUE(Contains(message(R"({"tasks": [)"), "không phải là một đối tượng JSON"));
  EXPECT_TRUE(Contains(message(R"([1, 2])"), "không phải là một đối tượng JSON"));
  EXPECT_TRUE(Contains(message(R"({"state": "PLAN_STATE_DRAFT"})"), "không có phần nào để sửa"));
  EXPECT_TRUE(Contains(message(R"({"tasks": [{"content_group": "CONTENT_GROUP_ROADS"}]})"),
                       "CONTENT_GROUP_ROADS"));
  EXPECT_TRUE(Contains(message(R"({"name": "units/03425/plans/tam-duong-2024", "solutions": "x"})"),
                       "tệp là kế hoạch units/03425/plans/tam-duong-2024, không phải "
                       "units/03424/plans/tam-duong-2024"));
}

// --- plans: rendering ----------------------------------------------------------------------------

google::protobuf::Timestamp At(int64_t unix_seconds) {
  google::protobuf::Timestamp time;
  time.set_seconds(unix_seconds);
  return time;
}

// Instants in Asia/Ho_Chi_Minh (UTC+7).
constexpr int64_t k10Feb2359 = 1707584399;  // 10/02/2024 23:59:59
constexpr int64_t k11Feb0800 = 1707613200;  // 11/02/2024 08:00
constexpr int64_t k15Jan1000 = 1705287600;  // 15/01/2024 10:00
constexpr int64_t k12Feb0930 = 1707705000;  // 12/02/2024 09:30
constexpr int64_t k20Feb2359 = 1708448399;  // 20/02/2024 23:59:59
constexpr int64_t k01Feb0900 = 1706752800;  // 01/02/2024 09:00

TEST(RenderPlansTest, FormatsDongAndLocalTimes) {
  EXPECT_EQ(FormatDong(0), "0 đ");
  EXPECT_EQ(FormatDong(999), "999 đ");
  EXPECT_EQ(FormatDong(1000), "1.000 đ");
  EXPECT_EQ(FormatDong(1250000000), "1.250.000.000 đ");
  EXPECT_EQ(FormatDong(-1500), "-1.500 đ");
  EXPECT_EQ(FormatDong(INT64_MIN), "-9.223.372.036.854.775.808 đ");
  EXPECT_EQ(FormatLocalTime(At(k10Feb2359)), "10/02/2024 23:59");
  EXPECT_EQ(FormatLocalTime(At(k11Feb0800)), "11/02/2024 08:00");
  EXPECT_EQ(FormatLocalTime("2024-02-10T23:59:59+07:00"), "10/02/2024 23:59");
  EXPECT_EQ(FormatLocalTime("2024-02-10T16:59:59Z"), "10/02/2024 23:59");
  EXPECT_EQ(FormatLocalTime("hôm qua"), "hôm qua");
}

TEST(RenderPlansTest, Labels) {
  EXPECT_EQ(PlanStateLabel(pv1::PLAN_STATE_DRAFT), "Dự thảo");
  EXPECT_EQ(PlanStateLabel(pv1::PLAN_STATE_SUBMITTED), "Đã gửi");
  EXPECT_EQ(PlanStateLabel(pv1::PLAN_STATE_RETURNED), "Trả lại");
  EXPECT_EQ(PlanStateLabel(pv1::PLAN_STATE_ACCEPTED), "Đã chấp nhận");
  EXPECT_EQ(SubmissionStatusLabel(pv1::SUBMISSION_STATUS_NOT_STARTED), "Chưa bắt đầu");
  EXPECT_EQ(SubmissionStatusLabel(pv1::SUBMISSION_STATUS_SUBMITTED_ON_TIME), "Đã gửi đúng hạn");
  EXPECT_EQ(SubmissionStatusLabel(pv1::SUBMISSION_STATUS_SUBMITTED_LATE), "Đã gửi muộn");
  EXPECT_EQ(ContentGroupNumber(pv1::CONTENT_GROUP_CULTURE_SOCIETY_ENVIRONMENT), "2.4");
  EXPECT_EQ(ContentGroupTitle(pv1::CONTENT_GROUP_POLITICAL_SYSTEM), "Về hệ thống chính trị");
  EXPECT_EQ(FundingSourceLabel(pv1::FUNDING_SOURCE_ETHNIC_MINORITY),
            "Chương trình MTQG phát triển KT-XH vùng đồng bào DTTS và miền núi");
  EXPECT_EQ(FundingSourceLabel(pv1::FUNDING_SOURCE_PROJECTS), "Các đề án, dự án");
  EXPECT_EQ(PlanSectionLabel("organisation"), "V. Tổ chức thực hiện");
  EXPECT_EQ(PlanActionLabel("return"), "Trả lại");
  EXPECT_EQ(PlanActionLabel("archive"), "archive");
}

pv1::Plan TestPlan() {
  pv1::Plan plan;
  plan.set_name(kPlanName);
  plan.set_directive("units/106/directives/tam-duong-2024");
  plan.set_unit("units/03424");
  plan.set_unit_display_name("Xã Bản Bo");
  plan.set_state(pv1::PLAN_STATE_RETURNED);
  *plan.mutable_deadline() = At(k10Feb2359);
  *plan.mutable_submit_time() = At(k11Feb0800);
  plan.set_submitted_late(true);
  plan.set_etag("\"6\"");
  pv1::Baseline* baseline = plan.mutable_baseline();
  baseline->set_assessment("units/03424/assessments/2023-12-31");
  baseline->set_criteria_set("criteriaSets/lai-chau-2022");
  baseline->set_criteria_met(12);
  baseline->set_criteria_total(19);
  for (const char* code : {"13.3", "15.1", "17.6"}) {
    baseline->add_indicators_not_met(code);
  }
  plan.set_status_summary("Xã đạt 12/19 tiêu chí.\nCòn 7 tiêu chí chưa đạt.");

  pv1::Target* target = plan.add_targets();
  target->set_indicator_code("13.3");
  target->set_reach_standard(true);
  target->set_focus(true);
  target = plan.add_targets();
  target->set_indicator_code("15.1");
  target->set_target_value(90.5);
  target->set_note("Theo số liệu BHXH huyện");
  plan.add_targets()->set_indicator_code("17.6");

  const auto add_task = [&](pv1::ContentGroup group, const std::string& content,
                            const std::string& responsible, const std::string& start,
                            const std::string& end, std::vector<std::string> indicators,
                            int64_t cost) {
    pv1::Task* task = plan.add_tasks();
    task->set_content_group(group);
    task->set_content(content);
    task->set_responsible(responsible);
    task->set_start_date(start);
    task->set_end_date(end);
    for (const std::string& code : indicators) {
      task->add_indicator_codes(code);
    }
    task->set_cost_dong(cost);
  };
  add_task(pv1::CONTENT_GROUP_INFRASTRUCTURE, "Cứng hóa 2 km đường trục thôn Nà Bó",
           "UBND xã, Ban quản lý xây dựng NTM xã", "2024-03-01", "2024-09-30", {"2.1", "2.2"},
           1250000000);
  add_task(pv1::CONTENT_GROUP_ECONOMY, "Gắn mã QR truy xuất nguồn gốc chè Bản Bo", "HTX chè Bản Bo",
           "2024-04-01", "", {"13.3"}, 50000000);
  add_task(pv1::CONTENT_GROUP_INFRASTRUCTURE, "Sửa nhà văn hóa thôn Nà Khan", "Thôn Nà Khan", "",
           "", {}, 200000000);

  pv1::Funding* funding = plan.mutable_funding();
  funding->set_total_dong(1500000000);
  pv1::GroupAmount* group = funding->add_by_group();
  group->set_content_group(pv1::CONTENT_GROUP_INFRASTRUCTURE);
  group->set_amount_dong(1450000000);
  group = funding->add_by_group();
  group->set_content_group(pv1::CONTENT_GROUP_ECONOMY);
  group->set_amount_dong(50000000);
  pv1::SourceAmount* source = funding->add_by_source();
  source->set_source(pv1::FUNDING_SOURCE_NTM_PROGRAM);
  source->set_amount_dong(1000000000);
  source = funding->add_by_source();
  source->set_source(pv1::FUNDING_SOURCE_COMMUNITY);
  source->set_amount_dong(400000000);

  plan.set_solutions("Huy động nguồn lực xã hội hóa.");

  const auto add_event = [&](const std::string& action, pv1::PlanState from, pv1::PlanState to,
                             const std::string& actor, int64_t time, const std::string& reason) {
    pv1::PlanEvent* event = plan.add_history();
    event->set_action(action);
    event->set_from_state(from);
    event->set_to_state(to);
    event->set_actor(actor);
    *event->mutable_time() = At(time);
    event->set_reason(reason);
  };
  add_event("create", pv1::PLAN_STATE_UNSPECIFIED, pv1::PLAN_STATE_DRAFT, "can-bo-ban-bo",
            k15Jan1000, "");
  add_event("submit", pv1::PLAN_STATE_DRAFT, pv1::PLAN_STATE_SUBMITTED, "can-bo-ban-bo", k11Feb0800,
            "");
  add_event("return", pv1::PLAN_STATE_SUBMITTED, pv1::PLAN_STATE_RETURNED, "vp-tam-duong",
            k12Feb0930, "Thiếu vốn đối ứng\nChưa có nhiệm vụ cho chỉ tiêu 17.6\n");
  return plan;
}

TEST(RenderPlansTest, PlanHasTheTemplatesSectionsInOrder) {
  const std::string out = RenderPlan(TestPlan());
  size_t previous = 0;
  for (const char* heading :
       {"Kế hoạch: units/03424/plans/tam-duong-2024\n", "\nI. Thực trạng\n", "\nII.1 Mục tiêu\n",
        "\nII.2 Nhiệm vụ\n", "\n  2.1 Về quy hoạch và thực hiện quy hoạch\n",
        "\n  2.2 Về hạ tầng kinh tế - xã hội\n", "\n  2.3 Về kinh tế và tổ chức sản xuất\n",
        "\n  2.4 Về văn hóa, xã hội và môi trường\n", "\n  2.5 Về hệ thống chính trị\n",
        "\nIII. Kinh phí\n", "\nIV. Giải pháp\n", "\nV. Tổ chức thực hiện\n", "\nLịch sử\n"}) {
    const size_t at = out.find(heading);
    ASSERT_NE(at, std::string::npos) << heading << " not found in:\n" << out;
    EXPECT_GE(at, previous) << heading;
    previous = at;
  }
}

TEST(RenderPlansTest, PlanHeaderAndStanding) {
  const std::string out = RenderPlan(TestPlan());
  EXPECT_TRUE(Contains(out, "Đơn vị: Xã Bản Bo (units/03424)\n"));
  EXPECT_TRUE(Contains(out, "Theo văn bản chỉ đạo: units/106/directives/tam-duong-2024\n"));
  EXPECT_TRUE(Contains(out, "Trạng thái: Trả lại\n"));
  EXPECT_TRUE(Contains(out, "Hạn nộp: 10/02/2024 23:59 (giờ Việt Nam)\n"));
  EXPECT_TRUE(Contains(out, "Gửi lúc: 11/02/2024 08:00 — nộp muộn\n"));
  EXPECT_TRUE(Contains(out, "etag: \"6\"\n"));
  EXPECT_TRUE(Contains(out,
                       "I. Thực trạng\n"
                       "  Xã đạt 12/19 tiêu chí.\n"
                       "  Còn 7 tiêu chí chưa đạt.\n"
                       "  Đạt 12/19 tiêu chí (theo units/03424/assessments/2023-12-31, bộ tiêu "
                       "chí criteriaSets/lai-chau-2022).\n"
                       "  Chỉ tiêu chưa đạt (3): 13.3, 15.1, 17.6\n"));

  pv1::Plan draft = TestPlan();
  draft.set_state(pv1::PLAN_STATE_DRAFT);
  draft.clear_submit_time();
  draft.set_submitted_late(false);
  draft.clear_history();
  const std::string draft_out = RenderPlan(draft);
  EXPECT_TRUE(Contains(draft_out, "Trạng thái: Dự thảo\n"));
  EXPECT_TRUE(Contains(draft_out, "Gửi lúc: chưa gửi\n"));
  EXPECT_FALSE(Contains(draft_out, "Lịch sử"));
}

TEST(RenderPlansTest, PlanTargets) {
  const std::string out = RenderPlan(TestPlan());
  EXPECT_TRUE(Contains(out,
                       "II.1 Mục tiêu\n"
                       "  Chỉ tiêu  Trọng tâm  Mục tiêu             Ghi chú\n"
                       "  --------  ---------  -------------------  -----------------------\n"
                       "  13.3          ★      Đạt chuẩn trong năm\n"
                       "  15.1                 90,5                 Theo số liệu BHXH huyện\n"
                       "  17.6                 –\n"
                       "  ★ chỉ tiêu trọng tâm của văn bản chỉ đạo\n"));
}

TEST(RenderPlansTest, PlanTasksAreGroupedUnderTheTemplatesHeadings) {
  const std::string out = RenderPlan(TestPlan());
  EXPECT_TRUE(Contains(out,
                       "II.2 Nhiệm vụ\n"
                       "  2.1 Về quy hoạch và thực hiện quy hoạch\n"
                       "    (không có nhiệm vụ)\n"
                       "  2.2 Về hạ tầng kinh tế - xã hội\n"
                       "    1. Cứng hóa 2 km đường trục thôn Nà Bó\n"
                       "       Chủ trì: UBND xã, Ban quản lý xây dựng NTM xã\n"
                       "       Thời gian: 01/03/2024 – 30/09/2024\n"
                       "       Chỉ tiêu: 2.1, 2.2\n"
                       "       Kinh phí: 1.250.000.000 đ\n"
                       "    2. Sửa nhà văn hóa thôn Nà Khan\n"
                       "       Chủ trì: Thôn Nà Khan\n"
                       "       Kinh phí: 200.000.000 đ\n"
                       "  2.3 Về kinh tế và tổ chức sản xuất\n"
                       "    1. Gắn mã QR truy xuất nguồn gốc chè Bản Bo\n"
                       "       Chủ trì: HTX chè Bản Bo\n"
                       "       Thời gian: từ 01/04/2024\n"
                       "       Chỉ tiêu: 13.3\n"
                       "       Kinh phí: 50.000.000 đ\n"
                       "  2.4 Về văn hóa, xã hội và môi trường\n"
                       "    (không có nhiệm vụ)\n"
                       "  2.5 Về hệ thống chính trị\n"
                       "    (không có nhiệm vụ)\n"));
  EXPECT_FALSE(Contains(out, "Chưa xếp nhóm"));

  pv1::Plan ungrouped = TestPlan();
  ungrouped.mutable_tasks(0)->set_content_group(pv1::CONTENT_GROUP_UNSPECIFIED);
  const std::string ungrouped_out = RenderPlan(ungrouped);
  EXPECT_TRUE(
      Contains(ungrouped_out, "  Chưa xếp nhóm\n    1. Cứng hóa 2 km đường trục thôn Nà Bó\n"));
  EXPECT_TRUE(Contains(ungrouped_out,
                       "  2.2 Về hạ tầng kinh tế - xã hội\n    1. Sửa nhà văn hóa thôn Nà Khan\n"));
}

TEST(RenderPlansTest, PlanFundingInDongWithItsSumsChecked) {
  const std::string out = RenderPlan(TestPlan());
  EXPECT_TRUE(Contains(out, "III. Kinh phí\n  Tổng kinh phí: 1.500.000.000 đ\n"));
  EXPECT_TRUE(Contains(out, "  2.2 Về hạ tầng kinh tế - xã hội     1.450.000.000 đ\n"));
  EXPECT_TRUE(Contains(out, "  2.3 Về kinh tế và tổ chức sản xuất     50.000.000 đ\n"));
  EXPECT_TRUE(Contains(out, "  Vốn chương trình MTQG xây dựng NTM  1.000.000.000 đ\n"));
  EXPECT_TRUE(Contains(out, "  Nhân dân đóng góp                     400.000.000 đ\n"));
  EXPECT_TRUE(Contains(out,
                       "Lưu ý: cộng theo nguồn vốn 1.400.000.000 đ khác tổng kinh phí "
                       "1.500.000.000 đ; phải bằng nhau thì mới gửi được kế hoạch."));
  EXPECT_FALSE(Contains(out, "cộng theo nội dung"));
  EXPECT_TRUE(Contains(out, "IV. Giải pháp\n  Huy động nguồn lực xã hội hóa.\n"));
  EXPECT_TRUE(Contains(out, "V. Tổ chức thực hiện\n  (chưa có nội dung)\n"));

  pv1::Plan balanced = TestPlan();
  balanced.mutable_funding()->mutable_by_source(1)->set_amount_dong(500000000);
  EXPECT_FALSE(Contains(RenderPlan(balanced), "Lưu ý"));
  balanced.clear_funding();
  EXPECT_TRUE(Contains(RenderPlan(balanced), "III. Kinh phí\n  (chưa có số liệu kinh phí)\n"));
}

TEST(RenderPlansTest, PlanHistory) {
  const std::string out = RenderPlan(TestPlan());
  EXPECT_TRUE(Contains(out,
                       "Lịch sử\n"
                       "  Thời gian         Thao tác  Người thực hiện  Trạng thái        Lý do, "
                       "ghi chú\n"));
  EXPECT_TRUE(Contains(out, "  15/01/2024 10:00  Tạo       can-bo-ban-bo    Dự thảo\n"));
  EXPECT_TRUE(Contains(out, "  11/02/2024 08:00  Gửi       can-bo-ban-bo    Dự thảo → Đã gửi\n"));
  EXPECT_TRUE(Contains(out,
                       "  12/02/2024 09:30  Trả lại   vp-tam-duong     Đã gửi → Trả lại  Thiếu "
                       "vốn đối ứng; Chưa có nhiệm vụ cho chỉ tiêu 17.6\n"));
}

TEST(RenderPlansTest, PlanBrief) {
  EXPECT_EQ(RenderPlanBrief(TestPlan()),
            "Kế hoạch: units/03424/plans/tam-duong-2024 (Xã Bản Bo)\n"
            "Trạng thái: Trả lại — gửi lúc 11/02/2024 08:00, nộp muộn\n"
            "etag: \"6\"\n");
  pv1::Plan accepted = TestPlan();
  accepted.set_state(pv1::PLAN_STATE_ACCEPTED);
  accepted.set_submitted_late(false);
  EXPECT_TRUE(Contains(RenderPlanBrief(accepted),
                       "Trạng thái: Đã chấp nhận — gửi lúc 11/02/2024 08:00, đúng hạn\n"));
}

TEST(RenderPlansTest, Directive) {
  pv1::Directive directive;
  directive.set_name("units/106/directives/tam-duong-2024");
  directive.set_document_number("125/UBND-NN");
  directive.set_issue_date("2024-01-15");
  directive.set_issuing_unit("units/106");
  directive.set_year(2024);
  *directive.mutable_deadline() = At(k10Feb2359);
  directive.set_deadline_local("2024-02-10T23:59:59+07:00");
  directive.add_deliverables(pv1::DELIVERABLE_PLAN);
  directive.add_deliverables(pv1::DELIVERABLE_REGISTRATION);
  directive.add_focus_indicators("13.3");
  directive.add_focus_indicators("17.6");
  directive.set_title("V/v xây dựng kế hoạch thực hiện Chương trình MTQG xây dựng NTM năm 2024");
  directive.set_etag("\"2\"");
  pv1::AddressedUnit* unit = directive.add_addressed_units();
  unit->set_unit("units/03424");
  *unit->mutable_deadline() = At(k10Feb2359);
  unit->set_deadline_local("2024-02-10T23:59:59+07:00");
  unit = directive.add_addressed_units();
  unit->set_unit("units/03430");
  *unit->mutable_deadline() = At(k20Feb2359);
  unit->set_deadline_local("2024-02-20T23:59:59+07:00");
  unit->set_extended(true);
  unit->set_extension_reason("Xã bị sạt lở do mưa lớn");
  unit->set_extended_by("vp-tam-duong");
  *unit->mutable_extend_time() = At(k01Feb0900);

  const std::string out = RenderDirective(directive);
  EXPECT_TRUE(Contains(out, "Văn bản chỉ đạo: units/106/directives/tam-duong-2024\n"));
  EXPECT_TRUE(Contains(out, "Số, ngày: 125/UBND-NN ngày 15/01/2024\n"));
  EXPECT_TRUE(Contains(out, "Trích yếu: V/v xây dựng kế hoạch"));
  EXPECT_TRUE(Contains(out, "Năm: 2024\n"));
  EXPECT_TRUE(Contains(out, "Hạn nộp: 10/02/2024 23:59 (giờ Việt Nam)\n"));
  EXPECT_TRUE(Contains(out, "Yêu cầu nộp: Kế hoạch xây dựng NTM; Đăng ký mô hình điểm\n"));
  EXPECT_TRUE(Contains(out, "Chỉ tiêu trọng tâm: 13.3, 17.6\n"));
  EXPECT_TRUE(Contains(out,
                       "Đơn vị được giao (2):\n"
                       "Đơn vị  Hạn nộp           Gia hạn\n"
                       "------  ----------------  "
                       "-----------------------------------------------------------------\n"
                       "03424   10/02/2024 23:59\n"
                       "03430   20/02/2024 23:59  gia hạn: Xã bị sạt lở do mưa lớn (vp-tam-duong, "
                       "01/02/2024 09:00)\n"
                       "2 đơn vị, 1 được gia hạn.\n"));
}

pv1::GetSubmissionStatusResponse TestSubmissionStatus() {
  pv1::GetSubmissionStatusResponse status;
  status.set_directive("units/106/directives/tam-duong-2024");
  *status.mutable_as_of() = At(k12Feb0930);
  const auto add_unit = [&](const std::string& code, const std::string& name,
                            pv1::SubmissionStatus s, int64_t deadline, bool extended,
                            bool overdue) {
    pv1::UnitSubmission* unit = status.add_units();
    unit->set_unit(absl::StrCat("units/", code));
    unit->set_unit_display_name(name);
    unit->set_status(s);
    *unit->mutable_deadline() = At(deadline);
    unit->set_extended(extended);
    unit->set_overdue(overdue);
    return unit;
  };
  pv1::UnitSubmission* late = add_unit("03424", "Xã Bản Bo", pv1::SUBMISSION_STATUS_SUBMITTED_LATE,
                                       k10Feb2359, false, false);
  *late->mutable_submit_time() = At(k11Feb0800);
  late->set_submitted_late(true);
  late->set_plan(kPlanName);
  add_unit("03430", "Thị trấn Tam Đường", pv1::SUBMISSION_STATUS_DRAFT, k20Feb2359, true, false)
      ->set_deadline_local("2024-02-20T23:59:59+07:00");
  add_unit("03433", "Xã Nà Tăm", pv1::SUBMISSION_STATUS_NOT_STARTED, k10Feb2359, false, true);
  const std::vector<std::pair<pv1::SubmissionStatus, int>> counts = {
      {pv1::SUBMISSION_STATUS_NOT_STARTED, 1},       {pv1::SUBMISSION_STATUS_DRAFT, 1},
      {pv1::SUBMISSION_STATUS_SUBMITTED_ON_TIME, 0}, {pv1::SUBMISSION_STATUS_SUBMITTED_LATE, 1},
      {pv1::SUBMISSION_STATUS_RETURNED, 0},          {pv1::SUBMISSION_STATUS_ACCEPTED, 0}};
  for (const auto& [s, n] : counts) {
    pv1::StatusCount* count = status.add_counts();
    count->set_status(s);
    count->set_count(n);
  }
  status.set_overdue(1);
  return status;
}

TEST(RenderPlansTest, SubmissionStatusTable) {
  const std::string out = RenderSubmissionStatus(TestSubmissionStatus());
  EXPECT_TRUE(Contains(out,
                       "Tình hình nộp kế hoạch theo units/106/directives/tam-duong-2024, tính đến "
                       "12/02/2024 09:30 (giờ Việt Nam)\n"));
  const std::vector<std::string> lines = absl::StrSplit(out, '\n');
  ASSERT_GE(lines.size(), 7u);
  EXPECT_EQ(lines[2],
            "Mã     Tên                 Trạng thái    Hạn nộp                     Gửi lúc        "
            "          Quá hạn");
  EXPECT_EQ(lines[4],
            "03424  Xã Bản Bo           Đã gửi muộn   10/02/2024 23:59            11/02/2024 08:00 "
            "(muộn)");
  EXPECT_EQ(lines[5], "03430  Thị trấn Tam Đường  Dự thảo       20/02/2024 23:59 (gia hạn)");
  EXPECT_EQ(lines[6],
            "03433  Xã Nà Tăm           Chưa bắt đầu  10/02/2024 23:59                             "
            "        QUÁ HẠN");
  EXPECT_TRUE(Contains(out,
                       "Số đơn vị theo trạng thái (tổng 3):\n"
                       "  Chưa bắt đầu       1\n"
                       "  Dự thảo            1\n"
                       "  Đã gửi đúng hạn    0\n"
                       "  Đã gửi muộn        1\n"
                       "  Trả lại            0\n"
                       "  Đã chấp nhận       0\n"
                       "Quá hạn mà chưa gửi: 1 đơn vị.\n"));

  // Without counts from the service they are counted from the rows.
  pv1::GetSubmissionStatusResponse uncounted = TestSubmissionStatus();
  uncounted.clear_counts();
  EXPECT_TRUE(Contains(RenderSubmissionStatus(uncounted), "  Đã gửi muộn        1\n"));
}

TEST(RenderPlansTest, DistrictSummary) {
  pv1::GetDistrictPlanSummaryResponse summary;
  summary.set_directive("units/106/directives/tam-duong-2024");
  summary.add_plans(kPlanName);
  summary.add_plans("units/03430/plans/tam-duong-2024");
  summary.set_agency("agencies/tam-duong-yte");
  pv1::IndicatorTargets* indicator = summary.add_indicators();
  indicator->set_indicator_code("15.1");
  indicator->set_focus(true);
  indicator->add_units("units/03424");
  indicator->add_units("units/03430");
  indicator->set_reach_standard_count(1);
  for (int group = pv1::CONTENT_GROUP_PLANNING; group <= pv1::CONTENT_GROUP_POLITICAL_SYSTEM;
       ++group) {
    pv1::GroupAmount* amount = summary.add_funding_by_group();
    amount->set_content_group(static_cast<pv1::ContentGroup>(group));
    amount->set_amount_dong(group == pv1::CONTENT_GROUP_INFRASTRUCTURE ? 1450000000 : 0);
  }
  pv1::SourceAmount* source = summary.add_funding_by_source();
  source->set_source(pv1::FUNDING_SOURCE_CREDIT);
  source->set_amount_dong(1450000000);
  summary.set_funding_total_dong(1450000000);

  const std::string out = RenderDistrictPlanSummary(summary, false);
  EXPECT_TRUE(
      Contains(out, "Tổng hợp kế hoạch của các xã theo units/106/directives/tam-duong-2024\n"));
  EXPECT_TRUE(Contains(out,
                       "Tính các kế hoạch đã gửi huyện (đã gửi, trả lại, đã chấp nhận): 2 "
                       "kế hoạch.\n"));
  EXPECT_TRUE(Contains(out, "Chỉ các chỉ tiêu do agencies/tam-duong-yte phụ trách.\n"));
  EXPECT_TRUE(Contains(out,
                       "Chỉ tiêu  Trọng tâm  Số xã  Đạt chuẩn trong năm  Các xã\n"
                       "--------  ---------  -----  -------------------  ------------\n"
                       "15.1          ★          2                    1  03424, 03430\n"));
  EXPECT_TRUE(Contains(out, "2.1 Về quy hoạch và thực hiện quy hoạch              0 đ\n"));
  EXPECT_TRUE(Contains(out, "2.2 Về hạ tầng kinh tế - xã hội          1.450.000.000 đ\n"));
  EXPECT_TRUE(Contains(out, "Vốn tín dụng    1.450.000.000 đ\n"));
  EXPECT_TRUE(Contains(out, "Tổng kinh phí (cộng tổng của các kế hoạch): 1.450.000.000 đ\n"));
  EXPECT_TRUE(Contains(RenderDistrictPlanSummary(summary, true), "kể cả dự thảo: 2 kế hoạch."));
}

// --- plans: the command line, refused before any call --------------------------------------------

// Runs ntmctl over a channel that is never used: every case here must fail before calling.
int RunOffline(const std::vector<std::string>& args, std::string* err,
               const std::string& stdin_text = "") {
  std::ostringstream out;
  std::ostringstream errors;
  std::istringstream in(stdin_text);
  Io io;
  io.out = &out;
  io.err = &errors;
  io.in = &in;
  io.env = NoEnv();
  io.connect = [](const std::string&) -> std::shared_ptr<grpc::ChannelInterface> {
    // Idle until the first call, which these cases never make.
    return grpc::CreateChannel("unused.invalid:1", grpc::InsecureChannelCredentials());
  };
  const int code = RunNtmctl(args, io);
  *err = errors.str();
  EXPECT_EQ(out.str(), "") << "unexpected output for " << absl::StrJoin(args, " ");
  return code;
}

TEST(PlanCommandLineTest, RefusesBadArgumentsWithExitTwo) {
  std::string err;
  EXPECT_EQ(RunOffline({"plan"}, &err), kExitUsage);
  EXPECT_TRUE(Contains(err, "lỗi: thiếu lệnh con; lệnh con của plan: create, show, edit"));
  EXPECT_TRUE(Contains(err, "Xem hướng dẫn: ntmctl help"));
  EXPECT_EQ(RunOffline({"plan", "delete", "03424/tam-duong-2024"}, &err), kExitUsage);
  EXPECT_TRUE(Contains(err, "lệnh con không rõ \"delete\""));
  EXPECT_EQ(RunOffline({"directive"}, &err), kExitUsage);
  EXPECT_EQ(RunOffline({"directive", "show"}, &err), kExitUsage);
  EXPECT_TRUE(Contains(err, "thiếu tham số; cú pháp: ntmctl directive show VĂN_BẢN"));
  EXPECT_EQ(RunOffline({"directive", "show", "tam-duong-2024"}, &err), kExitUsage);
  EXPECT_TRUE(Contains(err, "tên văn bản chỉ đạo không hợp lệ: \"tam-duong-2024\""));

  EXPECT_EQ(RunOffline({"plan", "create", "03424"}, &err), kExitUsage);
  EXPECT_EQ(RunOffline({"plan", "create", "Bản Bo", "106/tam-duong-2024"}, &err), kExitUsage);
  EXPECT_TRUE(Contains(err, "mã đơn vị không hợp lệ"));
  EXPECT_EQ(RunOffline({"plan", "show"}, &err), kExitUsage);
  EXPECT_EQ(RunOffline({"plan", "show", "03424", "tam-duong-2024", "x"}, &err), kExitUsage);
  EXPECT_TRUE(Contains(err, "thừa tham số \"x\""));
  EXPECT_EQ(RunOffline({"plan", "show", "03424"}, &err), kExitUsage);
  EXPECT_TRUE(Contains(err, "tên kế hoạch không hợp lệ: \"03424\""));
  EXPECT_EQ(RunOffline({"plan", "show", "03424/tam-duong-2024", "--etag=1"}, &err), kExitUsage);
  EXPECT_TRUE(Contains(err, "lệnh \"plan show\" không có tùy chọn --etag"));

  EXPECT_EQ(RunOffline({"plan", "submit", "03424/tam-duong-2024", "--etag="}, &err), kExitUsage);
  EXPECT_TRUE(Contains(err, "--etag không hợp lệ"));
  EXPECT_EQ(RunOffline({"plan", "accept", "03424/tam-duong-2024", "--reason=x"}, &err), kExitUsage);
  EXPECT_EQ(RunOffline({"plan", "return", "03424/tam-duong-2024"}, &err), kExitUsage);
  EXPECT_TRUE(Contains(err, "cần ít nhất một lý do trả lại"));
  EXPECT_EQ(
      RunOffline({"plan", "return", "03424/tam-duong-2024", "--reason=Thiếu vốn", "--reason= "},
                 &err),
      kExitUsage);
  EXPECT_TRUE(Contains(err, "--reason không được để trống"));
  EXPECT_EQ(RunOffline({"plan", "status", "106"}, &err), kExitUsage);
  EXPECT_EQ(RunOffline({"plan", "summary", "106/tam-duong-2024", "--agency=Phòng Y tế"}, &err),
            kExitUsage);
  EXPECT_EQ(RunOffline({"plan", "summary", "106/tam-duong-2024", "--note=x"}, &err), kExitUsage);
  EXPECT_EQ(RunOffline({"plan", "edit", "03424/tam-duong-2024"}, &err), kExitUsage);
}

TEST(PlanCommandLineTest, EditReportsABadFileWithoutCallingTheService) {
  std::string err;
  EXPECT_EQ(RunOffline({"plan", "edit", "03424/tam-duong-2024", "-"}, &err,
                       R"({"tasks": [{"content": "Cứng hóa đường", "budget": 5}]})"),
            kExitError);
  EXPECT_TRUE(Contains(err, "lỗi: tệp - có lỗi, chưa gửi gì:\n"));
  EXPECT_TRUE(Contains(err, "budget"));
  EXPECT_EQ(RunOffline({"plan", "edit", "03424/tam-duong-2024", "/nonexistent/plan.json"}, &err),
            kExitError);
  EXPECT_TRUE(Contains(err, "lỗi: không mở được tệp /nonexistent/plan.json"));
}

TEST(PlanCommandLineTest, HelpListsThePlanCommands) {
  const std::string usage = UsageText();
  for (const char* command :
       {"directive show VĂN_BẢN", "plan create MÃ_XÃ VĂN_BẢN", "plan show TÊN_KẾ_HOẠCH",
        "plan show MÃ_XÃ MÃ_VĂN_BẢN", "plan edit TÊN_KẾ_HOẠCH TỆP.json [--etag=ETAG]",
        "plan submit TÊN_KẾ_HOẠCH [--etag=ETAG]", "plan accept TÊN_KẾ_HOẠCH [--note=GHI_CHÚ]",
        "plan return TÊN_KẾ_HOẠCH --reason=LÝ_DO", "plan status VĂN_BẢN",
        "plan summary VĂN_BẢN [--agency=agencies/ID] [--drafts]"}) {
    EXPECT_TRUE(Contains(usage, command));
  }
}

// --- registrations -------------------------------------------------------------------------------

namespace rv1 = ::ntm::registrations::v1;

constexpr char kRegistrationName[] = "units/03424/registrations/tam-duong-2024";

TEST(RegistrationArgsTest, ExpandsRegistrationNames) {
  EXPECT_EQ(*RegistrationName(kRegistrationName), kRegistrationName);
  EXPECT_EQ(*RegistrationName("03424/tam-duong-2024"), kRegistrationName);
  EXPECT_EQ(*RegistrationName("03424/registrations/tam-duong-2024"), kRegistrationName);
  for (const char* bad : {"03424", "units/03424/plans/tam-duong-2024", "Bản Bo/tam-duong-2024",
                          "03424/Tam-Duong", ""}) {
    absl::StatusOr<std::string> name = RegistrationName(bad);
    ASSERT_FALSE(name.ok()) << bad;
    EXPECT_TRUE(IsUsageError(name.status())) << bad;
    EXPECT_TRUE(Contains(std::string(name.status().message()), "tên bản đăng ký không hợp lệ"));
  }
  EXPECT_EQ(*RegistrationNameFor("03424", "tam-duong-2024"), kRegistrationName);
  EXPECT_EQ(*RegistrationNameFor("units/03424", "units/106/directives/tam-duong-2024"),
            kRegistrationName);
  EXPECT_FALSE(RegistrationNameFor("Bản Bo", "tam-duong-2024").ok());
}

TEST(RegistrationEditTest, MasksThePartsTheFileGives) {
  absl::StatusOr<RegistrationEdit> edit = ReadRegistrationEdit(R"({
    "modelPoint": {"content": "Bản sáng - xanh - sạch - đẹp Nà Khương", "indicator_codes": ["17.3"]},
    "endorsements": [],
    "state": "REGISTRATION_STATE_ACCEPTED",
    "missing": ["x"]
  })",
                                                               kRegistrationName);
  ASSERT_TRUE(edit.ok()) << edit.status();
  EXPECT_EQ(edit->sections, (std::vector<std::string>{"model_point", "endorsements"}));
  EXPECT_EQ(edit->registration.name(), kRegistrationName);
  EXPECT_EQ(edit->registration.model_point().content(), "Bản sáng - xanh - sạch - đẹp Nà Khương");
  EXPECT_TRUE(edit->registration.endorsements().empty());
  EXPECT_TRUE(edit->registration.village_changes().empty());
  // Output-only fields are not sent.
  EXPECT_EQ(edit->registration.state(), rv1::REGISTRATION_STATE_UNSPECIFIED);
  EXPECT_TRUE(edit->registration.missing().empty());
}

TEST(RegistrationEditTest, AcceptsTheOutputOfShowJsonAndRefusesBadFiles) {
  absl::StatusOr<RegistrationEdit> edit = ReadRegistrationEdit(
      R"({"registration": {"name": "units/03424/registrations/tam-duong-2024",
          "villageChanges": [{"village": "units/03424001", "content": "Điểm tập kết rác",
                              "previous": {"year": 2023, "content": "Hố rác"}}],
          "history": []}})",
      kRegistrationName);
  ASSERT_TRUE(edit.ok()) << edit.status();
  EXPECT_EQ(edit->sections, (std::vector<std::string>{"village_changes"}));
  ASSERT_EQ(edit->registration.village_changes_size(), 1);
  EXPECT_EQ(edit->registration.village_changes(0).content(), "Điểm tập kết rác");

  const auto message = [](absl::string_view json) {
    absl::StatusOr<RegistrationEdit> bad = ReadRegistrationEdit(json, kRegistrationName);
    EXPECT_FALSE(bad.ok()) << json;
    return std::string(bad.status().message());
  };
  EXPECT_TRUE(
      Contains(message(R"({"village_changes": [{"village": "x", "budget": 1}]})"), "budget"));
  EXPECT_TRUE(Contains(message(R"({"endorsements": [{"body": "ENDORSEMENT_BODY_MAYOR"}]})"),
                       "ENDORSEMENT_BODY_MAYOR"));
  EXPECT_TRUE(Contains(message(R"({"state": "REGISTRATION_STATE_DRAFT"})"),
                       "cần ít nhất một trong: model_point, village_changes, endorsements"));
  EXPECT_TRUE(Contains(message("[1]"), "không phải là một đối tượng JSON"));
  EXPECT_TRUE(Contains(
      message(R"({"name": "units/03412/registrations/tam-duong-2024", "endorsements": []})"),
      "tệp là bản đăng ký units/03412/registrations/tam-duong-2024, không phải "
      "units/03424/registrations/tam-duong-2024"));
}

TEST(RenderRegistrationsTest, Labels) {
  EXPECT_EQ(RegistrationStateLabel(rv1::REGISTRATION_STATE_RETURNED), "Trả lại");
  EXPECT_EQ(RegistrationStateLabel(rv1::REGISTRATION_STATE_UNSPECIFIED), "–");
  EXPECT_EQ(RegistrationProgressLabel(rv1::REGISTRATION_PROGRESS_INCOMPLETE), "Chưa đủ");
  EXPECT_EQ(EndorsementBodyLabel(rv1::ENDORSEMENT_BODY_PEOPLES_COUNCIL), "HĐND xã");
  EXPECT_EQ(EndorsementBodyLabel(rv1::ENDORSEMENT_BODY_STEERING_COMMITTEE), "Ban chỉ đạo xã");
}

rv1::Registration SampleRegistration() {
  rv1::Registration r;
  r.set_name(kRegistrationName);
  r.set_unit("units/03424");
  r.set_unit_display_name("Xã Bản Bo");
  r.set_directive("units/106/directives/tam-duong-2024");
  r.set_year(2024);
  r.set_state(rv1::REGISTRATION_STATE_SUBMITTED);
  *r.mutable_deadline() = At(k10Feb2359);
  *r.mutable_submit_time() = At(k11Feb0800);
  r.set_submitted_late(true);
  r.set_etag("\"3\"");
  r.mutable_model_point()->set_content("Bản sáng - xanh - sạch - đẹp Nà Khương");
  r.mutable_model_point()->add_indicator_codes("17.3");
  r.mutable_model_point()->add_indicator_codes("17.11");
  for (const auto& [code, name] : std::vector<std::pair<std::string, std::string>>{
           {"units/03424001", "Bản Nà Khương"}, {"units/03424901", "Bản Nà Hum"}}) {
    rv1::VillageStatus* v = r.add_villages();
    v->set_village(code);
    v->set_village_display_name(name);
  }
  rv1::VillageChange* change = r.add_village_changes();
  change->set_village("units/03424001");
  change->set_village_display_name("Bản Nà Khương");
  change->set_content("Điểm tập kết rác");
  change->add_indicator_codes("17.6");
  change->set_last_year_state("Mỗi hộ có hố rác");
  change->set_this_year_target("Thu gom hằng tuần");
  change->mutable_previous()->set_year(2023);
  change->mutable_previous()->set_content("Làm hố rác cho từng hộ");
  change->mutable_previous()->set_this_year_target("Mỗi hộ có hố rác");
  rv1::Endorsement* e = r.add_endorsements();
  e->set_body(rv1::ENDORSEMENT_BODY_PARTY_COMMITTEE);
  e->set_signed_by("Lò Văn Minh, Bí thư Đảng ủy");
  e->set_date("2024-02-05");
  r.add_missing("village_changes: Bản Nà Hum (units/03424901) has no change registered");
  rv1::RegistrationEvent* event = r.add_history();
  event->set_action("return");
  event->set_from_state(rv1::REGISTRATION_STATE_SUBMITTED);
  event->set_to_state(rv1::REGISTRATION_STATE_RETURNED);
  event->set_actor("tam-duong-nnptnt");
  *event->mutable_time() = At(k12Feb0930);
  event->set_reason("Thiếu bản Nà Hum\nBổ sung xác nhận");
  return r;
}

TEST(RenderRegistrationsTest, RegistrationShowsEveryVillageWithLastYearBeside) {
  const std::string out = RenderRegistration(SampleRegistration());
  EXPECT_TRUE(Contains(out,
                       "Bản đăng ký: units/03424/registrations/tam-duong-2024\n"
                       "Đơn vị: Xã Bản Bo (units/03424)\n"
                       "Theo văn bản chỉ đạo: units/106/directives/tam-duong-2024 (năm 2024)\n"
                       "Trạng thái: Đã gửi\n"
                       "Hạn nộp: 10/02/2024 23:59 (giờ Việt Nam)\n"
                       "Gửi lúc: 11/02/2024 08:00 — nộp muộn\n"));
  EXPECT_TRUE(Contains(out,
                       "  Nội dung: Bản sáng - xanh - sạch - đẹp Nà Khương\n"
                       "  Địa điểm: –\n  Chủ đề: –\n  Chỉ tiêu: 17.3, 17.11\n"));
  EXPECT_TRUE(Contains(out,
                       "2. Thay đổi của từng bản so với năm trước (1/2 bản đã đăng ký)\n"
                       "  Bản Nà Khương (03424001)\n    Thay đổi: Điểm tập kết rác\n"));
  EXPECT_TRUE(Contains(out,
                       "    Hiện trạng: Mỗi hộ có hố rác\n"
                       "    Mục tiêu cuối năm: Thu gom hằng tuần\n"
                       "    Năm 2023 đã đăng ký: Làm hố rác cho từng hộ (mục tiêu: Mỗi hộ có "
                       "hố rác)\n"));
  EXPECT_TRUE(Contains(out, "  Bản Nà Hum (03424901) — CHƯA ĐĂNG KÝ\n"));
  EXPECT_TRUE(Contains(out, "Đảng ủy xã      Lò Văn Minh, Bí thư Đảng ủy  05/02/2024\n"));
  EXPECT_TRUE(Contains(out, "HĐND xã         CHƯA CÓ\n"));
  EXPECT_TRUE(Contains(out, "Còn thiếu (1):\n  - village_changes: Bản Nà Hum"));
  EXPECT_TRUE(Contains(out,
                       "12/02/2024 09:30  Trả lại   tam-duong-nnptnt  Đã gửi → Trả lại  "
                       "Thiếu bản Nà Hum; Bổ sung xác nhận\n"));

  rv1::Registration empty;
  empty.set_name(kRegistrationName);
  const std::string bare = RenderRegistration(empty);
  EXPECT_TRUE(Contains(bare, "1. Mô hình điểm của xã\n  (chưa đăng ký)\n"));
  EXPECT_TRUE(Contains(bare, "(xã không có bản nào trong danh mục)"));
  EXPECT_TRUE(Contains(bare, "Gửi lúc: chưa gửi\n"));
  EXPECT_TRUE(Contains(bare, "Đủ nội dung để gửi huyện."));
}

TEST(RenderRegistrationsTest, Brief) {
  const std::string out = RenderRegistrationBrief(SampleRegistration());
  EXPECT_EQ(out,
            "Bản đăng ký: units/03424/registrations/tam-duong-2024 (Xã Bản Bo)\n"
            "Trạng thái: Đã gửi — gửi lúc 11/02/2024 08:00, nộp muộn\n"
            "Còn thiếu: village_changes: Bản Nà Hum (units/03424901) has no change registered\n"
            "etag: \"3\"\n");
}

TEST(RenderRegistrationsTest, StatusTableListsMissingCommunesAndVillages) {
  rv1::GetRegistrationStatusResponse status;
  status.set_directive("units/106/directives/tam-duong-2024");
  *status.mutable_as_of() = At(k12Feb0930);
  rv1::UnitRegistration* done = status.add_units();
  done->set_unit("units/03424");
  done->set_unit_display_name("Xã Bản Bo");
  done->set_progress(rv1::REGISTRATION_PROGRESS_COMPLETE);
  done->set_state(rv1::REGISTRATION_STATE_ACCEPTED);
  done->add_villages()->set_registered(true);
  *done->mutable_deadline() = At(k20Feb2359);
  *done->mutable_submit_time() = At(k11Feb0800);
  rv1::UnitRegistration* part = status.add_units();
  part->set_unit("units/03412");
  part->set_unit_display_name("Xã Bình Lư");
  part->set_progress(rv1::REGISTRATION_PROGRESS_INCOMPLETE);
  part->set_state(rv1::REGISTRATION_STATE_DRAFT);
  part->add_villages()->set_registered(true);
  part->add_villages();
  part->add_villages();
  part->set_villages_missing(2);
  part->add_missing("village_changes: Bản Coóc Cú (units/03412905) has no change registered");
  *part->mutable_deadline() = At(k10Feb2359);
  part->set_overdue(true);
  rv1::UnitRegistration* none = status.add_units();
  none->set_unit("units/03390");
  none->set_unit_display_name("Thị trấn Tam Đường");
  none->set_progress(rv1::REGISTRATION_PROGRESS_NOT_STARTED);
  none->add_villages();
  none->set_villages_missing(1);
  *none->mutable_deadline() = At(k10Feb2359);
  none->set_overdue(true);
  status.set_not_started(1);
  status.set_incomplete(1);
  status.set_complete(1);
  status.set_villages_missing(3);
  status.set_overdue(2);

  const std::string out = RenderRegistrationStatus(status);
  EXPECT_TRUE(Contains(out, "theo units/106/directives/tam-duong-2024, tính đến 12/02/2024 09:30"));
  EXPECT_TRUE(Contains(out,
                       "03424  Xã Bản Bo           Đủ            Đã chấp nhận        1/1  "
                       "20/02/2024 23:59  11/02/2024 08:00\n"));
  EXPECT_TRUE(Contains(out,
                       "03412  Xã Bình Lư          Chưa đủ       Dự thảo             1/3  "
                       "10/02/2024 23:59                    QUÁ HẠN\n"));
  EXPECT_TRUE(Contains(out, "03390  Thị trấn Tam Đường  Chưa bắt đầu                      0/1"));
  EXPECT_TRUE(Contains(out,
                       "Còn thiếu, theo xã đã bắt đầu đăng ký:\n  Xã Bình Lư (03412):\n"
                       "    - village_changes: Bản Coóc Cú"));
  EXPECT_TRUE(Contains(out,
                       "Tổng 3 xã: 1 chưa bắt đầu, 1 chưa đủ, 1 đủ. Bản chưa đăng ký thay "
                       "đổi: 3. Quá hạn mà chưa gửi: 2 xã.\n"));

  rv1::GetRegistrationStatusResponse empty;
  EXPECT_TRUE(Contains(RenderRegistrationStatus(empty), "Văn bản không giao đăng ký"));
}

TEST(RenderRegistrationsTest, DistrictModelPoint) {
  rv1::DistrictModelPoint point;
  point.set_directive("units/106/directives/tam-duong-2024");
  point.set_year(2024);
  point.set_registration(kRegistrationName);
  point.mutable_model_point()->set_content("Bản sáng - xanh - sạch - đẹp Nà Khương");
  point.set_chosen_by("tam-duong-nnptnt");
  *point.mutable_choose_time() = At(k12Feb0930);
  std::string out = RenderDistrictModelPoint(point);
  EXPECT_TRUE(Contains(out,
                       "Mô hình điểm của huyện năm 2024 (units/106/directives/tam-duong-2024)\n"
                       "Nguồn: đề xuất của xã trong units/03424/registrations/tam-duong-2024\n"
                       "Nội dung: Bản sáng - xanh - sạch - đẹp Nà Khương\n"));
  EXPECT_TRUE(Contains(out, "Chọn bởi tam-duong-nnptnt lúc 12/02/2024 09:30 (giờ Việt Nam)\n"));
  point.clear_registration();
  EXPECT_TRUE(Contains(RenderDistrictModelPoint(point), "Nguồn: huyện tự chọn\n"));
}

TEST(RegistrationCommandLineTest, RefusesBadArgumentsWithExitTwo) {
  std::string err;
  EXPECT_EQ(RunOffline({"registration"}, &err), kExitUsage);
  EXPECT_TRUE(Contains(err, "thiếu lệnh con; lệnh con của registration: create, show, edit"));
  EXPECT_EQ(RunOffline({"registration", "delete", "03424/tam-duong-2024"}, &err), kExitUsage);
  EXPECT_TRUE(Contains(err, "lệnh con không rõ \"delete\""));
  EXPECT_EQ(RunOffline({"registration", "create", "03424"}, &err), kExitUsage);
  EXPECT_EQ(RunOffline({"registration", "show", "03424"}, &err), kExitUsage);
  EXPECT_TRUE(Contains(err, "tên bản đăng ký không hợp lệ: \"03424\""));
  EXPECT_EQ(RunOffline({"registration", "show", "03424/tam-duong-2024", "--etag=1"}, &err),
            kExitUsage);
  EXPECT_EQ(RunOffline({"registration", "submit", "03424/tam-duong-2024", "--etag="}, &err),
            kExitUsage);
  EXPECT_EQ(RunOffline({"registration", "return", "03424/tam-duong-2024"}, &err), kExitUsage);
  EXPECT_TRUE(Contains(err, "cần ít nhất một lý do trả lại"));
  EXPECT_EQ(RunOffline({"registration", "return", "03424/tam-duong-2024", "--reason= "}, &err),
            kExitUsage);
  EXPECT_TRUE(Contains(err, "--reason không được để trống"));
  EXPECT_EQ(RunOffline({"registration", "status", "106"}, &err), kExitUsage);
  EXPECT_EQ(RunOffline({"registration", "model-point"}, &err), kExitUsage);
  EXPECT_EQ(RunOffline({"registration", "choose", "106/tam-duong-2024"}, &err), kExitUsage);
  EXPECT_TRUE(Contains(err, "cần đúng một trong --from"));
  EXPECT_EQ(RunOffline({"registration", "choose", "106/tam-duong-2024",
                        "--from=03424/tam-duong-2024", "--content=x"},
                       &err),
            kExitUsage);
  EXPECT_EQ(RunOffline({"registration", "choose", "106/tam-duong-2024",
                        "--from=03424/tam-duong-2024", "--topic=Môi trường"},
                       &err),
            kExitUsage);
  EXPECT_TRUE(Contains(err, "--topic chỉ dùng với --content"));
  EXPECT_EQ(RunOffline({"registration", "choose", "106/tam-duong-2024", "--from=03424"}, &err),
            kExitUsage);
  EXPECT_TRUE(Contains(err, "tên bản đăng ký không hợp lệ"));
}

TEST(RegistrationCommandLineTest, EditReportsABadFileWithoutCallingTheService) {
  std::string err;
  EXPECT_EQ(RunOffline({"registration", "edit", "03424/tam-duong-2024", "-"}, &err,
                       R"({"model_point": {"content": "x", "budget": 5}})"),
            kExitError);
  EXPECT_TRUE(Contains(err, "lỗi: tệp - có lỗi, chưa gửi gì:\n"));
  EXPECT_TRUE(Contains(err, "budget"));
}

TEST(RegistrationCommandLineTest, HelpListsTheRegistrationCommands) {
  const std::string usage = UsageText();
  for (const char* command :
       {"registration create MÃ_XÃ VĂN_BẢN", "registration show TÊN_BẢN_ĐĂNG_KÝ",
        "registration edit TÊN_BẢN_ĐĂNG_KÝ TỆP.json", "registration submit TÊN_BẢN_ĐĂNG_KÝ",
        "registration accept TÊN_BẢN_ĐĂNG_KÝ", "registration return TÊN_BẢN_ĐĂNG_KÝ --reason=LÝ_DO",
        "registration status VĂN_BẢN", "registration model-point VĂN_BẢN",
        "registration choose VĂN_BẢN --from=TÊN_BẢN_ĐĂNG_KÝ"}) {
    EXPECT_TRUE(Contains(usage, command)) << command;
  }
}

// --- notifications -------------------------------------------------------------------------------

namespace nv1 = ::ntm::notifications::v1;

TEST(NotificationArgsTest, InboxNames) {
  EXPECT_EQ(*InboxName("03424"), "units/03424");
  EXPECT_EQ(*InboxName("units/106"), "units/106");
  EXPECT_EQ(*InboxName("agencies/tam-duong-yte"), "agencies/tam-duong-yte");
  EXPECT_EQ(*InboxName("principals/can-bo-ban-bo"), "principals/can-bo-ban-bo");
  for (const char* bad : {"", "Bản Bo", "units/", "units/03424/notifications/1", "agencies/Y Tế",
                          "groups/x", "123456789"}) {
    absl::StatusOr<std::string> name = InboxName(bad);
    ASSERT_FALSE(name.ok()) << bad;
    EXPECT_TRUE(IsUsageError(name.status())) << bad;
    EXPECT_TRUE(Contains(std::string(name.status().message()), "hộp thư không hợp lệ")) << bad;
  }
}

TEST(NotificationArgsTest, KindsChannelsAndStates) {
  EXPECT_EQ(*ParseNotificationKind("reminder"), nv1::NOTIFICATION_KIND_REMINDER);
  EXPECT_EQ(*ParseNotificationKind("urge"), nv1::NOTIFICATION_KIND_URGE);
  const auto kinds = ParseNotificationKinds("reminder, overdue,accepted");
  ASSERT_TRUE(kinds.ok());
  EXPECT_EQ(*kinds, (std::vector<nv1::NotificationKind>{nv1::NOTIFICATION_KIND_REMINDER,
                                                        nv1::NOTIFICATION_KIND_OVERDUE,
                                                        nv1::NOTIFICATION_KIND_ACCEPTED}));
  EXPECT_TRUE(ParseNotificationKinds("")->empty());
  const absl::Status bad = ParseNotificationKinds("reminder,nhắc").status();
  EXPECT_TRUE(IsUsageError(bad));
  EXPECT_TRUE(Contains(std::string(bad.message()), "loại thông báo không rõ \"nhắc\""));
  EXPECT_TRUE(Contains(std::string(bad.message()), "reminder, overdue, directive"));
  EXPECT_EQ(*ParseChannel("webhook"), nv1::CHANNEL_WEBHOOK);
  EXPECT_FALSE(ParseChannel("sms").ok());
  EXPECT_EQ(*ParseDeliveryState("failed"), nv1::DELIVERY_STATE_FAILED);
  EXPECT_FALSE(ParseDeliveryState("lost").ok());
  EXPECT_EQ(NotificationKindLabel(nv1::NOTIFICATION_KIND_OVERDUE), "Quá hạn");
  EXPECT_EQ(ChannelLabel(nv1::CHANNEL_EMAIL), "Thư điện tử");
  EXPECT_EQ(DeliveryStateLabel(nv1::DELIVERY_STATE_CANCELLED), "Đã hủy");
  EXPECT_EQ(NotificationKindLabel(nv1::NOTIFICATION_KIND_UNSPECIFIED), "–");
}

nv1::Notification ReminderFor(int64_t id, bool read) {
  nv1::Notification n;
  n.set_name(absl::StrCat("units/03412/notifications/", id));
  n.set_inbox("units/03412");
  n.set_kind(nv1::NOTIFICATION_KIND_REMINDER);
  n.set_title("Còn 7 ngày: Kế hoạch xây dựng NTM của Xã Bình Lư");
  n.set_body("Hạn nộp 23:59 ngày 10/02/2024.\nĐề nghị xã hoàn thành và gửi lên huyện.");
  n.set_directive("units/106/directives/tam-duong-2024");
  n.set_deliverable(::ntm::plans::v1::DELIVERABLE_PLAN);
  n.set_unit("units/03412");
  n.set_deadline_local("2024-02-10T23:59:59+07:00");
  n.mutable_create_time()->set_seconds(1706835600);  // 2024-02-02 08:00 +07:00
  n.set_read(read);
  return n;
}

TEST(RenderNotificationsTest, InboxMarksUnreadAndShowsWhatEachIsAbout) {
  nv1::ListNotificationsResponse page;
  *page.add_notifications() = ReminderFor(2, false);
  *page.add_notifications() = ReminderFor(1, true);
  page.set_unread_count(1);
  page.set_next_page_token("x");
  const std::string text = RenderInbox("units/03412", page);
  EXPECT_TRUE(Contains(text, "Hộp thư units/03412: 1 thông báo chưa đọc")) << text;
  EXPECT_TRUE(Contains(text,
                       "● 02/02/2024 08:00  [Nhắc hạn] Còn 7 ngày: Kế hoạch xây dựng NTM "
                       "của Xã Bình Lư"))
      << text;
  EXPECT_TRUE(Contains(text, "○ 02/02/2024 08:00  [Nhắc hạn]")) << text;
  EXPECT_TRUE(Contains(text, "    Hạn nộp 23:59 ngày 10/02/2024.\n    Đề nghị xã")) << text;
  EXPECT_TRUE(Contains(text, "văn bản units/106/directives/tam-duong-2024 · Kế hoạch xây dựng NTM"))
      << text;
  EXPECT_TRUE(Contains(text, "    units/03412/notifications/2\n")) << text;
  EXPECT_TRUE(Contains(text, "còn thông báo cũ hơn")) << text;
  EXPECT_TRUE(Contains(RenderInbox("units/03424", {}), "(không có thông báo)"));
}

TEST(RenderNotificationsTest, DeliveriesListFailuresWithTheirKeyAndReason) {
  nv1::ListDeliveriesResponse page;
  nv1::Delivery* sent = page.add_deliveries();
  sent->set_name("units/03412/deliveries/5");
  sent->set_channel(nv1::CHANNEL_WEBHOOK);
  sent->set_address("https://hooks.example.vn/ntm");
  sent->set_state(nv1::DELIVERY_STATE_SENT);
  sent->set_attempts(2);
  sent->mutable_sent_time()->set_seconds(1706835660);
  nv1::Delivery* failed = page.add_deliveries();
  failed->set_name("units/03412/deliveries/6");
  failed->set_channel(nv1::CHANNEL_EMAIL);
  failed->set_address("ubnd.binhlu@example.vn");
  failed->set_state(nv1::DELIVERY_STATE_FAILED);
  failed->set_attempts(8);
  failed->set_idempotency_key("reminder/03412/tam-duong-2024/plan/d-7/email/6");
  failed->set_last_error("SMTP: connection refused");
  const std::string text = RenderDeliveries("units/03412", page);
  EXPECT_TRUE(Contains(text, "Webhook")) << text;
  EXPECT_TRUE(Contains(text, "Đã gửi")) << text;
  EXPECT_TRUE(Contains(text, "02/02/2024 08:01")) << text;
  EXPECT_TRUE(Contains(text, "Thất bại")) << text;
  EXPECT_TRUE(Contains(text,
                       "Thất bại (khóa chống gửi trùng, lỗi):\n  "
                       "reminder/03412/tam-duong-2024/plan/d-7/email/6  SMTP: connection "
                       "refused"))
      << text;
  EXPECT_TRUE(Contains(RenderDeliveries("units/03412", {}), "chưa có lần gửi nào"));
}

// Records what ntmctl asks of the notifications service and answers from a fixed inbox.
class FakeNotifications final : public nv1::NotificationService::Service {
 public:
  grpc::Status ListNotifications(grpc::ServerContext*, const nv1::ListNotificationsRequest* req,
                                 nv1::ListNotificationsResponse* resp) override {
    std::lock_guard<std::mutex> lock(mu);
    lists.push_back(*req);
    *resp->add_notifications() = ReminderFor(2, false);
    resp->set_unread_count(1);
    return grpc::Status::OK;
  }
  grpc::Status MarkRead(grpc::ServerContext*, const nv1::MarkReadRequest* req,
                        nv1::MarkReadResponse* resp) override {
    std::lock_guard<std::mutex> lock(mu);
    marks.push_back(*req);
    resp->set_marked(2);
    return grpc::Status::OK;
  }
  grpc::Status SendUrge(grpc::ServerContext*, const nv1::SendUrgeRequest* req,
                        nv1::SendUrgeResponse* resp) override {
    std::lock_guard<std::mutex> lock(mu);
    urges.push_back(*req);
    for (const std::string& unit : req->units()) {
      nv1::Notification* n = resp->add_notifications();
      n->set_inbox(unit);
      n->set_name(absl::StrCat(unit, "/notifications/9"));
    }
    return grpc::Status::OK;
  }
  grpc::Status CreateSubscription(grpc::ServerContext*, const nv1::CreateSubscriptionRequest* req,
                                  nv1::CreateSubscriptionResponse* resp) override {
    std::lock_guard<std::mutex> lock(mu);
    subscriptions.push_back(*req);
    *resp->mutable_subscription() = req->subscription();
    resp->mutable_subscription()->set_name(absl::StrCat(req->parent(), "/subscriptions/1"));
    resp->mutable_subscription()->set_secret("whsec_bWFkZS1ieS10aGUtc2VydmVy");
    return grpc::Status::OK;
  }

  std::mutex mu;
  std::vector<nv1::ListNotificationsRequest> lists;
  std::vector<nv1::MarkReadRequest> marks;
  std::vector<nv1::SendUrgeRequest> urges;
  std::vector<nv1::CreateSubscriptionRequest> subscriptions;
};

class NotificationCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.RegisterService(&fake_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }
  void TearDown() override { server_->Shutdown(); }

  int Run(const std::vector<std::string>& args) {
    out_.str("");
    err_.str("");
    Io io;
    io.out = &out_;
    io.err = &err_;
    io.in = nullptr;
    io.env = NoEnv();
    io.connect = [this](const std::string&) -> std::shared_ptr<grpc::ChannelInterface> {
      return server_->InProcessChannel(grpc::ChannelArguments());
    };
    return RunNtmctl(args, io);
  }

  FakeNotifications fake_;
  std::unique_ptr<grpc::Server> server_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(NotificationCommandTest, InboxListSendsTheFiltersAndPrintsTheInbox) {
  ASSERT_EQ(Run({"inbox", "list", "03412", "--unread", "--kind=reminder", "--limit=5"}), kExitOk)
      << err_.str();
  ASSERT_EQ(fake_.lists.size(), 1u);
  EXPECT_EQ(fake_.lists[0].parent(), "units/03412");
  EXPECT_TRUE(fake_.lists[0].unread_only());
  EXPECT_EQ(fake_.lists[0].kind(), nv1::NOTIFICATION_KIND_REMINDER);
  EXPECT_EQ(fake_.lists[0].page_size(), 5);
  EXPECT_TRUE(Contains(out_.str(), "● 02/02/2024 08:00  [Nhắc hạn]")) << out_.str();
}

TEST_F(NotificationCommandTest, InboxReadAllMarksUpToTheNewestAndNumbersExpandToNames) {
  ASSERT_EQ(Run({"inbox", "read", "03412", "--all"}), kExitOk) << err_.str();
  ASSERT_EQ(fake_.marks.size(), 1u);
  EXPECT_EQ(fake_.marks[0].up_to(), "units/03412/notifications/2");
  EXPECT_TRUE(Contains(out_.str(), "Đã đánh dấu đã đọc 2 thông báo")) << out_.str();
  ASSERT_EQ(Run({"inbox", "read", "03412", "7", "units/03412/notifications/8"}), kExitOk)
      << err_.str();
  ASSERT_EQ(fake_.marks.size(), 2u);
  EXPECT_EQ(
      std::vector<std::string>(fake_.marks[1].names().begin(), fake_.marks[1].names().end()),
      (std::vector<std::string>{"units/03412/notifications/7", "units/03412/notifications/8"}));
  // A notification of another inbox is refused before anything is sent.
  EXPECT_EQ(Run({"inbox", "read", "03412", "units/03424/notifications/1"}), kExitUsage);
  EXPECT_TRUE(Contains(err_.str(), "không phải thông báo của hộp thư units/03412"));
  EXPECT_EQ(fake_.marks.size(), 2u);
}

TEST_F(NotificationCommandTest, UrgeSendsUnitsIndicatorsAndAStableRequestId) {
  const std::vector<std::string> args = {"urge",
                                         "106",
                                         "--units=03412, 03390",
                                         "--indicators=15.2,15.3",
                                         "--message=Đề nghị rà soát tỷ lệ tham gia BHYT",
                                         "--directive=106/tam-duong-2024"};
  ASSERT_EQ(Run(args), kExitOk) << err_.str();
  ASSERT_EQ(Run(args), kExitOk) << err_.str();
  ASSERT_EQ(fake_.urges.size(), 2u);
  const nv1::SendUrgeRequest& req = fake_.urges[0];
  EXPECT_EQ(req.parent(), "units/106");
  EXPECT_EQ(std::vector<std::string>(req.units().begin(), req.units().end()),
            (std::vector<std::string>{"units/03412", "units/03390"}));
  EXPECT_EQ(std::vector<std::string>(req.indicator_codes().begin(), req.indicator_codes().end()),
            (std::vector<std::string>{"15.2", "15.3"}));
  EXPECT_EQ(req.message(), "Đề nghị rà soát tỷ lệ tham gia BHYT");
  EXPECT_EQ(req.directive(), "units/106/directives/tam-duong-2024");
  EXPECT_FALSE(req.request_id().empty());
  // The same command twice is the same request: the service does it once.
  EXPECT_EQ(fake_.urges[1].request_id(), req.request_id());
  EXPECT_TRUE(Contains(out_.str(), "Đã gửi lời đôn đốc tới 2 xã")) << out_.str();
}

TEST_F(NotificationCommandTest, SubscriptionCreatePrintsTheWebhookSecretOnce) {
  ASSERT_EQ(Run({"subscription", "create", "agencies/tam-duong-yte", "--channel=webhook",
                 "--address=https://hooks.example.vn/ntm", "--kinds=submitted,accepted"}),
            kExitOk)
      << err_.str();
  ASSERT_EQ(fake_.subscriptions.size(), 1u);
  const nv1::Subscription& s = fake_.subscriptions[0].subscription();
  EXPECT_EQ(fake_.subscriptions[0].parent(), "agencies/tam-duong-yte");
  EXPECT_EQ(s.channel(), nv1::CHANNEL_WEBHOOK);
  EXPECT_EQ(s.address(), "https://hooks.example.vn/ntm");
  EXPECT_EQ(s.kinds_size(), 2);
  EXPECT_TRUE(Contains(out_.str(), "whsec_bWFkZS1ieS10aGUtc2VydmVy")) << out_.str();
}

TEST(NotificationCommandLineTest, RefusesBadArgumentsWithExitTwo) {
  std::string err;
  EXPECT_EQ(RunOffline({"inbox"}, &err), kExitUsage);
  EXPECT_TRUE(Contains(err, "lệnh con của inbox: list, watch, read"));
  EXPECT_EQ(RunOffline({"inbox", "list"}, &err), kExitUsage);
  EXPECT_EQ(RunOffline({"inbox", "list", "Bình Lư"}, &err), kExitUsage);
  EXPECT_TRUE(Contains(err, "hộp thư không hợp lệ"));
  EXPECT_EQ(RunOffline({"inbox", "list", "03412", "--kind=nhắc"}, &err), kExitUsage);
  EXPECT_EQ(RunOffline({"inbox", "list", "03412", "--limit=0"}, &err), kExitUsage);
  EXPECT_TRUE(Contains(err, "--limit phải là số nguyên 1–500"));
  EXPECT_EQ(RunOffline({"inbox", "read", "03412"}, &err), kExitUsage);
  EXPECT_EQ(RunOffline({"inbox", "watch", "03412", "--unread"}, &err), kExitUsage);
  EXPECT_EQ(RunOffline({"deliveries", "03412", "--state=lost"}, &err), kExitUsage);
  EXPECT_TRUE(Contains(err, "trạng thái gửi không rõ \"lost\""));
  EXPECT_EQ(RunOffline({"urge", "106", "--units=03412", "--indicators=15.2"}, &err), kExitUsage);
  EXPECT_TRUE(Contains(err, "thiếu --message"));
  EXPECT_EQ(
      RunOffline({"urge", "106", "--units=Bình Lư", "--indicators=15.2", "--message=x"}, &err),
      kExitUsage);
  EXPECT_EQ(RunOffline({"subscription", "create", "03412", "--address=a@b.vn"}, &err), kExitUsage);
  EXPECT_TRUE(Contains(err, "thiếu --channel"));
  EXPECT_EQ(RunOffline({"subscription", "create", "03412", "--channel=sms"}, &err), kExitUsage);
  EXPECT_EQ(RunOffline({"subscription", "delete", "03412"}, &err), kExitUsage);
  EXPECT_TRUE(Contains(err, "tên đăng ký không hợp lệ"));
}

// `health` asks the standard gRPC health service, as a container's health check does.
class HealthCommandTest : public NotificationCommandTest {
 protected:
  void SetUp() override {
    grpc::EnableDefaultHealthCheckService(true);
    NotificationCommandTest::SetUp();
    // As the services' host does: each service by name, and one that is draining.
    server_->GetHealthCheckService()->SetServingStatus("ntm.notifications.v1.NotificationService",
                                                       true);
    server_->GetHealthCheckService()->SetServingStatus("ntm.test.v1.Draining", false);
  }
};

TEST_F(HealthCommandTest, ServingExitsZeroAndNotServingExitsOne) {
  EXPECT_EQ(Run({"health"}), kExitOk) << err_.str();
  EXPECT_EQ(out_.str(), "127.0.0.1:50051: SERVING\n");
  EXPECT_EQ(Run({"health", "ntm.notifications.v1.NotificationService"}), kExitOk) << err_.str();
  EXPECT_TRUE(
      Contains(out_.str(), "ntm.notifications.v1.NotificationService tại 127.0.0.1:50051: SERVING"))
      << out_.str();

  EXPECT_EQ(Run({"health", "ntm.test.v1.Draining"}), kExitError);
  EXPECT_TRUE(Contains(out_.str(), ": NOT_SERVING")) << out_.str();
  EXPECT_TRUE(Contains(err_.str(), "chưa sẵn sàng (NOT_SERVING)")) << err_.str();

  // A service the server does not have: the health service answers NOT_FOUND.
  EXPECT_EQ(Run({"health", "ntm.nothing.v1.Here"}), kExitError);
  EXPECT_TRUE(Contains(err_.str(), "NOT_FOUND")) << err_.str();

  EXPECT_EQ(Run({"health", "--json"}), kExitOk) << err_.str();
  EXPECT_EQ(out_.str(), "{\"status\": \"SERVING\"}\n");
}

TEST_F(HealthCommandTest, ExtraArgumentsAndOptionsAreUsageErrors) {
  EXPECT_EQ(Run({"health", "a", "b"}), kExitUsage);
  EXPECT_TRUE(Contains(err_.str(), "health [DỊCH_VỤ]")) << err_.str();
  EXPECT_EQ(Run({"health", "--unread"}), kExitUsage);
}

}  // namespace
}  // namespace ntm::ntmctl
