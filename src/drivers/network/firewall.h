// The firewall of virtual networks: nftables rules through libnftables, in
// tables of our own, so other users of nftables (firewalld, Docker, a
// host's own ruleset) are never touched and never touch ours.
//
// Layout (docs/networking.md draws it): one table per family,
// `table ip virtkit` and `table ip6 virtkit`, holding
//   chain forward      filter hook forward:  iifname vmap @fwd_in
//                                            oifname vmap @fwd_out
//   chain postrouting  nat hook postrouting: ip saddr vmap @nat_src
//   map fwd_in, fwd_out  bridge name -> jump to that network's chains
//   map nat_src          network subnet -> jump to its masquerade chain
// and per network three regular chains named after its bridge
// (<bridge>_in, <bridge>_out, <bridge>_nat). Adding a network fills its
// chains and adds its map elements in one transaction; removing it deletes
// exactly those, so networks come and go without renumbering or looking up
// rule handles. Applying a network twice is harmless (a restarted daemon
// re-applies the rules of the networks it adopts).
//
// Thread safety: each call builds its own libnftables context; the kernel
// serialises transactions.
#ifndef VIRTKIT_DRIVERS_NETWORK_FIREWALL_H
#define VIRTKIT_DRIVERS_NETWORK_FIREWALL_H

#include <string>
#include <vector>

#include "conf/network/network.h"
#include "core/status.h"

namespace virt::network {

// The nft commands that install the rules of 'def' on its bridge (exposed
// for tests); empty for modes that need none (open, bridge).
std::vector<std::string> FirewallAddCommands(const NetworkDef& def);
// The commands that remove them again, each to be run on its own (a missing
// piece must not stop the rest).
std::vector<std::string> FirewallRemoveCommands(const NetworkDef& def);

// Installs the rules; on failure nothing of this network's remains.
Status AddNetworkFirewall(const NetworkDef& def);
// Removes the rules (whatever of them exists).
void RemoveNetworkFirewall(const NetworkDef& def);

// Runs one nft script through libnftables; errors carry nft's own message.
Status RunNFT(const std::string& script);

}  // namespace virt::network

#endif  // VIRTKIT_DRIVERS_NETWORK_FIREWALL_H
