#include "drivers/test/stored_def.h"

#include <cstdio>
#include <utility>

namespace virt::testdrv {

StoredDomainDef& StoredDomainDef::operator=(std::unique_ptr<DomainDef> def) {
  reset();
  def_ = std::move(def);
  return *this;
}

DomainDef* StoredDomainDef::get() const {
  if (!def_ && !packed_xml_.empty()) {
    // The packed text is our own canonical output, which parses back to the
    // same definition: its UUID and MACs are written out, so nothing is
    // generated, and the defaults parsing applies are already in it.
    DomainParseOptions options;
    options.fill_defaults = false;
    Result<std::unique_ptr<DomainDef>> def = ParseDomainXML(packed_xml_, options, nullptr);
    if (def.ok()) {
      def_ = std::move(*def);
    } else {
      // Cannot happen unless the formatter and the parser disagree; keep
      // the identity rather than crash the daemon, and say so.
      std::fprintf(stderr, "test driver: cannot unpack domain '%s': %s\n", name_.c_str(),
                   def.status().message().c_str());
      def_ = std::make_unique<DomainDef>();
      def_->virt_type = "test";
      def_->name = name_;
      def_->uuid = uuid_;
    }
    std::string().swap(packed_xml_);
  }
  return def_.get();
}

std::unique_ptr<DomainDef> StoredDomainDef::Release() {
  get();
  std::unique_ptr<DomainDef> def = std::move(def_);
  reset();
  return def;
}

void StoredDomainDef::reset() {
  def_.reset();
  std::string().swap(packed_xml_);
  std::string().swap(name_);
  uuid_ = UUID();
}

void StoredDomainDef::Pack() {
  if (!def_) return;
  std::string xml = FormatDomainXML(*def_, {.inactive = true, .secure = true});
  xml.shrink_to_fit();
  name_ = def_->name;
  name_.shrink_to_fit();
  uuid_ = def_->uuid;
  packed_xml_ = std::move(xml);
  def_.reset();
}

}  // namespace virt::testdrv
