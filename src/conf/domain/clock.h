// <clock>: how the guest's clock is offset from the host's, and its timers.
//
// Accepts the 2007 form <clock sync='localtime'/> as offset='localtime';
// always writes the modern form.
#ifndef VIRTKIT_CONF_DOMAIN_CLOCK_H
#define VIRTKIT_CONF_DOMAIN_CLOCK_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "conf/domain/enum_table.h"
#include "conf/xml/xml.h"
#include "core/status.h"

namespace virt {

enum class ClockOffset { kUTC, kLocaltime, kVariable, kTimezone, kAbsolute };
inline constexpr EnumEntry<ClockOffset> kClockOffsetNames[] = {
    {ClockOffset::kUTC, "utc"},           {ClockOffset::kLocaltime, "localtime"},
    {ClockOffset::kVariable, "variable"}, {ClockOffset::kTimezone, "timezone"},
    {ClockOffset::kAbsolute, "absolute"},
};
inline constexpr EnumTable<ClockOffset> kClockOffsets(kClockOffsetNames);

enum class TimerName { kPlatform, kPIT, kRTC, kHPET, kTSC, kKVMClock, kHypervClock, kArmVTimer };
inline constexpr EnumEntry<TimerName> kTimerNameNames[] = {
    {TimerName::kPlatform, "platform"},
    {TimerName::kPIT, "pit"},
    {TimerName::kRTC, "rtc"},
    {TimerName::kHPET, "hpet"},
    {TimerName::kTSC, "tsc"},
    {TimerName::kKVMClock, "kvmclock"},
    {TimerName::kHypervClock, "hypervclock"},
    {TimerName::kArmVTimer, "armvtimer"},
};
inline constexpr EnumTable<TimerName> kTimerNames(kTimerNameNames);

enum class TimerTickPolicy { kDelay, kCatchup, kMerge, kDiscard };
inline constexpr EnumEntry<TimerTickPolicy> kTimerTickPolicyNames[] = {
    {TimerTickPolicy::kDelay, "delay"},
    {TimerTickPolicy::kCatchup, "catchup"},
    {TimerTickPolicy::kMerge, "merge"},
    {TimerTickPolicy::kDiscard, "discard"},
};
inline constexpr EnumTable<TimerTickPolicy> kTimerTickPolicies(kTimerTickPolicyNames);

enum class TimerTrack { kBoot, kGuest, kWall, kRealtime };
inline constexpr EnumEntry<TimerTrack> kTimerTrackNames[] = {
    {TimerTrack::kBoot, "boot"},
    {TimerTrack::kGuest, "guest"},
    {TimerTrack::kWall, "wall"},
    {TimerTrack::kRealtime, "realtime"},
};
inline constexpr EnumTable<TimerTrack> kTimerTracks(kTimerTrackNames);

enum class TimerMode { kAuto, kNative, kEmulate, kParavirt, kSMPSafe };
inline constexpr EnumEntry<TimerMode> kTimerModeNames[] = {
    {TimerMode::kAuto, "auto"},       {TimerMode::kNative, "native"},
    {TimerMode::kEmulate, "emulate"}, {TimerMode::kParavirt, "paravirt"},
    {TimerMode::kSMPSafe, "smpsafe"},
};
inline constexpr EnumTable<TimerMode> kTimerModes(kTimerModeNames);

struct TimerDef {
  TimerName name = TimerName::kRTC;
  std::optional<bool> present;  // yes/no
  std::optional<TimerTickPolicy> tick_policy;
  std::optional<TimerTrack> track;
  std::optional<uint64_t> frequency;
  std::optional<TimerMode> mode;
  // <catchup threshold slew limit/> under tickpolicy='catchup'.
  std::optional<unsigned> catchup_threshold, catchup_slew, catchup_limit;
  friend bool operator==(const TimerDef&, const TimerDef&) = default;
};

struct ClockDef {
  ClockOffset offset = ClockOffset::kUTC;
  // utc/localtime: "reset" or seconds; variable: seconds ("0" if absent).
  std::string adjustment;
  std::string basis;              // variable: "utc" or "localtime"
  std::string timezone;           // timezone
  std::optional<uint64_t> start;  // absolute: seconds since the epoch
  std::vector<TimerDef> timers;
  friend bool operator==(const ClockDef&, const ClockDef&) = default;
};

// Reads <clock> under <domain> (absent means offset='utc').
Status ParseClock(const XMLNode& domain, ClockDef* out);
void FormatClock(const ClockDef& clock, XMLWriter& w);

}  // namespace virt

#endif  // VIRTKIT_CONF_DOMAIN_CLOCK_H
