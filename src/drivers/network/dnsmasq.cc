#include "drivers/network/dnsmasq.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <libvirt/libvirt.h>

#include "drivers/qemu/runtime/process.h"

namespace virt::network {
namespace {

std::string NetmaskText(const NetworkIPDef& ip) {
  return IPAddress::Netmask(IPAddress::Family::kIPv4, static_cast<unsigned>(ip.EffectivePrefix()))
      .ToString();
}

uint64_t LeaseSeconds(const NetworkDHCPLease& l) {
  if (l.unit == "seconds") return l.expiry;
  if (l.unit == "hours") return l.expiry * 3600;
  return l.expiry * 60;
}

std::string LeaseText(const std::optional<NetworkDHCPLease>& l) {
  if (!l) return "";
  if (l->expiry == 0) return ",infinite";
  return "," + std::to_string(LeaseSeconds(*l));
}

// The number of addresses in [start, end] (IPv4), for dhcp-lease-max.
uint64_t RangeSize(const IPAddress& start, const IPAddress& end) {
  auto v = [](const IPAddress& a) {
    const auto& b = a.bytes();
    return (uint64_t{b[0]} << 24) | (uint64_t{b[1]} << 16) | (uint64_t{b[2]} << 8) | b[3];
  };
  return v(end) >= v(start) ? v(end) - v(start) + 1 : 0;
}

}  // namespace

DnsmasqFiles DnsmasqFiles::For(const std::string& state_dir, const std::string& run_dir,
                               const std::string& network) {
  DnsmasqFiles f;
  f.conf = state_dir + "/" + network + ".conf";
  f.hostsfile = state_dir + "/" + network + ".hostsfile";
  f.addnhosts = state_dir + "/" + network + ".addnhosts";
  f.leases = state_dir + "/" + network + ".leases";
  f.pid = run_dir + "/" + network + ".pid";
  return f;
}

bool NeedsDnsmasq(const NetworkDef& def) {
  if (!def.ManagesBridge()) return false;
  if (def.dns.enable && !*def.dns.enable) {
    for (const auto& ip : def.ips)
      if (ip.HasDHCP()) return true;
    return false;
  }
  return !def.ips.empty();
}

std::string DnsmasqConfig(const NetworkDef& def, const DnsmasqFiles& files) {
  std::ostringstream o;
  o << "## dnsmasq configuration of network '" << def.name << "', written by virtkit's\n"
       "## libvirtd; it is rewritten on every start: change the network instead\n"
       "## (virsh net-edit " << def.name << ").\n";
  o << "strict-order\n";
  o << "pid-file=" << files.pid << "\n";
  o << "except-interface=lo\n";
  o << "bind-dynamic\n";
  o << "interface=" << def.bridge_name << "\n";
  bool dns_off = def.dns.enable && !*def.dns.enable;
  if (dns_off) o << "port=0\n";
  if (!def.domain_name.empty()) {
    if (def.domain_local_only.value_or(false))
      o << "local=/" << def.domain_name << "/\n";
    o << "domain=" << def.domain_name << "\n";
    o << "expand-hosts\n";
  }
  if (def.dns.forward_plain_names && !*def.dns.forward_plain_names) o << "domain-needed\n";
  for (const auto& fwd : def.dns.forwarders) {
    o << "server=";
    if (!fwd.domain.empty()) o << "/" << fwd.domain << "/";
    o << (fwd.addr ? fwd.addr->ToString() : std::string("#")) << "\n";
  }
  for (const auto& txt : def.dns.txts) o << "txt-record=" << txt.name << "," << txt.value << "\n";
  for (const auto& srv : def.dns.srvs) {
    o << "srv-host=_" << srv.service << "._" << srv.protocol;
    if (!srv.domain.empty()) o << "." << srv.domain;
    if (!srv.target.empty()) o << "," << srv.target;
    if (srv.port) o << "," << srv.port;
    if (srv.priority) o << "," << srv.priority;
    if (srv.weight) o << "," << srv.weight;
    o << "\n";
  }
  uint64_t lease_max = 0;
  bool ipv6_dhcp = false, ipv6 = false;
  for (const auto& ip : def.ips) {
    for (const auto& r : ip.ranges) {
      if (ip.address.IsIPv4()) {
        o << "dhcp-range=" << r.start.ToString() << "," << r.end.ToString() << ","
          << NetmaskText(ip) << LeaseText(r.lease) << "\n";
        lease_max += RangeSize(r.start, r.end);
      } else {
        o << "dhcp-range=" << r.start.ToString() << "," << r.end.ToString() << ","
          << ip.EffectivePrefix() << LeaseText(r.lease) << "\n";
        ipv6_dhcp = true;
      }
    }
    if (ip.address.IsIPv6()) {
      ipv6 = true;
      // Hosts without a range: static-only service on the subnet.
      if (ip.ranges.empty() && !ip.hosts.empty()) {
        o << "dhcp-range=" << ip.address.ToString() << ",static," << ip.EffectivePrefix()
          << "\n";
        ipv6_dhcp = true;
      }
    } else if (ip.ranges.empty() && !ip.hosts.empty()) {
      o << "dhcp-range=" << ip.address.ToString() << ",static," << NetmaskText(ip) << "\n";
    }
    lease_max += ip.address.IsIPv4() ? ip.hosts.size() : 0;
    if (!ip.bootp_file.empty()) {
      o << "dhcp-boot=" << ip.bootp_file;
      if (ip.bootp_server) o << ",," << ip.bootp_server->ToString();
      o << "\n";
    }
    if (!ip.tftp_root.empty()) o << "enable-tftp\ntftp-root=" << ip.tftp_root << "\n";
  }
  bool any_dhcp = false;
  for (const auto& ip : def.ips) any_dhcp |= ip.HasDHCP();
  if (any_dhcp) {
    o << "dhcp-no-override\n";
    o << "dhcp-authoritative\n";
    if (lease_max) o << "dhcp-lease-max=" << lease_max << "\n";
    o << "dhcp-hostsfile=" << files.hostsfile << "\n";
    o << "dhcp-leasefile=" << files.leases << "\n";
  }
  o << "addn-hosts=" << files.addnhosts << "\n";
  if (ipv6) {
    o << "enable-ra\n";
    if (!ipv6_dhcp) {
      for (const auto& ip : def.ips)
        if (ip.address.IsIPv6())
          o << "dhcp-range=" << ip.address.ToString() << ",ra-only\n";
    }
  }
  for (const auto& opt : def.dnsmasq_options) o << opt << "\n";
  return o.str();
}

std::string DnsmasqHostsFile(const NetworkDef& def) {
  std::ostringstream o;
  for (const auto& ip : def.ips) {
    for (const auto& h : ip.hosts) {
      std::vector<std::string> parts;
      if (ip.address.IsIPv6()) {
        if (!h.id.empty()) parts.push_back("id:" + h.id);
        if (!h.name.empty()) parts.push_back(h.name);
        if (h.ip.IsSet()) parts.push_back("[" + h.ip.ToString() + "]");
      } else {
        if (!h.mac.empty()) parts.push_back(h.mac);
        if (h.ip.IsSet()) parts.push_back(h.ip.ToString());
        if (!h.name.empty()) parts.push_back(h.name);
      }
      if (h.lease) parts.push_back(h.lease->expiry == 0 ? "infinite"
                                                         : std::to_string(LeaseSeconds(*h.lease)));
      for (size_t i = 0; i < parts.size(); ++i) o << (i ? "," : "") << parts[i];
      o << "\n";
    }
  }
  return o.str();
}

std::string DnsmasqAddnHosts(const NetworkDef& def) {
  std::ostringstream o;
  for (const auto& h : def.dns.hosts) {
    o << h.ip.ToString();
    for (const auto& n : h.hostnames) o << "\t" << n;
    o << "\n";
  }
  return o.str();
}

Status WriteFileAtomic(const std::string& path, const std::string& text, int domain) {
  std::string tmp = path + ".new";
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return SystemError(domain, errno, "cannot create file '" + tmp + "'");
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      close(fd);
      unlink(tmp.c_str());
      return SystemError(domain, err, "cannot write file '" + tmp + "'");
    }
    done += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0 || close(fd) != 0) {
    int err = errno;
    unlink(tmp.c_str());
    return SystemError(domain, err, "cannot write file '" + tmp + "'");
  }
  if (rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    unlink(tmp.c_str());
    return SystemError(domain, err, "cannot rename '" + tmp + "' to '" + path + "'");
  }
  std::string dir = std::filesystem::path(path).parent_path().string();
  int dfd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    fsync(dfd);
    close(dfd);
  }
  return Status::OK();
}

