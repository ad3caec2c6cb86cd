// The notifications domain as pure functions: the working-day calendar, the reminder slots
// around the seed's deadline (10/02/2024, in Tết), Standard Webhooks signatures, the retry
// back-off, and what each event from the other services means.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/time/civil_time.h"
#include "services/common/clock.h"
#include "services/notifications/domain/delivery_rules.h"
#include "services/notifications/domain/schedule.h"
#include "services/notifications/domain/texts.h"

namespace ntm::notifications {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

absl::Time Local(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s), VietnamTimeZone());
}

// The seed's deadline: the end of 10/02/2024, the first day of the Year of the Dragon.
const absl::Time kDeadline = Local(2024, 2, 10, 23, 59, 59);

WorkCalendar Tet2024() {
  absl::StatusOr<WorkCalendar> c = WorkCalendar::FromJson(
      R"({"holidays": [{"from": "2024-02-08", "to": "2024-02-14", "name": "Tết Giáp Thìn"},
                       {"date": "2024-01-01", "name": "Tết Dương lịch"}]})");
  EXPECT_TRUE(c.ok()) << c.status();
  return *c;
}

std::vector<std::string> Describe(const std::vector<Slot>& slots) {
  std::vector<std::string> out;
  for (const Slot& s : slots) {
    out.push_back(
        absl::StrCat(s.offset, " ", absl::FormatTime("%d/%m %H:%M", s.due, VietnamTimeZone())));
  }
  return out;
}

TEST(WorkCalendarTest, WeekendsAndHolidaysAreNotWorkingDays) {
  const WorkCalendar c = Tet2024();
  EXPECT_TRUE(c.IsWorkingDay(absl::CivilDay(2024, 2, 7)));    // Wednesday
  EXPECT_FALSE(c.IsWorkingDay(absl::CivilDay(2024, 2, 8)));   // Tết
  EXPECT_FALSE(c.IsWorkingDay(absl::CivilDay(2024, 2, 14)));  // Tết
  EXPECT_FALSE(c.IsWorkingDay(absl::CivilDay(2024, 2, 3)));   // Saturday
  EXPECT_FALSE(c.IsWorkingDay(absl::CivilDay(2024, 1, 1)));
  EXPECT_EQ(c.WorkingDayOnOrBefore(absl::CivilDay(2024, 2, 10)), absl::CivilDay(2024, 2, 7));
  EXPECT_EQ(c.WorkingDayOnOrAfter(absl::CivilDay(2024, 2, 11)), absl::CivilDay(2024, 2, 15));
  EXPECT_EQ(c.holidays().size(), 8u);
}

TEST(WorkCalendarTest, RefusesMalformedFilesNamingTheEntry) {
  const auto message = [](const char* json) {
    absl::StatusOr<WorkCalendar> c = WorkCalendar::FromJson(json);
    EXPECT_FALSE(c.ok()) << json;
    return std::string(c.status().message());
  };
  EXPECT_THAT(message("[]"), HasSubstr("not a JSON object"));
  EXPECT_THAT(message(R"({"days": []})"), HasSubstr("\"holidays\" must be a list"));
  EXPECT_THAT(message(R"({"holidays": [{"date": "10/02/2024"}]})"),
              HasSubstr("holidays[0].date: expected a date"));
  EXPECT_THAT(message(R"({"holidays": [{"date": "2024-02-30"}]})"), HasSubstr("holidays[0].date"));
  EXPECT_THAT(message(R"({"holidays": [{"date": "2024-01-01"}, {"from": "2024-02-14",
                          "to": "2024-02-08"}]})"),
              HasSubstr("holidays[1]: \"to\" must be on or after \"from\""));
  EXPECT_THAT(message(R"({"holidays": [{"name": "x"}]})"), HasSubstr("needs \"date\""));
}

