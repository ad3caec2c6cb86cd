// Tests of ntmctl: the pure logic (text width, CSV, values, tables, arguments, digests, rendering)
// and whole commands run in-process against fake services over an in-process channel.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "grpcpp/server_context.h"
#include "gtest/gtest.h"
#include "ntm/assessment/v1/assessment.grpc.pb.h"
#include "ntm/assessment/v1/catalog.grpc.pb.h"
#include "ntm/assessment/v1/directory.grpc.pb.h"
#include "tools/ntmctl/args.h"
#include "tools/ntmctl/commands.h"
#include "tools/ntmctl/csv.h"
#include "tools/ntmctl/digest.h"
#include "tools/ntmctl/render.h"
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
