// StoredDomainDef: a domain's definition as the test driver keeps it,
// either parsed (a DomainDef) or packed into its canonical XML.
//
// A parsed DomainDef costs about 2 KiB even for a tiny guest (every device
// list, string and optional is inline), while its canonical inactive XML is
// a few hundred bytes. A connection that defines thousands of guests and
// then only lists them (the daemon benchmark of issue 4) should not pay for
// structures nobody reads, so a definition that was just defined and is not
// running is packed (Pack) and parsed again on first use. Name and UUID stay
// at hand in both forms: lookups and listings never unpack.
//
// The interface is that of the std::unique_ptr<DomainDef> it replaces
// (->, *, get, bool, reset, assignment), so the operation files read the
// definition as before; any access through them unpacks for good.
//
// Thread safety: none of its own; the test driver reaches it only under its
// state lock (even const access may unpack).
#ifndef VIRTKIT_DRIVERS_TEST_STORED_DEF_H
#define VIRTKIT_DRIVERS_TEST_STORED_DEF_H

#include <memory>
#include <string>

#include "conf/domain/domain.h"
#include "core/uuid.h"

namespace virt::testdrv {

class StoredDomainDef {
 public:
  StoredDomainDef() = default;
  StoredDomainDef(std::unique_ptr<DomainDef> def) : def_(std::move(def)) {}  // NOLINT: as unique_ptr
  StoredDomainDef(StoredDomainDef&&) = default;
  StoredDomainDef& operator=(StoredDomainDef&&) = default;
  StoredDomainDef& operator=(std::unique_ptr<DomainDef> def);

  explicit operator bool() const { return def_ || !packed_xml_.empty(); }
  bool packed() const { return !def_ && !packed_xml_.empty(); }

  // The definition, unpacked if need be. Requires a definition.
  DomainDef* get() const;
  DomainDef* operator->() const { return get(); }
  DomainDef& operator*() const { return *get(); }
  // Hands the definition over (unpacked), leaving this empty.
  std::unique_ptr<DomainDef> Release();
  void reset();

  // Never unpack. Require a definition.
  const std::string& name() const { return def_ ? def_->name : name_; }
  const UUID& uuid() const { return def_ ? def_->uuid : uuid_; }

  // Keeps the definition as its canonical inactive XML only. For inactive
  // definitions: the live id and live-only state are not kept.
  void Pack();

 private:
  mutable std::unique_ptr<DomainDef> def_;
  // While packed: the XML and the identity read without unpacking.
  mutable std::string packed_xml_;
  std::string name_;
  UUID uuid_;
};

}  // namespace virt::testdrv

#endif  // VIRTKIT_DRIVERS_TEST_STORED_DEF_H
