#include "conf/domain/os.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "conf/domain/conf_util.h"

namespace virt {
namespace {

constexpr std::array<std::string_view, 6> kOSTypes = {"hvm", "xen", "linux",
                                                      "exe", "uml", "xenpvh"};

constexpr std::array<std::string_view, 38> kArchNames = {
    "alpha",  "armv6l",   "armv7l",      "armv7b",   "aarch64",    "cris",         "i686",
    "ia64",   "lm32",     "loongarch64", "m68k",     "microblaze", "microblazeel", "mips",
    "mipsel", "mips64",   "mips64el",    "openrisc", "parisc",     "parisc64",     "ppc",
    "ppcle",  "ppc64",    "ppc64le",     "ppcemb",   "riscv32",    "riscv64",      "s390",
    "s390x",  "sh4",      "sh4eb",       "sparc",    "sparc64",    "unicore32",    "x86_64",
    "xtensa", "xtensaeb", "none"};

std::string ChildTextOrEmpty(const XMLNode& node, const char* name) {
  std::optional<std::string> text = node.ChildText(name);
  return text ? *text : "";
}

Status ParseLoader(const XMLNode& node, OSDef* os) {
  LoaderDef loader;
  loader.path = node.Text();
  VIRT_RETURN_IF_ERROR(ReadYesNoAttr(node, "readonly", &loader.readonly));
  VIRT_RETURN_IF_ERROR(ReadYesNoAttr(node, "secure", &loader.secure));
  if (std::optional<std::string> type = node.Attr("type")) {
    if (*type != "rom" && *type != "pflash") return InvalidAttrValue("type", "loader", *type);
    loader.type = *type;
  }
  os->loader = std::move(loader);
  return Status::OK();
}

}  // namespace

bool IsKnownArch(const std::string& arch) {
  return std::find(kArchNames.begin(), kArchNames.end(), arch) != kArchNames.end();
}

Status ParseOS(const XMLNode& domain, OSDef* out) {
  OSDef os;
  os.bootloader = ChildTextOrEmpty(domain, "bootloader");
  os.bootloader_args = ChildTextOrEmpty(domain, "bootloader_args");

  XMLNode node = domain.Child("os");
  XMLNode type = node ? node.Child("type") : XMLNode();
  // libvirt's rule for the Xen PV guests of old: a bootloader implies
  // os type 'xen' when no <type> says otherwise.
  if (!type && os.bootloader.empty()) return DomainXMLError("an os <type> must be specified");
  os.type = type ? type.Text() : "xen";
  if (std::find(kOSTypes.begin(), kOSTypes.end(), os.type) == kOSTypes.end())
    return ConfigUnsupported("unknown OS type '" + os.type + "'");
  if (std::optional<std::string> arch = type ? type.Attr("arch") : std::nullopt) {
    if (!IsKnownArch(*arch)) return ConfigUnsupported("Unknown architecture " + *arch);
    os.arch = *arch;
  }
  if (type) os.machine = type.Attr("machine").value_or("");

  if (XMLNode loader = node.Child("loader")) VIRT_RETURN_IF_ERROR(ParseLoader(loader, &os));
  os.kernel = ChildTextOrEmpty(node, "kernel");
  os.initrd = ChildTextOrEmpty(node, "initrd");
  os.cmdline = ChildTextOrEmpty(node, "cmdline");
  os.root = ChildTextOrEmpty(node, "root");
  os.dtb = ChildTextOrEmpty(node, "dtb");
  os.init = ChildTextOrEmpty(node, "init");
  for (const XMLNode& arg : node.Children("initarg")) os.init_args.push_back(arg.Text());

  for (const XMLNode& boot : node.Children("boot")) {
    std::optional<BootDevice> dev;
    VIRT_RETURN_IF_ERROR(ReadEnumAttr(boot, "dev", kBootDevices, &dev));
    if (!dev) return MissingAttr("dev", "boot");
    if (os.boot_devices.size() < kMaxBootDevices) os.boot_devices.push_back(*dev);
  }
  if (XMLNode menu = node.Child("bootmenu")) {
    VIRT_RETURN_IF_ERROR(ReadYesNoAttr(menu, "enable", &os.boot_menu));
    VIRT_RETURN_IF_ERROR(ReadUIntAttr(menu, "timeout", &os.boot_menu_timeout));
    if (!os.boot_menu) os.boot_menu_timeout.reset();
  }
  *out = std::move(os);
  return Status::OK();
}

void FormatOS(const OSDef& os, XMLWriter& w) {
  if (!os.bootloader.empty()) w.Element("bootloader", {}, os.bootloader);
  if (!os.bootloader_args.empty()) w.Element("bootloader_args", {}, os.bootloader_args);
  w.Open("os");
  XMLWriter::Attrs type_attrs;
  if (!os.arch.empty()) type_attrs.emplace_back("arch", os.arch);
  if (!os.machine.empty()) type_attrs.emplace_back("machine", os.machine);
  w.Element("type", type_attrs, os.type);
  if (!os.init.empty()) w.Element("init", {}, os.init);
  for (const std::string& arg : os.init_args) w.Element("initarg", {}, arg);
  if (os.loader) {
    XMLWriter::Attrs attrs;
    if (os.loader->readonly) attrs.emplace_back("readonly", YesNo(*os.loader->readonly));
    if (os.loader->secure) attrs.emplace_back("secure", YesNo(*os.loader->secure));
    if (!os.loader->type.empty()) attrs.emplace_back("type", os.loader->type);
    w.Element("loader", attrs, os.loader->path);
  }
  // A kernel command line may legitimately be blank-padded (" ro 3"): keep
  // it as given.
  if (!os.kernel.empty()) w.Element("kernel", {}, os.kernel);
  if (!os.initrd.empty()) w.Element("initrd", {}, os.initrd);
  if (!os.cmdline.empty()) w.Element("cmdline", {}, os.cmdline);
  if (!os.dtb.empty()) w.Element("dtb", {}, os.dtb);
  if (!os.root.empty()) w.Element("root", {}, os.root);
  for (BootDevice dev : os.boot_devices) w.Element("boot", {{"dev", kBootDevices.ToString(dev)}});
  if (os.boot_menu) {
    XMLWriter::Attrs attrs = {{"enable", YesNo(*os.boot_menu)}};
    if (os.boot_menu_timeout) attrs.emplace_back("timeout", std::to_string(*os.boot_menu_timeout));
    w.Element("bootmenu", attrs);
  }
  w.Close();
}

}  // namespace virt
