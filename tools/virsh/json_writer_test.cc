#include "json_writer.h"

#include <gtest/gtest.h>

namespace virt::virsh {
namespace {

TEST(JSONWriterTest, WritesNestedContainersWithSeparators) {
  JSONWriter w;
  w.BeginObject();
  w.Key("a").Int(1);
  w.Key("b").BeginArray().Int(1).String("x").Null().EndArray();
  w.Key("c").BeginObject().EndObject();
  w.EndObject();
  EXPECT_EQ(w.str(), R"({"a": 1, "b": [1, "x", null], "c": {}})");
}

TEST(JSONWriterTest, EscapesQuotesBackslashesAndControlCharacters) {
  JSONWriter w;
  w.String("a\"b\\c\n\t\x01\x7f");
  EXPECT_EQ(w.str(), R"("a\"b\\c\n\t\u0001\u007f")");
}

TEST(JSONWriterTest, KeepsValidUTF8) {
  JSONWriter w;
  w.String("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
  EXPECT_EQ(w.str(), "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
}

TEST(JSONWriterTest, ReplacesInvalidUTF8) {
  JSONWriter w;
  w.String("a\xff" "b\xc3" "c\xed\xa0\x80");  // stray byte, cut sequence, surrogate
  EXPECT_EQ(w.str(), R"("a\ufffdb\ufffdc\ufffd\ufffd\ufffd")");
}

TEST(JSONWriterTest, FormatsExtremeIntegers) {
  JSONWriter w;
  w.BeginArray().Int(-9223372036854775807LL - 1).UInt(18446744073709551615ULL).Bool(true);
  w.Bool(false).EndArray();
  EXPECT_EQ(w.str(), "[-9223372036854775808, 18446744073709551615, true, false]");
}

TEST(JSONWriterTest, EscapesKeysToo) {
  JSONWriter w;
  w.BeginObject().Key("a\"b").Int(0).EndObject();
  EXPECT_EQ(w.str(), R"({"a\"b": 0})");
}

}  // namespace
}  // namespace virt::virsh
