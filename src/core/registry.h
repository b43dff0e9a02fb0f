// The driver registry: which driver serves a connection URI.
//
// Each driver registers once (at library start, see registry.cc) with the
// URI schemes it owns. virConnectOpen resolves the URI (NULL or "" means
// $LIBVIRT_DEFAULT_URI, then the best available driver), then asks the
// drivers in registration order; the first that does not decline serves it.
// Thread safety: registration happens before any Open; Open is thread-safe.
#ifndef VIRTKIT_CORE_REGISTRY_H
#define VIRTKIT_CORE_REGISTRY_H

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <libvirt/libvirt.h>

#include "core/driver.h"
#include "core/uri.h"

namespace virt {

struct OpenOptions {
  bool read_only = false;
  virConnectAuthPtr auth = nullptr;  // may be NULL
  unsigned flags = 0;                // virConnectFlags
};

class Driver {
 public:
  virtual ~Driver() = default;
  // Short name for messages ("test").
  virtual std::string Name() const = 0;
  // The URI schemes this driver serves ("test").
  virtual std::vector<std::string> Schemes() const = 0;
  // nullopt: the URI is not this driver's (let the next one try).
  // Otherwise the connection, or why opening it failed.
  virtual std::optional<Result<std::unique_ptr<DriverConnection>>> Open(
      const URI& uri, const OpenOptions& options) = 0;
  // The URI this driver would serve when the application passes none, or ""
  // when it has nothing to offer on this host (the test driver never does).
  virtual std::string DefaultURI() const { return ""; }
};

// Adds a driver; the registry owns it. Drivers are asked in the order added.
void RegisterDriver(std::unique_ptr<Driver> driver);

// The schemes of every registered driver, in registration order.
std::vector<std::string> RegisteredSchemes();

// Opens 'name' (may be NULL) with the registered drivers. Fails with
// VIR_ERR_NO_CONNECT naming the URI and the schemes that exist when no
// driver takes it.
Result<std::unique_ptr<DriverConnection>> OpenConnection(const char* name,
                                                         const OpenOptions& options);

}  // namespace virt

#endif  // VIRTKIT_CORE_REGISTRY_H
