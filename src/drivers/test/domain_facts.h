// DomainFacts: what the test driver reads from a domain's XML beyond the
// core DomainDef contract (conf/domain/domain.h): the lifecycle actions that
// decide what shutdown and reboot do, the disks and interfaces that block and
// interface statistics look up, and the current vCPU count.
//
// The facts are taken from the same XML text the DomainDef was parsed from,
// so they never disagree with it; the driver keeps them beside the def.
// Thread safety: plain values and a pure function.
#ifndef VIRTKIT_DRIVERS_TEST_DOMAIN_FACTS_H
#define VIRTKIT_DRIVERS_TEST_DOMAIN_FACTS_H

#include <string>
#include <string_view>
#include <vector>

namespace virt::testdrv {

// <on_poweroff>/<on_reboot> values; libvirt's defaults when absent.
enum class LifecycleAction { kDestroy, kRestart, kPreserve, kRenameRestart };

struct DiskFacts {
  std::string target;  // <target dev='vda'>
  std::string source;  // <source file|dev|dir|name=...>, may be empty
};

struct InterfaceFacts {
  std::string mac;     // lower-case "aa:bb:cc:dd:ee:ff", may be empty
  std::string ifname;  // <target dev=...>, or the "testnetN" name we gave it
};

struct DomainFacts {
  LifecycleAction on_poweroff = LifecycleAction::kDestroy;
  LifecycleAction on_reboot = LifecycleAction::kRestart;
  std::vector<DiskFacts> disks;
  std::vector<InterfaceFacts> interfaces;
  // <vcpu current='N'>; 0 when absent (all of <vcpu> are online).
  unsigned current_vcpus = 0;

  // The disk whose target or source is 'path', or nullptr.
  const DiskFacts* FindDisk(std::string_view path) const;
  // The interface named 'device' (its MAC when 'device' parses as one,
  // else its ifname), or nullptr.
  const InterfaceFacts* FindInterface(std::string_view device) const;
};

// Reads the facts from a <domain> document that ParseDomainXML accepted;
// anything it cannot read keeps its default. Interfaces without a target
// name get "testnet0", "testnet1", ... (the first free ones), as libvirt's
// test driver names them.
DomainFacts ReadDomainFacts(std::string_view xml);

}  // namespace virt::testdrv

#endif  // VIRTKIT_DRIVERS_TEST_DOMAIN_FACTS_H
