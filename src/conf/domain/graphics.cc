#include "conf/domain/graphics.h"

#include "conf/domain/conf_util.h"

namespace virt {
namespace {

bool HasServer(GraphicsType t) {
  return t == GraphicsType::kVNC || t == GraphicsType::kSpice || t == GraphicsType::kRDP;
}

Status ParsePort(const XMLNode& node, const char* attr, const char* what, std::optional<int>* out) {
  std::optional<std::string> text = node.Attr(attr);
  if (!text) return Status::OK();
  std::optional<int64_t> v = ParseSigned(*text);
  if (!v || *v < -1 || *v > 65535)
    return InternalError(VIR_FROM_DOMAIN,
                         std::string("cannot parse ") + what + " " + attr + " " + *text);
  *out = static_cast<int>(*v);
  return Status::OK();
}

Status ParseListens(const XMLNode& node, GraphicsDef* g) {
  for (const XMLNode& l : node.Children("listen")) {
    GraphicsListen listen;
    VIRT_RETURN_IF_ERROR(ReadRequiredEnumAttr(l, "type", kListenTypes, &listen.type));
    listen.address = l.Attr("address").value_or("");
    listen.network = l.Attr("network").value_or("");
    listen.socket = l.Attr("socket").value_or("");
    if (listen.type == ListenType::kNetwork && listen.network.empty())
      return MissingAttr("network", "listen");
    g->listens.push_back(std::move(listen));
  }
  std::optional<std::string> listen_attr = node.Attr("listen");
  std::optional<std::string> socket_attr = node.Attr("socket");
  if (g->listens.empty()) {
    if (socket_attr && g->type == GraphicsType::kVNC) {
      g->listens.push_back({ListenType::kSocket, "", "", *socket_attr});
    } else if (listen_attr) {
      g->listens.push_back({ListenType::kAddress, *listen_attr, "", ""});
    } else if (HasServer(g->type)) {
      // A server with nowhere to listen listens on the hypervisor's default
      // address; libvirt records that as an address listen without address.
      g->listens.push_back({ListenType::kAddress, "", "", ""});
    }
  } else if (listen_attr) {
    const GraphicsListen& first = g->listens.front();
    if (first.type == ListenType::kAddress && first.address.empty()) {
      g->listens.front().address = *listen_attr;
    } else if (first.address != *listen_attr) {
      return DomainXMLError("graphics 'listen' attribute '" + *listen_attr +
                            "' must match 'address' attribute of first listen element "
                            "(found '" +
                            first.address + "')");
    }
  }
  return Status::OK();
}

}  // namespace

Status ParseGraphics(const XMLNode& node, GraphicsDef* out) {
  GraphicsDef g;
  VIRT_RETURN_IF_ERROR(ReadRequiredEnumAttr(node, "type", kGraphicsTypes, &g.type));
  const char* type_name = kGraphicsTypes.ToString(g.type);
  if (HasServer(g.type)) {
    std::optional<int> port;
    VIRT_RETURN_IF_ERROR(ParsePort(node, "port", type_name, &port));
    std::optional<bool> autoport;
    VIRT_RETURN_IF_ERROR(ReadYesNoAttr(node, "autoport", &autoport));
    g.port = port.value_or(0);
    if (autoport) {
      g.autoport = *autoport;
    } else {
      // No autoport attribute: a port of -1 (the 2007 idiom) or no port at
      // all asks for one to be chosen.
      g.autoport = !port || *port == -1;
    }
    if (g.type == GraphicsType::kSpice)
      VIRT_RETURN_IF_ERROR(ParsePort(node, "tlsPort", type_name, &g.tls_port));
    if (g.type == GraphicsType::kVNC)
      VIRT_RETURN_IF_ERROR(ParsePort(node, "websocket", type_name, &g.websocket));
    g.passwd = node.Attr("passwd").value_or("");
    g.passwd_valid_to = node.Attr("passwdValidTo").value_or("");
    g.keymap = node.Attr("keymap").value_or("");
    if (g.type == GraphicsType::kVNC) {
      g.share_policy = node.Attr("sharePolicy").value_or("");
      if (!g.share_policy.empty() && g.share_policy != "allow-exclusive" &&
          g.share_policy != "force-shared" && g.share_policy != "ignore")
        return InvalidAttrValue("sharePolicy", "graphics", g.share_policy);
    }
    if (g.type == GraphicsType::kRDP) {
      VIRT_RETURN_IF_ERROR(ReadYesNoAttr(node, "multiUser", &g.multi_user));
      VIRT_RETURN_IF_ERROR(ReadYesNoAttr(node, "replaceUser", &g.replace_user));
    }
    VIRT_RETURN_IF_ERROR(ParseListens(node, &g));
  } else if (g.type == GraphicsType::kSDL || g.type == GraphicsType::kDesktop) {
    g.display = node.Attr("display").value_or("");
    if (g.type == GraphicsType::kSDL) g.xauth = node.Attr("xauth").value_or("");
    VIRT_RETURN_IF_ERROR(ReadYesNoAttr(node, "fullscreen", &g.fullscreen));
  }
  *out = std::move(g);
  return Status::OK();
}

void FormatGraphics(const GraphicsDef& g, XMLWriter& w, const DomainFormatOptions& options) {
  XMLWriter::Attrs attrs = {{"type", kGraphicsTypes.ToString(g.type)}};
  if (!HasServer(g.type)) {
    if (!g.display.empty()) attrs.emplace_back("display", g.display);
    if (!g.xauth.empty()) attrs.emplace_back("xauth", g.xauth);
    if (g.fullscreen.value_or(false)) attrs.emplace_back("fullscreen", "yes");
    w.Element("graphics", attrs);
    return;
  }

  const GraphicsListen* first = g.listens.empty() ? nullptr : &g.listens.front();
  bool socket = first && first->type == ListenType::kSocket;
  bool no_listen = first && first->type == ListenType::kNone;
  if (!socket && !no_listen) {
    // A port chosen at start-up is not part of the persistent config.
    int port = g.port;
    if (g.autoport && (options.inactive || port <= 0)) port = g.type == GraphicsType::kRDP ? 0 : -1;
    if (g.type != GraphicsType::kSpice || !g.autoport || port > 0)
      attrs.emplace_back("port", std::to_string(port));
    if (g.tls_port && (!g.autoport || (!options.inactive && *g.tls_port > 0)))
      attrs.emplace_back("tlsPort", std::to_string(*g.tls_port));
    attrs.emplace_back("autoport", YesNo(g.autoport));
    if (g.websocket) attrs.emplace_back("websocket", std::to_string(*g.websocket));
  }
  if (g.type == GraphicsType::kRDP) {
    if (g.replace_user) attrs.emplace_back("replaceUser", YesNo(*g.replace_user));
    if (g.multi_user) attrs.emplace_back("multiUser", YesNo(*g.multi_user));
  }
  if (first && first->type == ListenType::kAddress && !first->address.empty())
    attrs.emplace_back("listen", first->address);
  if (socket && g.type == GraphicsType::kVNC) attrs.emplace_back("socket", first->socket);
  if (!g.keymap.empty()) attrs.emplace_back("keymap", g.keymap);
  if (!g.share_policy.empty()) attrs.emplace_back("sharePolicy", g.share_policy);
  if (options.secure && !g.passwd.empty()) {
    attrs.emplace_back("passwd", g.passwd);
    if (!g.passwd_valid_to.empty()) attrs.emplace_back("passwdValidTo", g.passwd_valid_to);
  }

  w.Open("graphics", attrs);
  for (const GraphicsListen& l : g.listens) {
    XMLWriter::Attrs la = {{"type", kListenTypes.ToString(l.type)}};
    switch (l.type) {
      case ListenType::kAddress:
        if (!l.address.empty()) la.emplace_back("address", l.address);
        break;
      case ListenType::kNetwork:
        la.emplace_back("network", l.network);
        if (!options.inactive && !l.address.empty()) la.emplace_back("address", l.address);
        break;
      case ListenType::kSocket:
        if (!l.socket.empty()) la.emplace_back("socket", l.socket);
        break;
      case ListenType::kNone:
        break;
    }
    w.Element("listen", la);
  }
  w.Close();
}

}  // namespace virt
