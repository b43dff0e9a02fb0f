#include "conf/capabilities/test_defaults.h"

#include <string>

namespace virt {
namespace {

// The test driver's fixed host: two cells of 8 CPUs, one socket each, with
// 2 GiB of 4 KiB pages in cell 0 and 4 GiB of 8 KiB pages in cell 1.
constexpr unsigned kCells = 2;
constexpr unsigned kCPUsPerCell = 8;
constexpr uint64_t kCellMemoryKiB[kCells] = {2097152, 4194304};
constexpr unsigned kCellPageKiB[kCells] = {4, 8};
constexpr unsigned kHugePageSizesKiB[] = {2048, 1048576};

Capabilities::Guest TestGuest(const char* os_type) {
  Capabilities::Guest guest;
  guest.os_type = os_type;
  guest.arch = "i686";
  guest.wordsize = 32;
  guest.emulator = "/usr/bin/test-hv";
  guest.domain_types = {"test"};
  guest.features = {"pae", "nonpae"};
  return guest;
}

}  // namespace

Capabilities TestDriverDefaultCapabilities() {
  Capabilities caps;
  Capabilities::Host& host = caps.host;
  host.arch = "i686";
  host.cpu_features = {"pae", "nonpae"};
  host.page_sizes_kib = {4, 8, 2048, 1048576};

  for (unsigned c = 0; c < kCells; ++c) {
    Capabilities::NUMACell cell;
    cell.id = c;
    cell.memory_kib = kCellMemoryKiB[c];
    // All memory sits in the cell's base pages; no huge pages are reserved.
    cell.pages.push_back({kCellPageKiB[c], kCellMemoryKiB[c] / kCellPageKiB[c]});
    for (unsigned size : kHugePageSizesKiB) cell.pages.push_back({size, 0});
    for (unsigned i = 0; i < kCPUsPerCell; ++i) {
      Capabilities::NUMACell::CPU cpu;
      cpu.id = c * kCPUsPerCell + i;
      cpu.socket_id = c;
      cpu.die_id = 0;
      cpu.core_id = i;
      cpu.siblings = std::to_string(cpu.id);
      cell.cpus.push_back(cpu);
    }
    host.cells.push_back(std::move(cell));
  }
  host.numa_topology = true;
  host.secmodels.push_back({"testSecurity", "", {}});

  caps.guests.push_back(TestGuest("hvm"));
  caps.guests.push_back(TestGuest("xen"));
  return caps;
}

Capabilities TestDriverFileNodeCapabilities() {
  Capabilities caps = TestDriverDefaultCapabilities();
  caps.host.cells.clear();
  return caps;
}

}  // namespace virt
