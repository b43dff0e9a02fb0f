#include "help.h"

#include <gtest/gtest.h>

namespace virt::virsh {
namespace {

// The expected texts are what virsh 9.0 prints for the same commands.

TEST(HelpTest, CommandWithoutOptionsHasNameSynopsisAndDescription) {
  EXPECT_EQ(CommandHelpText(*FindCommand("nodeinfo")),
            "  NAME\n    nodeinfo - node information\n\n"
            "  SYNOPSIS\n    nodeinfo\n\n"
            "  DESCRIPTION\n    Returns basic information about the node.\n\n");
}

TEST(HelpTest, EmptyDescriptionIsLeftOut) {
  EXPECT_EQ(CommandHelpText(*FindCommand("uri")),
            "  NAME\n    uri - print the hypervisor canonical URI\n\n"
            "  SYNOPSIS\n    uri\n\n");
}

TEST(HelpTest, LongOptionColumnIsNotPadded) {
  EXPECT_EQ(CommandHelpText(*FindCommand("freecell")),
            "  NAME\n    freecell - NUMA free memory\n\n"
            "  SYNOPSIS\n    freecell [--cellno <number>] [--all]\n\n"
            "  DESCRIPTION\n    display available free memory for the NUMA cell.\n\n"
            "  OPTIONS\n"
            "    --cellno <number>  NUMA cell number\n"
            "    --all            show free memory for all NUMA cells\n\n");
}

TEST(HelpTest, ArgvOptionAndAliasesAsVirshShowsThem) {
  EXPECT_EQ(CommandHelpText(*FindCommand("echo")),
            "  NAME\n    echo - echo arguments. Used for internal testing.\n\n"
            "  SYNOPSIS\n    echo [--shell] [--xml] [--split] [--err] [<string>]...\n\n"
            "  DESCRIPTION\n    Echo back arguments, possibly with quoting. Used for internal "
            "testing.\n\n"
            "  OPTIONS\n"
            "    --shell          escape for shell use\n"
            "    --xml            escape for XML use\n"
            "    --split          split each argument on ','; ',,' is an escape sequence\n"
            "    --err            output to stderr\n"
            "    <string>         arguments to echo\n\n");
}

TEST(HelpTest, GroupListingPadsNamesToThirtyColumns) {
  EXPECT_EQ(GroupHelpText(*FindGroup("virsh")),
            " Virsh itself (help keyword 'virsh'):\n"
            "    cd                             change the current directory\n"
            "    echo                           echo arguments. Used for internal testing.\n"
            "    exit                           quit this interactive terminal\n"
            "    help                           print help\n"
            "    pwd                            print the current directory\n"
            "    quit                           quit this interactive terminal\n"
            "    connect                        (re)connect to hypervisor\n");
}

TEST(HelpTest, GroupsAreFoundByNameOrKeywordOnly) {
  EXPECT_NE(FindGroup("host"), nullptr);
  EXPECT_NE(FindGroup("Host and Hypervisor"), nullptr);
  EXPECT_EQ(FindGroup("Host"), nullptr);
}

TEST(HelpTest, AllHelpListsOnlyGroupsWithCommands) {
  std::string text = AllHelpText();
  EXPECT_EQ(text.rfind("Grouped commands:\n\n", 0), 0u);
  EXPECT_NE(text.find(" Host and Hypervisor (help keyword 'host'):\n"), std::string::npos);
  EXPECT_NE(text.find(" Storage Volume (help keyword 'volume'):\n"), std::string::npos);
}

TEST(HelpTest, UsageEndsWithTheHints) {
  std::string text = UsageText("virsh");
  EXPECT_EQ(text.rfind("\nvirsh [options]... [<command_string>]\n", 0), 0u);
  EXPECT_NE(text.find(" Host and Hypervisor (help keyword 'host')\n"), std::string::npos);
  std::string tail = "\n\n  (specify help <group> for details about the commands in the group)\n"
                     "\n  (specify help <command> for details about the command)\n\n";
  EXPECT_EQ(text.substr(text.size() - tail.size()), tail);
}

}  // namespace
}  // namespace virt::virsh
