// Save images of the test driver: what virDomainSave writes and
// virDomainRestore reads back.
//
// The layout is libvirt's test driver's, so images move between the two:
//
//   "TestGuestMagic\0"   15 bytes
//   length               32-bit little-endian byte count of the XML
//   XML                  the domain definition, 'length' bytes
//
// Reading checks every part and reports what is wrong and where; it never
// returns a partial image. Thread safety: pure functions over files.
#ifndef VIRTKIT_DRIVERS_TEST_SAVE_IMAGE_H
#define VIRTKIT_DRIVERS_TEST_SAVE_IMAGE_H

#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"

namespace virt::testdrv {

inline constexpr char kSaveMagic[] = "TestGuestMagic";  // written with its NUL
inline constexpr size_t kSaveMagicSize = sizeof(kSaveMagic);
// Bigger XML is refused on reading: a length past it means a corrupt header.
inline constexpr size_t kMaxSaveXMLSize = 16 * 1024 * 1024;

// Writes an image holding 'xml' at 'path' (created or truncated, mode 0600).
// 'domain_name' names the domain in errors. On failure the file is removed.
Status WriteSaveImage(const std::string& path, const std::string& domain_name,
                      std::string_view xml);

// The XML held by the image at 'path'. Errors: VIR_ERR_SYSTEM_ERROR when the
// file cannot be read or is shorter than its header says,
// VIR_ERR_INTERNAL_ERROR for a wrong magic or an impossible length.
Result<std::string> ReadSaveImage(const std::string& path);

// Writes the test driver's core dump of 'domain_name' to 'path': the same
// magic, as libvirt's test driver does.
Status WriteCoreDump(const std::string& path, const std::string& domain_name);

}  // namespace virt::testdrv

#endif  // VIRTKIT_DRIVERS_TEST_SAVE_IMAGE_H
