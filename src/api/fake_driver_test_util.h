// A minimal driver for the shim's unit tests, served at "fake:///": one
// domain "d1" that can be started and stopped, nothing else (everything else
// answers VIR_ERR_NO_SUPPORT through the interface defaults). The shim's
// behaviour with the real test driver is covered by tests/c_program and the
// test driver's own tests.
#ifndef VIRTKIT_API_FAKE_DRIVER_TEST_UTIL_H
#define VIRTKIT_API_FAKE_DRIVER_TEST_UTIL_H

#include <mutex>

#include "core/registry.h"
#include "core/warnings.h"

namespace virt::api::testing {

class FakeConnection : public DriverConnection {
 public:
  std::string Type() const override { return "FAKE"; }
  std::string URI() const override { return "fake:///"; }

  Result<DomainRef> LookupDomainByName(const std::string& name) override {
    if (name != "d1")
      return Status(VIR_ERR_NO_DOMAIN, VIR_FROM_TEST,
                    "no domain with matching name '" + name + "'");
    return Ref();
  }
  // Accepts any XML as "d1" and warns about it, as a parser skipping an
  // unknown element does.
  Result<DomainRef> DefineDomainXML(const std::string& xml, unsigned) override {
    RaiseWarning(VIR_FROM_DOMAIN, "unknown element 'bogus' at line 1 ignored");
    return Ref();
  }
  Status StartDomain(DomainRef& dom, unsigned) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (running_) return OperationInvalid(VIR_FROM_TEST, "domain 'd1' is already running");
    running_ = true;
    dom.id = 7;
    return Status::OK();
  }
  Status DestroyDomain(DomainRef& dom, unsigned) override {
    std::lock_guard<std::mutex> lock(mu_);
    running_ = false;
    dom.id = -1;
    return Status::OK();
  }

 private:
  DomainRef Ref() {
    std::lock_guard<std::mutex> lock(mu_);
    return DomainRef{"d1", *UUID::Parse("11111111-2222-3333-4444-555555555555"),
                     running_ ? 7 : -1};
  }
  std::mutex mu_;
  bool running_ = false;  // guarded by mu_
};

class FakeDriver : public Driver {
 public:
  std::string Name() const override { return "fake"; }
  std::vector<std::string> Schemes() const override { return {"fake"}; }
  std::optional<Result<std::unique_ptr<DriverConnection>>> Open(const URI& uri,
                                                                const OpenOptions&) override {
    if (uri.scheme() != "fake") return std::nullopt;
    return Result<std::unique_ptr<DriverConnection>>(std::make_unique<FakeConnection>());
  }
};

// Registers the fake driver once per test binary.
inline void RegisterFakeDriver() {
  static std::once_flag once;
  std::call_once(once, [] { RegisterDriver(std::make_unique<FakeDriver>()); });
}

}  // namespace virt::api::testing

#endif  // VIRTKIT_API_FAKE_DRIVER_TEST_UTIL_H
