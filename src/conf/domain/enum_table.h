// EnumTable: the one way the domain model maps its enums to XML strings.
//
// Each module declares its enum and a constexpr array of {value, "name"}
// pairs, then wraps it in an EnumTable; parsing and formatting both read the
// same table, so a value can never be accepted under one spelling and written
// under another.
//
//   enum class DiskDevice { kDisk, kCdrom };
//   inline constexpr EnumEntry<DiskDevice> kDiskDeviceNames[] = {
//       {DiskDevice::kDisk, "disk"}, {DiskDevice::kCdrom, "cdrom"}};
//   inline constexpr EnumTable<DiskDevice> kDiskDevices(kDiskDeviceNames);
//   std::optional<DiskDevice> d = kDiskDevices.FromString("cdrom");
#ifndef VIRTKIT_CONF_DOMAIN_ENUM_TABLE_H
#define VIRTKIT_CONF_DOMAIN_ENUM_TABLE_H

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

namespace virt {

template <typename E>
struct EnumEntry {
  E value;
  const char* name;
};

template <typename E>
class EnumTable {
 public:
  template <size_t N>
  constexpr explicit EnumTable(const EnumEntry<E> (&entries)[N]) : entries_(entries, N) {}

  // The value spelled 'name' (exact, case-sensitive as libvirt's), or nullopt.
  constexpr std::optional<E> FromString(std::string_view name) const {
    for (const EnumEntry<E>& e : entries_) {
      if (name == e.name) return e.value;
    }
    return std::nullopt;
  }

  // The spelling of 'value'; "" for a value missing from the table.
  constexpr const char* ToString(E value) const {
    for (const EnumEntry<E>& e : entries_) {
      if (e.value == value) return e.name;
    }
    return "";
  }

 private:
  std::span<const EnumEntry<E>> entries_;
};

}  // namespace virt

#endif  // VIRTKIT_CONF_DOMAIN_ENUM_TABLE_H
