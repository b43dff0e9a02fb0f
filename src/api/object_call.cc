#include "api/object_call.h"

#include <unistd.h>

#include <climits>

namespace virt::api {

std::string AbsolutePath(const char* path) {
  if (path[0] == '/') return path;
  char cwd[PATH_MAX];
  if (!getcwd(cwd, sizeof cwd)) return path;
  return std::string(cwd) + "/" + path;
}

int FillNames(const std::vector<std::string>& names, char** out, int max) {
  int n = 0;
  for (const std::string& name : names) {
    if (n >= max) break;
    out[n++] = strdup(name.c_str());
  }
  return n;
}

}  // namespace virt::api
