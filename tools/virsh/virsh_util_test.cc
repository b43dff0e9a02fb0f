#include "virsh_util.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "parser.h"

namespace virt::virsh {
namespace {

bool NoOp(Shell&, const Cmd&) { return true; }

constexpr OptionDef kOpts[] = {
    {.name = "domain", .type = OptType::kData, .flags = kOptRequired, .help = "d"},
    {.name = "network", .type = OptType::kString, .help = "n"},
};
constexpr CommandDef kLookupCommand = {
    .name = "lookup", .options = kOpts, .help = "h", .handler = NoOp};

const CommandDef* Lookup(std::string_view name) {
  return name == "lookup" ? &kLookupCommand : nullptr;
}

class LookupTest : public ::testing::Test {
 protected:
  LookupTest() : shell_(MakeSettings()) {}
  static Settings MakeSettings() {
    Settings s;
    s.uri = "test:///default";
    s.connect_at_start = true;
    return s;
  }
  void SetUp() override { ASSERT_TRUE(shell_.Start()); }

  // Parses "lookup ARGS" into cmd_.
  void Parse(const std::string& args) {
    struct Quiet : ParseListener {
      void ParseError(const std::string& m) override { ADD_FAILURE() << m; }
    } quiet;
    auto cmds = ParseLine("lookup " + args, quiet, Lookup);
    ASSERT_TRUE(cmds && cmds->size() == 1);
    cmd_.emplace(std::move((*cmds)[0]));
    cmd_->set_shell(&shell_);
  }

  std::string DomainName(const std::string& args) {
    Parse(args);
    DomainRef dom = DomainFromOption(shell_, *cmd_);
    return dom ? virDomainGetName(dom.get()) : "<none>";
  }

  Shell shell_;
  std::optional<Cmd> cmd_;
};

TEST_F(LookupTest, DomainIsFoundByName) { EXPECT_EQ(DomainName("test"), "test"); }

TEST_F(LookupTest, DomainIsFoundByID) { EXPECT_EQ(DomainName("1"), "test"); }

TEST_F(LookupTest, DomainIsFoundByUUID) {
  Parse("test");
  DomainRef dom = DomainFromOption(shell_, *cmd_);
  ASSERT_TRUE(dom);
  char uuid[VIR_UUID_STRING_BUFLEN];
  ASSERT_EQ(virDomainGetUUIDString(dom.get(), uuid), 0);
  EXPECT_EQ(DomainName(uuid), "test");
}

TEST_F(LookupTest, MissingDomainPrintsOnlyVirshsLine) {
  testing::internal::CaptureStderr();
  EXPECT_EQ(DomainName("nope"), "<none>");
  shell_.ReportError();  // what the runner does when the handler fails
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "error: failed to get domain 'nope'\n");
}

TEST_F(LookupTest, MissingNetworkPrintsVirshsLineThenTheLibrarys) {
  Parse("test --network nope");
  testing::internal::CaptureStderr();
  EXPECT_FALSE(NetworkFromOption(shell_, *cmd_));
  shell_.ReportError();
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(err.rfind("error: failed to get network 'nope'\nerror: ", 0), 0u) << err;
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 2);
}

TEST_F(LookupTest, NetworkIsFoundByName) {
  Parse("test --network default");
  NetworkRef net = NetworkFromOption(shell_, *cmd_);
  ASSERT_TRUE(net);
  EXPECT_STREQ(virNetworkGetName(net.get()), "default");
}

}  // namespace
}  // namespace virt::virsh