TEST(ReminderSlotsTest, AroundTheSeedsDeadlineInTet) {
  const std::vector<Slot> slots = ReminderSlots(kDeadline, ReminderPolicy(), Tet2024());
  // 7 days before is Saturday 03/02: the Friday before. 3, 1 and 0 days before fall on
  // 07/02 or in Tết: all on Wednesday 07/02, the last working day, as the nearest (d-0). After:
  // 11/02 and 14/02 are in Tết, so 15/02 once; 17/02 is a Saturday, so Monday 19/02; ….
  EXPECT_THAT(
      Describe(slots),
      ElementsAre("d-7 02/02 08:00", "d-0 07/02 08:00", "d+1 15/02 08:00", "d+7 19/02 08:00",
                  "d+10 20/02 08:00", "d+13 23/02 08:00", "d+16 26/02 08:00", "d+19 29/02 08:00",
                  "d+22 04/03 08:00", "d+25 06/03 08:00", "d+28 11/03 08:00"));
  EXPECT_FALSE(slots[1].after);
  EXPECT_TRUE(slots[2].after);
  EXPECT_EQ(DaysLeft(slots[1].day, kDeadline), 3);
}

TEST(ReminderSlotsTest, WithoutHolidaysEachOffsetKeepsItsDay) {
  const std::vector<Slot> slots =
      ReminderSlots(Local(2024, 3, 20, 17, 0), ReminderPolicy(), WorkCalendar());
  // Wednesday 20/03: 13/03, 17/03 (Sunday → Friday 15/03), 19/03, 20/03 08:00 (before 17:00).
  EXPECT_THAT(Describe(slots),
              testing::IsSupersetOf({"d-7 13/03 08:00", "d-3 15/03 08:00", "d-1 19/03 08:00",
                                     "d-0 20/03 08:00", "d+1 21/03 08:00"}));
}

TEST(ReminderSlotsTest, NoReminderAfterTheDeadlineOnItsDay) {
  // A deadline at 07:00 leaves no 08:00 reminder that day; the day after still gets one.
  ReminderPolicy p;
  p.days_before = {0};
  p.max_days_after = 1;
  EXPECT_THAT(Describe(ReminderSlots(Local(2024, 3, 20, 7, 0), p, WorkCalendar())),
              ElementsAre("d+1 21/03 08:00"));
}

TEST(ReminderSlotsTest, LatestDueIsTheOnlyOneSent) {
  const std::vector<Slot> slots = ReminderSlots(kDeadline, ReminderPolicy(), Tet2024());
  EXPECT_FALSE(LatestDue(slots, Local(2024, 2, 2, 7, 59)).has_value());
  EXPECT_EQ(LatestDue(slots, Local(2024, 2, 2, 8, 0))->offset, "d-7");
  // The local run's "now" of 03/02/2024: the Friday reminder is the one due.
  EXPECT_EQ(LatestDue(slots, Local(2024, 2, 3, 9, 0))->offset, "d-7");
  EXPECT_EQ(LatestDue(slots, Local(2024, 2, 12, 8, 0))->offset, "d-0");
  EXPECT_EQ(LatestDue(slots, Local(2024, 2, 15, 8, 0))->offset, "d+1");
}

TEST(ReminderPolicyTest, RefusesBadSettings) {
  ReminderPolicy p;
  EXPECT_TRUE(ValidatePolicy(p).ok());
  p.days_before = {7, 7};
  EXPECT_THAT(std::string(ValidatePolicy(p).message()), HasSubstr("7 given twice"));
  p = ReminderPolicy();
  p.hour = 24;
  EXPECT_THAT(std::string(ValidatePolicy(p).message()), HasSubstr("hour"));
  p = ReminderPolicy();
  p.repeat_days = 0;
  EXPECT_FALSE(ValidatePolicy(p).ok());
}

