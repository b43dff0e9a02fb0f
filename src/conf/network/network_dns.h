// <dns>: the DNS service a network's dnsmasq offers its guests: upstream
// forwarders, TXT and SRV records, and static host names.
// Thread safety: plain values and pure functions.
#ifndef VIRTKIT_CONF_NETWORK_NETWORK_DNS_H
#define VIRTKIT_CONF_NETWORK_NETWORK_DNS_H

#include <optional>
#include <string>
#include <vector>

#include "conf/network/ip_address.h"
#include "conf/xml/xml.h"
#include "core/status.h"

namespace virt {

struct NetworkDNSDef {
  // <forwarder domain= addr=>: where to send queries (for 'domain' only,
  // when set); at least one of the two is present.
  struct Forwarder {
    std::string domain;
    std::optional<IPAddress> addr;
  };
  struct TXT {
    std::string name;
    std::string value;
  };
  // Numbers are 0 when not given (libvirt writes them only when non-zero).
  struct SRV {
    std::string service;
    std::string protocol;
    std::string domain;
    std::string target;
    unsigned port = 0;
    unsigned priority = 0;
    unsigned weight = 0;
  };
  struct Host {
    IPAddress ip;
    std::vector<std::string> hostnames;
  };

  std::optional<bool> enable;
  std::optional<bool> forward_plain_names;
  std::vector<Forwarder> forwarders;
  std::vector<TXT> txts;
  std::vector<SRV> srvs;
  std::vector<Host> hosts;

  // Nothing to write: libvirt then omits <dns> altogether.
  bool IsEmpty() const {
    return !enable && !forward_plain_names && forwarders.empty() && txts.empty() &&
           srvs.empty() && hosts.empty();
  }
};

Result<NetworkDNSDef> ParseNetworkDNS(const XMLNode& node, const std::string& network);
void FormatNetworkDNS(XMLWriter& w, const NetworkDNSDef& dns);

}  // namespace virt

#endif  // VIRTKIT_CONF_NETWORK_NETWORK_DNS_H
