// Port settings shared by networks and their port groups (and, in the same
// XML form, by guest interfaces): <virtualport>, <bandwidth> and <vlan>.
//
// Each element has a value type, a parser that checks what libvirt 9.0
// checks (with its error codes) and a formatter writing libvirt's canonical
// form. Parsers take the owning object's description for messages
// ("network 'default'").
// Thread safety: plain values and pure functions.
#ifndef VIRTKIT_CONF_NETWORK_NETDEV_H
#define VIRTKIT_CONF_NETWORK_NETDEV_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "conf/xml/xml.h"
#include "core/status.h"

namespace virt {

// <virtualport type='802.1Qbg|802.1Qbh|openvswitch|midonet'>
//   <parameters managerid= typeid= typeidversion= instanceid= profileid=
//               interfaceid=/></virtualport>
// Empty strings are parameters that were not given.
struct NetVirtualPort {
  std::string type;
  std::string manager_id;
  std::string type_id;
  std::string type_id_version;
  std::string instance_id;
  std::string profile_id;
  std::string interface_id;
};

// <bandwidth><inbound average= peak= burst=/><outbound .../></bandwidth>,
// rates in kbytes/s and burst in kbytes. A zero field was not given.
struct NetBandwidth {
  struct Rate {
    uint64_t average = 0;
    uint64_t peak = 0;
    uint64_t burst = 0;
    uint64_t floor = 0;
  };
  std::optional<Rate> inbound;
  std::optional<Rate> outbound;
};

// <vlan trunk='yes'><tag id= nativeMode='tagged|untagged'/>...</vlan>
struct NetVLAN {
  struct Tag {
    unsigned id = 0;
    std::string native_mode;  // "" or "tagged" / "untagged"
  };
  bool trunk = false;
  std::vector<Tag> tags;
};

Result<NetVirtualPort> ParseNetVirtualPort(const XMLNode& node);
void FormatNetVirtualPort(XMLWriter& w, const NetVirtualPort& port);

// nullopt (and OK) when the element holds no rate at all, as libvirt drops
// it then. 'allow_floor' is false for networks: floor only applies to a
// guest interface plugged into one.
Result<std::optional<NetBandwidth>> ParseNetBandwidth(const XMLNode& node, bool allow_floor);
void FormatNetBandwidth(XMLWriter& w, const NetBandwidth& bandwidth);

Result<NetVLAN> ParseNetVLAN(const XMLNode& node);
void FormatNetVLAN(XMLWriter& w, const NetVLAN& vlan);

}  // namespace virt

#endif  // VIRTKIT_CONF_NETWORK_NETDEV_H
