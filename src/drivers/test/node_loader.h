// Building a TestState: the built-in default host of test:///default, or a
// <node> document given as test:///ABSOLUTE/PATH.xml.
//
// A node document describes the host and what runs on it:
//
//   <node>
//     <cpu><mhz>6000</mhz><model>i986</model><nodes>4</nodes><sockets>4</sockets>
//          <cores>4</cores><threads>2</threads><active>50</active></cpu>
//     <memory>8192000</memory>                          (KiB)
//     <domain file='guest.xml'/>  or  <domain type='test'>...</domain>
//     <network file='net.xml'/>   or  <network>...</network>
//   </node>
//
// file= paths are relative to the node file's directory. Domains may carry
// libvirt's test namespace (xmlns:test='http://libvirt.org/schemas/domain/test/1.0'):
// <test:runstate>N</test:runstate> (a virDomainState; running when absent),
// <test:transient/>, <test:hasmanagedsave/> and <test:domainsnapshot>
// (counted, for the snapshot list filters). Domains start in document order
// and get ids 1, 2, ...; networks start active and persistent.
//
// Storage pools, host interfaces, node devices and <auth> are not modelled:
// they are skipped with a warning, as is any other unknown element. Errors
// name the node file, the included file and the cause.
// Thread safety: pure functions; the state returned is not yet shared.
#ifndef VIRTKIT_DRIVERS_TEST_NODE_LOADER_H
#define VIRTKIT_DRIVERS_TEST_NODE_LOADER_H

#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "drivers/test/state.h"

namespace virt::testdrv {

struct LoadedNode {
  std::unique_ptr<TestState> state;
  std::vector<std::string> warnings;  // what was skipped, one line each
};

// A fresh copy of the default host: domain 'test' (running, id 1), network
// 'default' (active), 16 i686 CPUs at 1400 MHz in 2 NUMA cells, 3 GiB.
Result<LoadedNode> LoadDefaultNode();

// Loads the node document at absolute 'path'. Fails with VIR_ERR_XML_ERROR
// when it cannot be read or is not a <node>, with the XML parser's error
// when malformed, and with the domain or network parser's error (prefixed
// by the file it came from) when a definition inside is bad.
Result<LoadedNode> LoadNodeFile(const std::string& path);

}  // namespace virt::testdrv

#endif  // VIRTKIT_DRIVERS_TEST_NODE_LOADER_H