Status WriteDnsmasqHostFiles(const NetworkDef& def, const DnsmasqFiles& files) {
  VIRT_RETURN_IF_ERROR(WriteFileAtomic(files.hostsfile, DnsmasqHostsFile(def), VIR_FROM_NETWORK));
  return WriteFileAtomic(files.addnhosts, DnsmasqAddnHosts(def), VIR_FROM_NETWORK);
}

Status WriteDnsmasqFiles(const NetworkDef& def, const DnsmasqFiles& files) {
  VIRT_RETURN_IF_ERROR(WriteDnsmasqHostFiles(def, files));
  return WriteFileAtomic(files.conf, DnsmasqConfig(def, files), VIR_FROM_NETWORK);
}

void RemoveDnsmasqFiles(const DnsmasqFiles& files) {
  for (const auto* p : {&files.conf, &files.hostsfile, &files.addnhosts, &files.leases, &files.pid})
    unlink(p->c_str());
}

namespace {

std::optional<pid_t> ReadPidFile(const std::string& path) {
  std::ifstream in(path);
  long pid = 0;
  if (!(in >> pid) || pid <= 0) return std::nullopt;
  return static_cast<pid_t>(pid);
}

}  // namespace

Result<pid_t> StartDnsmasq(const std::string& binary, const DnsmasqFiles& files,
                           const std::string& network) {
  if (access(binary.c_str(), X_OK) != 0)
    return SystemError(VIR_FROM_NETWORK, errno, "Cannot check dnsmasq binary " + binary);
  unlink(files.pid.c_str());
  std::string conf_arg = "--conf-file=" + files.conf;
  // The lease file must exist for dnsmasq to write to it after dropping
  // root; it keeps the file open from start-up.
  int lf = open(files.leases.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (lf >= 0) close(lf);
  std::vector<const char*> argv = {binary.c_str(), conf_arg.c_str(), nullptr};
  int err_pipe[2];
  if (pipe2(err_pipe, O_CLOEXEC) != 0)
    return SystemError(VIR_FROM_NETWORK, errno, "cannot start dnsmasq for network '" + network + "'");
  // dnsmasq daemonizes (it setsid()s, so the orphaned daemon is reaped by
  // the process supervisor's sweep, not by us); the child here is the
  // launcher, in our own session, which we wait for ourselves.
  pid_t child = fork();
  if (child < 0) {
    int err = errno;
    close(err_pipe[0]);
    close(err_pipe[1]);
    return SystemError(VIR_FROM_NETWORK, err, "cannot start dnsmasq for network '" + network + "'");
  }
  if (child == 0) {
    dup2(err_pipe[1], 2);
    int devnull = open("/dev/null", O_RDWR);
    if (devnull >= 0) {
      dup2(devnull, 0);
      dup2(devnull, 1);
    }
    // Nothing of the daemon's (sockets, taps) may leak into dnsmasq.
    syscall(SYS_close_range, 3U, ~0U, 0);
    execv(argv[0], const_cast<char* const*>(argv.data()));
    _exit(127);
  }
  close(err_pipe[1]);
  std::string errors;
  char buf[512];
  for (;;) {
    ssize_t n = read(err_pipe[0], buf, sizeof buf);
    if (n > 0) {
      errors.append(buf, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    break;
  }
  close(err_pipe[0]);
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  while (!errors.empty() && errors.back() == '\n') errors.pop_back();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string how = WIFEXITED(status) ? "unexpected exit status " + std::to_string(WEXITSTATUS(status))
                                        : "killed by signal";
    return InternalError(VIR_FROM_NETWORK, "Child process (" + binary + " " + conf_arg + ") " + how +
                                               ": " + errors);
  }
  // dnsmasq writes its pid file before its launcher exits; allow a moment
  // for a loaded machine all the same.
  std::optional<pid_t> pid = ReadPidFile(files.pid);
  for (int i = 0; !pid && i < 100; ++i) {
    usleep(10000);
    pid = ReadPidFile(files.pid);
  }
  if (!pid)
    return InternalError(VIR_FROM_NETWORK,
                         "dnsmasq of network '" + network + "' wrote no pid file " + files.pid);
  return *pid;
}

std::optional<pid_t> RunningDnsmasq(const DnsmasqFiles& files) {
  std::optional<pid_t> pid = ReadPidFile(files.pid);
  if (!pid) return std::nullopt;
  std::vector<std::string> cmd = qemu::ProcessCommandLine(*pid);
  if (cmd.size() < 2 || cmd[0].find("dnsmasq") == std::string::npos) return std::nullopt;
  for (const auto& a : cmd)
    if (a == "--conf-file=" + files.conf) return pid;
  return std::nullopt;
}

std::vector<DHCPLease> ReadDnsmasqLeases(const std::string& path, const std::string& bridge,
                                         const NetworkDef& def) {
  std::vector<DHCPLease> out;
  std::ifstream in(path);
  std::string line;
  bool v6 = false;
  int64_t now = static_cast<int64_t>(time(nullptr));
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string expiry, a, b, host, client;
    f >> expiry >> a >> b >> host >> client;
    if (expiry == "duid") {
      v6 = true;
      continue;
    }
    if (b.empty()) continue;
    DHCPLease l;
    l.iface = bridge;
    l.expiry_time = std::strtoll(expiry.c_str(), nullptr, 10);
    if (l.expiry_time != 0 && l.expiry_time < now) continue;
    l.type = v6 ? VIR_IP_ADDR_TYPE_IPV6 : VIR_IP_ADDR_TYPE_IPV4;
    if (v6) {
      l.iaid = a;
    } else {
      l.mac = a;
    }
    l.ip = b;
    if (host != "*") l.hostname = host;
    if (client != "*" && !client.empty()) l.client_id = client;
    // The prefix of the network address the lease belongs to.
    if (auto addr = IPAddress::Parse(b)) {
      for (const auto& ip : def.ips) {
        int p = ip.EffectivePrefix();
        if (p >= 0 && ip.address.family() == addr->family() &&
            ip.address.SameNetwork(*addr, static_cast<unsigned>(p))) {
          l.prefix = static_cast<unsigned>(p);
          break;
        }
      }
    }
    out.push_back(std::move(l));
  }
  return out;
}

}  // namespace virt::network
