#include "api/init.h"

#include <mutex>

#include "drivers/remote/remote_driver.h"
#include "drivers/test/test_driver.h"

namespace virt::api {

void EnsureInitialized() {
  static std::once_flag once;
  // Order matters: drivers are asked in registration order, and the remote
  // driver (which accepts almost any URI) must come last.
  std::call_once(once, [] {
    RegisterTestDriver();
    RegisterRemoteDriver();
  });
}

}  // namespace virt::api
