// The test driver: an in-memory hypervisor for tests and demonstrations,
// serving the "test" URI scheme.
//
//   test:///default          a private copy of the built-in default host
//   test:///ABS/PATH.xml     the host described by a <node> file
//                            (node_loader.h)
//
// A test URI with a host part (test://host/...) or a transport
// (test+tcp://...) is declined: the remote driver serves it. Every
// connection owns its own state; nothing is shared between connections.
//
//   RegisterTestDriver();                       // once, at library start
//   auto conn = OpenConnection("test:///default", {});
#ifndef VIRTKIT_DRIVERS_TEST_TEST_DRIVER_H
#define VIRTKIT_DRIVERS_TEST_TEST_DRIVER_H

#include <memory>

#include "core/registry.h"

namespace virt {

// Adds the test driver to the registry (registry.h).
void RegisterTestDriver();

// A new, unregistered test driver (for tests that open connections
// without going through the registry).
std::unique_ptr<Driver> NewTestDriver();

}  // namespace virt

#endif  // VIRTKIT_DRIVERS_TEST_TEST_DRIVER_H
