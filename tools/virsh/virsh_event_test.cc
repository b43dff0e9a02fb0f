// The texts of `event` and `net-event`, checked against virsh 9.0's.
#include "virsh_event.h"

#include <gtest/gtest.h>
#include <libvirt/libvirt.h>

#include <string>
#include <tuple>
#include <vector>

namespace virt::virsh {
namespace {

TEST(VirshEventTest, ListsLibvirt90DomainEventIDsInOrder) {
  const auto names = DomainEventIDNames();
  ASSERT_EQ(names.size(), 27u);
  EXPECT_EQ(names[VIR_DOMAIN_EVENT_ID_LIFECYCLE], "lifecycle");
  EXPECT_EQ(names[VIR_DOMAIN_EVENT_ID_REBOOT], "reboot");
  EXPECT_EQ(names[VIR_DOMAIN_EVENT_ID_IO_ERROR_REASON], "io-error-reason");
  EXPECT_EQ(names[VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2], "block-job-2");
  EXPECT_EQ(names[VIR_DOMAIN_EVENT_ID_DEVICE_REMOVAL_FAILED], "device-removal-failed");
  EXPECT_EQ(names[VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE], "memory-device-size-change");
}

TEST(VirshEventTest, ListsOnlyLifecycleForNetworks) {
  const auto names = NetworkEventIDNames();
  ASSERT_EQ(names.size(), 1u);
  EXPECT_EQ(names[0], "lifecycle");
}

// Every (event, detail) pair of libvirt 9.0 and the words virsh prints.
TEST(VirshEventTest, NamesEveryLifecycleEventAndDetail) {
  const std::vector<std::tuple<int, int, std::string>> cases = {
      {VIR_DOMAIN_EVENT_DEFINED, VIR_DOMAIN_EVENT_DEFINED_ADDED, "Defined Added"},
      {VIR_DOMAIN_EVENT_DEFINED, VIR_DOMAIN_EVENT_DEFINED_UPDATED, "Defined Updated"},
      {VIR_DOMAIN_EVENT_DEFINED, VIR_DOMAIN_EVENT_DEFINED_RENAMED, "Defined Renamed"},
      {VIR_DOMAIN_EVENT_DEFINED, VIR_DOMAIN_EVENT_DEFINED_FROM_SNAPSHOT, "Defined Snapshot"},
      {VIR_DOMAIN_EVENT_UNDEFINED, VIR_DOMAIN_EVENT_UNDEFINED_REMOVED, "Undefined Removed"},
      {VIR_DOMAIN_EVENT_UNDEFINED, VIR_DOMAIN_EVENT_UNDEFINED_RENAMED, "Undefined Renamed"},
      {VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED, "Started Booted"},
      {VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_MIGRATED, "Started Migrated"},
      {VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_RESTORED, "Started Restored"},
      {VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_FROM_SNAPSHOT, "Started Snapshot"},
      {VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_WAKEUP, "Started Event wakeup"},
      {VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED, "Suspended Paused"},
      {VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_MIGRATED, "Suspended Migrated"},
      {VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_IOERROR, "Suspended I/O Error"},
      {VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_WATCHDOG, "Suspended Watchdog"},
      {VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_RESTORED, "Suspended Restored"},
      {VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_FROM_SNAPSHOT,
       "Suspended Snapshot"},
      {VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_API_ERROR, "Suspended API error"},
      {VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY, "Suspended Post-copy"},
      {VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY_FAILED,
       "Suspended Post-copy Error"},
      {VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_UNPAUSED, "Resumed Unpaused"},
      {VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_MIGRATED, "Resumed Migrated"},
      {VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_FROM_SNAPSHOT, "Resumed Snapshot"},
      {VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_POSTCOPY, "Resumed Post-copy"},
      {VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_POSTCOPY_FAILED,
       "Resumed Post-copy Error"},
      {VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN, "Stopped Shutdown"},
      {VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED, "Stopped Destroyed"},
      {VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_CRASHED, "Stopped Crashed"},
      {VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_MIGRATED, "Stopped Migrated"},
      {VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SAVED, "Stopped Saved"},
      {VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_FAILED, "Stopped Failed"},
      {VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT, "Stopped Snapshot"},
      {VIR_DOMAIN_EVENT_SHUTDOWN, VIR_DOMAIN_EVENT_SHUTDOWN_FINISHED, "Shutdown Finished"},
      {VIR_DOMAIN_EVENT_SHUTDOWN, VIR_DOMAIN_EVENT_SHUTDOWN_GUEST,
       "Shutdown Finished after guest request"},
      {VIR_DOMAIN_EVENT_SHUTDOWN, VIR_DOMAIN_EVENT_SHUTDOWN_HOST,
       "Shutdown Finished after host request"},
      {VIR_DOMAIN_EVENT_PMSUSPENDED, VIR_DOMAIN_EVENT_PMSUSPENDED_MEMORY, "PMSuspended Memory"},
      {VIR_DOMAIN_EVENT_PMSUSPENDED, VIR_DOMAIN_EVENT_PMSUSPENDED_DISK, "PMSuspended Disk"},
      {VIR_DOMAIN_EVENT_CRASHED, VIR_DOMAIN_EVENT_CRASHED_PANICKED, "Crashed Panicked"},
      {VIR_DOMAIN_EVENT_CRASHED, VIR_DOMAIN_EVENT_CRASHED_CRASHLOADED, "Crashed Crashloaded"},
  };
  for (const auto& [event, detail, words] : cases) {
    EXPECT_EQ(std::string(DomainEventName(event)) + " " +
                  std::string(DomainEventDetailName(event, detail)),
              words)
        << event << "/" << detail;
  }
}

TEST(VirshEventTest, NamesValuesOutsideTheEnumsUnknown) {
  EXPECT_EQ(DomainEventName(9), "unknown");
  EXPECT_EQ(DomainEventName(-1), "unknown");
  EXPECT_EQ(DomainEventDetailName(VIR_DOMAIN_EVENT_STARTED, 5), "unknown");
  EXPECT_EQ(DomainEventDetailName(VIR_DOMAIN_EVENT_CRASHED, -1), "unknown");
  EXPECT_EQ(DomainEventDetailName(42, 0), "unknown");
  EXPECT_EQ(NetworkEventName(4), "unknown");
}

TEST(VirshEventTest, FormatsDomainLifecycleLine) {
  EXPECT_EQ(DomainLifecycleLine("vm1", VIR_DOMAIN_EVENT_SHUTDOWN,
                                VIR_DOMAIN_EVENT_SHUTDOWN_GUEST),
            "event 'lifecycle' for domain 'vm1': Shutdown Finished after guest request\n");
  EXPECT_EQ(DomainLifecycleLine("vm1", 77, 3),
            "event 'lifecycle' for domain 'vm1': unknown unknown\n");
}

TEST(VirshEventTest, FormatsDetaillessDomainEventByName) {
  EXPECT_EQ(DomainGenericLine("reboot", "vm1"), "event 'reboot' for domain 'vm1'\n");
}

TEST(VirshEventTest, FormatsNetworkLifecycleLineWithoutQuotes) {
  EXPECT_EQ(NetworkLifecycleLine("default", VIR_NETWORK_EVENT_DEFINED),
            "event 'lifecycle' for network default: Defined\n");
  EXPECT_EQ(NetworkLifecycleLine("default", VIR_NETWORK_EVENT_UNDEFINED),
            "event 'lifecycle' for network default: Undefined\n");
  EXPECT_EQ(NetworkLifecycleLine("default", VIR_NETWORK_EVENT_STARTED),
            "event 'lifecycle' for network default: Started\n");
  EXPECT_EQ(NetworkLifecycleLine("default", VIR_NETWORK_EVENT_STOPPED),
            "event 'lifecycle' for network default: Stopped\n");
}

TEST(VirshEventTest, FormatsTimestampInUTCWithMilliseconds) {
  EXPECT_EQ(TimestampPrefix({.tv_sec = 1795762405, .tv_nsec = 123999999}),
            "2026-11-27 06:53:25.123+0000: ");
  EXPECT_EQ(TimestampPrefix({.tv_sec = 0, .tv_nsec = 5000000}), "1970-01-01 00:00:00.005+0000: ");
}

}  // namespace
}  // namespace virt::virsh
