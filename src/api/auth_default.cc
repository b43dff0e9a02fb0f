// virConnectAuthPtrDefault: an authenticator that asks on the terminal.
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <libvirt/libvirt.h>

namespace {

// Reads one line from the terminal, without echo when 'echo' is false.
bool ReadLine(bool echo, std::string* out) {
  termios saved{};
  bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0;
  if (tty && !echo) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  char buf[1024];
  bool ok = std::fgets(buf, sizeof buf, stdin) != nullptr;
  if (tty && !echo) {
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    std::fputc('\n', stdout);
  }
  if (!ok) return false;
  out->assign(buf);
  while (!out->empty() && (out->back() == '\n' || out->back() == '\r')) out->pop_back();
  return true;
}

int PromptOnTerminal(virConnectCredentialPtr cred, unsigned int ncred, void* /*cbdata*/) {
  for (unsigned int i = 0; i < ncred; ++i) {
    virConnectCredential& c = cred[i];
    bool echo;
    switch (c.type) {
      case VIR_CRED_USERNAME:
      case VIR_CRED_AUTHNAME:
      case VIR_CRED_ECHOPROMPT:
      case VIR_CRED_REALM:
        echo = true;
        break;
      case VIR_CRED_PASSPHRASE:
      case VIR_CRED_NOECHOPROMPT:
        echo = false;
        break;
      default:
        return -1;  // a credential we cannot ask for
    }
    if (c.challenge) std::printf("%s\n", c.challenge);
    std::printf("%s", c.prompt ? c.prompt : "");
    if (c.defresult) std::printf(" [%s]", c.defresult);
    std::printf(": ");
    std::fflush(stdout);
    std::string answer;
    if (!ReadLine(echo, &answer)) return -1;
    if (answer.empty() && c.defresult) answer = c.defresult;
    c.result = strdup(answer.c_str());
    c.resultlen = static_cast<unsigned int>(answer.size());
  }
  return 0;
}

int g_cred_types[] = {
    VIR_CRED_AUTHNAME, VIR_CRED_ECHOPROMPT, VIR_CRED_REALM, VIR_CRED_PASSPHRASE,
    VIR_CRED_NOECHOPROMPT, VIR_CRED_USERNAME,
};

virConnectAuth g_default_auth = {
    g_cred_types, sizeof g_cred_types / sizeof g_cred_types[0], PromptOnTerminal, nullptr};

}  // namespace

extern "C" {
virConnectAuthPtr virConnectAuthPtrDefault = &g_default_auth;
}
