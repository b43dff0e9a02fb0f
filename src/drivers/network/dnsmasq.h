// dnsmasq for a virtual network: its configuration files, the process, and
// the leases it hands out.
//
// Each network with DHCP or DNS gets one dnsmasq bound to its bridge. Its
// files live in the daemon's state directory (<statedir>/NAME.conf,
// NAME.hostsfile, NAME.addnhosts, NAME.leases); its pid file in the run
// directory (<rundir>/NAME.pid). dnsmasq daemonizes as under libvirt, so it
// outlives a daemon restart and the next daemon adopts it by pid.
//
//   DnsmasqFiles files = DnsmasqFiles::For(state_dir, run_dir, "default");
//   VIRT_RETURN_IF_ERROR(WriteDnsmasqFiles(def, files));
//   Result<pid_t> pid = StartDnsmasq(binary, files, def.name);
//   std::vector<DHCPLease> leases = ReadDnsmasqLeases(files.leases, def.bridge_name);
//
// Thread safety: plain functions; callers serialise work on one network.
#ifndef VIRTKIT_DRIVERS_NETWORK_DNSMASQ_H
#define VIRTKIT_DRIVERS_NETWORK_DNSMASQ_H

#include <sys/types.h>

#include <string>
#include <vector>

#include "conf/network/network.h"
#include "core/driver.h"
#include "core/status.h"

namespace virt::network {

struct DnsmasqFiles {
  std::string conf;
  std::string hostsfile;
  std::string addnhosts;
  std::string leases;
  std::string pid;

  static DnsmasqFiles For(const std::string& state_dir, const std::string& run_dir,
                          const std::string& network);
};

// True when the network needs a dnsmasq: a bridge libvirt-style networks
// own (not forward mode bridge) with DHCP or an address to serve DNS on.
bool NeedsDnsmasq(const NetworkDef& def);

// The text of each file (exposed for tests).
std::string DnsmasqConfig(const NetworkDef& def, const DnsmasqFiles& files);
std::string DnsmasqHostsFile(const NetworkDef& def);
std::string DnsmasqAddnHosts(const NetworkDef& def);

// Writes conf, hostsfile and addnhosts (atomically each).
Status WriteDnsmasqFiles(const NetworkDef& def, const DnsmasqFiles& files);
// Rewrites the hosts files only (NetworkUpdate), for a SIGHUP to reload.
Status WriteDnsmasqHostFiles(const NetworkDef& def, const DnsmasqFiles& files);
void RemoveDnsmasqFiles(const DnsmasqFiles& files);

// Runs 'binary' on the config and waits for it to daemonize; returns the
// daemon's pid (from its pid file). A missing binary is libvirt's "Cannot
// check dnsmasq binary"; a dnsmasq that fails gives its own message.
Result<pid_t> StartDnsmasq(const std::string& binary, const DnsmasqFiles& files,
                           const std::string& network);
// The pid in the pid file when it is a dnsmasq running on 'files.conf'.
std::optional<pid_t> RunningDnsmasq(const DnsmasqFiles& files);

// dnsmasq's lease file as GetDHCPLeases reports it; 'bridge' is each
// lease's interface. Expired leases are left out.
std::vector<DHCPLease> ReadDnsmasqLeases(const std::string& path, const std::string& bridge,
                                         const NetworkDef& def);

// Atomic file replacement: temp file, fsync, rename, fsync of the directory.
Status WriteFileAtomic(const std::string& path, const std::string& text, int domain);

}  // namespace virt::network

#endif  // VIRTKIT_DRIVERS_NETWORK_DNSMASQ_H
