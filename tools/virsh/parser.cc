#include "parser.h"

#include <cctype>

#include "command_registry.h"

namespace virt::virsh {

namespace {

constexpr OptionDef kHelpOption = {
    .name = "help", .type = OptType::kBool, .help = "print help for this function"};
constexpr OptionDef kJSONOption = {
    .name = "json", .type = OptType::kBool, .help = "print the result as one JSON document"};

// ---- Word sources ----------------------------------------------------------

enum class TokenKind { kWord, kEndOfCommand, kEnd, kError };

struct Token {
  TokenKind kind;
  std::string text;  // the word, or the error message
};

class WordSource {
 public:
  virtual ~WordSource() = default;
  virtual Token Next() = 0;
};

// Program arguments: one word each, no separators.
class ArgvSource : public WordSource {
 public:
  explicit ArgvSource(std::span<const std::string> words) : words_(words) {}
  Token Next() override {
    if (pos_ == words_.size()) return {TokenKind::kEnd, {}};
    return {TokenKind::kWord, words_[pos_++]};
  }

 private:
  std::span<const std::string> words_;
  size_t pos_ = 0;
};

// A command string, split by virsh's shell rules. With 'lenient' set, an
// unterminated quote or dangling backslash ends the word instead of failing
// (for completion of a half-typed line).
class StringSource : public WordSource {
 public:
  StringSource(std::string_view s, bool lenient) : s_(s), lenient_(lenient) {}

  Token Next() override {
    while (true) {
      while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t')) ++pos_;
      if (pos_ == s_.size()) return {TokenKind::kEnd, {}};
      if (s_[pos_] != '#') break;
      // A comment runs to the end of the line, `;` included.
      while (pos_ < s_.size() && s_[pos_] != '\n') ++pos_;
    }
    if (s_[pos_] == ';' || s_[pos_] == '\n') {
      ++pos_;
      return {TokenKind::kEndOfCommand, {}};
    }
    std::string word;
    bool single = false;
    bool dbl = false;
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (!single && !dbl && (c == ' ' || c == '\t' || c == ';' || c == '\n')) break;
      if (!dbl && c == '\'') {
        single = !single;
        ++pos_;
        continue;
      }
      if (!single && c == '\\') {
        ++pos_;
        if (pos_ == s_.size()) {
          if (lenient_) break;
          return {TokenKind::kError, "dangling \\"};
        }
        if (s_[pos_] == '\n') {  // a continued line
          ++pos_;
          continue;
        }
        word.push_back(s_[pos_++]);
        continue;
      }
      if (!single && c == '"') {
        dbl = !dbl;
        ++pos_;
        continue;
      }
      word.push_back(c);
      ++pos_;
    }
    if (dbl && !lenient_) return {TokenKind::kError, "missing \""};
    return {TokenKind::kWord, std::move(word)};
  }

 private:
  std::string_view s_;
  bool lenient_;
  size_t pos_ = 0;
};

// ---- The grammar -----------------------------------------------------------

bool TakesPositional(const OptionDef& opt) {
  switch (opt.type) {
    case OptType::kBool:
    case OptType::kAlias:
      return false;
    default:
      return !(opt.flags & kOptNamedOnly);
  }
}

// Parses one command after its name; state for the options seen so far.
class CommandParser {
 public:
  CommandParser(const CommandDef* def, ParseListener& listener, CommandLookup lookup)
      : def_(def), listener_(listener), lookup_(lookup), cmd_(def),
        seen_(def->options.size(), false) {
    for (size_t i = 0; i < def->options.size(); ++i) {
      pending_.push_back(TakesPositional(def->options[i]));
    }
  }

  bool is_help() const { return def_->name == "help"; }

