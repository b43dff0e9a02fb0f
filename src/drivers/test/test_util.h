// Helpers shared by the test driver's unit tests.
#ifndef VIRTKIT_DRIVERS_TEST_TEST_UTIL_H
#define VIRTKIT_DRIVERS_TEST_TEST_UTIL_H

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "core/uri.h"
#include "drivers/test/connection.h"
#include "drivers/test/test_driver.h"

namespace virt::testdrv {

inline const std::string kFixtures = std::string(VIRTKIT_FIXTURES) + "/testdriver";
inline const char kTestUUID[] = "6695eb01-f6a4-8304-79aa-97f2502e193f";

// What Driver::Open gives for 'uri': nullopt when declined.
inline std::optional<Result<std::unique_ptr<DriverConnection>>> OpenURI(const std::string& uri) {
  Result<URI> parsed = URI::Parse(uri);
  EXPECT_TRUE(parsed.ok()) << parsed.status().message();
  return NewTestDriver()->Open(*parsed, OpenOptions{});
}

// A connection to 'uri', which must open.
inline std::unique_ptr<TestConnection> Open(const std::string& uri = "test:///default") {
  auto opened = OpenURI(uri);
  if (!opened.has_value()) {
    ADD_FAILURE() << uri << " was declined";
    return nullptr;
  }
  if (!opened->ok()) {
    ADD_FAILURE() << uri << ": " << opened->status().message();
    return nullptr;
  }
  return std::unique_ptr<TestConnection>(static_cast<TestConnection*>(opened->value().release()));
}

// Checks a failure: its error number, error domain and a piece of its detail.
inline ::testing::AssertionResult HasError(const Status& s, int code, int domain,
                                           const std::string& detail_part) {
  if (s.ok()) return ::testing::AssertionFailure() << "succeeded, expected error " << code;
  if (s.code() != code || s.domain() != domain ||
      s.detail().find(detail_part) == std::string::npos) {
    return ::testing::AssertionFailure()
           << "got code " << s.code() << " domain " << s.domain() << " '" << s.detail()
           << "', expected code " << code << " domain " << domain << " containing '" << detail_part
           << "'";
  }
  return ::testing::AssertionSuccess();
}

// A minimal domain definition named 'name' (with 'uuid' when not empty).
inline std::string DomainXML(const std::string& name, const std::string& uuid = "",
                             const std::string& extra = "") {
  std::string xml = "<domain type='test'><name>" + name + "</name>";
  if (!uuid.empty()) xml += "<uuid>" + uuid + "</uuid>";
  xml +=
      "<memory>1048576</memory><currentMemory>524288</currentMemory><vcpu>2</vcpu>"
      "<os><type>hvm</type></os>" +
      extra + "</domain>";
  return xml;
}

inline std::string NetworkXML(const std::string& name, const std::string& uuid = "",
                              const std::string& extra = "") {
  std::string xml = "<network><name>" + name + "</name>";
  if (!uuid.empty()) xml += "<uuid>" + uuid + "</uuid>";
  return xml + extra + "</network>";
}

}  // namespace virt::testdrv

#endif  // VIRTKIT_DRIVERS_TEST_TEST_UTIL_H
