#include "core/error_text.h"

#include <cstring>
#include <iterator>

#include <libvirt/virterror.h>

namespace virt {
namespace {

// For each code: the text when there is no detail, and the pattern with one
// "%s" where the detail goes.
struct CodeText {
  int code;
  const char* bare;
  const char* with_detail;
};

constexpr CodeText kCodeTexts[] = {
    {VIR_ERR_INTERNAL_ERROR, "internal error", "internal error: %s"},
    {VIR_ERR_NO_MEMORY, "out of memory", "out of memory: %s"},
    {VIR_ERR_NO_SUPPORT, "this function is not supported by the connection driver",
     "this function is not supported by the connection driver: %s"},
    {VIR_ERR_UNKNOWN_HOST, "unknown host", "unknown host %s"},
    {VIR_ERR_NO_CONNECT, "no connection driver available",
     "no connection driver available for %s"},
    {VIR_ERR_INVALID_CONN, "invalid connection pointer in",
     "invalid connection pointer in %s"},
    {VIR_ERR_INVALID_DOMAIN, "invalid domain pointer in", "invalid domain pointer in %s"},
    {VIR_ERR_INVALID_ARG, "invalid argument", "invalid argument: %s"},
    {VIR_ERR_OPERATION_FAILED, "operation failed", "operation failed: %s"},
    {VIR_ERR_OS_TYPE, "unknown OS type", "unknown OS type %s"},
    {VIR_ERR_NO_KERNEL, "missing kernel information", "missing kernel information: %s"},
    {VIR_ERR_NO_SOURCE, "missing source information for device",
     "missing source information for device %s"},
    {VIR_ERR_NO_TARGET, "missing target information for device",
     "missing target information for device %s"},
    {VIR_ERR_NO_NAME, "missing name information", "missing name information in %s"},
    {VIR_ERR_NO_OS, "missing operating system information",
     "missing operating system information for %s"},
    {VIR_ERR_NO_DEVICE, "missing devices information", "missing devices information for %s"},
    {VIR_ERR_XML_ERROR, "XML description is invalid or not well formed", "XML error: %s"},
    {VIR_ERR_DOM_EXIST, "this domain exists already", "domain %s exists already"},
    {VIR_ERR_OPERATION_DENIED, "operation forbidden for read only access",
     "operation forbidden: %s"},
    {VIR_ERR_OPEN_FAILED, "failed to open configuration file",
     "failed to open configuration file %s"},
    {VIR_ERR_READ_FAILED, "failed to read configuration file",
     "failed to read configuration file %s"},
    {VIR_ERR_PARSE_FAILED, "failed to parse configuration file",
     "failed to parse configuration file %s"},
    {VIR_ERR_CONF_SYNTAX, "configuration file syntax error",
     "configuration file syntax error: %s"},
    {VIR_ERR_WRITE_FAILED, "failed to write configuration file",
     "failed to write configuration file: %s"},
    {VIR_ERR_XML_DETAIL, "parser error", "%s"},
    {VIR_ERR_INVALID_NETWORK, "invalid network pointer in", "invalid network pointer in %s"},
    {VIR_ERR_NETWORK_EXIST, "this network exists already", "network %s exists already"},
    {VIR_ERR_SYSTEM_ERROR, "system call error", "%s"},
    {VIR_ERR_RPC, "RPC error", "%s"},
    {VIR_ERR_GNUTLS_ERROR, "GNUTLS call error", "%s"},
    {VIR_WAR_NO_NETWORK, "Failed to find the network", "Failed to find the network: %s"},
    {VIR_ERR_NO_DOMAIN, "Domain not found", "Domain not found: %s"},
    {VIR_ERR_NO_NETWORK, "Network not found", "Network not found: %s"},
    {VIR_ERR_INVALID_MAC, "invalid MAC address", "invalid MAC address: %s"},
    {VIR_ERR_AUTH_FAILED, "authentication failed", "authentication failed: %s"},
    {VIR_ERR_OPERATION_INVALID, "Requested operation is not valid",
     "Requested operation is not valid: %s"},
    {VIR_ERR_CONFIG_UNSUPPORTED, "unsupported configuration", "unsupported configuration: %s"},
    {VIR_ERR_OPERATION_TIMEOUT, "Timed out during operation",
     "Timed out during operation: %s"},
    {VIR_ERR_ARGUMENT_UNSUPPORTED, "argument unsupported", "argument unsupported: %s"},
    {VIR_ERR_OPERATION_ABORTED, "operation aborted", "operation aborted: %s"},
    {VIR_ERR_AUTH_CANCELLED, "authentication cancelled", "authentication cancelled: %s"},
    {VIR_ERR_OVERFLOW, "value too large", "value too large: %s"},
    {VIR_ERR_OPERATION_UNSUPPORTED, "Operation not supported", "Operation not supported: %s"},
    {VIR_ERR_RESOURCE_BUSY, "resource busy", "resource busy: %s"},
    {VIR_ERR_ACCESS_DENIED, "access denied", "access denied: %s"},
    {VIR_ERR_AUTH_UNAVAILABLE, "authentication unavailable",
     "authentication unavailable: %s"},
    {VIR_ERR_XML_INVALID_SCHEMA, "XML document failed to validate against schema",
     "XML document failed to validate against schema: %s"},
    {VIR_ERR_DEVICE_MISSING, "device not found", "device not found: %s"},
    // Storage pools and volumes.
    {VIR_ERR_INVALID_STORAGE_POOL, "invalid storage pool pointer in",
     "invalid storage pool pointer in %s"},
    {VIR_ERR_INVALID_STORAGE_VOL, "invalid storage volume pointer in",
     "invalid storage volume pointer in %s"},
    {VIR_WAR_NO_STORAGE, "Failed to find a storage driver",
     "Failed to find a storage driver: %s"},
    {VIR_ERR_NO_STORAGE_POOL, "Storage pool not found", "Storage pool not found: %s"},
    {VIR_ERR_NO_STORAGE_VOL, "Storage volume not found", "Storage volume not found: %s"},
    {VIR_ERR_STORAGE_PROBE_FAILED, "Storage pool probe failed",
     "Storage pool probe failed: %s"},
    {VIR_ERR_STORAGE_POOL_BUILT, "Storage pool already built",
     "Storage pool already built: %s"},
    {VIR_ERR_STORAGE_VOL_EXIST, "this storage volume exists already",
     "storage volume %s exists already"},
};

constexpr const char* kDomainNames[] = {
    "", "Xen Driver", "Xen Daemon", "Xen Store", "S-Expression",
    "XML Util", "Domain", "XML-RPC", "Proxy Daemon", "Config File",
    "QEMU Driver", "Network", "Test Driver", "Remote Driver", "OpenVZ Driver",
    "Xen XM Driver", "Linux Statistics", "LXC Driver", "Storage Driver", "Network Driver",
    "Domain Config", "User Mode Linux Driver", "Node Device Driver", "Xen Inotify Driver",
    "Security Driver", "VirtualBox Driver", "Network Interface Driver", "Open Nebula Driver",
    "ESX Driver", "Power Hypervisor Driver", "Secrets Driver", "CPU Driver", "XenAPI Driver",
    "Network Filter Driver", "Lifecycle Hook", "Domain Snapshot", "Audit Utils",
    "Sysinfo Utils", "I/O Stream Utils", "VMware Driver", "Event Loop", "Xen Light Driver",
    "Lock Driver", "Hyper-V Driver", "Capabilities Utils", "URI Utils", "Authentication Utils",
    "DBus Utils", "Parallels Cloud Server", "Device Config", "SSH transport layer",
    "Lock Space", "Init control", "Identity", "Cgroup", "Access Manager", "Systemd", "Bhyve",
    "Crypto", "Firewall", "Polkit", "Thread jobs", "Admin Interface", "Log Manager",
    "Xen XL Config", "Perf", "Libssh transport layer", "Resource control", "FirewallD",
    "Domain Checkpoint", "TPM", "BPF",
};

}  // namespace

std::string FormatErrorMessage(int code, const std::string& detail) {
  for (const CodeText& t : kCodeTexts) {
    if (t.code != code) continue;
    if (detail.empty()) return t.bare;
    std::string out = t.with_detail;
    out.replace(out.find("%s"), 2, detail);
    return out;
  }
  return detail.empty() ? "unknown error" : detail;
}

const char* ErrorDomainName(int domain) {
  if (domain < 0 || domain >= static_cast<int>(std::size(kDomainNames))) return "Unknown";
  return kDomainNames[domain];
}

}  // namespace virt
