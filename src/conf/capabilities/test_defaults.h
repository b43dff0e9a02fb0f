// The capabilities libvirt 9.0's test driver reports: an i686 host with
// pae/nonpae and four page sizes, a "testSecurity" security model, and
// "test" domains for hvm and xen guests. test:///default adds a NUMA
// topology of two cells with eight CPUs each; nodes loaded from a file have
// none. The test driver hands these to virConnectGetCapabilities so clients
// see exactly what libvirt would show them.
// Thread safety: returns a fresh value on each call.
#ifndef VIRTKIT_CONF_CAPABILITIES_TEST_DEFAULTS_H
#define VIRTKIT_CONF_CAPABILITIES_TEST_DEFAULTS_H

#include "conf/capabilities/capabilities.h"

namespace virt {

// test:///default.
Capabilities TestDriverDefaultCapabilities();

// What the test driver reports for a node loaded from a file
// (test:///path/node.xml): the same host and guests, but an empty NUMA
// topology (libvirt writes <cells num='0'>, which its own schema rejects).
Capabilities TestDriverFileNodeCapabilities();

}  // namespace virt

#endif  // VIRTKIT_CONF_CAPABILITIES_TEST_DEFAULTS_H
