// NetworkDriverState: NetworkUpdate (static DHCP hosts, DNS hosts) and DHCP
// leases.
#include <cstdio>
#include <signal.h>

#include <algorithm>
#include <cctype>

#include <libvirt/libvirt.h>

#include "drivers/network/dnsmasq.h"
#include "drivers/network/network_state.h"

namespace virt::network {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string HostText(const NetworkDHCPHost& h) {
  std::string s = "<host";
  if (!h.mac.empty()) s += " mac='" + h.mac + "'";
  if (!h.id.empty()) s += " id='" + h.id + "'";
  if (!h.name.empty()) s += " name='" + h.name + "'";
  if (h.ip.IsSet()) s += " ip='" + h.ip.ToString() + "'";
  return s + "/>";
}

// The value of attribute 'name' of the one element in 'xml' ("" if none).
std::string Attr(const std::string& xml, const std::string& name) {
  for (size_t pos = 0; (pos = xml.find(name, pos)) != std::string::npos; pos += name.size()) {
    bool starts = pos > 0 && std::isspace(static_cast<unsigned char>(xml[pos - 1]));
    size_t eq = xml.find_first_not_of(" \t\r\n", pos + name.size());
    if (!starts || eq == std::string::npos || xml[eq] != '=') continue;
    size_t q = xml.find_first_not_of(" \t\r\n", eq + 1);
    if (q == std::string::npos || (xml[q] != '\'' && xml[q] != '"')) continue;
    size_t end = xml.find(xml[q], q + 1);
    if (end == std::string::npos) return "";
    return xml.substr(q + 1, end - q - 1);
  }
  return "";
}

const char* SectionName(unsigned section) {
  switch (section) {
    case VIR_NETWORK_SECTION_BRIDGE: return "bridge";
    case VIR_NETWORK_SECTION_DOMAIN: return "domain";
    case VIR_NETWORK_SECTION_IP: return "ip";
    case VIR_NETWORK_SECTION_IP_DHCP_HOST: return "ip dhcp host";
    case VIR_NETWORK_SECTION_IP_DHCP_RANGE: return "ip dhcp range";
    case VIR_NETWORK_SECTION_FORWARD: return "forward";
    case VIR_NETWORK_SECTION_FORWARD_INTERFACE: return "forward interface";
    case VIR_NETWORK_SECTION_FORWARD_PF: return "forward pf";
    case VIR_NETWORK_SECTION_PORTGROUP: return "portgroup";
    case VIR_NETWORK_SECTION_DNS_HOST: return "dns host";
    case VIR_NETWORK_SECTION_DNS_TXT: return "dns txt";
    case VIR_NETWORK_SECTION_DNS_SRV: return "dns srv";
    default: return nullptr;
  }
}

// Applies one ip-dhcp-host change to 'def'.
Status UpdateDHCPHost(NetworkDef& def, unsigned command, int parent_index,
                      const std::string& xml) {
  const std::string& net = def.name;
  // The <ip> the host belongs to: by index, or the first IPv4 one.
  NetworkIPDef* ip = nullptr;
  if (parent_index >= 0) {
    if (static_cast<size_t>(parent_index) < def.ips.size()) ip = &def.ips[parent_index];
  } else {
    for (auto& i : def.ips)
      if (i.address.IsIPv4()) {
        ip = &i;
        break;
      }
  }
  if (!ip)
    return OperationInvalid(VIR_FROM_NETWORK, "couldn't update dhcp host entry - no <ip "
                                              "family='ipv4'> element found in network '" + net + "'");
  size_t first = xml.find_first_not_of(" \t\r\n");
  if (first == std::string::npos || xml.compare(first, 5, "<host") != 0)
    return XMLError(VIR_FROM_NETWORK, "can't update 'ip dhcp host' section of network '" + net +
                                          "': expected a <host> element");
  // A delete names the host by any of its attributes (libvirt's partial
  // host): read them as they are.
  if (command == VIR_NETWORK_UPDATE_COMMAND_DELETE) {
    NetworkDHCPHost key;
    key.mac = Attr(xml, "mac");
    key.id = Attr(xml, "id");
    key.name = Attr(xml, "name");
    if (auto a = IPAddress::Parse(Attr(xml, "ip"))) key.ip = *a;
    if (key.mac.empty() && key.id.empty() && key.name.empty() && !key.ip.IsSet())
      return XMLError(VIR_FROM_NETWORK, "Static host definition in network '" + net +
                                            "' must have mac or name attribute");
    auto& hosts = ip->hosts;
    auto it = std::find_if(hosts.begin(), hosts.end(), [&](const NetworkDHCPHost& h) {
      return (key.mac.empty() || Lower(h.mac) == Lower(key.mac)) &&
             (key.name.empty() || h.name == key.name) && (!key.ip.IsSet() || h.ip == key.ip) &&
             (key.id.empty() || h.id == key.id);
    });
    if (it == hosts.end())
      return OperationInvalid(VIR_FROM_NETWORK,
                              "couldn't locate a matching dhcp host entry in network '" + net + "'");
    hosts.erase(it);
    return Status::OK();
  }
  // Parse the host in the context of its subnet, so the usual checks apply.
  std::string doc = "<network><name>" + net + "</name><ip address='" + ip->address.ToString() +
                    "' prefix='" + std::to_string(ip->EffectivePrefix()) + "'><dhcp>" + xml +
                    "</dhcp></ip></network>";
  NetworkParseOptions options;
  Result<std::unique_ptr<NetworkDef>> parsed = ParseNetworkXML(doc, options, nullptr);
  if (!parsed.ok()) return parsed.status();
  if ((*parsed)->ips.empty() || (*parsed)->ips[0].hosts.size() != 1)
    return XMLError(VIR_FROM_NETWORK, "can't update 'ip dhcp host' section of network '" + net +
                                          "': expected one <host> element");
  NetworkDHCPHost host = (*parsed)->ips[0].hosts[0];
  auto& hosts = ip->hosts;
  auto same_mac = [&](const NetworkDHCPHost& h) {
    return !host.mac.empty() && Lower(h.mac) == Lower(host.mac);
  };
  switch (command) {
    case VIR_NETWORK_UPDATE_COMMAND_MODIFY: {
      auto it = std::find_if(hosts.begin(), hosts.end(), [&](const NetworkDHCPHost& h) {
        return host.mac.empty() ? (!host.name.empty() && h.name == host.name) : same_mac(h);
      });
      if (it == hosts.end()) {
        std::string key = host.mac.empty() ? "name='" + host.name + "'" : "mac='" + host.mac + "'";
        return OperationInvalid(VIR_FROM_NETWORK, "couldn't locate an existing dhcp host entry "
                                                  "with \"" + key + "\" in network '" + net + "'");
      }
      *it = host;
      return Status::OK();
    }
    case VIR_NETWORK_UPDATE_COMMAND_ADD_FIRST:
    case VIR_NETWORK_UPDATE_COMMAND_ADD_LAST: {
      for (const auto& h : hosts) {
        if (same_mac(h) || (!host.name.empty() && h.name == host.name) ||
            (host.ip.IsSet() && h.ip == host.ip))
          return OperationInvalid(VIR_FROM_NETWORK, "there is an existing dhcp host entry in "
                                                    "network '" + net + "' that matches \"" +
                                                        HostText(h) + "\"");
      }
      if (command == VIR_NETWORK_UPDATE_COMMAND_ADD_FIRST)
        hosts.insert(hosts.begin(), host);
      else
        hosts.push_back(host);
      return Status::OK();
    }
    default:
      return InvalidArg(VIR_FROM_NETWORK, "unrecognized network update command code " +
                                              std::to_string(command));
  }
}

// Applies one dns-host change to 'def' (libvirt 9.0: add and delete only).
Status UpdateDNSHost(NetworkDef& def, unsigned command, const std::string& xml) {
  const std::string& net = def.name;
  if (command == VIR_NETWORK_UPDATE_COMMAND_MODIFY)
    return Status(VIR_ERR_OPERATION_UNSUPPORTED, VIR_FROM_NETWORK,
                  "DNS HOST records cannot be modified, only added or deleted");
  size_t first = xml.find_first_not_of(" \t\r\n");
  if (first == std::string::npos || xml.compare(first, 5, "<host") != 0)
    return XMLError(VIR_FROM_NETWORK, "can't update 'dns host' section of network '" + net +
                                          "': expected a <host> element");
  std::string doc = "<network><name>" + net + "</name><dns>" + xml + "</dns></network>";
  Result<std::unique_ptr<NetworkDef>> parsed = ParseNetworkXML(doc, {}, nullptr);
  if (!parsed.ok()) return parsed.status();
  if ((*parsed)->dns.hosts.size() != 1)
    return XMLError(VIR_FROM_NETWORK, "can't update 'dns host' section of network '" + net +
                                          "': expected one <host> element");
  const NetworkDNSDef::Host host = (*parsed)->dns.hosts[0];
  auto& hosts = def.dns.hosts;
  auto matches = [&](const NetworkDNSDef::Host& h) {
    if (h.ip == host.ip) return true;
    for (const auto& a : h.hostnames)
      for (const auto& b : host.hostnames)
        if (a == b) return true;
    return false;
  };
  if (command == VIR_NETWORK_UPDATE_COMMAND_DELETE) {
    auto it = std::find_if(hosts.begin(), hosts.end(), matches);
    if (it == hosts.end())
      return OperationInvalid(VIR_FROM_NETWORK,
                              "couldn't locate a matching DNS HOST record in network " + net);
    hosts.erase(it);
    return Status::OK();
  }
  if (command != VIR_NETWORK_UPDATE_COMMAND_ADD_FIRST &&
      command != VIR_NETWORK_UPDATE_COMMAND_ADD_LAST)
    return InvalidArg(VIR_FROM_NETWORK,
                      "unrecognized network update command code " + std::to_string(command));
  if (std::any_of(hosts.begin(), hosts.end(), matches))
    return OperationInvalid(VIR_FROM_NETWORK, "there is already at least one DNS HOST record "
                                              "with a matching field in network " + net);
  if (command == VIR_NETWORK_UPDATE_COMMAND_ADD_FIRST)
    hosts.insert(hosts.begin(), host);
  else
    hosts.push_back(host);
  return Status::OK();
}

}  // namespace

