#include "conf/network/network_dns.h"

#include "conf/network/xml_helpers.h"

namespace virt {
namespace {

constexpr int kNet = VIR_FROM_NETWORK;

Status Detail(const std::string& detail) { return Status(VIR_ERR_XML_DETAIL, kNet, detail); }

Result<NetworkDNSDef::Forwarder> ParseForwarder(const XMLNode& node, const std::string& network) {
  NetworkDNSDef::Forwarder fwd;
  std::optional<std::string> addr = node.Attr("addr");
  fwd.domain = node.Attr("domain").value_or("");
  if (!addr && fwd.domain.empty())
    return XMLError(kNet, "Invalid forwarder element, must contain at least one of addr or domain");
  if (addr) {
    std::optional<IPAddress> ip = IPAddress::Parse(*addr);
    if (!ip) {
      return XMLError(kNet, "Invalid forwarder IP address '" + *addr + "' in network '" + network + "'");
    }
    fwd.addr = *ip;
  }
  return fwd;
}

Result<NetworkDNSDef::TXT> ParseTXT(const XMLNode& node, const std::string& network) {
  NetworkDNSDef::TXT txt;
  std::optional<std::string> name = node.Attr("name");
  if (!name || name->empty())
    return Detail("missing required name attribute in DNS TXT record of network " + network);
  if (name->find(' ') != std::string::npos) {
    return Detail("prohibited character in DNS TXT record name '" + *name + "' of network " + network);
  }
  std::optional<std::string> value = node.Attr("value");
  if (!value) {
    return Detail("missing required value attribute in DNS TXT record named '" + *name +
                  "' of network " + network);
  }
  txt.name = *name;
  txt.value = *value;
  return txt;
}

Result<NetworkDNSDef::SRV> ParseSRV(const XMLNode& node, const std::string& network) {
  NetworkDNSDef::SRV srv;
  std::optional<std::string> service = node.Attr("service");
  if (!service || service->empty())
    return Detail("missing required service attribute in DNS SRV record of network '" + network + "'");
  srv.service = *service;
  std::optional<std::string> protocol = node.Attr("protocol");
  if (!protocol || protocol->empty()) {
    return Detail("missing required protocol attribute in DNS SRV record '" + srv.service +
                  "' of network '" + network + "'");
  }
  srv.protocol = *protocol;
  srv.domain = node.Attr("domain").value_or("");
  srv.target = node.Attr("target").value_or("");

  struct Number {
    const char* name;
    unsigned* slot;
    uint64_t min;
  } numbers[] = {{"port", &srv.port, 1}, {"priority", &srv.priority, 0}, {"weight", &srv.weight, 0}};
  for (const Number& n : numbers) {
    std::optional<std::string> text = node.Attr(n.name);
    if (!text) continue;
    // The numbers only mean something for a record pointing somewhere.
    if (srv.target.empty()) {
      return Detail(std::string("DNS SRV ") + n.name + " attribute not permitted without target "
                    "for service '" + srv.service + "' in network '" + network + "'");
    }
    std::optional<uint64_t> value = ParseUnsigned(*text);
    if (!value || *value < n.min || *value > 65535) {
      return Detail(std::string("invalid DNS SRV ") + n.name + " attribute for service '" +
                    srv.service + "' in network '" + network + "'");
    }
    *n.slot = static_cast<unsigned>(*value);
  }
  return srv;
}

Result<NetworkDNSDef::Host> ParseHost(const XMLNode& node, const std::string& network) {
  NetworkDNSDef::Host host;
  std::optional<IPAddress> ip = IPAddress::Parse(node.Attr("ip").value_or(""));
  if (!ip) return Detail("Missing IP address in network '" + network + "' DNS HOST record");
  host.ip = *ip;
  for (const XMLNode& name : node.Children("hostname")) {
    std::string text = name.Text();
    if (!text.empty()) host.hostnames.push_back(text);
  }
  if (host.hostnames.empty())
    return Detail("Missing hostname in network '" + network + "' DNS HOST record");
  return host;
}

}  // namespace

Result<NetworkDNSDef> ParseNetworkDNS(const XMLNode& node, const std::string& network) {
  NetworkDNSDef dns;
  Result<std::optional<bool>> enable = ParseYesNoAttr(node, "enable");
  if (!enable.ok()) return enable.status();
  dns.enable = *enable;
  Result<std::optional<bool>> plain = ParseYesNoAttr(node, "forwardPlainNames");
  if (!plain.ok()) return plain.status();
  dns.forward_plain_names = *plain;

  for (const XMLNode& child : node.Children("forwarder")) {
    Result<NetworkDNSDef::Forwarder> fwd = ParseForwarder(child, network);
    if (!fwd.ok()) return fwd.status();
    dns.forwarders.push_back(std::move(*fwd));
  }
  for (const XMLNode& child : node.Children("host")) {
    Result<NetworkDNSDef::Host> host = ParseHost(child, network);
    if (!host.ok()) return host.status();
    dns.hosts.push_back(std::move(*host));
  }
  for (const XMLNode& child : node.Children("srv")) {
    Result<NetworkDNSDef::SRV> srv = ParseSRV(child, network);
    if (!srv.ok()) return srv.status();
    dns.srvs.push_back(std::move(*srv));
  }
  for (const XMLNode& child : node.Children("txt")) {
    Result<NetworkDNSDef::TXT> txt = ParseTXT(child, network);
    if (!txt.ok()) return txt.status();
    dns.txts.push_back(std::move(*txt));
  }
  if (dns.enable == false && (dns.forward_plain_names || !dns.forwarders.empty() ||
                              !dns.hosts.empty() || !dns.srvs.empty() || !dns.txts.empty())) {
    return XMLError(kNet, "Extra data in disabled network '" + network + "'");
  }
  return dns;
}

void FormatNetworkDNS(XMLWriter& w, const NetworkDNSDef& dns) {
  XMLWriter::Attrs attrs;
  if (dns.enable) attrs.emplace_back("enable", *dns.enable ? "yes" : "no");
  if (dns.forward_plain_names)
    attrs.emplace_back("forwardPlainNames", *dns.forward_plain_names ? "yes" : "no");
  w.Open("dns", attrs);
  for (const NetworkDNSDef::Forwarder& fwd : dns.forwarders) {
    XMLWriter::Attrs f;
    if (!fwd.domain.empty()) f.emplace_back("domain", fwd.domain);
    if (fwd.addr) f.emplace_back("addr", fwd.addr->ToString());
    w.Element("forwarder", f);
  }
  for (const NetworkDNSDef::TXT& txt : dns.txts)
    w.Element("txt", {{"name", txt.name}, {"value", txt.value}});
  for (const NetworkDNSDef::SRV& srv : dns.srvs) {
    XMLWriter::Attrs s{{"service", srv.service}, {"protocol", srv.protocol}};
    if (!srv.domain.empty()) s.emplace_back("domain", srv.domain);
    if (!srv.target.empty()) s.emplace_back("target", srv.target);
    if (srv.port) s.emplace_back("port", std::to_string(srv.port));
    if (srv.priority) s.emplace_back("priority", std::to_string(srv.priority));
    if (srv.weight) s.emplace_back("weight", std::to_string(srv.weight));
    w.Element("srv", s);
  }
  for (const NetworkDNSDef::Host& host : dns.hosts) {
    w.Open("host", {{"ip", host.ip.ToString()}});
    for (const std::string& name : host.hostnames) w.Element("hostname", {}, name);
    w.Close();
  }
  w.Close();
}

}  // namespace virt
