// libvirtd.conf: the daemon's settings and the parser of libvirt's config
// syntax.
//
// The syntax: one `key = value` per line; a value is an integer, a string
// in double quotes, or a list of strings in brackets (which may span
// lines); `#` starts a comment outside strings. Every key has a type; a
// value of the wrong type is an error naming the file, line and key. A key
// we do not know is a warning (libvirt accepts it silently; we say so, to
// catch typos), returned to the caller to log.
//
//   Result<DaemonConfig> c = ParseDaemonConfig(text, "/etc/libvirt/libvirtd.conf", &warnings);
#ifndef VIRTKIT_DAEMON_CONFIG_H
#define VIRTKIT_DAEMON_CONFIG_H

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace virt::daemon {

struct DaemonConfig {
  // The seed's table.
  bool listen_tls = true;
  bool listen_tcp = false;
  std::string tls_port = "16514";
  std::string tcp_port = "16509";
  bool mdns_adv = true;
  std::string mdns_name = "Virtualization Host HOSTNAME";
  std::string unix_sock_group = "root";
  unsigned unix_sock_ro_perms = 0777;
  unsigned unix_sock_rw_perms = 0700;
  bool tls_no_verify_certificate = false;
  bool tls_no_verify_address = false;
  std::string key_file = "/etc/pki/libvirt/private/serverkey.pem";
  std::string cert_file = "/etc/pki/libvirt/servercert.pem";
  std::string ca_file = "/etc/pki/CA/cacert.pem";
  std::string crl_file;
  // Whether the file named each x509 file; the daemon places the others
  // per mode and --root (rpc::LocateTLSFiles), as libvirt 9.0 does.
  bool key_file_set = false;
  bool cert_file_set = false;
  bool ca_file_set = false;
  bool crl_file_set = false;
  std::vector<std::string> tls_allowed_dn_list;  // empty and unset: not checked
  bool tls_allowed_dn_list_set = false;
  std::vector<std::string> tls_allowed_ip_list;
  bool tls_allowed_ip_list_set = false;

  // libvirt 9.0's additions we serve.
  std::string listen_addr;  // "": every local address (IPv4 and IPv6)
  // Authentication per TCP transport: "none", "sasl" or "polkit". 9.0's
  // defaults; we only serve "none" (the daemon refuses to start otherwise).
  std::string auth_tcp = "sasl";
  std::string auth_tls = "none";
  std::string unix_sock_dir;  // "": the mode's default directory
  bool unix_sock_group_set = false;  // whether the file named a group
  int max_clients = 5000;
  int max_queued_clients = 1000;  // the listen backlog, as libvirt 9.0
  int max_workers = 20;
  int min_workers = 5;
  // libvirt defaults to 5, which busy clients hit; ours is generous.
  int max_client_requests = 64;
  int keepalive_interval = 5;
  int keepalive_count = 5;
  // virtkit's own: microseconds a worker keeps polling a client in a tight
  // call loop after answering it (rpc/server_loop.h; only while a CPU is
  // idle, one thread at a time); 0 = off. On a VM where waking a thread on
  // an idle vCPU costs ~100 us, it tripled one python3-libvirt client's
  // calls/s (bench/results/daemon-2026-11-27.md).
  int busy_poll_us = 150;
};

// Parses 'text' (the contents of 'file_name', used in messages). Unknown
// keys are appended to 'warnings'.
Result<DaemonConfig> ParseDaemonConfig(std::string_view text, const std::string& file_name,
                                       std::vector<std::string>* warnings);

}  // namespace virt::daemon

#endif  // VIRTKIT_DAEMON_CONFIG_H