Status NetworkDriverState::Update(const NetworkRef& ref, unsigned command, unsigned section,
                                  int parent_index, const std::string& xml, unsigned flags) {
  constexpr unsigned kAllowed = VIR_NETWORK_UPDATE_AFFECT_LIVE | VIR_NETWORK_UPDATE_AFFECT_CONFIG;
  if (flags & ~kAllowed) {
    char buf[32];
    snprintf(buf, sizeof buf, "0x%x", flags & ~kAllowed);
    return InvalidArg(VIR_FROM_NETWORK,
                      std::string("unsupported flags (") + buf + ") in function networkUpdate");
  }
  std::lock_guard lock(mu_);
  VIRT_TRY(n, Find(ref));
  const char* name = SectionName(section);
  if (!name)
    return InvalidArg(VIR_FROM_NETWORK, "can't update unrecognized section of network");
  if (section != VIR_NETWORK_SECTION_IP_DHCP_HOST && section != VIR_NETWORK_SECTION_DNS_HOST)
    return Status(VIR_ERR_NO_SUPPORT, VIR_FROM_NETWORK,
                  std::string("can't update '") + name + "' section of network '" +
                      n->def->name + "': virtkit updates only 'ip dhcp host' and 'dns host'");
  auto apply = [&](NetworkDef& d) {
    return section == VIR_NETWORK_SECTION_DNS_HOST ? UpdateDNSHost(d, command, xml)
                                                   : UpdateDHCPHost(d, command, parent_index, xml);
  };
  bool live = flags & VIR_NETWORK_UPDATE_AFFECT_LIVE;
  bool config = flags & VIR_NETWORK_UPDATE_AFFECT_CONFIG;
  if (!live && !config) (n->active ? live : config) = true;
  if (live && !n->active) return OperationInvalid(VIR_FROM_NETWORK, "network is not running");
  if (config && !n->persistent)
    return OperationInvalid(VIR_FROM_NETWORK, "cannot change persistent config of a transient network");

  // Work on copies; commit both only when both changes succeed.
  std::unique_ptr<NetworkDef> new_live, new_config;
  if (live) {
    new_live = std::make_unique<NetworkDef>(*n->def);
    VIRT_RETURN_IF_ERROR(apply(*new_live));
  }
  if (config) {
    new_config = std::make_unique<NetworkDef>(n->PersistentDef());
    VIRT_RETURN_IF_ERROR(apply(*new_config));
    VIRT_RETURN_IF_ERROR(SaveConfig(*new_config));
  }
  if (new_config) {
    if (n->active) {
      n->new_def = std::move(new_config);
    } else {
      n->def = std::move(new_config);
    }
  }
  if (new_live) {
    if (n->persistent && !n->new_def) n->new_def = std::make_unique<NetworkDef>(*n->def);
    n->def = std::move(new_live);
    DnsmasqFiles files =
        DnsmasqFiles::For(config_.DnsmasqDir(), config_.NetworkRunDir(), n->def->name);
    VIRT_RETURN_IF_ERROR(WriteDnsmasqHostFiles(*n->def, files));
    // dnsmasq re-reads dhcp-hostsfile and addn-hosts on SIGHUP.
    if (n->dnsmasq_pid > 0) kill(n->dnsmasq_pid, SIGHUP);
    VIRT_RETURN_IF_ERROR(WriteStatus(*n));
  }
  return Status::OK();
}

Result<std::vector<DHCPLease>> NetworkDriverState::Leases(const NetworkRef& ref,
                                                          const std::string& mac, unsigned flags) {
  if (flags != 0) {
    char buf[32];
    snprintf(buf, sizeof buf, "0x%x", flags);
    return InvalidArg(VIR_FROM_NETWORK,
                      std::string("unsupported flags (") + buf + ") in function networkGetDHCPLeases");
  }
  std::lock_guard lock(mu_);
  VIRT_TRY(n, Find(ref));
  if (!n->active) return std::vector<DHCPLease>{};
  DnsmasqFiles files = DnsmasqFiles::For(config_.DnsmasqDir(), config_.NetworkRunDir(), n->def->name);
  std::vector<DHCPLease> leases = ReadDnsmasqLeases(files.leases, n->def->bridge_name, *n->def);
  if (!mac.empty())
    std::erase_if(leases, [&](const DHCPLease& l) { return Lower(l.mac) != Lower(mac); });
  return leases;
}

}  // namespace virt::network
