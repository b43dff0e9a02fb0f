// JSONWriter: builds one JSON document for `--json` output.
//
// virsh's human output depends on column widths and on names without
// spaces; scripts that want stable data ask a command for `--json` and get
// one document built with this writer. The writer is deliberately tiny:
// objects, arrays, strings, integers, booleans and null, written in order,
// with no dependence on the locale (numbers are formatted with
// std::to_chars). Strings are escaped per RFC 8259; bytes that are not valid
// UTF-8 become U+FFFD so the document is always valid JSON.
//
// Not thread-safe; one writer per document.
//
//   JSONWriter w;
//   w.BeginObject();
//   w.Key("uri").String("test:///default");
//   w.Key("cells").BeginArray().Int(0).Int(1).EndArray();
//   w.EndObject();
//   std::string doc = w.str();   // {"uri": "test:///default", "cells": [0, 1]}
#ifndef VIRTKIT_TOOLS_VIRSH_JSON_WRITER_H
#define VIRTKIT_TOOLS_VIRSH_JSON_WRITER_H

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace virt::virsh {

class JSONWriter {
 public:
  JSONWriter() = default;

  JSONWriter& BeginObject();
  JSONWriter& EndObject();
  JSONWriter& BeginArray();
  JSONWriter& EndArray();
  // The name of the next member; only valid directly inside an object.
  JSONWriter& Key(std::string_view key);
  JSONWriter& String(std::string_view value);
  JSONWriter& Int(long long value);
  JSONWriter& UInt(unsigned long long value);
  JSONWriter& Bool(bool value);
  JSONWriter& Null();

  // The document written so far (complete once every Begin has its End).
  const std::string& str() const { return out_; }

  // Appends 'value' to 'out' as a quoted, escaped JSON string.
  static void AppendQuoted(std::string& out, std::string_view value);

 private:
  // Writes the separator a new value needs in the current container.
  void BeforeValue();

  std::string out_;
  // One entry per open container: the number of values written in it.
  std::vector<int> counts_;
  bool after_key_ = false;
};

}  // namespace virt::virsh

#endif  // VIRTKIT_TOOLS_VIRSH_JSON_WRITER_H
