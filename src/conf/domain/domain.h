// The domain XML model: DomainDef and its parse / format entry points.
//
// One module per element family lives beside this file (os, general
// (name/uuid/memory/vcpu), features, cpu, clock, lifecycle, disk, interface,
// graphics, chardev, input, controller, video, memballoon, address); this
// header gathers the model and the public entry points the drivers use.
// device.h adds single-device parsing and attach/detach helpers.
//
// Parsing accepts the 2007 forms of the seed and libvirt 9.0's; formatting
// writes libvirt 9.0's canonical form, valid against domain.rng.
// Thread safety: plain values; no shared state.
//
//   std::vector<std::string> warnings;
//   Result<std::unique_ptr<DomainDef>> def = ParseDomainXML(xml, {}, &warnings);
//   if (!def.ok()) return def.status();
//   std::string out = FormatDomainXML(**def, {.inactive = true});
#ifndef VIRTKIT_CONF_DOMAIN_DOMAIN_H
#define VIRTKIT_CONF_DOMAIN_DOMAIN_H

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "conf/domain/blkiotune.h"
#include "conf/domain/chardev.h"
#include "conf/domain/clock.h"
#include "conf/domain/controller.h"
#include "conf/domain/cpu.h"
#include "conf/domain/cputune.h"
#include "conf/domain/disk.h"
#include "conf/domain/features.h"
#include "conf/domain/format_options.h"
#include "conf/domain/graphics.h"
#include "conf/domain/input.h"
#include "conf/domain/interface.h"
#include "conf/domain/lifecycle.h"
#include "conf/domain/memballoon.h"
#include "conf/domain/os.h"
#include "conf/domain/panic.h"
#include "conf/domain/video.h"
#include "core/status.h"
#include "core/uuid.h"

namespace virt {

enum class VcpuPlacement { kStatic, kAuto };

// NOTE to implementers: the first members below are the contract the drivers
// rely on; the rest extend it.
struct DomainDef {
  std::string virt_type;  // <domain type='...'>: "test", "qemu", "kvm", "xen"
  int id = -1;            // live id, written only in live XML
  std::string name;
  UUID uuid;
  uint64_t max_memory_kib = 0;      // <memory>
  uint64_t current_memory_kib = 0;  // <currentMemory>; equals max when absent
  unsigned vcpus = 1;               // <vcpu>: the maximum
  // <os>: type ("hvm", "linux", "xen", "exe"), arch, machine, boot ...
  using OS = OSDef;
  OS os;

  std::string title;                      // one line
  std::string description;                // free text
  std::string metadata;                   // <metadata> children, kept verbatim (formatted XML)
  BlkioTuneDef blkiotune;
  bool hugepages = false;                 // <memoryBacking><hugepages/>
  std::optional<unsigned> current_vcpus;  // <vcpu current>; nullopt = all
  VcpuPlacement vcpu_placement = VcpuPlacement::kStatic;
  std::string cpuset;  // <vcpu cpuset='1-4,^3'>
  CPUTuneDef cputune;
  FeaturesDef features;
  std::optional<CPUDef> cpu;
  ClockDef clock;
  LifecycleDef lifecycle;

  // <devices>, each kind in libvirt's order.
  std::string emulator;
  std::vector<DiskDef> disks;
  std::vector<ControllerDef> controllers;
  std::vector<InterfaceDef> interfaces;
  std::vector<ChrDef> serials;
  std::vector<ChrDef> parallels;
  std::vector<ChrDef> consoles;
  std::vector<ChrDef> channels;
  std::vector<InputDef> inputs;
  std::vector<GraphicsDef> graphics;
  std::vector<VideoDef> videos;
  std::optional<MemballoonDef> memballoon;
  std::vector<PanicDef> panics;

  // The vCPUs the guest starts with.
  unsigned ActiveVcpus() const { return current_vcpus.value_or(vcpus); }
};

// Parses a <domain> document. Warnings (one per element or attribute not
// understood: "unsupported element 'foo' (/domain/devices/foo) at line 12
// ignored") are appended to 'warnings' when given; with options.validate
// they are instead an error, VIR_ERR_XML_INVALID_SCHEMA. Other errors, with
// libvirt 9.0's codes: kXMLParseErrorCode (VIR_ERR_XML_DETAIL) for a
// document that is not well-formed (line given), VIR_ERR_XML_ERROR for bad
// values, VIR_ERR_CONFIG_UNSUPPORTED for unknown types, VIR_ERR_NO_NAME,
// VIR_ERR_NO_SOURCE, VIR_ERR_NO_TARGET, VIR_ERR_INTERNAL_ERROR for a bad
// UUID (libvirt's choice).
Result<std::unique_ptr<DomainDef>> ParseDomainXML(std::string_view xml,
                                                  const DomainParseOptions& options,
                                                  std::vector<std::string>* warnings);

// Canonical XML of 'def', ending in a newline.
std::string FormatDomainXML(const DomainDef& def, const DomainFormatOptions& options);

// Fills what libvirt fills after parsing (see DomainParseOptions::
// fill_defaults) — idempotent, so drivers may call it again after changing
// a definition (attach-device does). 'generate_ids' adds a UUID and MACs
// where missing.
void ApplyDomainDefaults(DomainDef* def, bool generate_ids);

// Cross-device checks done after parsing: per-device <boot order> mixed
// with <os><boot>, duplicate disk targets. Errors as libvirt's.
Status ValidateDomainDef(const DomainDef& def);

}  // namespace virt

#endif  // VIRTKIT_CONF_DOMAIN_DOMAIN_H
