// Host-wide calls of the test driver and the connection's shared helpers.
#include <unistd.h>

#include <cerrno>
#include <climits>

#include "conf/capabilities/test_defaults.h"
#include "core/warnings.h"
#include "drivers/test/connection.h"

namespace virt::testdrv {
namespace {

// libvirt's test driver reports hypervisor version 0.0.2 and allows 32 vCPUs.
constexpr unsigned long kHypervisorVersion = 2;
constexpr int kMaxVcpus = 32;

// The test host's firmware, as libvirt's test driver describes it.
constexpr const char kSysinfoXML[] =
    "<sysinfo type='smbios'>\n"
    "  <bios>\n"
    "    <entry name='vendor'>LENOVO</entry>\n"
    "    <entry name='version'>G4ETA1WW (2.61 )</entry>\n"
    "    <entry name='date'>05/07/2014</entry>\n"
    "    <entry name='release'>2.61</entry>\n"
    "  </bios>\n"
    "</sysinfo>\n";

}  // namespace

TestConnection::TestConnection(std::string uri, std::shared_ptr<TestState> state,
                               std::vector<std::string> warnings)
    : uri_(std::move(uri)), state_(std::move(state)), warnings_(std::move(warnings)) {
  state_->events.Add(this);
}

TestConnection::~TestConnection() { state_->events.Remove(this); }

std::vector<std::string> TestConnection::LastWarnings() const {
  std::lock_guard<std::mutex> lock(warnings_mu_);
  return warnings_;
}

void TestConnection::SetWarnings(std::vector<std::string> warnings) {
  std::lock_guard<std::mutex> lock(warnings_mu_);
  warnings_ = std::move(warnings);
}

Result<std::unique_ptr<DomainDef>> TestConnection::ParseDomain(const std::string& xml,
                                                               bool validate) {
  DomainParseOptions options;
  options.validate = validate;
  std::vector<std::string> warnings;
  Result<std::unique_ptr<DomainDef>> def = ParseDomainXML(xml, options, &warnings);
  for (const std::string& w : warnings) RaiseWarning(VIR_FROM_DOMAIN, w);
  SetWarnings(std::move(warnings));
  if (!def.ok()) return def.status();
  if ((*def)->name.find('\n') != std::string::npos) {
    return Status(VIR_ERR_XML_DETAIL, VIR_FROM_TEST,
                  "invalid char in name: a domain name cannot contain a newline");
  }
  (*def)->id = -1;
  ApplyTestDriverDefaults(def->get());
  return def;
}

Result<std::unique_ptr<NetworkDef>> TestConnection::ParseNetwork(const std::string& xml,
                                                                 bool validate) {
  NetworkParseOptions options;
  options.validate = validate;
  std::vector<std::string> warnings;
  Result<std::unique_ptr<NetworkDef>> def = ParseNetworkXML(xml, options, &warnings);
  for (const std::string& w : warnings) RaiseWarning(VIR_FROM_NETWORK, w);
  SetWarnings(std::move(warnings));
  return def;
}

std::string TestConnection::Type() const { return "TEST"; }

std::string TestConnection::URI() const { return uri_; }

Result<unsigned long> TestConnection::HypervisorVersion() { return kHypervisorVersion; }

Result<std::string> TestConnection::Hostname() {
  char name[HOST_NAME_MAX + 1] = {};
  if (gethostname(name, sizeof name - 1) != 0)
    return SystemError(VIR_FROM_TEST, errno, "cannot find the host name");
  return std::string(name);
}

Result<std::string> TestConnection::Sysinfo(unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, 0, "virConnectGetSysinfo"));
  return std::string(kSysinfoXML);
}

Result<int> TestConnection::MaxVcpus(const std::string& /*type*/) { return kMaxVcpus; }

Result<std::string> TestConnection::CapabilitiesXML() {
  bool default_host;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    default_host = state_->default_host;
  }
  // The default host has two NUMA cells; node files describe none.
  return FormatCapabilitiesXML(default_host ? TestDriverDefaultCapabilities()
                                            : TestDriverFileNodeCapabilities());
}

Result<NodeInfo> TestConnection::GetNodeInfo() {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->node;
}

Result<std::vector<uint64_t>> TestConnection::CellsFreeMemory(int start, int max) {
  std::lock_guard<std::mutex> lock(state_->mu);
  const int ncells = static_cast<int>(state_->cells.size());
  if (start < 0 || start >= ncells) {
    return InvalidArg(VIR_FROM_TEST, "Range exceeds available cells: start cell " +
                                         std::to_string(start) + ", the host has " +
                                         std::to_string(ncells) + " NUMA cell(s)");
  }
  std::vector<uint64_t> out;
  for (int cell = start; cell < ncells && static_cast<int>(out.size()) < max; ++cell) {
    // libvirt's test driver answers with each cell's size here, not its free
    // memory; applications see those numbers, so we keep them.
    out.push_back(state_->cells[cell].memory_kib);
  }
  return out;
}

Result<uint64_t> TestConnection::FreeMemory() {
  std::lock_guard<std::mutex> lock(state_->mu);
  uint64_t total = 0;
  for (const Cell& c : state_->cells) total += c.free_kib;
  return total;
}

}  // namespace virt::testdrv
