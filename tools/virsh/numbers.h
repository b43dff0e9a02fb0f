// Number parsing with the rules virsh applies to option values.
//
// Every parser accepts what strtol-family functions accept in base 10
// (leading blanks, a sign) but only if the whole word is consumed and the
// value fits the target type. The "Positive" forms reject any '-' sign; the
// plain unsigned forms accept "-N" as its wrap-around (so "-1" is the type's
// maximum), as virsh's *Wrap accessors do.
#ifndef VIRTKIT_TOOLS_VIRSH_NUMBERS_H
#define VIRTKIT_TOOLS_VIRSH_NUMBERS_H

#include <string>
#include <string_view>

namespace virt::virsh {

bool ParseInt(const std::string& s, int* out);
bool ParseLongLong(const std::string& s, long long* out);
bool ParseUInt(const std::string& s, unsigned* out, bool allow_negative);
bool ParseULong(const std::string& s, unsigned long* out, bool allow_negative);
bool ParseULongLong(const std::string& s, unsigned long long* out,
                    bool allow_negative);

// The outcome of applying a unit suffix to a number.
struct ScaleResult {
  bool ok = true;
  int code = 0;         // virErrorNumber when !ok
  std::string message;  // the library-style message when !ok
};

// Multiplies *value by the unit named by 'suffix' ("" means 'scale') and
// checks the result against 'max'. Unknown suffixes and overflow fail with
// libvirt's texts ("unknown suffix 'Q'", "value too large: 16E").
ScaleResult ApplyScale(unsigned long long* value, std::string_view suffix,
                       unsigned long long scale, unsigned long long max);

// Splits "123KiB" into the leading non-negative number and its suffix;
// false if there is no number or it is out of range.
bool ParseScaledPrefix(const std::string& s, unsigned long long* number,
                       std::string_view* suffix);

}  // namespace virt::virsh

#endif  // VIRTKIT_TOOLS_VIRSH_NUMBERS_H
