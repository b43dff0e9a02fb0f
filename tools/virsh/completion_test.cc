#include <gtest/gtest.h>

#include <algorithm>

#include "command_registry.h"
#include "interactive.h"

namespace virt::virsh {
namespace {

bool NoOp(Shell&, const Cmd&) { return true; }

// Commands shaped like the domain and network groups', whose values come
// from the connection.
constexpr OptionDef kDomOpts[] = {
    {.name = "domain", .type = OptType::kData, .flags = kOptRequired, .help = "d",
     .completer = Completer::kDomain},
    {.name = "network", .type = OptType::kString, .help = "n", .completer = Completer::kNetwork},
    {.name = "live", .type = OptType::kBool, .help = "l"},
};
constexpr CommandDef kCommands[] = {
    {.name = "domcmd", .options = kDomOpts, .help = "h", .handler = NoOp, .flags = kCmdJSON},
};

const CommandDef* Lookup(std::string_view name) {
  for (const CommandDef& def : kCommands) {
    if (def.name == name) return &def;
  }
  return FindCommand(name);
}

class CompletionTest : public ::testing::Test {
 protected:
  CompletionTest() : shell_(MakeSettings()) {}
  static Settings MakeSettings() {
    Settings s;
    s.uri = "test:///default";
    s.connect_at_start = true;
    return s;
  }
  void SetUp() override { ASSERT_TRUE(shell_.Start()); }

  std::vector<std::string> Complete(const std::string& before, const std::string& text = "") {
    std::vector<std::string> all = CompletionCandidates(shell_, before, text, Lookup);
    std::vector<std::string> out;
    for (const std::string& c : all) {
      if (c.compare(0, text.size(), text) == 0) out.push_back(c);
    }
    return out;
  }
  static bool Has(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  }

  Shell shell_;
};

TEST_F(CompletionTest, FirstWordCompletesCommandNames) {
  EXPECT_EQ(Complete("", "hostn"), std::vector<std::string>{"hostname"});
}

TEST_F(CompletionTest, FirstWordOfALaterCommandCompletesCommandNames) {
  EXPECT_EQ(Complete("uri; ", "hostn"), std::vector<std::string>{"hostname"});
}

TEST_F(CompletionTest, DashCompletesOptionNamesIncludingJSON) {
  EXPECT_EQ(Complete("freecell ", "--"),
            (std::vector<std::string>{"--cellno", "--all", "--json"}));
}

TEST_F(CompletionTest, OptionsAlreadyGivenAreNotOfferedAgain) {
  EXPECT_EQ(Complete("freecell --all ", "--"), (std::vector<std::string>{"--cellno", "--json"}));
}

TEST_F(CompletionTest, PositionalSlotCompletesDomainNames) {
  EXPECT_TRUE(Has(Complete("domcmd "), "test"));
}

TEST_F(CompletionTest, OptionValueCompletesNetworkNames) {
  EXPECT_TRUE(Has(Complete("domcmd test --network "), "default"));
}

TEST_F(CompletionTest, NamedDomainLeavesTheOptionsToComplete) {
  std::vector<std::string> c = Complete("domcmd --domain test ", "--");
  EXPECT_TRUE(Has(c, "--network"));
  EXPECT_FALSE(Has(c, "--domain"));
}

TEST_F(CompletionTest, HelpCompletesCommandNames) {
  EXPECT_EQ(Complete("help ", "hostn"), std::vector<std::string>{"hostname"});
}

TEST_F(CompletionTest, NextPositionalSlotCompletesItsValues) {
  EXPECT_TRUE(Has(Complete("domcmd --domain test "), "default"));
}

TEST_F(CompletionTest, UnknownCommandCompletesNothing) {
  EXPECT_TRUE(Complete("bogus ").empty());
}

}  // namespace
}  // namespace virt::virsh
