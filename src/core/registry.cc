#include "core/registry.h"

#include <cstdlib>
#include <mutex>

namespace virt {
namespace {

std::mutex g_mu;
std::vector<std::unique_ptr<Driver>>& Drivers() {
  static auto* drivers = new std::vector<std::unique_ptr<Driver>>;  // never freed
  return *drivers;
}

std::string JoinSchemes() {
  std::string out;
  for (const std::string& s : RegisteredSchemes()) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// NULL or "" → $LIBVIRT_DEFAULT_URI → the first driver with a default.
Result<std::string> ResolveName(const char* name) {
  if (name && *name) return std::string(name);
  if (const char* env = std::getenv("LIBVIRT_DEFAULT_URI"); env && *env) return std::string(env);
  std::lock_guard<std::mutex> lock(g_mu);
  for (const auto& d : Drivers())
    if (std::string uri = d->DefaultURI(); !uri.empty()) return uri;
  return Status(VIR_ERR_NO_CONNECT, VIR_FROM_NONE,
                "the default URI: no hypervisor is available on this host; pass a URI "
                "such as 'test:///default' or set LIBVIRT_DEFAULT_URI");
}

}  // namespace

void RegisterDriver(std::unique_ptr<Driver> driver) {
  std::lock_guard<std::mutex> lock(g_mu);
  Drivers().push_back(std::move(driver));
}

std::vector<std::string> RegisteredSchemes() {
  std::vector<std::string> out;
  for (const auto& d : Drivers())
    for (std::string& s : d->Schemes()) out.push_back(std::move(s));
  return out;
}

Result<std::unique_ptr<DriverConnection>> OpenConnection(const char* name,
                                                         const OpenOptions& options) {
  Result<std::string> text = ResolveName(name);
  if (!text.ok()) return text.status();
  Result<URI> uri = URI::Parse(*text);
  if (!uri.ok()) return uri.status();
  if (uri->scheme().empty())
    return Status(VIR_ERR_NO_CONNECT, VIR_FROM_NONE,
                  "'" + *text + "': the URI has no scheme (known schemes: " + JoinSchemes() + ")");
  for (const auto& d : Drivers()) {
    auto opened = d->Open(*uri, options);
    if (opened.has_value()) return std::move(*opened);
  }
  return Status(VIR_ERR_NO_CONNECT, VIR_FROM_NONE,
                "'" + *text + "': no driver serves scheme '" + uri->scheme() +
                    "' (known schemes: " + JoinSchemes() + ")");
}

}  // namespace virt
