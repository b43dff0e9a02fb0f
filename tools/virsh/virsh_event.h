// The texts of virsh 9.0's `event` and `net-event` commands: event and
// detail names, the line printed for each event, and the timestamp prefix
// of --timestamp. Kept apart from the commands (virsh_event.cc) so that
// unit tests can check every string without a connection.
//
//   DomainLifecycleLine("vm1", VIR_DOMAIN_EVENT_STARTED, 0)
//     == "event 'lifecycle' for domain 'vm1': Started Booted\n"
//
// Pure functions; safe from any thread.
#ifndef VIRTKIT_TOOLS_VIRSH_VIRSH_EVENT_H
#define VIRTKIT_TOOLS_VIRSH_VIRSH_EVENT_H

#include <ctime>
#include <span>
#include <string>
#include <string_view>

namespace virt::virsh {

// Every domain event id's name, indexed by VIR_DOMAIN_EVENT_ID_* (what
// `event --list` prints, in that order).
std::span<const std::string_view> DomainEventIDNames();
// Network event id names (`net-event --list`).
std::span<const std::string_view> NetworkEventIDNames();

// "Started", ...; "unknown" outside the enum.
std::string_view DomainEventName(int event);
// "Booted", "Finished after guest request", ...; "unknown" outside the
// enum of 'event'.
std::string_view DomainEventDetailName(int event, int detail);
// "Defined", "Undefined", "Started", "Stopped"; "unknown" otherwise.
std::string_view NetworkEventName(int event);

// One event as virsh prints it, newline included.
std::string DomainLifecycleLine(std::string_view domain, int event, int detail);
// Events without details (reboot, control-error): "event 'reboot' for
// domain 'x'\n".
std::string DomainGenericLine(std::string_view event_name, std::string_view domain);
// Network names are not quoted in virsh 9.0's line.
std::string NetworkLifecycleLine(std::string_view network, int event);

// Storage pool events: "event 'lifecycle' for storage pool p: Started\n",
// "event 'refresh' for storage pool p\n".
std::string PoolLifecycleLine(std::string_view pool, int event);
std::string PoolRefreshLine(std::string_view pool);

// The --timestamp prefix for the time 'when' (UTC, milliseconds):
// "2026-11-27 06:53:25.123+0000: ".
std::string TimestampPrefix(const std::timespec& when);

}  // namespace virt::virsh

#endif  // VIRTKIT_TOOLS_VIRSH_VIRSH_EVENT_H
