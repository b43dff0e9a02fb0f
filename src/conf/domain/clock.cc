#include "conf/domain/clock.h"

#include "conf/domain/conf_util.h"

namespace virt {
namespace {

Status ParseTimer(const XMLNode& node, TimerDef* out) {
  TimerDef t;
  VIRT_RETURN_IF_ERROR(ReadRequiredEnumAttr(node, "name", kTimerNames, &t.name));
  VIRT_RETURN_IF_ERROR(ReadYesNoAttr(node, "present", &t.present));
  VIRT_RETURN_IF_ERROR(ReadEnumAttr(node, "tickpolicy", kTimerTickPolicies, &t.tick_policy));
  VIRT_RETURN_IF_ERROR(ReadEnumAttr(node, "track", kTimerTracks, &t.track));
  VIRT_RETURN_IF_ERROR(ReadULongAttr(node, "frequency", &t.frequency));
  VIRT_RETURN_IF_ERROR(ReadEnumAttr(node, "mode", kTimerModes, &t.mode));
  if (XMLNode catchup = node.Child("catchup")) {
    VIRT_RETURN_IF_ERROR(ReadUIntAttr(catchup, "threshold", &t.catchup_threshold));
    VIRT_RETURN_IF_ERROR(ReadUIntAttr(catchup, "slew", &t.catchup_slew));
    VIRT_RETURN_IF_ERROR(ReadUIntAttr(catchup, "limit", &t.catchup_limit));
  }
  *out = t;
  return Status::OK();
}

Status CheckAdjustment(const std::string& value, bool allow_reset) {
  if (allow_reset && value == "reset") return Status::OK();
  if (!ParseSigned(value)) return InvalidAttrValue("adjustment", "clock", value);
  return Status::OK();
}

}  // namespace

Status ParseClock(const XMLNode& domain, ClockDef* out) {
  ClockDef c;
  XMLNode node = domain.Child("clock");
  if (!node) {
    *out = c;
    return Status::OK();
  }
  std::optional<std::string> offset = node.Attr("offset");
  // The 2007 spelling: <clock sync='localtime'/>; read only when the modern
  // attribute is absent so documents carrying both are not misread.
  std::optional<std::string> sync = node.Attr("sync");
  if (!offset) offset = sync;
  if (offset) {
    std::optional<ClockOffset> o = kClockOffsets.FromString(*offset);
    if (!o) return ConfigUnsupported("unknown clock offset '" + *offset + "'");
    c.offset = *o;
  }
  std::optional<std::string> adjustment = node.Attr("adjustment");
  switch (c.offset) {
    case ClockOffset::kUTC:
    case ClockOffset::kLocaltime:
      if (adjustment) {
        VIRT_RETURN_IF_ERROR(CheckAdjustment(*adjustment, true));
        c.adjustment = *adjustment;
      }
      break;
    case ClockOffset::kVariable:
      if (adjustment) VIRT_RETURN_IF_ERROR(CheckAdjustment(*adjustment, false));
      c.adjustment = adjustment.value_or("0");
      c.basis = node.Attr("basis").value_or("utc");
      if (c.basis != "utc" && c.basis != "localtime")
        return ConfigUnsupported("unknown clock basis '" + c.basis + "'");
      break;
    case ClockOffset::kTimezone:
      if (std::optional<std::string> tz = node.Attr("timezone"))
        c.timezone = *tz;
      else
        return MissingAttr("timezone", "clock");
      break;
    case ClockOffset::kAbsolute:
      VIRT_RETURN_IF_ERROR(ReadULongAttr(node, "start", &c.start));
      if (!c.start) return MissingAttr("start", "clock");
      break;
  }
  for (const XMLNode& timer : node.Children("timer")) {
    TimerDef t;
    VIRT_RETURN_IF_ERROR(ParseTimer(timer, &t));
    c.timers.push_back(t);
  }
  *out = std::move(c);
  return Status::OK();
}

void FormatClock(const ClockDef& c, XMLWriter& w) {
  XMLWriter::Attrs attrs = {{"offset", kClockOffsets.ToString(c.offset)}};
  switch (c.offset) {
    case ClockOffset::kUTC:
    case ClockOffset::kLocaltime:
      if (!c.adjustment.empty()) attrs.emplace_back("adjustment", c.adjustment);
      break;
    case ClockOffset::kVariable:
      attrs.emplace_back("adjustment", c.adjustment.empty() ? "0" : c.adjustment);
      attrs.emplace_back("basis", c.basis.empty() ? "utc" : c.basis);
      break;
    case ClockOffset::kTimezone:
      attrs.emplace_back("timezone", c.timezone);
      break;
    case ClockOffset::kAbsolute:
      attrs.emplace_back("start", std::to_string(c.start.value_or(0)));
      break;
  }
  w.Open("clock", attrs);
  for (const TimerDef& t : c.timers) {
    XMLWriter::Attrs ta = {{"name", kTimerNames.ToString(t.name)}};
    if (t.present) ta.emplace_back("present", YesNo(*t.present));
    if (t.tick_policy) ta.emplace_back("tickpolicy", kTimerTickPolicies.ToString(*t.tick_policy));
    if (t.track) ta.emplace_back("track", kTimerTracks.ToString(*t.track));
    if (t.frequency) ta.emplace_back("frequency", std::to_string(*t.frequency));
    if (t.mode) ta.emplace_back("mode", kTimerModes.ToString(*t.mode));
    bool catchup = t.catchup_threshold || t.catchup_slew || t.catchup_limit;
    if (!catchup) {
      w.Element("timer", ta);
      continue;
    }
    w.Open("timer", ta);
    XMLWriter::Attrs ca;
    if (t.catchup_threshold) ca.emplace_back("threshold", std::to_string(*t.catchup_threshold));
    if (t.catchup_slew) ca.emplace_back("slew", std::to_string(*t.catchup_slew));
    if (t.catchup_limit) ca.emplace_back("limit", std::to_string(*t.catchup_limit));
    w.Element("catchup", ca);
    w.Close();
  }
  w.Close();
}

}  // namespace virt