  // Handles "--name" or "--name=value" (word without the dashes).
  // Returns false on a syntax error.
  bool Option(std::string_view word, WordSource& source) {
    std::string name(word);
    std::optional<std::string> inline_value;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name.resize(eq);
    }
    const OptionDef* opt = nullptr;
    int index = -1;
    if (!Lookup(name, &opt, &index, &inline_value)) {
      return is_help();  // help ignores what it does not understand
    }
    std::string value;
    if (opt->type != OptType::kBool) {
      if (inline_value) {
        value = std::move(*inline_value);
      } else {
        Token t = source.Next();
        if (t.kind == TokenKind::kError) return Fail(t.text);
        if (t.kind != TokenKind::kWord) {
          return Fail("expected syntax: --" + std::string(opt->name) + " <" +
                      (opt->type == OptType::kInt ? "number" : "string") + ">");
        }
        value = std::move(t.text);
      }
      if (opt->type != OptType::kArgv && index >= 0) pending_[index] = false;
    } else if (inline_value) {
      return Fail("invalid '=' after option --" + std::string(opt->name));
    }
    Save(opt, std::move(value));
    return true;
  }

  // Handles a positional word.
  bool Positional(std::string word) {
    int index = -1;
    for (size_t i = 0; i < pending_.size(); ++i) {
      if (pending_[i]) {
        index = static_cast<int>(i);
        break;
      }
    }
    if (index < 0) {
      if (is_help()) return true;
      return Fail("unexpected data '" + word + "'");
    }
    const OptionDef* opt = &def_->options[index];
    if (opt->type != OptType::kArgv) pending_[index] = false;
    seen_[index] = true;
    Save(opt, std::move(word));
    return true;
  }

  // Completes the command: `--help` rewrites it, then required options are
  // checked. Returns nullopt on error.
  std::optional<Cmd> Finish() {
    if (help_seen_) {
      const CommandDef* help = lookup_("help");
      Cmd rewritten(help);
      rewritten.AddOption(FindOptionDef(*help, "command"), std::string(def_->name));
      return rewritten;
    }
    bool ok = true;
    for (size_t i = 0; i < def_->options.size(); ++i) {
      const OptionDef& opt = def_->options[i];
      if (!(opt.flags & kOptRequired) || seen_[i]) continue;
      bool data = opt.type == OptType::kData || opt.type == OptType::kArgv;
      listener_.ParseError("command '" + std::string(def_->name) + "' requires " +
                           (data ? "<" : "--") + std::string(opt.name) + (data ? ">" : "") +
                           " option");
      ok = false;
    }
    if (!ok) return std::nullopt;
    cmd_.set_json(json_seen_);
    return std::move(cmd_);
  }

 private:
  // Resolves 'name' (aliases included) to an option of the command or a
  // built-in one and marks it seen. Prints virsh's error and returns false
  // if it is unknown, repeated, or an alias misused with '='.
  bool Lookup(std::string& name, const OptionDef** opt, int* index,
              std::optional<std::string>* inline_value) {
    if (name == kHelpOption.name) {
      *opt = &kHelpOption;
      help_seen_ = true;
      return true;
    }
    for (int hops = 0; hops < 4; ++hops) {
      const OptionDef* found = nullptr;
      for (size_t i = 0; i < def_->options.size(); ++i) {
        if (def_->options[i].name == name) {
          found = &def_->options[i];
          *index = static_cast<int>(i);
          break;
        }
      }
      if (!found) break;
      if (found->type == OptType::kAlias) {
        std::string target(found->help);
        if (size_t eq = target.find('='); eq != std::string::npos) {
          if (*inline_value) {
            listener_.ParseError("invalid '=' after option --" + name);
            return false;
          }
          *inline_value = target.substr(eq + 1);
          target.resize(eq);
        }
        name = target;
        continue;
      }
      if (seen_[*index] && found->type != OptType::kArgv) {
        listener_.ParseError("option --" + name + " already seen");
        return false;
      }
      seen_[*index] = true;
      *opt = found;
      return true;
    }
    if ((def_->flags & kCmdJSON) && name == kJSONOption.name) {
      if (json_seen_) {
        listener_.ParseError("option --json already seen");
        return false;
      }
      json_seen_ = true;
      *opt = &kJSONOption;
      *index = -1;
      return true;
    }
    if (!is_help()) {
      listener_.ParseError("command '" + std::string(def_->name) +
                           "' doesn't support option --" + name);
    }
    return false;
  }

