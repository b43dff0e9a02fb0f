#include "drivers/network/netlink.h"

#include <array>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <vector>

#include <libvirt/virterror.h>

namespace virt::network {
namespace {

// One netlink request: a socket, a buffer and a sequence number. Dumps can
// answer with many datagrams; they are read until NLMSG_DONE.
class Request {
 public:
  Request() : buf_(MNL_SOCKET_BUFFER_SIZE * 4) {
    nl_ = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
    if (nl_ && mnl_socket_bind(nl_, 0, MNL_SOCKET_AUTOPID) < 0) {
      mnl_socket_close(nl_);
      nl_ = nullptr;
    }
    nlh_ = mnl_nlmsg_put_header(buf_.data());
  }
  ~Request() {
    if (nl_) mnl_socket_close(nl_);
  }
  Request(const Request&) = delete;
  Request& operator=(const Request&) = delete;

  nlmsghdr* nlh() { return nlh_; }

  // Sends the message and runs 'cb' on each answer; 0 or an errno.
  int Run(mnl_cb_t cb = nullptr, void* data = nullptr) {
    if (!nl_) return errno ? errno : EIO;
    static unsigned counter = 0;
    unsigned seq = static_cast<unsigned>(time(nullptr)) + __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED);
    nlh_->nlmsg_seq = seq;
    // Single requests ask for an acknowledgement: it ends the answer (a
    // GET without one would leave us waiting for a NLMSG_DONE never sent).
    if (!(nlh_->nlmsg_flags & NLM_F_DUMP)) nlh_->nlmsg_flags |= NLM_F_ACK;
    unsigned portid = mnl_socket_get_portid(nl_);
    if (mnl_socket_sendto(nl_, nlh_, nlh_->nlmsg_len) < 0) return errno;
    std::vector<char> in(MNL_SOCKET_BUFFER_SIZE * 8);
    for (;;) {
      ssize_t n = mnl_socket_recvfrom(nl_, in.data(), in.size());
      if (n < 0) return errno;
      int ret = mnl_cb_run(in.data(), static_cast<size_t>(n), seq, portid, cb, data);
      if (ret == MNL_CB_ERROR) return errno ? errno : EIO;
      if (ret == MNL_CB_STOP) return 0;
    }
  }

 private:
  mnl_socket* nl_ = nullptr;
  std::vector<char> buf_;
  nlmsghdr* nlh_ = nullptr;
};

Status Fail(int err, const std::string& what) { return SystemError(VIR_FROM_NONE, err, what); }

ifinfomsg* LinkHeader(Request& r, uint16_t type, uint16_t flags) {
  r.nlh()->nlmsg_type = type;
  r.nlh()->nlmsg_flags = NLM_F_REQUEST | flags;
  auto* ifm = static_cast<ifinfomsg*>(mnl_nlmsg_put_extra_header(r.nlh(), sizeof(ifinfomsg)));
  ifm->ifi_family = AF_UNSPEC;
  return ifm;
}

struct LinkAttrs {
  int index = 0;
  unsigned flags = 0;
  std::string name;
  std::string kind;
  int master = 0;
  unsigned mtu = 0;
};

int ParseLinkInfo(const nlattr* attr, void* data) {
  auto* out = static_cast<LinkAttrs*>(data);
  if (mnl_attr_get_type(attr) == IFLA_INFO_KIND) out->kind = mnl_attr_get_str(attr);
  return MNL_CB_OK;
}

int ParseLinkAttr(const nlattr* attr, void* data) {
  auto* out = static_cast<LinkAttrs*>(data);
  switch (mnl_attr_get_type(attr)) {
    case IFLA_IFNAME: out->name = mnl_attr_get_str(attr); break;
    case IFLA_MASTER: out->master = static_cast<int>(mnl_attr_get_u32(attr)); break;
    case IFLA_MTU: out->mtu = mnl_attr_get_u32(attr); break;
    case IFLA_LINKINFO: mnl_attr_parse_nested(attr, ParseLinkInfo, data); break;
    default: break;
  }
  return MNL_CB_OK;
}

int CollectLink(const nlmsghdr* nlh, void* data) {
  auto* links = static_cast<std::vector<LinkAttrs>*>(data);
  auto* ifm = static_cast<const ifinfomsg*>(mnl_nlmsg_get_payload(nlh));
  LinkAttrs a;
  a.index = ifm->ifi_index;
  a.flags = ifm->ifi_flags;
  mnl_attr_parse(nlh, sizeof(*ifm), ParseLinkAttr, &a);
  links->push_back(std::move(a));
  return MNL_CB_OK;
}

std::optional<LinkAttrs> GetLink(const std::string& name) {
  Request r;
  LinkHeader(r, RTM_GETLINK, 0);
  mnl_attr_put_strz(r.nlh(), IFLA_IFNAME, name.c_str());
  std::vector<LinkAttrs> links;
  if (r.Run(CollectLink, &links) != 0 || links.empty()) return std::nullopt;
  return links.front();
}

// Sends a change to the link 'name' built by 'fill'.
template <typename Fill>
int ChangeLink(const std::string& name, Fill fill) {
  std::optional<int> index = LinkIndex(name);
  if (!index) return ENODEV;
  Request r;
  ifinfomsg* ifm = LinkHeader(r, RTM_NEWLINK, NLM_F_ACK);
  ifm->ifi_index = *index;
  fill(r.nlh(), ifm);
  return r.Run();
}

}  // namespace

