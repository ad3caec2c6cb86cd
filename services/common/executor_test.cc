#include "services/common/executor.h"

#include <gtest/gtest.h>

#include <atomic>

#include "absl/synchronization/notification.h"

namespace ntm {
namespace {

TEST(BoundedExecutorTest, RunsEverythingQueuedBeforeShutdown) {
  std::atomic<int> ran{0};
  BoundedExecutor ex(2, 100);
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(ex.TrySubmit([&] { ran.fetch_add(1); }));
  }
  ex.Shutdown();
  EXPECT_EQ(ran.load(), 50);
  EXPECT_FALSE(ex.TrySubmit([] {}));
}

TEST(BoundedExecutorTest, RefusesWhenTheQueueIsFull) {
  BoundedExecutor ex(1, 2);
  absl::Notification release;
  absl::Notification started;
  ASSERT_TRUE(ex.TrySubmit([&] {
    started.Notify();
    release.WaitForNotification();
  }));
  started.WaitForNotification();
  EXPECT_TRUE(ex.TrySubmit([] {}));
  EXPECT_TRUE(ex.TrySubmit([] {}));
  EXPECT_FALSE(ex.TrySubmit([] {}));
  release.Notify();
  ex.Shutdown();
}

}  // namespace
}  // namespace ntm