  void Save(const OptionDef* opt, std::string value) {
    bool is_bool = opt->type == OptType::kBool;
    listener_.ParseDebug(std::string(def_->name) + ": " + std::string(opt->name) + "(" +
                         (is_bool ? "bool" : "optdata") + "): " +
                         (is_bool ? std::string("(none)") : value));
    // The built-in flags are state of the parse, not options of the command.
    if (opt == &kHelpOption || opt == &kJSONOption) return;
    cmd_.AddOption(opt, std::move(value));
  }

  bool Fail(const std::string& message) {
    listener_.ParseError(message);
    return false;
  }

  const CommandDef* def_;
  ParseListener& listener_;
  CommandLookup lookup_;
  Cmd cmd_;
  std::vector<bool> seen_;
  std::vector<bool> pending_;  // options that may still take a positional word
  bool help_seen_ = false;
  bool json_seen_ = false;
};

std::optional<std::vector<Cmd>> Parse(WordSource& source, ParseListener& listener,
                                      CommandLookup lookup) {
  if (!lookup) lookup = FindCommand;
  std::vector<Cmd> commands;
  while (true) {
    std::optional<CommandParser> parser;
    bool data_only = false;
    Token t;
    while (true) {
      t = source.Next();
      if (t.kind == TokenKind::kError) {
        listener.ParseError(t.text);
        return std::nullopt;
      }
      if (t.kind != TokenKind::kWord) break;
      if (!parser) {
        const CommandDef* def = lookup(t.text);
        if (!def) {
          listener.ParseError("unknown command: '" + t.text + "'");
          return std::nullopt;
        }
        parser.emplace(def, listener, lookup);
        continue;
      }
      const std::string& w = t.text;
      bool ok;
      if (data_only) {
        ok = parser->Positional(w);
      } else if (w.size() > 2 && w[0] == '-' && w[1] == '-' &&
                 std::isalnum(static_cast<unsigned char>(w[2]))) {
        ok = parser->Option(std::string_view(w).substr(2), source);
      } else if (w == "--") {
        data_only = true;
        ok = true;
      } else {
        ok = parser->Positional(w);
      }
      if (!ok) return std::nullopt;
    }
    if (parser) {
      std::optional<Cmd> cmd = parser->Finish();
      if (!cmd) return std::nullopt;
      commands.push_back(std::move(*cmd));
    }
    if (t.kind == TokenKind::kEnd) break;
  }
  return commands;
}

}  // namespace

const OptionDef& HelpOption() { return kHelpOption; }
const OptionDef& JSONOption() { return kJSONOption; }

std::optional<std::vector<Cmd>> ParseArgv(std::span<const std::string> words,
                                          ParseListener& listener, CommandLookup lookup) {
  ArgvSource source(words);
  return Parse(source, listener, lookup);
}

std::optional<std::vector<Cmd>> ParseLine(std::string_view line, ParseListener& listener,
                                          CommandLookup lookup) {
  StringSource source(line, /*lenient=*/false);
  return Parse(source, listener, lookup);
}

std::vector<std::vector<std::string>> SplitCommands(std::string_view line) {
  std::vector<std::vector<std::string>> commands(1);
  StringSource source(line, /*lenient=*/true);
  while (true) {
    Token t = source.Next();
    if (t.kind == TokenKind::kWord) {
      commands.back().push_back(std::move(t.text));
    } else if (t.kind == TokenKind::kEndOfCommand) {
      commands.emplace_back();
    } else {
      break;
    }
  }
  return commands;
}

}  // namespace virt::virsh
