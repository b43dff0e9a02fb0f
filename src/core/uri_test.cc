#include "core/uri.h"

#include <gtest/gtest.h>

namespace virt {
namespace {

URI MustParse(std::string_view text) {
  Result<URI> r = URI::Parse(text);
  EXPECT_TRUE(r.ok()) << text << ": " << r.status().detail();
  return r.ok() ? r.value() : URI();
}

// The detail of the error Parse gives for 'text' ("" when it succeeds).
std::string ParseError(std::string_view text) {
  Result<URI> r = URI::Parse(text);
  return r.ok() ? "" : r.status().detail();
}

using Params = std::vector<std::pair<std::string, std::string>>;

// --- The URIs the seed and libvirt's documentation use ---

TEST(URITest, TestDefaultHasEmptyAuthorityAndPath) {
  URI u = MustParse("test:///default");
  EXPECT_EQ(u.scheme(), "test");
  EXPECT_EQ(u.driver(), "test");
  EXPECT_EQ(u.transport(), "");
  EXPECT_TRUE(u.has_authority());
  EXPECT_EQ(u.host(), "");
  EXPECT_EQ(u.port(), 0);
  EXPECT_EQ(u.path(), "/default");
  EXPECT_TRUE(u.params().empty());
}

TEST(URITest, TestAbsoluteFilePathIsThePath) {
  URI u = MustParse("test:///abs/path.xml");
  EXPECT_EQ(u.host(), "");
  EXPECT_EQ(u.path(), "/abs/path.xml");
}

TEST(URITest, QemuSSHWithUserPortAndParams) {
  URI u = MustParse("qemu+ssh://user@host:22/system?keyfile=/x&no_verify=1");
  EXPECT_EQ(u.scheme(), "qemu+ssh");
  EXPECT_EQ(u.driver(), "qemu");
  EXPECT_EQ(u.transport(), "ssh");
  EXPECT_EQ(u.user(), "user");
  EXPECT_EQ(u.host(), "host");
  EXPECT_EQ(u.port(), 22);
  EXPECT_EQ(u.path(), "/system");
  EXPECT_EQ(u.params(), (Params{{"keyfile", "/x"}, {"no_verify", "1"}}));
}

TEST(URITest, QemuSystemWithSocketParam) {
  URI u = MustParse("qemu:///system?socket=/tmp/s");
  EXPECT_EQ(u.path(), "/system");
  EXPECT_EQ(u.Param("socket"), "/tmp/s");
}

TEST(URITest, XenWithHostAndRootPath) {
  URI u = MustParse("xen://oirase/");
  EXPECT_EQ(u.driver(), "xen");
  EXPECT_EQ(u.host(), "oirase");
  EXPECT_EQ(u.path(), "/");
}

TEST(URITest, TransportSplitsOffAfterPlus) {
  URI u = MustParse("test+tcp://oirase/default");
  EXPECT_EQ(u.driver(), "test");
  EXPECT_EQ(u.transport(), "tcp");
  EXPECT_EQ(u.host(), "oirase");
  EXPECT_EQ(u.path(), "/default");
}

TEST(URITest, BareLegacyNameIsASchemelessPath) {
  URI u = MustParse("xen");
  EXPECT_EQ(u.scheme(), "");
  EXPECT_FALSE(u.has_authority());
  EXPECT_EQ(u.path(), "xen");
  EXPECT_EQ(u.ToString(), "xen");
}

TEST(URITest, EmptyTextIsAnEmptyURI) {
  URI u = MustParse("");
  EXPECT_EQ(u.scheme(), "");
  EXPECT_EQ(u.path(), "");
  EXPECT_FALSE(u.has_authority());
}

TEST(URITest, SchemeWithoutAuthority) {
  URI u = MustParse("test:/abs/path.xml");
  EXPECT_EQ(u.scheme(), "test");
  EXPECT_FALSE(u.has_authority());
  EXPECT_EQ(u.path(), "/abs/path.xml");
  EXPECT_EQ(u.ToString(), "test:/abs/path.xml");
}

TEST(URITest, HostWithoutPath) {
  URI u = MustParse("qemu+tcp://example.com:16509");
  EXPECT_EQ(u.host(), "example.com");
  EXPECT_EQ(u.port(), 16509);
  EXPECT_EQ(u.path(), "");
}

TEST(URITest, FragmentIsKept) {
  URI u = MustParse("test:///default#part%20two");
  EXPECT_EQ(u.path(), "/default");
  EXPECT_EQ(u.fragment(), "part two");
}

TEST(URITest, UserInfoWithPasswordStaysInUser) {
  EXPECT_EQ(MustParse("esx://root:secret@host/").user(), "root:secret");
}

// --- IPv6 ---

TEST(URITest, IPv6LiteralLosesItsBrackets) {
  URI u = MustParse("qemu+ssh://root@[::1]:2222/system");
  EXPECT_EQ(u.host(), "::1");
  EXPECT_EQ(u.port(), 2222);
  EXPECT_EQ(u.user(), "root");
}

TEST(URITest, IPv6LiteralWithoutPort) {
  URI u = MustParse("qemu+tcp://[2001:db8::10]/system");
  EXPECT_EQ(u.host(), "2001:db8::10");
  EXPECT_EQ(u.port(), 0);
}

TEST(URITest, IPv6WithEmbeddedIPv4) {
  EXPECT_EQ(MustParse("test://[::ffff:192.0.2.1]/default").host(), "::ffff:192.0.2.1");
}

TEST(URITest, IPv6ZoneIsDecoded) {
  URI u = MustParse("qemu+tcp://[fe80::1%25eth0]:16509/system");
  EXPECT_EQ(u.host(), "fe80::1%eth0");
  EXPECT_EQ(u.ToString(), "qemu+tcp://[fe80::1%25eth0]:16509/system");
}

TEST(URITest, IPv6IsRebracketedByToString) {
  EXPECT_EQ(MustParse("qemu+ssh://root@[::1]:2222/system").ToString(),
            "qemu+ssh://root@[::1]:2222/system");
}

TEST(URITest, UnclosedIPv6LiteralFails) {
  EXPECT_EQ(ParseError("test://[::1"), "Unable to parse URI 'test://[::1': missing ']' after "
                                       "IPv6 address");
}

TEST(URITest, InvalidIPv6AddressFails) {
  EXPECT_NE(ParseError("test://[1:2:3]/"), "");
  EXPECT_NE(ParseError("test://[::g]/"), "");
}

TEST(URITest, GarbageAfterIPv6LiteralFails) {
  EXPECT_NE(ParseError("test://[::1]x/"), "");
}

// --- Ports ---

TEST(URITest, HighestPortIsAccepted) {
  EXPECT_EQ(MustParse("qemu+tcp://h:65535/system").port(), 65535);
}

TEST(URITest, PortAboveRangeFails) {
  EXPECT_EQ(ParseError("qemu://host:99999/system"),
            "Unable to parse URI 'qemu://host:99999/system': port '99999' is out of range");
}

TEST(URITest, HugePortFails) {
  EXPECT_NE(ParseError("qemu://host:123456789012345678901234/system"), "");
}

TEST(URITest, NonNumericPortFails) {
  EXPECT_EQ(ParseError("qemu://host:abc/system"),
            "Unable to parse URI 'qemu://host:abc/system': invalid port 'abc'");
  EXPECT_NE(ParseError("qemu://host:-1/system"), "");
  EXPECT_NE(ParseError("qemu://host:+1/system"), "");
}

TEST(URITest, EmptyPortMeansNoPort) {
  URI u = MustParse("qemu://host:/system");
  EXPECT_EQ(u.host(), "host");
  EXPECT_EQ(u.port(), 0);
}

// --- Percent-escapes ---

TEST(URITest, EscapesAreDecodedInEveryComponent) {
  URI u = MustParse("qemu+ssh://us%65r@h%6Fst/my%20path?na%6De=v%26l");
  EXPECT_EQ(u.user(), "user");
  EXPECT_EQ(u.host(), "host");
  EXPECT_EQ(u.path(), "/my path");
  EXPECT_EQ(u.params(), (Params{{"name", "v&l"}}));
}

TEST(URITest, InvalidEscapeFails) {
  EXPECT_EQ(ParseError("qemu:///system?x=%zz"),
            "Unable to parse URI 'qemu:///system?x=%zz': invalid percent-escape '%zz' in "
            "query parameter value");
}

TEST(URITest, TruncatedEscapeFails) {
  EXPECT_NE(ParseError("%"), "");
  EXPECT_NE(ParseError("test:///a%2"), "");
}

TEST(URITest, EscapedNulFails) { EXPECT_NE(ParseError("test:///a%00b"), ""); }

// --- Characters RFC 3986 does not allow ---

TEST(URITest, BlankInSchemeFails) {
  EXPECT_EQ(ParseError("foo bar://"), "Unable to parse URI 'foo bar://': invalid scheme 'foo bar'");
}

TEST(URITest, SchemeMustStartWithALetter) { EXPECT_NE(ParseError("1qemu:///system"), ""); }

TEST(URITest, BlankInPathFails) { EXPECT_NE(ParseError("test:///my file.xml"), ""); }

TEST(URITest, SecondHashFails) { EXPECT_NE(ParseError("test:///default#a#b"), ""); }

TEST(URITest, PipeInPathFails) { EXPECT_NE(ParseError("test:///a|b"), ""); }

TEST(URITest, BracketInRegisteredNameFails) { EXPECT_NE(ParseError("test://h[x]/"), ""); }

TEST(URITest, AtSignInHostFails) { EXPECT_NE(ParseError("qemu+ssh://a@b@c/system"), ""); }

TEST(URITest, ErrorIsInternalErrorFromURIDomain) {
  Result<URI> r = URI::Parse("test://[::1");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), VIR_ERR_INTERNAL_ERROR);
  EXPECT_EQ(r.status().domain(), VIR_FROM_URI);
  EXPECT_EQ(r.status().message(),
            "internal error: Unable to parse URI 'test://[::1': missing ']' after IPv6 address");
}