TEST(WebhookTest, SignsTheStandardWebhooksWay) {
  // The example of the Standard Webhooks specification.
  absl::StatusOr<std::string> key = WebhookKey("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(
      WebhookSignature(*key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, R"({"test": 2432232314})"),
      "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  EXPECT_FALSE(WebhookKey("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").ok());
  EXPECT_FALSE(WebhookKey("whsec_c2hvcnQ=").ok());  // 5 bytes
  const std::string secret = MakeWebhookSecret(std::string(32, 'k'));
  EXPECT_EQ(*WebhookKey(secret), std::string(32, 'k'));
}

TEST(RetryTest, BacksOffExponentiallyWithJitterUpToTheMaximum) {
  const absl::Duration base = absl::Seconds(10);
  const absl::Duration max = absl::Minutes(30);
  EXPECT_EQ(RetryDelay(1, base, max, 0.5), absl::Seconds(10));
  EXPECT_EQ(RetryDelay(2, base, max, 0.5), absl::Seconds(20));
  EXPECT_EQ(RetryDelay(4, base, max, 0.5), absl::Seconds(80));
  EXPECT_EQ(RetryDelay(3, base, max, 0.0), absl::Seconds(20));
  EXPECT_LT(RetryDelay(3, base, max, 0.9999), absl::Seconds(60));
  EXPECT_EQ(RetryDelay(30, base, max, 0.5), max);
  EXPECT_TRUE(RetryableHttpStatus(503));
  EXPECT_TRUE(RetryableHttpStatus(429));
  EXPECT_FALSE(RetryableHttpStatus(404));
  EXPECT_FALSE(RetryableHttpStatus(400));
}

DirectiveInfo TamDuong2024() {
  DirectiveInfo d;
  d.id = "tam-duong-2024";
  d.name = "units/106/directives/tam-duong-2024";
  d.issuing_unit_code = "106";
  d.year = 2024;
  d.title = "V/v xây dựng Kế hoạch NTM năm 2024";
  d.deliverables = {kPlan, kRegistration};
  d.deadline = kDeadline;
  return d;
}

TEST(TextsTest, ReminderAndOverdueNotices) {
  const std::vector<Slot> slots = ReminderSlots(kDeadline, ReminderPolicy(), Tet2024());
  const OwingUnit binh_lu{"03412", "Xã Bình Lư", kDeadline, false};
  Notification n = ReminderNotification(TamDuong2024(), kPlan, binh_lu, slots[1]);
  EXPECT_EQ(n.inbox, "units/03412");
  EXPECT_EQ(n.kind, Kind::kReminder);
  EXPECT_EQ(n.dedupe_key, "reminder/03412/tam-duong-2024/plan/d-0");
  EXPECT_EQ(n.title,
            "Nhắc nộp kế hoạch xây dựng nông thôn mới năm 2024: còn 3 ngày (hạn 10/02/2024 23:59)");
  EXPECT_THAT(n.body, HasSubstr("Xã Bình Lư chưa gửi kế hoạch xây dựng nông thôn mới"));
  EXPECT_EQ(n.deadline_local, "2024-02-10T23:59:59+07:00");

  n = ReminderNotification(TamDuong2024(), kRegistration, binh_lu, slots[2]);
  EXPECT_EQ(n.kind, Kind::kOverdue);
  EXPECT_THAT(n.title, HasSubstr("Quá hạn nộp đăng ký mô hình điểm và thay đổi của các bản năm "
                                 "2024: đã quá 5 ngày"));

  const Notification digest =
      OverdueDigest(TamDuong2024(), kPlan, slots[2],
                    {binh_lu, {"03424", "Xã Bản Bo", Local(2024, 2, 16, 23, 59, 59), true}});
  EXPECT_EQ(digest.inbox, "units/106");
  EXPECT_EQ(digest.dedupe_key, "overdue-digest/106/tam-duong-2024/plan/d+1");
  EXPECT_EQ(digest.title,
            "2 xã chưa gửi kế hoạch xây dựng nông thôn mới năm 2024 (quá hạn, ngày 15/02/2024)");
  EXPECT_THAT(digest.body, HasSubstr("Kế hoạch xây dựng nông thôn mới theo V/v"));
  EXPECT_THAT(digest.body,
              HasSubstr("- Xã Bản Bo (units/03424), hạn 16/02/2024 23:59 (đã gia hạn)"));
}

IncomingEvent Event(const std::string& id, const std::string& type, const std::string& payload) {
  IncomingEvent e;
  e.event_id = id;
  e.type = type;
  e.source = "plans";
  e.payload_json = payload;
  e.created_at = Local(2024, 1, 15, 9, 0);
  return e;
}

TEST(TextsTest, EventsBecomeNotificationsForTheRightInboxes) {
  absl::StatusOr<EventEffect> created = EffectOfEvent(
      Event("directives/tam-duong-2024/directive.created/1", "directive.created",
            R"({"directive": "tam-duong-2024", "name": "units/106/directives/tam-duong-2024",
                "year": 2024, "title": "V/v xây dựng Kế hoạch NTM năm 2024",
                "deadline": "2024-02-10T23:59:59+07:00", "deliverables": ["plan", "registration"],
                "units": ["units/03424", "units/03412"]})"),
      std::nullopt);
  ASSERT_TRUE(created.ok()) << created.status();
  ASSERT_TRUE(created->directive.has_value());
  EXPECT_EQ(created->directive->issuing_unit_code, "106");
  EXPECT_EQ(created->directive->deadline, kDeadline);
  ASSERT_EQ(created->notifications.size(), 2u);
  EXPECT_EQ(created->notifications[0].inbox, "units/03424");
  EXPECT_EQ(created->notifications[0].kind, Kind::kDirectiveIssued);
  EXPECT_THAT(created->notifications[0].title,
              HasSubstr("gửi kế hoạch xây dựng nông thôn mới và đăng ký mô hình điểm"));

  const DirectiveInfo d = TamDuong2024();
  absl::StatusOr<EventEffect> submitted =
      EffectOfEvent(Event("plans/tam-duong-2024.03424/submit/3", "plan.submit",
                          R"({"plan": "tam-duong-2024.03424", "directive": "tam-duong-2024",
                "unit": "units/03424", "unit_display_name": "Xã Bản Bo", "late": true})"),
                    d);
  ASSERT_TRUE(submitted.ok()) << submitted.status();
  ASSERT_EQ(submitted->notifications.size(), 1u);
  EXPECT_EQ(submitted->notifications[0].inbox, "units/106");
  EXPECT_EQ(submitted->notifications[0].title,
            "Xã Bản Bo đã gửi kế hoạch xây dựng nông thôn mới năm 2024 (muộn)");
  EXPECT_EQ(submitted->notifications[0].subject, "units/03424/plans/tam-duong-2024");
  EXPECT_EQ(submitted->notifications[0].dedupe_key,
            "event/plans/tam-duong-2024.03424/submit/3/units/106");

  absl::StatusOr<EventEffect> returned =
      EffectOfEvent(Event("registrations/tam-duong-2024.03390/return/4", "registration.return",
                          R"({"registration": "tam-duong-2024.03390", "directive": "tam-duong-2024",
                "unit": "units/03390", "reason": "Thiếu bản Nà Cà\nThiếu chữ ký HĐND"})"),
                    d);
  ASSERT_TRUE(returned.ok()) << returned.status();
  EXPECT_EQ(returned->notifications[0].inbox, "units/03390");
  EXPECT_EQ(returned->notifications[0].kind, Kind::kReturned);
  EXPECT_THAT(returned->notifications[0].body,
              HasSubstr("Đăng ký mô hình điểm và thay đổi của các bản của units/03390"));
  EXPECT_THAT(returned->notifications[0].body, HasSubstr(":\n- Thiếu bản Nà Cà\n- Thiếu chữ ký"));

  // Edits concern no one; an unknown directive leaves nobody to tell.
  EXPECT_TRUE(EffectOfEvent(Event("p/1", "plan.edit", R"({"unit": "units/03424"})"), d)
                  ->notifications.empty());
  EXPECT_TRUE(EffectOfEvent(Event("p/2", "plan.submit", R"({"unit": "units/03424"})"), std::nullopt)
                  ->notifications.empty());
  // Bad payloads are refused naming the event.
  EXPECT_THAT(std::string(EffectOfEvent(Event("p/3", "plan.submit", "[1]"), d).status().message()),
              HasSubstr("event p/3: payload_json is not a JSON object"));
  EXPECT_THAT(std::string(EffectOfEvent(Event("p/4", "plan.accept", "{}"), d).status().message()),
              HasSubstr("payload lacks \"unit\""));
  EXPECT_EQ(DirectiveIdOfEvent(Event("p/5", "plan.accept", R"({"directive": "x-2024"})")),
            "x-2024");
}

}  // namespace
}  // namespace ntm::notifications
