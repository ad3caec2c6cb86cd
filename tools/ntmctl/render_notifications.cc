#include "tools/ntmctl/render_notifications.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "tools/ntmctl/args.h"
#include "tools/ntmctl/render_plans.h"
#include "tools/ntmctl/table.h"
#include "tools/ntmctl/text.h"

namespace ntm::ntmctl {
namespace {

namespace v1 = ::ntm::notifications::v1;

// A command-line word and the value it stands for.
template <typename T>
struct Word {
  absl::string_view word;
  T value;
};

constexpr Word<v1::NotificationKind> kKindWords[] = {
    {"reminder", v1::NOTIFICATION_KIND_REMINDER},
    {"overdue", v1::NOTIFICATION_KIND_OVERDUE},
    {"directive", v1::NOTIFICATION_KIND_DIRECTIVE_ISSUED},
    {"extended", v1::NOTIFICATION_KIND_DEADLINE_EXTENDED},
    {"submitted", v1::NOTIFICATION_KIND_SUBMITTED},
    {"returned", v1::NOTIFICATION_KIND_RETURNED},
    {"accepted", v1::NOTIFICATION_KIND_ACCEPTED},
    {"urge", v1::NOTIFICATION_KIND_URGE},
};
constexpr Word<v1::Channel> kChannelWords[] = {
    {"in-app", v1::CHANNEL_IN_APP},
    {"email", v1::CHANNEL_EMAIL},
    {"webhook", v1::CHANNEL_WEBHOOK},
};
constexpr Word<v1::DeliveryState> kStateWords[] = {
    {"pending", v1::DELIVERY_STATE_PENDING},     {"sending", v1::DELIVERY_STATE_SENDING},
    {"sent", v1::DELIVERY_STATE_SENT},           {"failed", v1::DELIVERY_STATE_FAILED},
    {"cancelled", v1::DELIVERY_STATE_CANCELLED},
};

template <typename T, size_t N>
absl::StatusOr<T> Lookup(const Word<T> (&words)[N], absl::string_view word,
                         absl::string_view what) {
  std::vector<absl::string_view> known;
  for (const Word<T>& w : words) {
    if (w.word == word) {
      return w.value;
    }
    known.push_back(w.word);
  }
  return UsageError(absl::StrFormat("%s không rõ \"%s\" (một trong: %s)", what, word,
                                    absl::StrJoin(known, ", ")));
}

// "units/03424/notifications/17" → "17": the part people type back (inbox read).
absl::string_view LastPart(absl::string_view name) {
  const size_t slash = name.rfind('/');
  return slash == absl::string_view::npos ? name : name.substr(slash + 1);
}

std::string Indent(absl::string_view text, absl::string_view prefix) {
  std::string out;
  for (const absl::string_view line : absl::StrSplit(text, '\n')) {
    if (!line.empty()) {
      absl::StrAppend(&out, prefix, line);
    }
    absl::StrAppend(&out, "\n");
  }
  while (absl::EndsWith(out, "\n\n")) {
    out.pop_back();
  }
  return out;
}

}  // namespace

std::string NotificationKindLabel(v1::NotificationKind kind) {
  switch (kind) {
    case v1::NOTIFICATION_KIND_REMINDER:
      return "Nhắc hạn";
    case v1::NOTIFICATION_KIND_OVERDUE:
      return "Quá hạn";
    case v1::NOTIFICATION_KIND_DIRECTIVE_ISSUED:
      return "Văn bản chỉ đạo";
    case v1::NOTIFICATION_KIND_DEADLINE_EXTENDED:
      return "Gia hạn";
    case v1::NOTIFICATION_KIND_SUBMITTED:
      return "Đã gửi lên";
    case v1::NOTIFICATION_KIND_RETURNED:
      return "Trả lại";
    case v1::NOTIFICATION_KIND_ACCEPTED:
      return "Chấp nhận";
    case v1::NOTIFICATION_KIND_URGE:
      return "Đôn đốc";
    default:
      return "–";
  }
}

std::string ChannelLabel(v1::Channel channel) {
  switch (channel) {
    case v1::CHANNEL_IN_APP:
      return "Trong ứng dụng";
    case v1::CHANNEL_EMAIL:
      return "Thư điện tử";
    case v1::CHANNEL_WEBHOOK:
      return "Webhook";
    default:
      return "–";
  }
}

std::string DeliveryStateLabel(v1::DeliveryState state) {
  switch (state) {
    case v1::DELIVERY_STATE_PENDING:
      return "Chờ gửi";
    case v1::DELIVERY_STATE_SENDING:
      return "Đang gửi";
    case v1::DELIVERY_STATE_SENT:
      return "Đã gửi";
    case v1::DELIVERY_STATE_FAILED:
      return "Thất bại";
    case v1::DELIVERY_STATE_CANCELLED:
      return "Đã hủy";
    default:
      return "–";
  }
}

absl::StatusOr<v1::NotificationKind> ParseNotificationKind(absl::string_view word) {
  return Lookup(kKindWords, word, "loại thông báo");
}

absl::StatusOr<std::vector<v1::NotificationKind>> ParseNotificationKinds(absl::string_view words) {
  std::vector<v1::NotificationKind> kinds;
  for (const absl::string_view word : absl::StrSplit(words, ',', absl::SkipWhitespace())) {
    absl::StatusOr<v1::NotificationKind> kind = ParseNotificationKind(TrimSpace(word));
    if (!kind.ok()) {
      return kind.status();
    }
    kinds.push_back(*kind);
  }
  return kinds;
}

absl::StatusOr<v1::Channel> ParseChannel(absl::string_view word) {
  return Lookup(kChannelWords, word, "kênh");
}

absl::StatusOr<v1::DeliveryState> ParseDeliveryState(absl::string_view word) {
  return Lookup(kStateWords, word, "trạng thái gửi");
}

std::string RenderNotification(const v1::Notification& n) {
  std::string out = absl::StrFormat("%s %s  [%s] %s\n", n.read() ? "○" : "●",
                                    n.has_create_time() ? FormatLocalTime(n.create_time()) : "–",
                                    NotificationKindLabel(n.kind()), OneLine(n.title()));
  std::string details;
  if (!TrimSpace(n.body()).empty()) {
    absl::StrAppend(&details, n.body(), "\n");
  }
  std::vector<std::string> about;
  if (!n.directive().empty()) {
    about.push_back(absl::StrCat("văn bản ", n.directive()));
  }
  if (n.deliverable() != plans::v1::DELIVERABLE_UNSPECIFIED) {
    about.push_back(DeliverableLabel(n.deliverable()));
  }
  if (!n.deadline_local().empty()) {
    about.push_back(absl::StrCat("hạn ", FormatLocalTime(n.deadline_local())));
  }
  if (!n.unit().empty()) {
    about.push_back(absl::StrCat("đơn vị ", n.unit()));
  }
  if (!n.indicator_codes().empty()) {
    about.push_back(absl::StrCat("chỉ tiêu ", absl::StrJoin(n.indicator_codes(), ", ")));
  }
  if (!about.empty()) {
    absl::StrAppend(&details, absl::StrJoin(about, " · "), "\n");
  }
  if (!n.sender().empty()) {
    absl::StrAppend(&details, "Người gửi: ", n.sender(),
                    n.sender_agency().empty() ? "" : absl::StrCat(" (", n.sender_agency(), ")"),
                    "\n");
  }
  absl::StrAppend(&details, n.name(),
                  n.read() && n.has_read_time()
                      ? absl::StrCat(" · đã đọc ", FormatLocalTime(n.read_time()))
                      : "",
                  "\n");
  absl::StrAppend(&out, Indent(details, "    "));
  return out;
}

std::string RenderInbox(absl::string_view inbox, const v1::ListNotificationsResponse& page) {
  std::string out =
      absl::StrFormat("Hộp thư %s: %d thông báo chưa đọc\n", inbox, page.unread_count());
  if (page.notifications().empty()) {
    absl::StrAppend(&out, "(không có thông báo)\n");
    return out;
  }
  for (const v1::Notification& n : page.notifications()) {
    absl::StrAppend(&out, "\n", RenderNotification(n));
  }
  if (!page.next_page_token().empty()) {
    absl::StrAppendFormat(&out, "\n(còn thông báo cũ hơn: thêm --limit=SỐ để xem nhiều hơn)\n");
  }
  return out;
}

std::string RenderDeliveries(absl::string_view inbox, const v1::ListDeliveriesResponse& page) {
  std::string out = absl::StrFormat("Các lần gửi của hộp thư %s\n", inbox);
  if (page.deliveries().empty()) {
    absl::StrAppend(&out, "(chưa có lần gửi nào qua thư điện tử hay webhook)\n");
    return out;
  }
  Table table({"Số", "Tạo lúc", "Kênh", "Địa chỉ", "Trạng thái", "Lần thử", "Gửi lúc / thử lại",
               "Lỗi gần nhất"});
  table.SetAlign(0, Table::Align::kRight);
  table.SetAlign(5, Table::Align::kRight);
  table.SetMaxWidth(3, 32);
  table.SetMaxWidth(7, 48);
  std::vector<const v1::Delivery*> failed;
  for (const v1::Delivery& d : page.deliveries()) {
    std::string when = "–";
    if (d.has_sent_time()) {
      when = FormatLocalTime(d.sent_time());
    } else if (d.state() == v1::DELIVERY_STATE_PENDING && d.has_next_attempt_time()) {
      when = absl::StrCat("thử lại ", FormatLocalTime(d.next_attempt_time()));
    }
    table.AddRow({std::string(LastPart(d.name())),
                  d.has_create_time() ? FormatLocalTime(d.create_time()) : "–",
                  ChannelLabel(d.channel()), d.address(), DeliveryStateLabel(d.state()),
                  absl::StrCat(d.attempts()), when,
                  d.last_error().empty() ? "" : OneLine(d.last_error())});
    if (d.state() == v1::DELIVERY_STATE_FAILED) {
      failed.push_back(&d);
    }
  }
  absl::StrAppend(&out, table.Render());
  if (!failed.empty()) {
    absl::StrAppend(&out, "\nThất bại (khóa chống gửi trùng, lỗi):\n");
    for (const v1::Delivery* d : failed) {
      absl::StrAppendFormat(&out, "  %s  %s\n", d->idempotency_key(), OneLine(d->last_error()));
    }
  }
  if (!page.next_page_token().empty()) {
    absl::StrAppend(&out, "(còn lần gửi cũ hơn: thêm --limit=SỐ để xem nhiều hơn)\n");
  }
  return out;
}

std::string RenderSubscriptions(absl::string_view inbox,
                                const std::vector<v1::Subscription>& subscriptions) {
  std::string out = absl::StrFormat("Đăng ký nhận thông báo của hộp thư %s\n", inbox);
  if (subscriptions.empty()) {
    absl::StrAppend(&out,
                    "(chưa có: thông báo chỉ nằm trong hộp thư; thêm bằng subscription create)\n");
    return out;
  }
  Table table({"Tên", "Kênh", "Địa chỉ", "Loại thông báo", "Người tạo", "Tạo lúc"});
  table.SetMaxWidth(2, 40);
  for (const v1::Subscription& s : subscriptions) {
    std::vector<std::string> kinds;
    for (const int kind : s.kinds()) {
      kinds.push_back(NotificationKindLabel(static_cast<v1::NotificationKind>(kind)));
    }
    table.AddRow({s.name(), ChannelLabel(s.channel()), s.address(),
                  kinds.empty() ? "mọi loại" : absl::StrJoin(kinds, ", "), s.created_by(),
                  s.has_create_time() ? FormatLocalTime(s.create_time()) : "–"});
  }
  absl::StrAppend(&out, table.Render());
  return out;
}

}  // namespace ntm::ntmctl
