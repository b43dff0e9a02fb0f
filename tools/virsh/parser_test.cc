#include "parser.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "command_registry.h"

namespace virt::virsh {
namespace {

// Collects what the parser reports.
class Recorder : public ParseListener {
 public:
  void ParseError(const std::string& message) override { errors.push_back(message); }
  void ParseDebug(const std::string& message) override { debug.push_back(message); }
  std::vector<std::string> errors;
  std::vector<std::string> debug;
};

std::optional<std::vector<Cmd>> Line(const std::string& line, Recorder* rec) {
  return ParseLine(line, *rec);
}

std::optional<std::vector<Cmd>> Args(std::vector<std::string> words, Recorder* rec) {
  return ParseArgv(words, *rec);
}

std::string Value(const Cmd& cmd, std::string_view option) {
  for (const ParsedOption& o : cmd.options()) {
    if (o.def->name == option) return o.value;
  }
  return "<absent>";
}

TEST(ParserTest, SemicolonSeparatesCommandsInAString) {
  Recorder rec;
  auto cmds = Line("uri; hostname ;nodeinfo", &rec);
  ASSERT_TRUE(cmds);
  ASSERT_EQ(cmds->size(), 3u);
  EXPECT_EQ((*cmds)[0].name(), "uri");
  EXPECT_EQ((*cmds)[1].name(), "hostname");
  EXPECT_EQ((*cmds)[2].name(), "nodeinfo");
}

TEST(ParserTest, NewlineSeparatesCommandsInAString) {
  Recorder rec;
  auto cmds = Line("uri\nhostname", &rec);
  ASSERT_TRUE(cmds);
  EXPECT_EQ(cmds->size(), 2u);
}

TEST(ParserTest, SemicolonIsAnOrdinaryWordInProgramArguments) {
  Recorder rec;
  EXPECT_FALSE(Args({"uri", ";", "uri"}, &rec));
  ASSERT_EQ(rec.errors.size(), 1u);
  EXPECT_EQ(rec.errors[0], "unexpected data ';'");
}

TEST(ParserTest, BlankStringGivesNoCommands) {
  Recorder rec;
  auto cmds = Line("  \t ", &rec);
  ASSERT_TRUE(cmds);
  EXPECT_TRUE(cmds->empty());
}

TEST(ParserTest, UnknownCommandIsRejected) {
  Recorder rec;
  EXPECT_FALSE(Line("uri; bogus", &rec));
  EXPECT_EQ(rec.errors, std::vector<std::string>{"unknown command: 'bogus'"});
}

TEST(ParserTest, OptionValueMayFollowOrBeJoinedWithEquals) {
  Recorder rec;
  auto a = Line("freecell --cellno 1", &rec);
  auto b = Line("freecell --cellno=1", &rec);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(Value((*a)[0], "cellno"), "1");
  EXPECT_EQ(Value((*b)[0], "cellno"), "1");
}

TEST(ParserTest, PositionalWordFillsFirstNonFlagOption) {
  Recorder rec;
  auto cmds = Line("freecell 1", &rec);
  ASSERT_TRUE(cmds);
  EXPECT_EQ(Value((*cmds)[0], "cellno"), "1");
}

TEST(ParserTest, NamedOptionIsNoLongerFilledPositionally) {
  Recorder rec;
  EXPECT_FALSE(Line("freecell --cellno 1 0", &rec));
  EXPECT_EQ(rec.errors, std::vector<std::string>{"unexpected data '0'"});
}

TEST(ParserTest, PositionallyFilledOptionCannotBeNamedAgain) {
  Recorder rec;
  EXPECT_FALSE(Line("freecell 0 --cellno 1", &rec));
  EXPECT_EQ(rec.errors, std::vector<std::string>{"option --cellno already seen"});
}

TEST(ParserTest, UnknownOptionNamesTheCommand) {
  Recorder rec;
  EXPECT_FALSE(Line("uri --bogus", &rec));
  EXPECT_EQ(rec.errors, std::vector<std::string>{"command 'uri' doesn't support option --bogus"});
}

TEST(ParserTest, MissingOptionValueShowsTheExpectedSyntax) {
  Recorder rec;
  EXPECT_FALSE(Line("freecell --cellno", &rec));
  EXPECT_FALSE(Line("maxvcpus --type", &rec));
  EXPECT_EQ(rec.errors, (std::vector<std::string>{"expected syntax: --cellno <number>",
                                                  "expected syntax: --type <string>"}));
}

TEST(ParserTest, FlagRejectsAValue) {
  Recorder rec;
  EXPECT_FALSE(Line("freecell --all=1", &rec));
  EXPECT_EQ(rec.errors, std::vector<std::string>{"invalid '=' after option --all"});
}

TEST(ParserTest, RepeatedFlagIsRejected) {
  Recorder rec;
  EXPECT_FALSE(Line("freecell --all --all", &rec));
  EXPECT_EQ(rec.errors, std::vector<std::string>{"option --all already seen"});
}

TEST(ParserTest, DoubleDashMakesEverythingPositional) {
  Recorder rec;
  auto cmds = Line("echo -- --shell x", &rec);
  ASSERT_TRUE(cmds);
  EXPECT_EQ((*cmds)[0].Argv("string"), (std::vector<std::string_view>{"--shell", "x"}));
  EXPECT_FALSE((*cmds)[0].Bool("shell"));
}

TEST(ParserTest, SingleDashWordsAndNonAlphanumericOptionsArePositional) {
  Recorder rec;
  auto cmds = Line("echo -a ---b", &rec);
  ASSERT_TRUE(cmds);
  EXPECT_EQ((*cmds)[0].Argv("string"), (std::vector<std::string_view>{"-a", "---b"}));
}

TEST(ParserTest, ArgvOptionTakesEveryRemainingWord) {
  Recorder rec;
  auto cmds = Args({"echo", "a", "--xml", "b", "--string", "c"}, &rec);
  ASSERT_TRUE(cmds);
  EXPECT_EQ((*cmds)[0].Argv("string"), (std::vector<std::string_view>{"a", "b", "c"}));
  EXPECT_TRUE((*cmds)[0].Bool("xml"));
}

TEST(ParserTest, AliasResolvesToItsOption) {
  Recorder rec;
  auto cmds = Line("echo --str x", &rec);
  ASSERT_TRUE(cmds);
  EXPECT_EQ((*cmds)[0].Argv("string"), std::vector<std::string_view>{"x"});
}

TEST(ParserTest, AliasWithValueActsAsAFlag) {
  Recorder rec;
  auto cmds = Line("echo --hi", &rec);
  ASSERT_TRUE(cmds);
  EXPECT_EQ((*cmds)[0].Argv("string"), std::vector<std::string_view>{"hello"});
  EXPECT_FALSE(Line("echo --hi=x", &rec));
  EXPECT_EQ(rec.errors, std::vector<std::string>{"invalid '=' after option --hi"});
}

TEST(ParserTest, HelpOptionTurnsTheCommandIntoHelp) {
  Recorder rec;
  auto cmds = Line("freecell --cellno x --help", &rec);
  ASSERT_TRUE(cmds);
  EXPECT_EQ((*cmds)[0].name(), "help");
  EXPECT_EQ(Value((*cmds)[0], "command"), "freecell");
}

TEST(ParserTest, HelpIgnoresUnknownOptionsAndExtraWords) {
  Recorder rec;
  auto cmds = Line("help --bogus uri extra", &rec);
  ASSERT_TRUE(cmds);
  EXPECT_TRUE(rec.errors.empty());
  EXPECT_EQ(Value((*cmds)[0], "command"), "uri");
}

// A table with the option shapes the registered groups do not all have
// yet (required data and numbers, named-only options), modelled on
// virsh's nodesuspend and domain commands.
bool NoOp(Shell&, const Cmd&) { return true; }
constexpr OptionDef kSuspendOpts[] = {
    {.name = "target", .type = OptType::kData, .flags = kOptRequired, .help = "t"},
    {.name = "duration", .type = OptType::kInt, .flags = kOptRequired, .help = "d"},
};
constexpr OptionDef kNamedOpts[] = {
    {.name = "domain", .type = OptType::kData, .flags = kOptRequired, .help = "d"},
    {.name = "file", .type = OptType::kString, .flags = kOptNamedOnly, .help = "f"},
    {.name = "count", .type = OptType::kInt, .help = "c"},
};
constexpr CommandDef kTestCommands[] = {
    {.name = "nodesuspend", .options = kSuspendOpts, .help = "h", .handler = NoOp},
    {.name = "named", .options = kNamedOpts, .help = "h", .handler = NoOp},
    {.name = "old-name", .help = "h", .flags = kCmdAlias, .alias_of = "named"},
};

const CommandDef* TestLookup(std::string_view name) {
  for (const CommandDef& def : kTestCommands) {
    if (def.name != name) continue;
    if (def.flags & kCmdAlias) return TestLookup(def.alias_of);
    return &def;
  }
  return FindCommand(name);
}

TEST(ParserTest, MissingRequiredOptionsAreAllReported) {
  Recorder rec;
  EXPECT_FALSE(ParseLine("nodesuspend", rec, TestLookup));
  EXPECT_EQ(rec.errors, (std::vector<std::string>{
                            "command 'nodesuspend' requires <target> option",
                            "command 'nodesuspend' requires --duration option"}));
}

TEST(ParserTest, RequiredOptionsFillPositionallyInOrder) {
  Recorder rec;
  auto cmds = ParseLine("nodesuspend mem 60", rec, TestLookup);
  ASSERT_TRUE(cmds);
  EXPECT_EQ(Value((*cmds)[0], "target"), "mem");
  EXPECT_EQ(Value((*cmds)[0], "duration"), "60");
}

TEST(ParserTest, NamedOnlyOptionIsSkippedByPositionalWords) {
  Recorder rec;
  auto cmds = ParseLine("named web 3", rec, TestLookup);
  ASSERT_TRUE(cmds);
  EXPECT_EQ(Value((*cmds)[0], "file"), "<absent>");
  EXPECT_EQ(Value((*cmds)[0], "count"), "3");
}

TEST(ParserTest, CommandAliasParsesAsItsTarget) {
  Recorder rec;
  EXPECT_FALSE(ParseLine("old-name", rec, TestLookup));
  EXPECT_EQ(rec.errors, std::vector<std::string>{"command 'named' requires <domain> option"});
}

TEST(ParserTest, HelpOptionSkipsTheRequiredCheck) {
  Recorder rec;
  auto cmds = ParseLine("nodesuspend --help", rec, TestLookup);
  ASSERT_TRUE(cmds);
  EXPECT_EQ((*cmds)[0].name(), "help");
}

TEST(ParserTest, ParseErrorRejectsEveryCommandOfTheInput) {
  Recorder rec;
  EXPECT_FALSE(Line("uri; freecell 0 1; hostname", &rec));
  EXPECT_EQ(rec.errors, std::vector<std::string>{"unexpected data '1'"});
}

TEST(ParserTest, DebugLinesDescribeEachOption) {
  Recorder rec;
  ASSERT_TRUE(Args({"echo", "--xml", "a"}, &rec));
  EXPECT_EQ(rec.debug, (std::vector<std::string>{"echo: xml(bool): (none)",
                                                 "echo: string(optdata): a"}));
}

TEST(ParserTest, JSONIsAcceptedOnlyByCommandsThatPrintData) {
  Recorder rec;
  auto cmds = Line("uri --json", &rec);
  ASSERT_TRUE(cmds);
  EXPECT_TRUE((*cmds)[0].json());
  EXPECT_FALSE(Line("quit --json", &rec));
  EXPECT_EQ(rec.errors, std::vector<std::string>{"command 'quit' doesn't support option --json"});
}

// ---- The string tokenizer --------------------------------------------------------

std::vector<std::string> Words(const std::string& line) {
  Recorder rec;
  auto cmds = ParseLine("echo " + line, rec);
  if (!cmds) return {"<error: " + rec.errors.at(0) + ">"};
  std::vector<std::string> out;
  for (std::string_view w : (*cmds)[0].Argv("string")) out.emplace_back(w);
  return out;
}

TEST(TokenizerTest, SingleQuotesAreLiteral) {
  EXPECT_EQ(Words("'a b' 'c\\d'"), (std::vector<std::string>{"a b", "c\\d"}));
}

TEST(TokenizerTest, DoubleQuotesAllowEscapes) {
  EXPECT_EQ(Words("\"a \\\"b\\\" c\""), std::vector<std::string>{"a \"b\" c"});
}

TEST(TokenizerTest, QuotesJoinWithAdjacentText) {
  EXPECT_EQ(Words("a\"b\"c d'e'f"), (std::vector<std::string>{"abc", "def"}));
}

TEST(TokenizerTest, BackslashEscapesOneCharacter) {
  EXPECT_EQ(Words("a\\ b c\\;d"), (std::vector<std::string>{"a b", "c;d"}));
}

TEST(TokenizerTest, BackslashNewlineJoinsLines) {
  EXPECT_EQ(Words("a\\\nb"), std::vector<std::string>{"ab"});
}

TEST(TokenizerTest, HashStartsACommentOnlyAtTheStartOfAWord) {
  EXPECT_EQ(Words("a#b #c d"), std::vector<std::string>{"a#b"});
  EXPECT_EQ(Words("\\#y '#z'"), (std::vector<std::string>{"#y", "#z"}));
}

TEST(TokenizerTest, CommentEndsAtNewlineNotSemicolon) {
  Recorder rec;
  auto cmds = ParseLine("echo #a; uri\nhostname", rec);
  ASSERT_TRUE(cmds);
  ASSERT_EQ(cmds->size(), 2u);
  EXPECT_EQ((*cmds)[1].name(), "hostname");
}

TEST(TokenizerTest, UnterminatedDoubleQuoteIsAnError) {
  EXPECT_EQ(Words("\"a"), std::vector<std::string>{"<error: missing \">"});
}

TEST(TokenizerTest, UnterminatedSingleQuoteIsAccepted) {
  EXPECT_EQ(Words("'a b"), std::vector<std::string>{"a b"});
}

TEST(TokenizerTest, TrailingBackslashIsAnError) {
  EXPECT_EQ(Words("a\\"), std::vector<std::string>{"<error: dangling \\>"});
}

TEST(TokenizerTest, QuotedNewlineStaysInTheWord) {
  EXPECT_EQ(Words("\"a\nb\""), std::vector<std::string>{"a\nb"});
}

TEST(SplitCommandsTest, IsLenientAboutUnfinishedInput) {
  auto cmds = SplitCommands("uri; echo \"half");
  ASSERT_EQ(cmds.size(), 2u);
  EXPECT_EQ(cmds[1], (std::vector<std::string>{"echo", "half"}));
}

// ---- The tables ------------------------------------------------------------------

// The grammar relies on these shapes; a table that breaks them would parse
// differently from virsh.
TEST(CommandTableTest, EveryTableIsWellFormed) {
  for (const CommandDef* def : AllCommands()) {
    SCOPED_TRACE(std::string(def->name));
    EXPECT_FALSE(def->help.empty());
    if (def->flags & kCmdAlias) {
      EXPECT_NE(FindCommand(def->alias_of), nullptr);
      continue;
    }
    EXPECT_NE(def->handler, nullptr);
    bool optional_seen = false;
    for (size_t i = 0; i < def->options.size(); ++i) {
      const OptionDef& opt = def->options[i];
      SCOPED_TRACE(std::string(opt.name));
      EXPECT_NE(opt.name, "help");
      if (opt.type == OptType::kBool) {
        EXPECT_FALSE(opt.flags & kOptRequired);
      }
      if (opt.type == OptType::kData) {
        EXPECT_TRUE(opt.flags & kOptRequired);
      }
      if (opt.type == OptType::kArgv) {
        EXPECT_EQ(i + 1, def->options.size());
      }
      if (opt.type == OptType::kAlias) {
        std::string target(opt.help.substr(0, opt.help.find('=')));
        EXPECT_NE(FindOptionDef(*def, target), nullptr);
        continue;
      }
      bool positional = opt.type != OptType::kBool && !(opt.flags & kOptNamedOnly);
      if (!positional) continue;
      // Required positional options come before optional ones.
      if (opt.flags & kOptRequired) {
        if (opt.type != OptType::kArgv) {
          EXPECT_FALSE(optional_seen);
        }
      } else {
        optional_seen = true;
      }
    }
  }
}

TEST(CommandTableTest, NamesAreUnique) {
  std::set<std::string_view> names;
  for (const CommandDef* def : AllCommands()) EXPECT_TRUE(names.insert(def->name).second);
}

TEST(CommandTableTest, EveryCommandBelongsToAKnownGroupOrder) {
  for (const CommandDef* def : AllCommands()) {
    if (def->flags & kCmdAlias) continue;
    const GroupInfo* group = nullptr;
    for (const GroupInfo& g : AllGroups()) {
      if (g.id == def->group) group = &g;
    }
    ASSERT_NE(group, nullptr);
    EXPECT_NE(std::find(group->order.begin(), group->order.end(), def->name), group->order.end())
        << def->name << " is not in virsh's list for group " << group->keyword;
  }
}

}  // namespace
}  // namespace virt::virsh