// --- Query parameters ---

TEST(URITest, SemicolonAlsoSeparatesParams) {
  EXPECT_EQ(MustParse("qemu:///system?a=1;b=2").params(), (Params{{"a", "1"}, {"b", "2"}}));
}

TEST(URITest, NameWithoutValueHasEmptyValue) {
  EXPECT_EQ(MustParse("qemu:///system?no_tty&x=").params(), (Params{{"no_tty", ""}, {"x", ""}}));
}

TEST(URITest, ParamWithoutNameIsIgnored) {
  EXPECT_EQ(MustParse("qemu:///system?=v&a=1").params(), (Params{{"a", "1"}}));
}

TEST(URITest, EmptyParamSectionsAreSkipped) {
  EXPECT_EQ(MustParse("qemu:///system?&&a=1&&").params(), (Params{{"a", "1"}}));
}

TEST(URITest, ValueMayContainEquals) {
  EXPECT_EQ(MustParse("qemu:///system?command=a=b").Param("command"), "a=b");
}

TEST(URITest, PlusInValueIsLiteral) {
  EXPECT_EQ(MustParse("qemu:///system?x=a+b").Param("x"), "a+b");
}

TEST(URITest, ParamLookupIsCaseInsensitiveAndTakesTheFirst) {
  URI u = MustParse("qemu:///system?Socket=/a&socket=/b");
  EXPECT_EQ(u.Param("SOCKET"), "/a");
  EXPECT_EQ(u.Param("missing"), std::nullopt);
}

