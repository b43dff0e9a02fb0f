// Helpers for the conf tests of networks and capabilities: reading fixture
// files, validating a document against one of libvirt's RelaxNG schemas,
// and asking the installed python3-libvirt (libvirt 9.0's test driver) for
// its answer. Header-only; tests only.
#ifndef VIRTKIT_CONF_NETWORK_TEST_SUPPORT_H
#define VIRTKIT_CONF_NETWORK_TEST_SUPPORT_H

#include <libxml/parser.h>
#include <libxml/relaxng.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>

namespace virt::testing {

inline constexpr char kSchemaDir[] = "/usr/share/libvirt/schemas";

inline bool FileExists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void CollectRelaxNGError(void* ctx, const char* fmt, ...) {
  auto* out = static_cast<std::string*>(ctx);
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  *out += buf;
}

// "" when 'xml' validates against /usr/share/libvirt/schemas/<schema>,
// else libxml2's complaints. Callers skip when the schema is absent.
inline std::string RelaxNGErrors(const std::string& xml, const std::string& schema) {
  std::string errors;
  std::string path = std::string(kSchemaDir) + "/" + schema;
  xmlRelaxNGParserCtxtPtr pctxt = xmlRelaxNGNewParserCtxt(path.c_str());
  xmlRelaxNGPtr rng = pctxt ? xmlRelaxNGParse(pctxt) : nullptr;
  if (!rng) {
    if (pctxt) xmlRelaxNGFreeParserCtxt(pctxt);
    return "cannot load schema " + path;
  }
  xmlDocPtr doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "doc.xml", nullptr,
                                XML_PARSE_NONET);
  if (!doc) {
    errors = "document is not well-formed";
  } else {
    xmlRelaxNGValidCtxtPtr vctxt = xmlRelaxNGNewValidCtxt(rng);
    xmlRelaxNGSetValidErrors(vctxt, CollectRelaxNGError, CollectRelaxNGError, &errors);
    int rc = xmlRelaxNGValidateDoc(vctxt, doc);
    if (rc != 0 && errors.empty()) errors = "invalid (rc " + std::to_string(rc) + ")";
    xmlRelaxNGFreeValidCtxt(vctxt);
    xmlFreeDoc(doc);
  }
  xmlRelaxNGFree(rng);
  xmlRelaxNGFreeParserCtxt(pctxt);
  return errors;
}

inline bool HavePythonLibvirt() {
  static const bool have = [] {
    if (!FileExists("/usr/bin/python3")) return false;
    int rc = std::system("/usr/bin/python3 -c 'import libvirt' >/dev/null 2>&1");
    return rc == 0;
  }();
  return have;
}

// Runs a shell command and returns its standard output, nullopt when it
// cannot be started or exits non-zero.
inline std::optional<std::string> RunCommand(const std::string& command) {
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return std::nullopt;
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), pipe)) > 0) out.append(buf, n);
  int status = ::pclose(pipe);
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
  return out;
}

}  // namespace virt::testing

#endif  // VIRTKIT_CONF_NETWORK_TEST_SUPPORT_H
