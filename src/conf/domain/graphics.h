// <graphics>: how the guest's display is exported: VNC, SPICE and RDP
// servers (ports, listen addresses, password, keymap), or a local SDL /
// desktop window.
//
// The 2007 form <graphics type='vnc' port='-1'/> means "pick a port"
// (autoport='yes'); the listen attribute and <listen> children describe the
// same listen address, and both are written, as libvirt does.
#ifndef VIRTKIT_CONF_DOMAIN_GRAPHICS_H
#define VIRTKIT_CONF_DOMAIN_GRAPHICS_H

#include <optional>
#include <string>
#include <vector>

#include "conf/domain/enum_table.h"
#include "conf/domain/format_options.h"
#include "conf/xml/xml.h"
#include "core/status.h"

namespace virt {

enum class GraphicsType { kSDL, kVNC, kRDP, kDesktop, kSpice, kEGLHeadless, kDBus };
inline constexpr EnumEntry<GraphicsType> kGraphicsTypeNames[] = {
    {GraphicsType::kSDL, "sdl"},     {GraphicsType::kVNC, "vnc"},
    {GraphicsType::kRDP, "rdp"},     {GraphicsType::kDesktop, "desktop"},
    {GraphicsType::kSpice, "spice"}, {GraphicsType::kEGLHeadless, "egl-headless"},
    {GraphicsType::kDBus, "dbus"},
};
inline constexpr EnumTable<GraphicsType> kGraphicsTypes(kGraphicsTypeNames);

enum class ListenType { kAddress, kNetwork, kSocket, kNone };
inline constexpr EnumEntry<ListenType> kListenTypeNames[] = {
    {ListenType::kAddress, "address"},
    {ListenType::kNetwork, "network"},
    {ListenType::kSocket, "socket"},
    {ListenType::kNone, "none"},
};
inline constexpr EnumTable<ListenType> kListenTypes(kListenTypeNames);

struct GraphicsListen {
  ListenType type = ListenType::kAddress;
  std::string address;  // address; for network, the resolved address (live)
  std::string network;  // network
  std::string socket;   // socket
  friend bool operator==(const GraphicsListen&, const GraphicsListen&) = default;
};

struct GraphicsDef {
  GraphicsType type = GraphicsType::kVNC;
  // VNC / SPICE / RDP servers.
  int port = 0;  // -1 or 0 with autoport: not chosen yet
  bool autoport = false;
  std::optional<int> tls_port;   // spice
  std::optional<int> websocket;  // vnc
  std::vector<GraphicsListen> listens;
  std::string passwd;  // written only with DomainFormatOptions::secure
  std::string passwd_valid_to;
  std::string keymap;
  std::string share_policy;                      // vnc: allow-exclusive, force-shared, ignore
  std::optional<bool> multi_user, replace_user;  // rdp
  // SDL / desktop windows.
  std::string display;
  std::string xauth;
  std::optional<bool> fullscreen;
  friend bool operator==(const GraphicsDef&, const GraphicsDef&) = default;
};

// Parses one <graphics>. Errors: a bad type (VIR_ERR_XML_ERROR), a port
// that is not a number (VIR_ERR_INTERNAL_ERROR, as libvirt), a listen
// attribute contradicting the first <listen>.
Status ParseGraphics(const XMLNode& node, GraphicsDef* out);
void FormatGraphics(const GraphicsDef& graphics, XMLWriter& w, const DomainFormatOptions& options);

}  // namespace virt

#endif  // VIRTKIT_CONF_DOMAIN_GRAPHICS_H