Status CreateBridge(const BridgeSpec& spec) {
  if (spec.name.empty() || spec.name.size() >= IFNAMSIZ)
    return Status(VIR_ERR_INTERNAL_ERROR, VIR_FROM_NONE,
                  "Network interface name '" + spec.name + "' is too long");
  Request r;
  LinkHeader(r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK);
  nlmsghdr* nlh = r.nlh();
  mnl_attr_put_strz(nlh, IFLA_IFNAME, spec.name.c_str());
  if (spec.mac) mnl_attr_put(nlh, IFLA_ADDRESS, MACAddress::kSize, spec.mac->bytes().data());
  if (spec.mtu) mnl_attr_put_u32(nlh, IFLA_MTU, spec.mtu);
  nlattr* info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
  mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
  nlattr* data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
  // The kernel applies the forward delay before the STP state, so a delay
  // below STP's 2 s minimum is accepted on a bridge created with STP on.
  mnl_attr_put_u32(nlh, IFLA_BR_FORWARD_DELAY, spec.delay_sec * 100);  // USER_HZ
  mnl_attr_put_u32(nlh, IFLA_BR_STP_STATE, spec.stp ? 1 : 0);
  mnl_attr_nest_end(nlh, data);
  mnl_attr_nest_end(nlh, info);
  if (int err = r.Run(); err != 0)
    return Fail(err, "error creating bridge interface " + spec.name);
  return Status::OK();
}

Status DeleteLink(const std::string& name) {
  Request r;
  LinkHeader(r, RTM_DELLINK, NLM_F_ACK);
  mnl_attr_put_strz(r.nlh(), IFLA_IFNAME, name.c_str());
  if (int err = r.Run(); err != 0) return Fail(err, "error destroying network device " + name);
  return Status::OK();
}

std::optional<int> LinkIndex(const std::string& name) {
  unsigned index = if_nametoindex(name.c_str());
  if (index == 0) return std::nullopt;
  return static_cast<int>(index);
}

bool LinkExists(const std::string& name) { return LinkIndex(name).has_value(); }

std::string LinkName(int index) {
  char buf[IF_NAMESIZE] = {};
  if (!if_indextoname(static_cast<unsigned>(index), buf)) return "";
  return buf;
}

std::string LinkKind(const std::string& name) {
  std::optional<LinkAttrs> l = GetLink(name);
  return l ? l->kind : "";
}

unsigned LinkMTU(const std::string& name) {
  std::optional<LinkAttrs> l = GetLink(name);
  return l ? l->mtu : 0;
}

Status SetLinkUp(const std::string& name, bool up) {
  int err = ChangeLink(name, [&](nlmsghdr*, ifinfomsg* ifm) {
    ifm->ifi_change = IFF_UP;
    ifm->ifi_flags = up ? IFF_UP : 0;
  });
  if (err != 0) return Fail(err, "Cannot set interface flags on '" + name + "'");
  return Status::OK();
}

Status SetLinkMTU(const std::string& name, unsigned mtu) {
  int err = ChangeLink(name, [&](nlmsghdr* nlh, ifinfomsg*) { mnl_attr_put_u32(nlh, IFLA_MTU, mtu); });
  if (err != 0) return Fail(err, "Cannot set interface MTU on '" + name + "'");
  return Status::OK();
}

Status SetLinkMAC(const std::string& name, const MACAddress& mac) {
  int err = ChangeLink(name, [&](nlmsghdr* nlh, ifinfomsg*) {
    mnl_attr_put(nlh, IFLA_ADDRESS, MACAddress::kSize, mac.bytes().data());
  });
  if (err != 0) return Fail(err, "Cannot set interface MAC on '" + name + "'");
  return Status::OK();
}