// --- Canonical form ---

TEST(URITest, ToStringOfSimpleURIsIsTheInput) {
  for (const char* text :
       {"test:///default", "test:///abs/path.xml", "qemu:///system?socket=/tmp/s", "xen://oirase/",
        "test+tcp://oirase/default", "qemu+ssh://user@host:22/system?keyfile=/x&no_verify=1",
        "qemu+tcp://[2001:db8::10]/system"})
    EXPECT_EQ(MustParse(text).ToString(), text);
}

TEST(URITest, ToStringJoinsParamsWithAmpersand) {
  EXPECT_EQ(MustParse("qemu:///system?a=1;b").ToString(), "qemu:///system?a=1&b=");
}

TEST(URITest, ToStringWithoutParamsDropsTheQuery) {
  EXPECT_EQ(MustParse("qemu+ssh://h/system?keyfile=/x#f").ToString(false), "qemu+ssh://h/system#f");
}

TEST(URITest, ToStringEscapesWhatMustBeEscaped) {
  URI u = MustParse("qemu+ssh://a%40b@h/my%20dir%3Fx?k%3Dy=v%26w%23z%25");
  EXPECT_EQ(u.user(), "a@b");
  EXPECT_EQ(u.path(), "/my dir?x");
  EXPECT_EQ(u.params(), (Params{{"k=y", "v&w#z%"}}));
  EXPECT_EQ(u.ToString(), "qemu+ssh://a%40b@h/my%20dir%3Fx?k%3Dy=v%26w%23z%25");
}

TEST(URITest, ToStringNormalisesNeedlessEscapes) {
  EXPECT_EQ(MustParse("test:///%64efault").ToString(), "test:///default");
}

TEST(URITest, ParseOfToStringGivesTheSameURI) {
  for (const char* text :
       {"test:///default", "xen", "", "xen://oirase/", "qemu+ssh://root@[::1]:2222/system?a=1;b",
        "qemu+tcp://[fe80::1%25lo]/system", "test:/x", "esx://u:p@h:443/?no_verify=1#frag",
        "qemu+ssh://a%40b@h/my%20dir%3Fx?k%3Dy=v%26w%23z%25", "//host/path", "rel/path",
        "qemu:///system?x=%3B%3D"}) {
    URI once = MustParse(text);
    URI twice = MustParse(once.ToString());
    EXPECT_EQ(once, twice) << text << " -> " << once.ToString();
  }
}

TEST(URITest, SettersAreReflectedInToString) {
  URI u = MustParse("qemu+ssh://root@h/system?keyfile=/k");
  u.set_scheme("qemu");
  u.set_host("");
  u.set_path("/session");
  u.set_params({{"socket", "/run/my sock"}});
  EXPECT_EQ(u.ToString(), "qemu://root@/session?socket=/run/my%20sock");
}

TEST(URITest, SetHostToIPv6IsBracketed) {
  URI u = MustParse("test:///default");
  u.set_host("::1");
  EXPECT_EQ(u.ToString(), "test://[::1]/default");
}

TEST(URITest, SchemelessPathWithColonIsEscaped) {
  URI u;
  u.set_path("a:b/c:d");
  EXPECT_EQ(u.ToString(), "a%3Ab/c:d");
  EXPECT_EQ(MustParse(u.ToString()), u);
}

}  // namespace
}  // namespace virt
