#include "conf/domain/lifecycle.h"

#include <gtest/gtest.h>

#include "conf/domain/domain_test_util.h"

namespace virt {
namespace {

using testing::ExpectError;
using testing::FormatSnippet;
using testing::ParseSnippet;

Status ParseIn(const std::string& inner, LifecycleDef* out) {
  return ParseSnippet("<domain>" + inner + "</domain>", ParseLifecycle, out);
}

TEST(LifecycleTest, DefaultsAreDestroyRestartDestroy) {
  LifecycleDef l;
  ASSERT_TRUE(ParseIn("", &l).ok());
  EXPECT_EQ(FormatSnippet([&](XMLWriter& w) { FormatLifecycle(l, w); }),
            "<on_poweroff>destroy</on_poweroff>\n<on_reboot>restart</on_reboot>\n"
            "<on_crash>destroy</on_crash>\n");
}

TEST(LifecycleTest, EveryActionOfTheSeedIsAccepted) {
  LifecycleDef l;
  ASSERT_TRUE(ParseIn("<on_reboot>restart</on_reboot><on_poweroff>preserve</on_poweroff>"
                      "<on_crash>rename-restart</on_crash>",
                      &l)
                  .ok());
  EXPECT_EQ(l.on_poweroff, LifecycleAction::kPreserve);
  EXPECT_EQ(l.on_crash, LifecycleAction::kRenameRestart);
}

TEST(LifecycleTest, CoredumpActionsOnlyOnCrash) {
  LifecycleDef l;
  ASSERT_TRUE(ParseIn("<on_crash>coredump-restart</on_crash>", &l).ok());
  EXPECT_EQ(l.on_crash, LifecycleAction::kCoredumpRestart);
  ExpectError(ParseIn("<on_poweroff>coredump-destroy</on_poweroff>", &l),
              VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_DOMAIN,
              "Lifecycle event 'poweroff' doesn't support 'coredump-destroy' action");
}

TEST(LifecycleTest, UnknownActionIsUnsupported) {
  LifecycleDef l;
  ExpectError(ParseIn("<on_crash>explode</on_crash>", &l), VIR_ERR_CONFIG_UNSUPPORTED,
              VIR_FROM_DOMAIN, "unknown on_crash action: explode");
}

TEST(LifecycleTest, LockFailureIsWrittenLast) {
  LifecycleDef l;
  ASSERT_TRUE(ParseIn("<on_lockfailure>pause</on_lockfailure>", &l).ok());
  std::string out = FormatSnippet([&](XMLWriter& w) { FormatLifecycle(l, w); });
  EXPECT_NE(out.find("</on_crash>\n<on_lockfailure>pause</on_lockfailure>\n"), std::string::npos);
}

}  // namespace
}  // namespace virt
