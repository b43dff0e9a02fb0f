#include "drivers/test/test_driver.h"

#include <memory>
#include <mutex>

#include "core/warnings.h"
#include "drivers/test/connection.h"
#include "drivers/test/node_loader.h"

namespace virt {
namespace {

// test:///default's state, shared by every connection open to it in this
// process, as libvirt 9.0's test driver shares its default connection: the
// first open builds it, and it goes with the last close, so the next open
// starts from the default host again.
Result<std::shared_ptr<testdrv::TestState>> SharedDefaultState() {
  static std::mutex mu;
  static std::weak_ptr<testdrv::TestState> current;
  std::lock_guard lock(mu);
  if (std::shared_ptr<testdrv::TestState> state = current.lock()) return state;
  Result<testdrv::LoadedNode> node = testdrv::LoadDefaultNode();
  if (!node.ok()) return node.status();
  std::shared_ptr<testdrv::TestState> state = std::move(node->state);
  current = state;
  return state;
}

class TestDriver : public Driver {
 public:
  std::string Name() const override { return "test"; }
  std::vector<std::string> Schemes() const override { return {"test"}; }

  std::optional<Result<std::unique_ptr<DriverConnection>>> Open(
      const virt::URI& uri, const OpenOptions& /*options*/) override {
    if (uri.driver() != "test" || !uri.transport().empty() || !uri.host().empty())
      return std::nullopt;
    return OpenPath(uri);
  }

 private:
  static Result<std::unique_ptr<DriverConnection>> OpenPath(const virt::URI& uri) {
    const std::string& path = uri.path();
    if (path.empty() || path == "/") {
      return InvalidArg(VIR_FROM_TEST, "testOpen: supply a path or use test:///default ('" +
                                           uri.ToString() + "' has none)");
    }
    if (path[0] != '/') {
      return XMLError(VIR_FROM_TEST, "failed to parse xml document '" + path +
                                         "': the test driver needs an absolute path to a node "
                                         "file, as in test:///abs/path/node.xml");
    }
    if (path == "/default") {
      Result<std::shared_ptr<testdrv::TestState>> state = SharedDefaultState();
      if (!state.ok()) return state.status();
      return std::unique_ptr<DriverConnection>(std::make_unique<testdrv::TestConnection>(
          uri.ToString(), std::move(state).value(), std::vector<std::string>{}));
    }
    Result<testdrv::LoadedNode> node = testdrv::LoadNodeFile(path);
    if (!node.ok()) return node.status();
    // What the node file held that we skip reaches the application through
    // the shim's warning callbacks.
    for (const std::string& w : node->warnings) RaiseWarning(VIR_FROM_TEST, w);
    return std::unique_ptr<DriverConnection>(std::make_unique<testdrv::TestConnection>(
        uri.ToString(), std::move(node->state), std::move(node->warnings)));
  }
};

}  // namespace

std::unique_ptr<Driver> NewTestDriver() { return std::make_unique<TestDriver>(); }

void RegisterTestDriver() { RegisterDriver(NewTestDriver()); }

}  // namespace virt