Status SetLinkMaster(const std::string& name, const std::string& master) {
  int master_index = 0;
  if (!master.empty()) {
    std::optional<int> m = LinkIndex(master);
    if (!m) return Fail(ENODEV, "Unable to add bridge " + master + " port " + name);
    master_index = *m;
  }
  int err = ChangeLink(name, [&](nlmsghdr* nlh, ifinfomsg*) {
    mnl_attr_put_u32(nlh, IFLA_MASTER, static_cast<uint32_t>(master_index));
  });
  if (err != 0) {
    return Fail(err, master.empty() ? "Unable to remove bridge port " + name
                                    : "Unable to add bridge " + master + " port " + name);
  }
  return Status::OK();
}

Status AddAddress(const std::string& name, const IPAddress& address, unsigned prefix) {
  std::string what = "Failed to add IP address " + address.ToString() + "/" +
                     std::to_string(prefix) + " to " + name;
  std::optional<int> index = LinkIndex(name);
  if (!index) return Fail(ENODEV, what);
  Request r;
  r.nlh()->nlmsg_type = RTM_NEWADDR;
  r.nlh()->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK;
  auto* ifa = static_cast<ifaddrmsg*>(mnl_nlmsg_put_extra_header(r.nlh(), sizeof(ifaddrmsg)));
  bool v4 = address.IsIPv4();
  ifa->ifa_family = v4 ? AF_INET : AF_INET6;
  ifa->ifa_prefixlen = static_cast<unsigned char>(prefix);
  ifa->ifa_scope = RT_SCOPE_UNIVERSE;
  ifa->ifa_index = static_cast<unsigned>(*index);
  size_t len = v4 ? 4 : 16;
  mnl_attr_put(r.nlh(), IFA_LOCAL, len, address.bytes().data());
  mnl_attr_put(r.nlh(), IFA_ADDRESS, len, address.bytes().data());
  if (v4 && prefix < 31) {
    std::array<uint8_t, 16> b = address.bytes();
    IPAddress mask = IPAddress::Netmask(IPAddress::Family::kIPv4, prefix);
    for (int i = 0; i < 4; ++i) b[i] |= static_cast<uint8_t>(~mask.bytes()[i]);
    mnl_attr_put(r.nlh(), IFA_BROADCAST, 4, b.data());
  }
  if (int err = r.Run(); err != 0) return Fail(err, what);
  return Status::OK();
}

namespace {

struct RouteDump {
  int family;
  std::vector<RouteInfo> routes;
};

int ParseRouteAttr(const nlattr* attr, void* data) {
  auto* pair = static_cast<std::pair<const nlattr**, int>*>(data);
  int type = mnl_attr_get_type(attr);
  if (type >= 0 && type < pair->second) pair->first[type] = attr;
  return MNL_CB_OK;
}

int CollectRoute(const nlmsghdr* nlh, void* data) {
  auto* dump = static_cast<RouteDump*>(data);
  auto* rtm = static_cast<const rtmsg*>(mnl_nlmsg_get_payload(nlh));
  const nlattr* tb[RTA_MAX + 1] = {};
  std::pair<const nlattr**, int> pair{tb, RTA_MAX + 1};
  mnl_attr_parse(nlh, sizeof(*rtm), ParseRouteAttr, &pair);
  unsigned table = tb[RTA_TABLE] ? mnl_attr_get_u32(tb[RTA_TABLE]) : rtm->rtm_table;
  if (table != RT_TABLE_MAIN || rtm->rtm_family != dump->family) return MNL_CB_OK;
  RouteInfo route;
  route.prefix = rtm->rtm_dst_len;
  if (tb[RTA_DST]) {
    char text[INET6_ADDRSTRLEN] = {};
    inet_ntop(rtm->rtm_family, mnl_attr_get_payload(tb[RTA_DST]), text, sizeof text);
    if (auto a = IPAddress::Parse(text)) route.dest = *a;
  }
  if (tb[RTA_OIF]) route.dev = LinkName(static_cast<int>(mnl_attr_get_u32(tb[RTA_OIF])));
  dump->routes.push_back(std::move(route));
  return MNL_CB_OK;
}

}  // namespace

Result<std::vector<RouteInfo>> ListRoutes(IPAddress::Family family) {
  Request r;
  r.nlh()->nlmsg_type = RTM_GETROUTE;
  r.nlh()->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  auto* rtm = static_cast<rtmsg*>(mnl_nlmsg_put_extra_header(r.nlh(), sizeof(rtmsg)));
  RouteDump dump;
  dump.family = family == IPAddress::Family::kIPv6 ? AF_INET6 : AF_INET;
  rtm->rtm_family = static_cast<unsigned char>(dump.family);
  if (int err = r.Run(CollectRoute, &dump); err != 0) return Fail(err, "cannot list routes");
  return dump.routes;
}

}  // namespace virt::network
